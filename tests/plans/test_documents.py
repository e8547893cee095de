"""The SKP PDF: content (draft and approved), the snapshot, who may download it."""
import shutil
import subprocess
from datetime import datetime

import pytest

from portal.extensions import db
from portal.plans import documents, plan_services
from portal.plans.models import Aspect, PlanStatus, ResultKind, ResultPlan
from tests.plans.sample import make_period, make_plan, sample_plan


def pdf_text(data: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext missing: apt-get install -y poppler-utils (make test installs it)")
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def download(client, plan):
    return client.get(f"/dokumen/skp/{plan.id}.pdf")


def test_owner_downloads_the_skp_with_every_part(world, login_as):
    s = sample_plan(world)
    s.plan.resources = "Akses ke portal satu data"
    s.plan.accountability = "Dilaporkan setiap bulan"
    s.plan.consequences = "Dibahas dalam dialog kinerja"
    s.plan.expectations[0].expectation = "Membalas permintaan data dalam dua hari"
    additional = ResultPlan(kind=ResultKind.ADDITIONAL, position=9, text="Menjadi narasumber pelatihan data")
    s.plan.results.append(additional)
    db.session.flush()

    response = download(login_as("pegawai"), s.plan)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and f"SKP-2026-{world.staff_a1.nip}-v1.pdf" in disposition
    text = pdf_text(response.data)
    for expected in [
        "SASARAN KINERJA PEGAWAI", "PEMERINTAH KABUPATEN CONTOH",
        "1 Januari 2026 s.d. 31 Desember 2026",
        "PEGAWAI YANG DINILAI", "PEJABAT PENILAI KINERJA",
        world.staff_a1.display_name, world.staff_a1.nip_display, "Analis Data", "Bidang Alpha Satu",
        world.chief_a1.display_name, world.chief_a1.nip_display, "Kepala Bidang Alpha Satu",
        "HASIL KERJA", "DIINTERVENSI", "RENCANA HASIL KERJA", "ASPEK", "TARGET",
        "A. Utama", "B. Tambahan", "Menjadi narasumber pelatihan data", "Belum ada indikator",
        "Tersedianya data sektoral yang mutakhir",  # the supervisor's RHK it intervenes
        "Dataset sektoral tersusun", "Jumlah dataset", "12 dokumen", "Sesuai standar SDI", "Kuantitas",
        "PERILAKU KERJA", "Berorientasi Pelayanan", "Kolaboratif", "Bertindak proaktif",
        "Membalas permintaan data dalam dua hari",
        "LAMPIRAN SASARAN KINERJA PEGAWAI", "DUKUNGAN SUMBER DAYA", "Akses ke portal satu data",
        "SKEMA PERTANGGUNGJAWABAN", "Dilaporkan setiap bulan", "KONSEKUENSI", "Dibahas dalam dialog kinerja",
        "Pegawai yang Dinilai", "Pejabat Penilai Kinerja", "Halaman 1 dari",
    ]:
        assert expected in text, expected
    assert "DRAF" not in text  # approved


def test_a_plan_being_written_is_marked_draft(world, login_as):
    period = make_period(2026)
    plan = make_plan(world.staff_a1, period, PlanStatus.DRAFT, results=[
        ("Rekap presensi", [(Aspect.QUANTITY, "Jumlah rekap", 12)])])
    text = pdf_text(download(login_as("pegawai"), plan).data)
    assert "DRAF" in text and "belum disetujui" in text
    assert "Rekap presensi" in text and world.staff_a1.display_name in text


def test_approved_plan_prints_the_snapshot_not_todays_data(world, login_as):
    period = make_period(2026)
    plan = make_plan(world.staff_a1, period, PlanStatus.SUBMITTED, results=[
        ("Rekap presensi", [(Aspect.QUANTITY, "Jumlah rekap", 12)])])
    plan_services.approve_plan(plan, actor=world.users["supervisor"])
    plan.approved_dt = datetime(2026, 1, 29, 3, 0)
    # Later the people change: the approved SKP keeps what was signed.
    world.staff_a1.name = "Nama Baru Sesudah Disetujui"
    world.chief_a1.name = "Atasan Baru"
    db.session.flush()
    text = pdf_text(download(login_as("pegawai"), plan).data)
    assert "Staf Alpha" in text and "Kabid Alpha" in text
    assert "Nama Baru Sesudah Disetujui" not in text and "Atasan Baru" not in text
    assert "Contoh, 29 Januari 2026" in text  # place (from the instansi's name), approval date
    assert "DRAF" not in text


@pytest.mark.parametrize("role", ["supervisor", "admin_opd", "bkpsdm", "pimpinan"])
def test_chain_and_managers_may_download(world, login_as, role):
    s = sample_plan(world)
    assert download(login_as(role), s.plan).status_code == 200


def test_unrelated_pegawai_gets_403(world, login_as, factory):
    s = sample_plan(world)
    outsider = factory.user(world.staff_b)
    response = download(login_as(outsider), s.plan)
    assert response.status_code == 403
    assert not response.data.startswith(b"%PDF")


def test_missing_plan_is_404_and_anonymous_is_sent_to_sign_in(world, login_as):
    assert login_as("pegawai").get("/dokumen/skp/999999.pdf").status_code == 404
    s = sample_plan(world)
    response = download(login_as(None), s.plan)
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_user_text_cannot_break_out_of_the_page_footer(world, app):
    """Names go into a CSS string in the page footer: quotes and markup stay text."""
    s = sample_plan(world)
    world.staff_a1.name = 'Staf "</style><h1>X</h1>'
    db.session.flush()
    with app.test_request_context():
        doc = documents.skp_document(s.plan)
        assert "</style>" not in doc.footer_css and doc.footer_css.count('"') == 2
        text = pdf_text(documents.render_skp(doc))
    assert 'Staf "</style><h1>X</h1>' in text
