"""Notifications in a real browser: the bell's count, the list, opening one, the bell's refresh."""
import pytest
from playwright.sync_api import expect

from portal.auth.models import User
from portal.extensions import db
from portal.notifications import services
from tests.browser.conftest import PHONE, assert_accessible, screenshot, sign_in


def _notify(app, login, kind, url=None, **title_args):
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.employee.has(nip=login)))
        services.notify(user, kind, title_args=title_args, url=url)
        db.session.commit()


@pytest.fixture(scope="module")
def notified(app, live_data):
    login = live_data.logins["pegawai"]
    _notify(app, login, "people.import_committed", filename="lama.csv")
    _notify(app, login, "account.role_granted", role="Admin OPD")
    _notify(app, login, "people.transferred", url="/", unit="Puskesmas Sukamaju")
    return live_data


def test_bell_list_and_opening_one(page, app, live_server, notified, console_errors):
    sign_in(page, live_server, notified.logins["pegawai"])
    bell = page.locator("#notification-bell")
    expect(bell.locator("[data-unread]")).to_have_text("3")
    link = page.get_by_role("link", name="3 notifikasi belum dibaca")
    expect(link).to_be_visible()
    link.click()

    expect(page.get_by_role("heading", name="Notifikasi", level=1)).to_be_visible()
    expect(page.locator("[data-notification]")).to_have_count(3)
    expect(page.locator("[data-notification][data-unread]")).to_have_count(3)
    assert_accessible(page, "notification list")
    screenshot(page, "notifications")

    # Opening the newest marks it read and follows its link (the home page).
    page.get_by_role("button", name="Mutasi Anda ke Puskesmas Sukamaju sudah dicatat").click()
    expect(page.get_by_role("heading", name="Selamat datang", exact=False)).to_be_visible()
    expect(page.locator("#notification-bell [data-unread]")).to_have_text("2")
    expect(page.get_by_role("link", name="2 notifikasi belum dibaca")).to_be_visible()

    # Opening one without a link comes back to the list, one fewer unread.
    page.goto(f"{live_server}/notifikasi/")
    page.get_by_role("button", name="Anda mendapat peran Admin OPD").click()
    expect(page.locator("[data-notification][data-unread]")).to_have_count(1)
    expect(page.locator("#notification-bell [data-unread]")).to_have_text("1")

    page.get_by_role("button", name="Tandai semua sudah dibaca").click()
    expect(page.get_by_text("1 notifikasi ditandai sudah dibaca.")).to_be_visible()
    expect(page.locator("#notification-bell [data-unread]")).to_have_count(0)
    expect(page.get_by_role("link", name="Notifikasi", exact=True)).to_be_visible()
    assert_accessible(page, "notification list, all read")


def test_bell_refreshes_itself_every_minute(page, app, live_server, notified, console_errors):
    with app.app_context():
        services.mark_all_read(db.session.scalar(db.select(User).where(
            User.employee.has(nip=notified.logins["pegawai"]))))
        db.session.commit()
    page.clock.install()
    sign_in(page, live_server, notified.logins["pegawai"])
    expect(page.locator("#notification-bell [data-unread]")).to_have_count(0)
    _notify(app, notified.logins["pegawai"], "people.import_committed", filename="baru.csv")
    page.clock.run_for(61_000)
    expect(page.locator("#notification-bell [data-unread]")).to_have_text("1")
    expect(page.get_by_role("link", name="1 notifikasi belum dibaca")).to_be_visible()


def test_bell_is_visible_on_a_phone_without_opening_the_menu(page, live_server, notified, console_errors):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, notified.logins["pegawai"])
    expect(page.locator("#notification-bell a")).to_be_visible()
    expect(page.locator("#mainnav")).not_to_be_visible()
    assert_accessible(page, "home on a phone")


def test_superadmin_reads_the_stored_email(page, app, live_server, notified, console_errors):
    with app.app_context():
        employee_user = db.session.scalar(db.select(User).where(User.employee.has(nip=notified.staff_nip)))
        employee_user.employee.email = "agus@example.go.id"
        services.notify(employee_user, "account.role_revoked", title_args={"role": "BKPSDM"})
        db.session.commit()
    sign_in(page, live_server, notified.logins["superadmin"])
    page.goto(f"{live_server}/notifikasi/")
    page.get_by_role("link", name="E-mail tersimpan").click()
    expect(page.get_by_role("cell", name="agus@example.go.id")).to_be_visible()
    assert_accessible(page, "outbox")
    page.get_by_role("link", name="[Capaian] Peran BKPSDM Anda dicabut").click()
    expect(page.locator("pre")).to_contain_text("Yth. Agus Prasetyo")
    assert_accessible(page, "stored e-mail")
    screenshot(page, "notifications-email")
