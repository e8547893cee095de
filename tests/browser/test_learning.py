"""Learning hours in a real browser (issue 6, item 6): the pegawai uploads an external certificate,
BKPSDM verifies it from the queue, the pegawai's ledger shows its JP and the home page the 20-JP
progress."""
from datetime import date

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.catalogue.models import CertificateStatus, ExternalCertificate, LearningRecord
from portal.extensions import db
from portal.people.models import Employee
from tests.browser.conftest import assert_accessible, count, screenshot, sign_in

YEAR = date.today().year
PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


@pytest.fixture(scope="module")
def staff_id(app, live_data):
    with app.app_context():
        return db.session.scalar(sa.select(Employee.id).where(Employee.nip == live_data.staff_nip))


def test_certificate_uploaded_verified_and_counted(page, app, live_server, live_data, staff_id, tmp_path,
                                                   console_errors):
    scan = tmp_path / "sertifikat-kursus.pdf"
    scan.write_bytes(PDF)

    # --- the pegawai uploads a course certificate from the ledger page
    sign_in(page, live_server, live_data.logins["pegawai"])
    page.goto(f"{live_server}/jam-pelajaran/")
    expect(page.get_by_role("heading", name="Jam pelajaran saya")).to_be_visible()
    expect(page.locator("#jp-progress-text")).to_contain_text("0 dari 20 JP")
    page.get_by_role("link", name="Unggah sertifikat").click()
    expect(page.get_by_role("heading", name="Unggah sertifikat eksternal")).to_be_visible()
    assert_accessible(page, "certificate form")
    page.get_by_label("Jenis riwayat").select_option("kursus")
    page.get_by_label("Nama diklat / kursus").fill("Kursus Pelayanan Prima")
    page.get_by_label("Nomor sertifikat").fill("KPP/2026/118")
    page.get_by_label("Penyelenggara").fill("Lembaga Administrasi Negara")
    page.get_by_label("Tanggal sertifikat").fill(f"{YEAR}-01-20")
    page.get_by_label("Tanggal mulai").fill(f"{YEAR}-01-15")
    page.get_by_label("Tanggal selesai").fill(f"{YEAR}-01-10")  # before the start: refused
    page.get_by_label("Jumlah jam pelajaran (JP)").fill("12")
    page.get_by_label("Pindaian sertifikat").set_input_files(str(scan))
    page.get_by_role("button", name="Simpan dan kirim untuk verifikasi").click()
    expect(page.get_by_text("Isi jenis kursus.")).to_be_visible()
    assert count(app, ExternalCertificate) == 0
    page.get_by_label("Jenis kursus").fill("Pelayanan publik")
    page.get_by_label("Tanggal selesai").fill(f"{YEAR}-01-19")
    page.get_by_label("Pindaian sertifikat").set_input_files(str(scan))  # a file input never comes back filled
    screenshot(page, "learning-certificate-form")
    page.get_by_role("button", name="Simpan dan kirim untuk verifikasi").click()
    expect(page.get_by_text("Sertifikat Kursus Pelayanan Prima dikirim.")).to_be_visible()
    expect(page.locator("#certificates")).to_contain_text("Menunggu verifikasi")
    assert count(app, ExternalCertificate, ExternalCertificate.status == CertificateStatus.SUBMITTED) == 1
    page.context.clear_cookies()

    # --- BKPSDM verifies it from the queue
    sign_in(page, live_server, live_data.logins["bkpsdm"])
    page.goto(f"{live_server}/jam-pelajaran/verifikasi")
    expect(page.locator("#queue")).to_contain_text("Agus Prasetyo")
    expect(page.locator("#queue").get_by_role("link", name="Unduh Kursus Pelayanan Prima")).to_be_visible()
    assert_accessible(page, "verification queue")
    screenshot(page, "learning-queue")
    page.get_by_role("link", name="Periksa Kursus Pelayanan Prima").click()
    expect(page.get_by_role("heading", name="Kursus Pelayanan Prima")).to_be_visible()
    assert_accessible(page, "certificate page (BKPSDM)")
    screenshot(page, "learning-certificate-verify")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh sertifikat-kursus.pdf").click()
    assert download.value.suggested_filename == "sertifikat-kursus.pdf"
    page.get_by_role("button", name="Verifikasi dan catat JP").click()
    expect(page.get_by_text("12 JP dicatat untuk Agus Prasetyo")).to_be_visible()
    expect(page.get_by_text("Tidak ada sertifikat yang menunggu verifikasi")).to_be_visible()
    assert count(app, LearningRecord, LearningRecord.employee_id == staff_id) == 1
    page.context.clear_cookies()

    # --- the pegawai sees the JP in the ledger and the progress on the home page
    sign_in(page, live_server, live_data.logins["pegawai"])
    expect(page.locator("#home-jp")).to_contain_text("12 dari 20 JP; kurang 8 JP lagi.")
    assert_accessible(page, "home with JP progress")
    screenshot(page, "learning-home")
    page.locator("#home-jp").click()
    expect(page.locator("#ledger-lines")).to_contain_text("Kursus Pelayanan Prima")
    expect(page.locator("#ledger-lines")).to_contain_text("Sertifikat eksternal")
    expect(page.locator("#certificates")).to_contain_text("Diverifikasi")
    assert_accessible(page, "ledger")
    screenshot(page, "learning-ledger")
    # the year switch swaps the ledger through htmx
    page.get_by_label("Tahun").select_option(str(YEAR - 1))
    expect(page.locator("#ledger")).to_contain_text(f"Belum ada jam pelajaran tercatat pada {YEAR - 1}")
    assert f"year={YEAR - 1}" in page.url
