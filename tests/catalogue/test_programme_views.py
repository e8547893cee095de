"""Programme administration pages: list and filters (htmx), create, edit (stale saves refused without
losing the input), archive/restore, CSV import preview and confirmation; only BKPSDM and superadmin."""
import io
import re

import pytest
import sqlalchemy as sa

from portal.catalogue.models import Programme, ProgrammeStatus
from portal.extensions import db
from tests.catalogue.sample import sample_catalogue
from tests.catalogue.test_programme_import import make_csv, row
from tests.conftest import count_rows, count_statements

BASE = "/katalog/kelola"


@pytest.fixture
def sample(world):
    return sample_catalogue(world)


def form_data(**overrides):
    values = {"code": "NEW-01", "title": "Pelayanan Prima", "description": "Standar layanan.",
              "form": "pelatihan_teknis", "jp": "12", "provider_kind": "bkpsdm", "provider_name": "BKPSDM",
              "delivery": "daring", "cost_per_participant": "1.500.000", "prerequisites": "", "leadership": "",
              "golongan_min": "", "golongan_max": "", "open_to_pppk": "y", "lock_version": ""}
    values.update(overrides)
    return values


def _programme(code):
    return db.session.scalar(sa.select(Programme).where(Programme.code == code))


@pytest.mark.parametrize("role", ["pegawai", "supervisor", "admin_opd", "pimpinan"])
def test_only_bkpsdm_and_superadmin(login_as, world, sample, role):
    client = login_as(role)
    for url in (f"{BASE}/", f"{BASE}/baru", f"{BASE}/{sample.teamwork.id}/ubah", f"{BASE}/impor",
                f"{BASE}/impor/templat.csv"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{BASE}/{sample.teamwork.id}/arsipkan").status_code == 403
    assert client.post(f"{BASE}/baru", data=form_data()).status_code == 403
    assert sample.teamwork.is_active and _programme("NEW-01") is None


def test_list_shows_all_with_counts_and_filters(login_as, world, sample):
    client = login_as("superadmin")
    page = client.get(f"{BASE}/").get_data(as_text=True)
    for code in ("PKS-01", "DIG-01", "PKP-01", "PKA-01", "OLD-01"):
        assert code in page
    assert "Diarsipkan: <strong>1</strong>" in page and "Aktif: <strong>4</strong>" in page
    page = client.get(f"{BASE}/?q=kepemimpinan&status=aktif").get_data(as_text=True)
    assert "PKP-01" in page and "PKA-01" in page and "PKS-01" not in page
    page = client.get(f"{BASE}/?leadership=pka&form=bogus&provider=bkpsdm").get_data(as_text=True)
    assert "PKA-01" in page and "PKP-01" not in page
    partial = client.get(f"{BASE}/?status=arsip", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "OLD-01" in partial and "PKS-01" not in partial and "<html" not in partial
    assert "Pulihkan" in partial


def test_list_queries_do_not_grow(login_as, world, sample):
    from tests.catalogue.sample import make_programme
    client = login_as("bkpsdm")
    client.get(f"{BASE}/")
    with count_statements() as few:
        client.get(f"{BASE}/")
    for i in range(10):
        make_programme(f"MORE-{i}", f"Program {i}", competencies=[sample.data, sample.pelayanan])
    db.session.flush()
    with count_statements() as more:
        client.get(f"{BASE}/")
    assert len(more) == len(few)


def test_create_programme(login_as, world, sample):
    client = login_as("bkpsdm")
    page = client.get(f"{BASE}/baru").get_data(as_text=True)
    assert '<optgroup label="Klasikal">' in page and '<optgroup label="Nonklasikal">' in page
    assert "Kerja Sama" in page and "Analisis Data (Digital)" in page
    response = client.post(f"{BASE}/baru", data={
        **form_data(golongan_min="II/a", golongan_max="III/d"),
        "position_kinds": ["pelaksana", "pengawas"], "units": [str(world.dinas_a.id)],
        "competencies": [str(sample.pelayanan.id)]})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"{BASE}/")
    programme = _programme("NEW-01")
    assert programme.cost_per_participant == 1500000 and programme.position_kinds == ["pelaksana", "pengawas"]
    assert [u.id for u in programme.units] == [world.dinas_a.id]
    assert [c.id for c in programme.competencies] == [sample.pelayanan.id]
    assert "sudah ditambahkan" in client.get(f"{BASE}/").get_data(as_text=True)


@pytest.mark.parametrize("overrides, message", [
    ({"code": "PKS-01"}, "Kode PKS-01 sudah dipakai program lain."),
    ({"jp": "0"}, "JP diisi bilangan bulat 1–1000."),
    ({"cost_per_participant": "sejuta"}, "Tulis biaya dalam rupiah"),
    ({"leadership": "pkp"}, "Jenjang kepemimpinan hanya untuk bentuk Pelatihan kepemimpinan."),
    ({"golongan_min": "IV/a", "golongan_max": "II/a"}, "Golongan maksimum tidak boleh di bawah golongan minimum."),
    ({"form": ""}, "Pilih bentuk pengembangan."),
    ({"title": ""}, "Judul wajib diisi."),
])
def test_bad_input_rerenders_with_message(login_as, world, sample, overrides, message):
    before = count_rows(Programme)
    response = login_as("bkpsdm").post(f"{BASE}/baru", data=form_data(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert 'value="Pelayanan Prima"' in page or overrides.get("title") == ""
    assert count_rows(Programme) == before


def test_unknown_choice_values_are_refused(login_as, world, sample):
    response = login_as("bkpsdm").post(f"{BASE}/baru", data={**form_data(), "position_kinds": ["presiden"],
                                                               "competencies": ["999999"]})
    assert response.status_code == 200 and _programme("NEW-01") is None


def test_edit_programme(login_as, world, sample):
    client = login_as("bkpsdm")
    url = f"{BASE}/{sample.teamwork.id}/ubah"
    page = client.get(url).get_data(as_text=True)
    assert 'value="PKS-01"' in page and 'value="1.500.000"' in page
    assert f'name="lock_version" type="hidden" value="{sample.teamwork.lock_version}"' in page
    assert f'value="{sample.kerja_sama.id}" id="competency-{sample.kerja_sama.id}" checked' in page
    response = client.post(url, data={**form_data(code="PKS-01", title="Kerja Sama Tim Lanjutan", form="pelatihan_manajerial",
                                                  lock_version=str(sample.teamwork.lock_version)),
                                      "competencies": [str(sample.kerja_sama.id)]})
    assert response.status_code == 303
    db.session.expire_all()
    programme = db.session.get(Programme, sample.teamwork.id)
    assert programme.title == "Kerja Sama Tim Lanjutan" and [c.code for c in programme.competencies] == ["M-KS"]


def test_stale_edit_is_refused_keeping_the_input(login_as, world, sample):
    client = login_as("bkpsdm")
    url = f"{BASE}/{sample.teamwork.id}/ubah"
    old_version = sample.teamwork.lock_version
    sample.teamwork.title = "Diubah di tab lain"
    db.session.flush()
    response = client.post(url, data=form_data(code="PKS-01", title="Judul saya", lock_version=str(old_version)))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "sudah diubah orang lain" in page
    assert 'value="Judul saya"' in page
    db.session.expire_all()
    programme = db.session.get(Programme, sample.teamwork.id)
    assert programme.title == "Diubah di tab lain"
    # The re-rendered form carries the latest version: saving again is a conscious overwrite.
    assert f'type="hidden" value="{programme.lock_version}"' in page
    response = client.post(url, data=form_data(code="PKS-01", title="Judul saya", lock_version=str(programme.lock_version)))
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Programme, sample.teamwork.id).title == "Judul saya"


def test_archive_and_restore(login_as, world, sample):
    client = login_as("bkpsdm")
    response = client.post(f"{BASE}/{sample.teamwork.id}/arsipkan", data={"next": f"{BASE}/?q=kerja"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"{BASE}/?q=kerja")
    db.session.expire_all()
    assert sample.teamwork.status is ProgrammeStatus.ARCHIVED
    assert "diarsipkan" in client.get(f"{BASE}/").get_data(as_text=True)
    response = client.post(f"{BASE}/{sample.teamwork.id}/arsipkan", data={"next": "https://evil.example/"})
    assert response.headers["Location"].endswith(f"{BASE}/")
    assert "sudah diarsipkan" in client.get(f"{BASE}/").get_data(as_text=True)
    client.post(f"{BASE}/{sample.teamwork.id}/pulihkan")
    db.session.expire_all()
    assert sample.teamwork.is_active


def test_list_offers_confirmation_before_archiving(login_as, world, sample):
    page = login_as("bkpsdm").get(f"{BASE}/").get_data(as_text=True)
    assert f'action="{BASE}/{sample.teamwork.id}/arsipkan"' in page and "data-confirm=" in page


def _upload(client, content, filename="program.csv"):
    return client.post(f"{BASE}/impor", data={"file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def test_import_preview_then_save(login_as, world, sample):
    client = login_as("bkpsdm")
    page = client.get(f"{BASE}/impor").get_data(as_text=True)
    assert "templat.csv" in page and "terbuka_pppk" in page
    response = _upload(client, make_csv([row(), row(kode="DIG-01", judul="Analisis Data Baru")], delimiter=";", bom=True))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "1 program baru" in page and "1 program diperbarui" in page
    assert _programme("SIG-01") is None  # the preview writes nothing
    token = re.search(r'name="token" type="hidden" value="([0-9a-f]{32})"', page).group(1)
    response = client.post(f"{BASE}/impor/simpan", data={"token": token})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"{BASE}/")
    db.session.expire_all()
    assert _programme("SIG-01") is not None and sample.analytics.title == "Analisis Data Baru"
    assert "Impor selesai: 1 program baru, 1 program diperbarui" in client.get(f"{BASE}/").get_data(as_text=True)
    # The file is gone: a second click does nothing.
    client.post(f"{BASE}/impor/simpan", data={"token": token})
    assert "sudah tidak tersedia" in client.get(f"{BASE}/impor").get_data(as_text=True)


def test_import_with_errors_reports_rows_and_offers_no_save(login_as, world, sample):
    client = login_as("bkpsdm")
    page = _upload(client, make_csv([row(), row(kode="X-1", jp="banyak")])).get_data(as_text=True)
    assert "1 baris berisi kesalahan" in page and "Tidak ada yang disimpan" in page
    assert "banyak" in page and "JP diisi bilangan bulat" in page
    assert "impor/simpan" not in page and _programme("SIG-01") is None


@pytest.mark.parametrize("content, filename, message", [
    (b"kode,judul\nA,B\n", "program.csv", "Kolom wajib tidak ditemukan"),
    (b"a,b\n", "program.xlsx", "Hanya berkas .csv"),
])
def test_import_refuses_unusable_files(login_as, world, content, filename, message):
    page = _upload(login_as("bkpsdm"), content, filename).get_data(as_text=True)
    assert message in page


def test_import_without_file(login_as, world):
    response = login_as("bkpsdm").post(f"{BASE}/impor", data={}, content_type="multipart/form-data")
    assert "Pilih berkas CSV" in response.get_data(as_text=True)


def test_template_download(login_as, world):
    response = login_as("bkpsdm").get(f"{BASE}/impor/templat.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True).lstrip("\ufeff").startswith("kode,judul,deskripsi,bentuk,jp")


def test_audit_log_reads_programme_entries(login_as, world, sample):
    client = login_as("bkpsdm")
    client.post(f"{BASE}/{sample.teamwork.id}/arsipkan")
    token_page = _upload(client, make_csv([row()])).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([0-9a-f]{32})"', token_page).group(1)
    client.post(f"{BASE}/impor/simpan", data={"token": token})
    page = login_as("superadmin").get("/audit/").get_data(as_text=True)
    assert "Program pengembangan diarsipkan" in page and "Program pengembangan diimpor dari CSV" in page
