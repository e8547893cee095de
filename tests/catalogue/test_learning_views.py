"""Learning-hours pages: the ledger (own and an employee's), uploading and changing a certificate,
the scan download, BKPSDM's queue and decisions, the JP on the home page and in the directory."""
import io
import re
from datetime import date

import pytest
import sqlalchemy as sa

from portal.catalogue import certificate_storage
from portal.catalogue import learning_services as services
from portal.catalogue.models import CertificateStatus, ExternalCertificate, LearningRecord, LearningSource
from portal.extensions import db
from tests.catalogue.sample import sample_catalogue
from tests.conftest import count_statements

HX = {"HX-Request": "true"}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
YEAR = date.today().year


@pytest.fixture
def s(world):
    return sample_catalogue(world)


def form(**changes):
    values = {"kind": "kursus", "name": "Kursus Bahasa Inggris", "course_type": "Bahasa", "number": "EN/77",
              "certificate_date": f"{YEAR}-01-20", "start_date": f"{YEAR}-01-10", "end_date": f"{YEAR}-01-19",
              "jp": "30", "organiser": "Lembaga Bahasa", "year": "",
              "file": (io.BytesIO(PDF), "sertifikat.pdf")}
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def certificates_of(employee):
    return db.session.scalars(sa.select(ExternalCertificate).where(ExternalCertificate.employee_id == employee.id)
                              .order_by(ExternalCertificate.id)).all()


def stored_files():
    return set(certificate_storage.storage_dir().iterdir())


@pytest.fixture
def other_pegawai(world, factory, login_as):
    return login_as(factory.user(world.staff_b))


# ---------------------------------------------------------------- the ledger
def test_my_ledger_shows_progress_lines_and_certificates(s, login_as):
    html = login_as("pegawai").get("/jam-pelajaran/").get_data(as_text=True)
    assert "Jam pelajaran saya" in html
    assert re.search(r'<progress class="progress-native" id="jp-progress" max="20" value="6"', html)
    assert "6 dari 20 JP; kurang 14 JP lagi." in html
    assert "Analisis Data untuk Administrasi" in html and "Pelatihan selesai" in html
    assert "Kursus Statistik Dasar" in html and "Menunggu verifikasi" in html
    assert "Unggah sertifikat" in html


def test_the_ledger_of_another_year_and_its_htmx_partial(s, login_as):
    client = login_as("pegawai")
    html = client.get(f"/jam-pelajaran/?year={YEAR - 1}").get_data(as_text=True)
    assert f"Belum ada jam pelajaran tercatat pada {YEAR - 1}" in html
    partial = client.get(f"/jam-pelajaran/?year={YEAR}", headers=HX).get_data(as_text=True)
    assert "<html" not in partial and "Analisis Data untuk Administrasi" in partial
    assert client.get("/jam-pelajaran/?year=abc").status_code == 200


def test_a_rejected_certificate_shows_its_reason(s, world, login_as):
    services.reject_certificate(s.certificate, "Nomor tidak sesuai", actor=world.users["bkpsdm"])
    html = login_as("pegawai").get("/jam-pelajaran/").get_data(as_text=True)
    assert "Ditolak" in html and "Alasan: Nomor tidak sesuai" in html


def test_an_account_without_employee(s, login_as):
    html = login_as("superadmin").get("/jam-pelajaran/").get_data(as_text=True)
    assert "tidak terhubung dengan data pegawai" in html


@pytest.mark.parametrize("role", ["supervisor", "admin_opd", "bkpsdm", "pimpinan"])
def test_people_in_scope_read_an_employees_ledger(s, world, login_as, role):
    html = login_as(role).get(f"/jam-pelajaran/pegawai/{world.staff_a1.id}").get_data(as_text=True)
    assert "Jam pelajaran Staf Alpha" in html and "6 dari 20 JP" in html
    assert "Unggah sertifikat" not in html


def test_another_pegawai_cannot_read_my_ledger(s, world, other_pegawai):
    assert other_pegawai.get(f"/jam-pelajaran/pegawai/{world.staff_a1.id}").status_code == 403


def test_my_own_ledger_by_id_is_my_ledger(s, world, login_as):
    html = login_as("pegawai").get(f"/jam-pelajaran/pegawai/{world.staff_a1.id}").get_data(as_text=True)
    assert "Jam pelajaran saya" in html and "Unggah sertifikat" in html


# ---------------------------------------------------------------- uploading
def test_upload_a_certificate(s, world, login_as):
    response = login_as("pegawai").post("/jam-pelajaran/sertifikat/baru", data=form(),
                                        content_type="multipart/form-data")
    assert response.status_code == 303
    certificate = certificates_of(world.staff_a1)[-1]
    assert (certificate.name, certificate.course_type, certificate.jp, certificate.year, certificate.status) == (
        "Kursus Bahasa Inggris", "Bahasa", 30, YEAR, CertificateStatus.SUBMITTED)
    assert certificate_storage.stored_path(certificate.stored_name).read_bytes() == PDF


@pytest.mark.parametrize("changes, message", [
    ({"file": (io.BytesIO(b"<html>bukan sertifikat</html>"), "sertifikat.pdf")}, "bukan PDF, JPG atau PNG"),
    ({"file": None}, "Pilih berkas pindaian sertifikat"),
    ({"name": "", "number": ""}, "Isi nama diklat atau kursus."),
    ({"certificate_date": ""}, "Isi tanggal sertifikat."),
    ({"jp": "0"}, "JP harus antara 1 dan 1000."),
    ({"jp": "1001"}, "JP harus antara 1 dan 1000."),
    ({"end_date": f"{YEAR}-01-05"}, "Tanggal selesai tidak boleh sebelum tanggal mulai."),
    ({"course_type": ""}, "Isi jenis kursus."),
    ({"kind": "lainnya"}, "Not a valid choice"),
])
def test_upload_refuses_bad_input_and_keeps_nothing(s, world, login_as, changes, message):
    before_files, before = stored_files(), len(certificates_of(world.staff_a1))
    response = login_as("pegawai").post("/jam-pelajaran/sertifikat/baru", data=form(**changes),
                                        content_type="multipart/form-data")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Periksa kembali isian yang ditandai." in html
    assert message in html or message == "Not a valid choice"
    assert len(certificates_of(world.staff_a1)) == before and stored_files() == before_files


def test_upload_shows_every_mistake_at_once(s, world, login_as):
    response = login_as("pegawai").post("/jam-pelajaran/sertifikat/baru", content_type="multipart/form-data",
                                        data=form(course_type="", end_date=f"{YEAR}-01-05", organiser=""))
    html = response.get_data(as_text=True)
    assert "Isi jenis kursus." in html and "Tanggal selesai tidak boleh sebelum tanggal mulai." in html
    assert "Isi penyelenggara." in html


def test_upload_refuses_a_file_too_big(s, world, login_as, app, monkeypatch):
    monkeypatch.setitem(app.config, "CERTIFICATE_MAX_BYTES", 1024)
    before_files, before = stored_files(), len(certificates_of(world.staff_a1))
    response = login_as("pegawai").post("/jam-pelajaran/sertifikat/baru", content_type="multipart/form-data",
                                        data=form(file=(io.BytesIO(PDF + b"0" * 2000), "besar.pdf")))
    assert response.status_code == 200 and "terlalu besar" in response.get_data(as_text=True)
    assert len(certificates_of(world.staff_a1)) == before and stored_files() == before_files


def test_an_image_scan_is_accepted(s, world, login_as):
    response = login_as("pegawai").post("/jam-pelajaran/sertifikat/baru", content_type="multipart/form-data",
                                        data=form(file=(io.BytesIO(PNG), "foto.jpg")))
    assert response.status_code == 303
    assert certificates_of(world.staff_a1)[-1].content_type == "image/png"


def test_an_account_without_employee_cannot_upload(s, login_as):
    assert login_as("superadmin").get("/jam-pelajaran/sertifikat/baru").status_code == 404


# ---------------------------------------------------------------- changing, deleting, downloading
def test_edit_is_prefilled_and_keeps_the_scan_when_none_is_sent(s, world, login_as):
    client = login_as("pegawai")
    html = client.get(f"/jam-pelajaran/sertifikat/{s.certificate.id}/ubah").get_data(as_text=True)
    assert 'value="KS/2026/0042"' in html and 'value="Kursus Statistik Dasar"' in html
    response = client.post(f"/jam-pelajaran/sertifikat/{s.certificate.id}/ubah", content_type="multipart/form-data",
                           data=form(file=None, name="Kursus Statistik Lanjut"))
    assert response.status_code == 303
    db.session.expire_all()
    assert s.certificate.name == "Kursus Statistik Lanjut" and s.certificate.stored_name is None


def test_others_cannot_change_my_certificate(s, other_pegawai, login_as):
    url = f"/jam-pelajaran/sertifikat/{s.certificate.id}"
    assert other_pegawai.get(url + "/ubah").status_code == 403
    assert other_pegawai.post(url + "/hapus").status_code == 403
    assert login_as("bkpsdm").get(url + "/ubah").status_code == 403
    db.session.expire_all()
    assert db.session.get(ExternalCertificate, s.certificate.id) is not None


def test_a_verified_certificate_cannot_be_changed(s, world, login_as):
    services.verify_certificate(s.certificate, actor=world.users["bkpsdm"])
    client = login_as("pegawai")
    assert client.get(f"/jam-pelajaran/sertifikat/{s.certificate.id}/ubah").status_code == 403
    assert client.post(f"/jam-pelajaran/sertifikat/{s.certificate.id}/hapus").status_code == 403


def test_delete_my_certificate(s, login_as):
    certificate_id = s.certificate.id
    response = login_as("pegawai").post(f"/jam-pelajaran/sertifikat/{certificate_id}/hapus")
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.scalar(sa.select(ExternalCertificate.id).where(ExternalCertificate.id == certificate_id)) is None


def _uploaded(world, client):
    client.post("/jam-pelajaran/sertifikat/baru", data=form(), content_type="multipart/form-data")
    return certificates_of(world.staff_a1)[-1]


@pytest.mark.parametrize("role", ["pegawai", "supervisor", "bkpsdm", "admin_opd"])
def test_download_the_scan_as_an_attachment(s, world, login_as, role):
    certificate = _uploaded(world, login_as("pegawai"))
    response = login_as(role).get(f"/jam-pelajaran/sertifikat/{certificate.id}/berkas")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "no-store" in response.headers["Cache-Control"]
    assert response.mimetype == "application/pdf"


def test_another_pegawai_cannot_see_or_download_my_certificate(s, world, login_as, other_pegawai):
    certificate = _uploaded(world, login_as("pegawai"))
    assert other_pegawai.get(f"/jam-pelajaran/sertifikat/{certificate.id}").status_code == 403
    assert other_pegawai.get(f"/jam-pelajaran/sertifikat/{certificate.id}/berkas").status_code == 403


def test_a_certificate_without_scan_has_nothing_to_download(s, login_as):
    client = login_as("pegawai")
    response = client.get(f"/jam-pelajaran/sertifikat/{s.certificate.id}/berkas")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/jam-pelajaran/sertifikat/{s.certificate.id}")
    assert "tidak memiliki berkas pindaian" in client.get(response.headers["Location"]).get_data(as_text=True)


# ---------------------------------------------------------------- BKPSDM
def test_the_queue_lists_submitted_certificates_oldest_first(s, world, login_as):
    newer = _uploaded(world, login_as("pegawai"))
    services.reject_certificate(newer, "x", actor=world.users["bkpsdm"])
    third = _uploaded(world, login_as("pegawai"))
    client = login_as("bkpsdm")
    html = client.get("/jam-pelajaran/verifikasi").get_data(as_text=True)
    assert "2 sertifikat menunggu" in html
    assert html.index("Kursus Statistik Dasar") < html.index(third.name)
    assert f"/jam-pelajaran/sertifikat/{third.id}/berkas" in html
    partial = client.get("/jam-pelajaran/verifikasi", headers=HX).get_data(as_text=True)
    assert "<html" not in partial and 'id="queue"' in partial


@pytest.mark.parametrize("role", ["pegawai", "supervisor", "admin_opd", "pimpinan"])
def test_only_bkpsdm_opens_the_queue_and_decides(s, login_as, role):
    client = login_as(role)
    assert client.get("/jam-pelajaran/verifikasi").status_code == 403
    assert client.post(f"/jam-pelajaran/sertifikat/{s.certificate.id}/verifikasi").status_code == 403
    assert client.post(f"/jam-pelajaran/sertifikat/{s.certificate.id}/tolak", data={"reason": "x"}).status_code == 403
    db.session.expire_all()
    assert s.certificate.status is CertificateStatus.SUBMITTED


def test_bkpsdm_sees_the_decision_forms(s, login_as):
    html = login_as("bkpsdm").get(f"/jam-pelajaran/sertifikat/{s.certificate.id}").get_data(as_text=True)
    assert "Verifikasi dan catat JP" in html and "Tolak sertifikat" in html
    assert "Pelatihan Kepemimpinan Pengawas (PKP-01)" in html and "Pelatihan Lama" not in html
    owner = login_as("pegawai").get(f"/jam-pelajaran/sertifikat/{s.certificate.id}").get_data(as_text=True)
    assert "Verifikasi dan catat JP" not in owner and "Hapus sertifikat" in owner


def test_verify_twice_credits_once(s, world, login_as):
    client = login_as("bkpsdm")
    url = f"/jam-pelajaran/sertifikat/{s.certificate.id}/verifikasi"
    response = client.post(url, data={"programme": str(s.analytics.id)})
    assert response.status_code == 303 and response.headers["Location"].endswith("/jam-pelajaran/verifikasi")
    again = client.post(url, data={"programme": ""})
    assert again.status_code == 303
    lines = db.session.scalars(sa.select(LearningRecord).where(LearningRecord.certificate_id == s.certificate.id)).all()
    assert len(lines) == 1 and lines[0].jp == 12 and lines[0].source is LearningSource.CERTIFICATE
    assert lines[0].programme_id == s.analytics.id
    html = login_as("pegawai").get("/jam-pelajaran/").get_data(as_text=True)
    assert "18 dari 20 JP" in html and "Diverifikasi" in html


def test_verify_with_an_unknown_programme_re_renders(s, login_as):
    response = login_as("bkpsdm").post(f"/jam-pelajaran/sertifikat/{s.certificate.id}/verifikasi",
                                       data={"programme": str(s.archived.id)})
    assert response.status_code == 200 and "Periksa kembali isian yang ditandai." in response.get_data(as_text=True)
    db.session.expire_all()
    assert s.certificate.status is CertificateStatus.SUBMITTED


def test_reject_needs_a_reason(s, login_as):
    client = login_as("bkpsdm")
    url = f"/jam-pelajaran/sertifikat/{s.certificate.id}/tolak"
    response = client.post(url, data={"reason": "  "})
    assert response.status_code == 200 and "Tuliskan alasan penolakan." in response.get_data(as_text=True)
    db.session.expire_all()
    assert s.certificate.status is CertificateStatus.SUBMITTED
    response = client.post(url, data={"reason": "Sertifikat kedaluwarsa"})
    assert response.status_code == 303
    db.session.expire_all()
    assert s.certificate.status is CertificateStatus.REJECTED and s.certificate.rejection_reason == "Sertifikat kedaluwarsa"


# ---------------------------------------------------------------- home and directory
def _add_records(world, n, start=100):
    for i in range(n):
        for employee in (world.staff_a1, world.staff_b, world.chief_a1):
            services.credit(employee.id, key=f"test:{start + i}:{employee.id}", source=LearningSource.SESSION, jp=1,
                            title="Pelatihan", completed_date=date(YEAR, 1, 1))


def test_home_shows_the_jp_progress_in_fixed_statements(s, world, login_as):
    client = login_as("pegawai")
    client.get("/")
    with count_statements() as before:
        html = client.get("/").get_data(as_text=True)
    assert 'id="home-jp"' in html and "6 dari 20 JP" in html and 'href="/jam-pelajaran/"' in html
    _add_records(world, 5)
    with count_statements() as after:
        html = client.get("/").get_data(as_text=True)
    assert "11 dari 20 JP" in html
    assert len(after) == len(before)


def test_no_jp_card_without_employee(s, login_as):
    assert 'id="home-jp"' not in login_as("superadmin").get("/").get_data(as_text=True)


def test_directory_shows_jp_in_one_query(s, world, factory, login_as):
    client = login_as("bkpsdm")
    client.get("/pegawai/")
    with count_statements() as before:
        html = client.get("/pegawai/").get_data(as_text=True)
    assert f"JP {YEAR}" in html
    assert re.search(rf'href="/jam-pelajaran/pegawai/{world.staff_a1.id}"[^>]*>6</a>', html)
    _add_records(world, 3)
    for _ in range(3):
        factory.employee(unit=world.dinas_b)
    with count_statements() as after:
        html = client.get("/pegawai/").get_data(as_text=True)
    assert re.search(rf'href="/jam-pelajaran/pegawai/{world.staff_a1.id}"[^>]*>9</a>', html)
    assert len(after) == len(before)


def test_directory_hides_jp_outside_the_viewers_scope(s, world, login_as):
    html = login_as("pegawai").get("/pegawai/").get_data(as_text=True)
    assert f'href="/jam-pelajaran/pegawai/{world.staff_a1.id}"' in html
    assert f'href="/jam-pelajaran/pegawai/{world.staff_b.id}"' not in html
