"""User journeys in a real browser: sign in per role, search the directory."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, screenshot, sign_in

NAV_EXPECTED = {
    "pegawai": {"Beranda", "Kinerja", "Evaluasi", "Pengembangan", "Pegawai", "Unit kerja"},
    "supervisor": {"Beranda", "Kinerja", "Evaluasi", "Pengembangan", "Pegawai", "Unit kerja"},
    "admin_opd": {"Beranda", "Kinerja", "Evaluasi", "Pengembangan", "Pegawai", "Unit kerja"},
    "bkpsdm": {"Beranda", "Kinerja", "Evaluasi", "Pengembangan", "Pegawai", "Unit kerja", "Impor SIASN", "Jejak audit"},
    "pimpinan": {"Beranda", "Kinerja", "Evaluasi", "Pengembangan", "Pegawai", "Unit kerja"},
    "superadmin": {"Beranda", "Kinerja", "Evaluasi", "Pengembangan", "Pegawai", "Unit kerja", "Impor SIASN",
                   "Akun & peran", "Jejak audit"},
}


def test_sign_in_page_is_accessible(page, live_server, live_data, console_errors):
    page.goto(f"{live_server}/masuk")
    expect(page.get_by_role("heading", name="Masuk ke Capaian")).to_be_visible()
    assert_accessible(page, "sign-in")
    screenshot(page, "sign-in")


def test_wrong_password_shows_message(page, live_server, live_data, console_errors):
    sign_in(page, live_server, live_data.logins["pegawai"], "salah-kata-sandi")
    expect(page.get_by_text("NIP/nama pengguna atau kata sandi salah.")).to_be_visible()
    assert_accessible(page, "sign-in error")


@pytest.mark.parametrize("role", sorted(NAV_EXPECTED))
def test_each_role_signs_in_and_sees_its_navigation(page, live_server, live_data, console_errors, role):
    sign_in(page, live_server, live_data.logins[role])
    expect(page.get_by_role("heading", name=re.compile("Selamat datang"))).to_be_visible()
    nav = page.get_by_role("navigation", name="Navigasi utama")
    links = {t.strip() for t in nav.locator("#mainnav .navbar-nav.me-auto .nav-link").all_inner_texts()}
    assert links == NAV_EXPECTED[role]
    assert_accessible(page, f"home as {role}")
    if role in ("pegawai", "superadmin"):
        screenshot(page, f"home-{role}")
    # sign out through the menu (a POST form)
    nav.locator("#account-menu").click()
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_text("Anda sudah keluar.")).to_be_visible()


def test_directory_live_search(page, live_server, live_data, console_errors):
    sign_in(page, live_server, live_data.logins["pegawai"])
    page.goto(f"{live_server}/pegawai/")
    expect(page.locator("#result-count")).to_contain_text("pegawai ditemukan")
    assert_accessible(page, "directory")
    screenshot(page, "directory")
    page.get_by_label("Cari nama atau NIP").press_sequentially("nurha", delay=30)
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Siti Nurhaliza")
    assert "q=nurha" in page.url  # the search is in the address bar (hx-push-url)
    # filter by unit keeps working together with the text
    page.get_by_label("Cari nama atau NIP").fill("")
    select = page.get_by_label("Unit kerja (termasuk sub-unit)")
    option = select.locator("option", has_text="Dinas Kesehatan").get_attribute("value")
    select.select_option(value=option)
    expect(page.locator("#result-count")).to_contain_text("9 pegawai ditemukan")  # with its Puskesmas
    page.locator("#results").get_by_role("link", name="Siti Nurhaliza", exact=True).click()
    expect(page.get_by_role("heading", name="Siti Nurhaliza")).to_be_visible()
    assert_accessible(page, "profile")
    screenshot(page, "profile")


def test_directory_works_without_javascript(browser, live_server, live_data):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, live_data.logins["pegawai"])
    page.goto(f"{live_server}/pegawai/")
    page.get_by_label("Cari nama atau NIP").fill("Rahmat")
    page.get_by_role("button", name="Cari").click()
    expect(page.locator("#results tbody tr")).to_have_count(1)
    context.close()
