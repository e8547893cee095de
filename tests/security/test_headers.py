"""Security headers on every response, and the flags of the cookies the portal sets.

Every GET route of the URL map (as superadmin, as a pegawai who meets 403s, anonymously to meet
redirects; full page and htmx), the error pages (400, 403, 404, 405, 413, 500) and every static
file carry a Content-Security-Policy without inline scripts that forbids framing, ``nosniff``
and a Referrer-Policy; HSTS exactly when configured. The session cookie is HttpOnly and
SameSite=Lax everywhere and Secure in production (a second app, same database).
"""
import os

import pytest
from werkzeug.datastructures import MultiDict

from portal import create_app
from tests.factories import PASSWORD
from tests.security.harness import parse_forms, routes, sample_urls, sample_values

REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
PRODUCTION_KEY = "k3y-" * 16  # 64 characters


def csp_directives(value):
    out = {}
    for part in (value or "").split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = [w.lower() for w in words[1:]]
    return out


def header_problems(response, *, hsts=False):
    problems = []
    csp = csp_directives(response.headers.get("Content-Security-Policy"))
    scripts = csp.get("script-src", csp.get("default-src"))
    if not scripts:
        problems.append("no script-src/default-src in CSP")
    elif {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"} & set(scripts):
        problems.append(f"script-src too wide: {scripts}")
    if csp.get("frame-ancestors") != ["'none'"]:
        problems.append(f"frame-ancestors is {csp.get('frame-ancestors')}")
    if csp.get("object-src", csp.get("default-src")) not in (["'none'"], ["'self'"]):
        problems.append("object-src not restricted")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if response.headers.get("Referrer-Policy") not in REFERRER_POLICIES:
        problems.append(f"Referrer-Policy {response.headers.get('Referrer-Policy')!r}")
    sts = response.headers.get("Strict-Transport-Security")
    if hsts and not (sts and "max-age=" in sts and int(sts.split("max-age=")[1].split(";")[0]) >= 15_552_000):
        problems.append(f"HSTS missing or short: {sts!r}")
    if not hsts and sts:
        problems.append("HSTS sent although not configured")
    return problems


def static_paths(app):
    """Every file the app serves from a static folder (its own and the blueprints')."""
    folders = [("/static", app.static_folder)]
    folders += [(bp.static_url_path or f"/{bp.name}/static", bp.static_folder)
                for bp in app.blueprints.values() if bp.static_folder]
    for prefix, folder in folders:
        for dirpath, _dirs, files in os.walk(folder):
            for name in files:
                rel = os.path.relpath(os.path.join(dirpath, name), folder).replace(os.sep, "/")
                yield f"{prefix}/{rel}"


def _error_responses(app, clients, monkeypatch):
    """One response per error page, full and htmx."""
    out = []
    for headers in ({}, {"HX-Request": "true"}):
        out.append(("403", clients["pegawai"].get("/akun/", headers=headers)))
        out.append(("404", clients["pegawai"].get("/tidak-ada", headers=headers)))
        out.append(("405", clients["pegawai"].get("/keluar", headers=headers)))
    with monkeypatch.context() as m:
        m.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)
        out.append(("413", clients["superadmin"].post("/unit/baru", data={"name": "x" * 5000})))
    with monkeypatch.context() as m:
        m.setitem(app.config, "WTF_CSRF_ENABLED", True)
        out.append(("400", clients["pegawai"].post("/bahasa", data={"lang": "en"})))
    with monkeypatch.context() as m:
        def boom():
            raise ZeroDivisionError("boom")
        boom.__access__ = frozenset(["public"])
        m.setitem(app.view_functions, "core.healthz", boom)
        m.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
        for headers in ({}, {"HX-Request": "true"}):
            out.append(("500", clients[None].get("/healthz", headers=headers)))
    assert all(str(r.status_code) == label for label, r in out), [(label, r.status_code) for label, r in out]
    return out


def _all_responses(app, world, clients, monkeypatch):
    values = sample_values(world)
    urls = [url for rule, _m in routes(app, {"GET"}) for url in sample_urls(app, rule, values, limit=1)]
    out = []
    for role in ("superadmin", "pegawai", None):
        for url in urls:
            for headers in ({}, {"HX-Request": "true"}):
                out.append((f"GET {url} as {role or 'anonymous'} {headers or ''}",
                            clients[role].get(url, headers=headers)))
    out += [(f"error page {label}", r) for label, r in _error_responses(app, clients, monkeypatch)]
    out += [(f"static {path}", clients[None].get(path)) for path in static_paths(app)]
    return out


@pytest.mark.parametrize("hsts", [False, True], ids=["no-hsts", "hsts"])
def test_every_response_carries_the_security_headers(app, world, clients, monkeypatch, hsts):
    monkeypatch.setitem(app.config, "HSTS", hsts)
    responses = _all_responses(app, world, clients, monkeypatch)
    statuses = {r.status_code for _label, r in responses}
    assert {200, 302, 403, 404}.issubset(statuses), statuses
    assert sum(1 for label, r in responses if label.startswith("static") and r.status_code == 200) >= 3
    failures = []
    for label, response in responses:
        response.close()
        problems = header_problems(response, hsts=hsts)
        if problems:
            failures.append(f"{label} ({response.status_code}): {problems}")
    assert not failures, "\n".join(failures)


def _cookie(response, name):
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            attributes = {part.strip().split("=")[0].lower(): part.strip() for part in header.split(";")[1:]}
            return attributes
    return None


def test_session_cookie_is_httponly_and_lax(app, world):
    client = app.test_client()
    response = client.post("/masuk", data={"login": world.users["pegawai"].login_name, "password": PASSWORD})
    assert response.status_code == 302
    cookie = _cookie(response, app.config.get("SESSION_COOKIE_NAME", "session"))
    assert cookie is not None, response.headers.getlist("Set-Cookie")
    assert "httponly" in cookie and cookie.get("samesite", "").lower() == "samesite=lax"
    assert "secure" not in cookie  # testing runs over plain http


@pytest.fixture
def production_app(app):
    """The same code and database, configured as in production (Secure cookies, CSRF on).

    Its requests use the test's transaction too (tests/conftest.py replaces the shared session).
    """
    prod = create_app({"ENV_NAME": "production", "SECRET_KEY": PRODUCTION_KEY,
                       "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                       "STORAGE_ROOT": app.config["STORAGE_ROOT"], "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                       "LOGIN_LIMIT": "10000 per minute", "JOBS_IMMEDIATE": True})
    prod.test_client_class = app.test_client_class
    assert prod.config["SESSION_COOKIE_SECURE"] and prod.config["WTF_CSRF_ENABLED"]
    return prod


def test_production_cookies_are_secure(production_app, world):
    client = production_app.test_client()
    # Over HTTPS Flask-WTF also checks that the Referer is this site (browsers send it: same-origin).
    https = {"base_url": "https://localhost", "headers": {"Referer": "https://localhost/masuk"}}
    page = client.get("/masuk", **https)
    token = next(f.token for f in parse_forms(page.get_data(as_text=True)) if f.token)
    user = world.users["pegawai"]
    response = client.post("/masuk", data={"login": user.login_name, "password": PASSWORD, "csrf_token": token},
                           **https)
    assert response.status_code == 302 and not response.headers["Location"].endswith("/masuk")
    session = _cookie(response, production_app.config.get("SESSION_COOKIE_NAME", "session"))
    assert session is not None
    assert {"secure", "httponly"} <= set(session) and session["samesite"].lower() == "samesite=lax"
    home = client.get("/", **https)
    assert home.status_code == 200 and not header_problems(home)
    token = next(f.token for f in parse_forms(home.get_data(as_text=True)) if f.token)
    chosen = client.post("/bahasa", data=MultiDict({"lang": "en", "csrf_token": token}), **https)
    lang = _cookie(chosen, "capaian_lang")
    assert lang is not None and {"secure", "httponly"} <= set(lang) and lang["samesite"].lower() == "samesite=lax"
