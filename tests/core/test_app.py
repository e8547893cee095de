"""Configuration, health check, error pages, language choice and security headers."""
import pytest

from portal import create_app
from portal.core.permissions import AUTHENTICATED, allow


def test_production_refuses_to_start_without_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"ENV_NAME": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with pytest.raises(RuntimeError, match="too short"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": "short", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_environment_overrides_config(monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANSI_NAME", "Pemerintah Kota Uji")
    monkeypatch.setenv("PORTAL_PER_PAGE", "7")
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["INSTANSI_NAME"] == "Pemerintah Kota Uji"
    assert app.config["PER_PAGE"] == 7


def test_development_keeps_a_generated_secret(tmp_path, monkeypatch):
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    app = create_app({"ENV_NAME": "development", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    again = create_app({"ENV_NAME": "development", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert len(app.config["SECRET_KEY"]) >= 32
    assert app.config["SECRET_KEY"] == again.config["SECRET_KEY"]


def test_production_cookies_are_secure():
    app = create_app({"ENV_NAME": "production", "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.live  # uses its own app and engine, outside the test transaction
def test_healthz_503_when_database_unreachable():
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI":
                      "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "error", "database": "unreachable"}


def test_sqlite_has_foreign_keys_and_wal(app):
    from portal.extensions import db
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_404_page_in_bahasa_and_htmx_fragment(app, login_as):
    client = login_as("pegawai")
    page = client.get("/tidak-ada")
    assert page.status_code == 404 and "Halaman tidak ditemukan" in page.get_data(as_text=True)
    fragment = client.get("/tidak-ada", headers={"HX-Request": "true"})
    assert fragment.status_code == 404
    assert "<html" not in fragment.get_data(as_text=True)
    assert fragment.headers["HX-Retarget"] == "#htmx-alerts"


def test_403_page(app, login_as):
    response = login_as("pegawai").get("/akun/")
    assert response.status_code == 403 and "Akses ditolak" in response.get_data(as_text=True)


def test_500_page_does_not_leak_details():
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://", "PROPAGATE_EXCEPTIONS": False})

    @app.get("/meledak")
    @allow(AUTHENTICATED)
    def boom():  # pragma: no cover - replaced by the handler
        raise ZeroDivisionError("rahasia internal")

    # Anonymous users are redirected before the view: sign the route public for this check.
    boom.__access__ = frozenset(["public"])
    response = app.test_client().get("/meledak")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Terjadi kesalahan" in body and "rahasia internal" not in body


def test_security_headers(app):
    response = app.test_client().get("/masuk")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_language_choice_is_remembered(app):
    client = app.test_client()
    assert '<html lang="id">' in client.get("/masuk").get_data(as_text=True)
    response = client.post("/bahasa", data={"lang": "en"}, headers={"Referer": "http://localhost/masuk"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/masuk")
    page = client.get("/masuk").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Sign in to Capaian" in page
    client.post("/bahasa", data={"lang": "xx"})
    assert '<html lang="en">' in client.get("/masuk").get_data(as_text=True)


def test_language_switch_ignores_foreign_referrer(app):
    response = app.test_client().post("/bahasa", data={"lang": "id"},
                                      headers={"Referer": "https://evil.example/x"})
    assert response.headers["Location"] == "/"


def test_page_titles_are_plain_text(app, login_as):
    import re
    client = login_as("pegawai")
    for path in ("/", "/pegawai/", "/akun/kata-sandi"):
        page = client.get(path).get_data(as_text=True)
        title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
        assert "<" not in title and title.strip().endswith("Capaian"), (path, title)
