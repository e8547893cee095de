"""The SKP journey in a real browser: draft, submit, return with a reason, fix, approve."""
from datetime import date

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from tests.browser.conftest import assert_accessible, screenshot, sign_in


@pytest.fixture(scope="module")
def open_year(app, live_data):
    from tests.plans.sample import make_period
    with app.app_context():
        make_period(date.today().year)
        db.session.commit()
    return date.today().year


def _add_result(page, text, iki, target):
    page.get_by_role("link", name="Tambah RHK utama").click()
    page.get_by_role("textbox", name="Rencana hasil kerja (RHK)").fill(text)
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("RHK sudah ditambahkan")).to_be_visible()
    page.get_by_role("link", name="Tambah IKI").last.click()
    page.get_by_role("textbox", name="Indikator kinerja individu (IKI)").fill(iki)
    page.get_by_label("Target (angka)").fill(target)
    page.get_by_label("Satuan", exact=True).fill("dokumen")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("IKI sudah disimpan")).to_be_visible()


def test_plan_journey(page, live_server, live_data, open_year, console_errors):
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_server, live_data.logins["pegawai"])
    page.goto(f"{live_server}/skp/")
    assert_accessible(page, "plan list")
    page.get_by_role("link", name="Buat SKP").first.click()
    page.get_by_role("button", name="Buat draf SKP").click()
    expect(page.get_by_role("heading", name=f"SKP {open_year}")).to_be_visible()
    # a bad target is refused on the field, in place
    page.get_by_role("link", name="Tambah RHK utama").click()
    page.get_by_role("textbox", name="Rencana hasil kerja (RHK)").fill("Surat masuk terdistribusi")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_role("link", name="Tambah IKI").click()
    page.get_by_role("textbox", name="Indikator kinerja individu (IKI)").fill("Jumlah surat")
    page.get_by_label("Target (angka)").fill("0")
    page.get_by_label("Satuan", exact=True).fill("surat")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Target harus lebih besar dari nol.")).to_be_visible()
    page.get_by_label("Target (angka)").fill("1200")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("IKI sudah disimpan")).to_be_visible()
    _add_result(page, "Arsip dinas tertata", "Jumlah berkas diarsipkan", "300")
    assert_accessible(page, "plan draft")
    screenshot(page, "plan-draft")
    page.get_by_role("button", name="Ajukan ke penilai").click()
    expect(page.get_by_text("SKP sudah diajukan")).to_be_visible()
    plan_url = page.url

    supervisor = page.context.browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    boss = supervisor.new_page()
    boss.on("dialog", lambda dialog: dialog.accept())
    sign_in(boss, live_server, live_data.logins["supervisor"])
    boss.goto(plan_url)
    boss.get_by_role("link", name="Kembalikan").click()
    boss.get_by_label("Alasan pengembalian").fill("Tambahkan aspek waktu untuk surat masuk.")
    boss.get_by_role("button", name="Kembalikan SKP").click()
    expect(boss.get_by_text("SKP sudah dikembalikan")).to_be_visible()

    page.goto(plan_url)
    expect(page.locator(".return-reason")).to_have_text("Tambahkan aspek waktu untuk surat masuk.")
    page.get_by_role("link", name="Tambah IKI").first.click()
    page.get_by_label("Aspek", exact=True).select_option("waktu")
    page.get_by_role("textbox", name="Indikator kinerja individu (IKI)").fill("Surat didistribusikan paling lama")
    page.get_by_label("Target (angka)").fill("1")
    page.get_by_label("Satuan", exact=True).fill("hari")
    page.get_by_label("Arah", exact=True).select_option("turun")
    page.get_by_label("Realisasi bulanan").select_option("rata_rata")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("IKI sudah disimpan")).to_be_visible()
    page.get_by_role("button", name="Ajukan ke penilai").click()
    expect(page.get_by_text("SKP sudah diajukan")).to_be_visible()

    boss.goto(plan_url)
    boss.get_by_role("button", name="Setujui SKP").click()
    expect(boss.get_by_text("SKP sudah disetujui")).to_be_visible()
    supervisor.close()

    page.goto(plan_url)
    expect(page.locator(".plan-status")).to_have_text("Disetujui")
    expect(page.get_by_text("seperti saat SKP disetujui")).to_be_visible()
    expect(page.locator("#h-penilai + dl")).to_contain_text("Sri Wahyuni")
    assert_accessible(page, "approved plan")
    screenshot(page, "plan-approved")
    page.goto(f"{live_server}/skp/")
    expect(page.get_by_text("Disetujui")).to_be_visible()
    screenshot(page, "plan-list")
