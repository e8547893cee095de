"""Signing in and out, passwords, one-time passwords, rate limiting, session protection."""
import pytest
import sqlalchemy as sa

from portal.auth import services
from portal.core.audit import AuditEntry
from portal.extensions import db, limiter
from tests.factories import PASSWORD


def _login(client, login, password=PASSWORD, **kw):
    return client.post("/masuk", data={"login": login, "password": password}, **kw)


def test_sign_in_with_grouped_nip(app, world):
    client = app.test_client()
    nip = world.staff_a1.nip
    grouped = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    response = _login(client, grouped)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Staf Alpha" in client.get("/").get_data(as_text=True)


def test_sign_in_with_username_is_case_insensitive(app, world):
    assert _login(app.test_client(), "SuperAdmin").status_code == 302


def test_wrong_password_re_renders_with_message(app, world):
    response = _login(app.test_client(), world.staff_a1.nip, "salah-sekali")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "NIP/nama pengguna atau kata sandi salah." in page
    assert 'value="salah-sekali"' not in page  # the password is never echoed back


def test_next_parameter_only_goes_to_this_site(app, world):
    client = app.test_client()
    assert _login(client, "superadmin", query_string={"next": "/pegawai/"}).headers["Location"] == "/pegawai/"
    client = app.test_client()
    assert _login(client, "superadmin", query_string={"next": "https://evil.example/"}).headers["Location"] == "/"
    client = app.test_client()
    assert _login(client, "superadmin", query_string={"next": "//evil.example/"}).headers["Location"] == "/"


def test_inactive_account_cannot_sign_in(app, world):
    services.set_account_active(world.users["pegawai"], False)
    db.session.flush()
    assert _login(app.test_client(), world.staff_a1.nip).status_code == 200


def test_logout_is_post_only(app, world, login_as):
    client = login_as("pegawai")
    assert client.get("/keluar").status_code == 405
    assert client.get("/").status_code == 200
    response = client.post("/keluar")
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # back to the sign-in page


def test_anonymous_is_redirected_to_sign_in_with_next(app):
    response = app.test_client().get("/pegawai/?q=budi")
    assert response.status_code == 302
    assert "/masuk?next=" in response.headers["Location"]


def test_htmx_request_of_anonymous_gets_hx_redirect(app):
    response = app.test_client().get("/pegawai/", headers={"HX-Request": "true"})
    assert response.status_code == 204 and "/masuk" in response.headers["HX-Redirect"]


def test_change_password_flow(app, world, login_as):
    client = login_as("pegawai")
    bad = client.post("/akun/kata-sandi", data={"current_password": "keliru", "new_password": "Baru-Sekali-99",
                                                "confirm_password": "Baru-Sekali-99"})
    assert "Kata sandi saat ini salah." in bad.get_data(as_text=True)
    weak = client.post("/akun/kata-sandi", data={"current_password": PASSWORD, "new_password": "12345678901",
                                                 "confirm_password": "12345678901"})
    assert "campuran" in weak.get_data(as_text=True)
    ok = client.post("/akun/kata-sandi", data={"current_password": PASSWORD, "new_password": "Baru-Sekali-99",
                                               "confirm_password": "Baru-Sekali-99"})
    assert ok.status_code == 302
    assert client.get("/").status_code == 200  # this session continues
    assert _login(app.test_client(), world.staff_a1.nip, "Baru-Sekali-99").status_code == 302


def test_password_change_ends_other_sessions(app, world, login_as):
    other = login_as("pegawai")
    client = login_as("pegawai")
    client.post("/akun/kata-sandi", data={"current_password": PASSWORD, "new_password": "Baru-Sekali-99",
                                          "confirm_password": "Baru-Sekali-99"})
    assert other.get("/").status_code == 302


def test_one_time_password_must_be_changed_first(app, world):
    user = world.users["pegawai"]
    otp = services.reset_password(user)
    db.session.flush()
    client = app.test_client()
    response = _login(client, world.staff_a1.nip, otp)
    assert response.headers["Location"].endswith("/akun/kata-sandi")
    for path in ("/", "/pegawai/", f"/pegawai/{world.staff_a1.id}"):
        assert client.get(path).headers["Location"].endswith("/akun/kata-sandi")
    client.post("/akun/kata-sandi", data={"current_password": otp, "new_password": "Milik-Saya-2026",
                                          "confirm_password": "Milik-Saya-2026"})
    assert client.get("/").status_code == 200
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "reset_password"))


@pytest.fixture
def strict_limit(app):
    app.config["LOGIN_LIMIT"] = "5 per minute"
    limiter.reset()
    yield
    app.config["LOGIN_LIMIT"] = "10000 per minute"
    limiter.reset()


def test_login_rate_limited_per_account(app, world, strict_limit):
    nip = world.staff_a1.nip
    for i in range(5):  # five failures from five addresses
        response = _login(app.test_client(), nip, "salah", environ_base={"REMOTE_ADDR": f"10.0.0.{i}"})
        assert response.status_code == 200
    blocked = _login(app.test_client(), nip, PASSWORD, environ_base={"REMOTE_ADDR": "10.0.0.99"})
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan masuk" in blocked.get_data(as_text=True)
    # another account from the same address is not affected
    assert _login(app.test_client(), "superadmin", environ_base={"REMOTE_ADDR": "10.0.0.99"}).status_code == 302


def test_login_rate_limited_per_address(app, world, strict_limit):
    for i in range(5):
        _login(app.test_client(), f"tidakada{i}", "salah", environ_base={"REMOTE_ADDR": "10.1.1.1"})
    blocked = _login(app.test_client(), "superadmin", environ_base={"REMOTE_ADDR": "10.1.1.1"})
    assert blocked.status_code == 429


def test_successful_logins_do_not_count(app, world, strict_limit):
    for _ in range(7):
        assert _login(app.test_client(), "superadmin").status_code == 302


def test_session_cookie_flags(app, world):
    response = _login(app.test_client(), "superadmin")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_strong_session_protection_drops_a_stolen_cookie(app, world):
    client = app.test_client()
    _login(client, "superadmin", headers={"User-Agent": "Firefox/140"})
    assert client.get("/", headers={"User-Agent": "Firefox/140"}).status_code == 200
    # the same cookie from another browser: the session is dropped
    assert client.get("/", headers={"User-Agent": "curl/8"}).status_code == 302
