"""BKPSDM manages the programme catalogue in a real browser (issue 6, item 2): creates a programme
through the form, archives it (with confirmation), and imports a CSV file, seeing the preview
before saving."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.catalogue.models import Competency, CompetencyGroup, Programme, ProgrammeStatus
from portal.extensions import db
from tests.browser.conftest import assert_accessible, count, screenshot, sign_in

CSV = ("\ufeffkode;judul;deskripsi;bentuk;jp;penyelenggara_jenis;penyelenggara_nama;metode;biaya;prasyarat;"
       "kepemimpinan;jenis_jabatan;golongan_min;golongan_max;terbuka_pppk;kompetensi\n"
       "DIG-20;Literasi Digital Perkantoran;;pelatihan_teknis;16;bkpsdm;BKPSDM;daring;750.000;;;pelaksana;;;ya;M-KOM\n"
       "PKP-27;Pelatihan Kepemimpinan Pengawas 2027;;Pelatihan kepemimpinan;300;bpsdm_provinsi;BPSDM Provinsi;"
       "blended;12.000.000;;pkp;pengawas;;;tidak;\n")


@pytest.fixture(scope="module")
def competencies(app, live_data):
    with app.app_context():
        db.session.add_all([
            Competency(code="M-KOM", name="Komunikasi", group=CompetencyGroup.MANAGERIAL),
            Competency(code="M-PP", name="Pelayanan Publik", group=CompetencyGroup.MANAGERIAL),
            Competency(code="T-KES-01", name="Manajemen Puskesmas", group=CompetencyGroup.TECHNICAL, field="Kesehatan"),
        ])
        db.session.commit()


def test_bkpsdm_creates_archives_and_imports(page, app, live_server, live_data, competencies, console_errors):
    sign_in(page, live_server, live_data.logins["bkpsdm"])
    page.goto(f"{live_server}/katalog/kelola/")
    expect(page.get_by_role("heading", name="Kelola katalog program")).to_be_visible()

    # --- create through the form, first with a mistake
    page.get_by_role("link", name="Tambah program").click()
    page.get_by_label("Kode").fill("PKM-01")
    page.get_by_label("Judul").fill("Manajemen Mutu Puskesmas")
    page.get_by_label("Bentuk pengembangan").select_option("pelatihan_teknis")
    page.get_by_label("Jenjang kepemimpinan").select_option("pka")
    page.get_by_label("Jam pelajaran (JP)").fill("24")
    page.get_by_label("Metode pelaksanaan").select_option("blended")
    page.get_by_label("Biaya per peserta (Rp)").fill("2.500.000")
    page.get_by_label("Jenis penyelenggara").select_option("mitra")
    page.get_by_label("Nama penyelenggara").fill("Fakultas Kesehatan Masyarakat")
    page.get_by_label("Administrator").check()
    page.get_by_label("Manajemen Puskesmas (Kesehatan)").check()
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Jenjang kepemimpinan hanya untuk bentuk Pelatihan kepemimpinan.").first).to_be_visible()
    expect(page.get_by_label("Judul")).to_have_value("Manajemen Mutu Puskesmas")
    assert_accessible(page, "programme form with an error")
    screenshot(page, "programme-admin-form")
    page.get_by_label("Jenjang kepemimpinan").select_option("")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Program Manajemen Mutu Puskesmas sudah ditambahkan ke katalog.")).to_be_visible()
    row = page.locator("tr", has_text="PKM-01")
    expect(row).to_contain_text("Rp 2.500.000")
    expect(row).to_contain_text("Manajemen Puskesmas")

    # --- archive it (the browser asks first)
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Arsipkan Manajemen Mutu Puskesmas").click()
    expect(page.get_by_text("Program Manajemen Mutu Puskesmas diarsipkan")).to_be_visible()
    expect(page.locator("tr", has_text="PKM-01")).to_contain_text("Diarsipkan")
    with app.app_context():
        assert db.session.scalar(sa.select(Programme.status).where(Programme.code == "PKM-01")) is ProgrammeStatus.ARCHIVED
    page.get_by_label("Status").select_option("arsip")  # htmx filter
    expect(page.locator("#result-count")).to_contain_text("1 program")
    assert_accessible(page, "programme list")
    screenshot(page, "programme-admin-list")

    # --- import a CSV file: preview, then save
    page.get_by_role("link", name="Impor CSV").click()
    page.get_by_label("Berkas CSV").set_input_files(
        files=[{"name": "program.csv", "mimeType": "text/csv", "buffer": CSV.encode("utf-8")}])
    page.get_by_role("button", name="Unggah dan periksa").click()
    expect(page.locator("#preview-summary")).to_contain_text("2 program baru")
    expect(page.locator("#import-rows")).to_contain_text("Pelatihan Kepemimpinan Pengawas 2027")
    assert count(app, Programme, Programme.code == "DIG-20") == 0
    assert_accessible(page, "import preview")
    screenshot(page, "programme-admin-import")
    page.get_by_role("button", name="Simpan 2 program").click()
    expect(page.get_by_text("Impor selesai: 2 program baru, 0 program diperbarui.")).to_be_visible()
    assert count(app, Programme, Programme.code.in_(["DIG-20", "PKP-27"])) == 2
