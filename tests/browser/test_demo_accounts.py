"""The demo kabupaten that `make run` serves: every demo account signs in and sees its navigation."""
import re

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.people.seeding import DEMO_PASSWORD, build_demo
from tests.browser.conftest import assert_accessible, screenshot, sign_in, wipe_database

ACCOUNTS = {  # login → (role title shown on the home page, navigation it must see)
    "superadmin": ("Superadmin", {"Beranda", "Kinerja", "Evaluasi", "Pengembangan", "Pegawai", "Unit kerja", "Impor SIASN",
                                  "Akun & peran", "Jejak audit"}),
    "198509172010012004": ("BKPSDM", {"Beranda", "Kinerja", "Evaluasi", "Pengembangan", "Pegawai", "Unit kerja", "Impor SIASN",
                                       "Jejak audit"}),
    "196903141994031002": ("Pimpinan", {"Beranda", "Kinerja", "Evaluasi", "Pengembangan", "Pegawai", "Unit kerja"}),
    "199102232015032001": ("Admin OPD", {"Beranda", "Kinerja", "Evaluasi", "Pengembangan", "Pegawai", "Unit kerja"}),
    "198206052009121003": ("Pegawai", {"Beranda", "Kinerja", "Evaluasi", "Pengembangan", "Pegawai", "Unit kerja"}),
    "199608112020032005": ("Pegawai", {"Beranda", "Kinerja", "Evaluasi", "Pengembangan", "Pegawai", "Unit kerja"}),
}


@pytest.fixture(scope="module")
def demo(app):
    wipe_database(app)
    with app.app_context():
        build_demo()
        db.session.commit()
    yield
    wipe_database(app)


@pytest.mark.parametrize("login", list(ACCOUNTS))
def test_demo_account_signs_in(page, live_server, demo, console_errors, login):
    role_title, nav_expected = ACCOUNTS[login]
    sign_in(page, live_server, login, DEMO_PASSWORD)
    expect(page.get_by_role("heading", name=re.compile("Selamat datang"))).to_be_visible()
    expect(page.locator("main .badge", has_text=role_title).first).to_be_visible()
    links = {t.strip() for t in page.locator("#mainnav .navbar-nav.me-auto .nav-link").all_inner_texts()}
    assert links == nav_expected
    assert_accessible(page, f"demo home {login}")


def test_supervisor_sees_subordinates_on_profile(page, live_server, demo, console_errors):
    sign_in(page, live_server, "198206052009121003", DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("Andi Pratama")).click()
    page.get_by_role("link", name="Profil saya", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Bawahan langsung"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Siti Rahmawati"))).to_be_visible()
    assert_accessible(page, "supervisor profile")
    screenshot(page, "demo-profile-supervisor")


def test_directory_with_demo_data(page, live_server, demo, console_errors):
    sign_in(page, live_server, "198509172010012004", DEMO_PASSWORD)
    page.goto(f"{live_server}/pegawai/")
    expect(page.locator("#result-count")).to_contain_text("300 pegawai ditemukan")
    assert_accessible(page, "demo directory")
    screenshot(page, "demo-directory")
    page.get_by_label("Cari nama atau NIP").press_sequentially("Rahmawati", delay=20)
    expect(page.locator("#results")).to_contain_text("Siti Rahmawati")
