"""CSRF: every POST route refuses a request without a valid token, and changes nothing.

The test configuration switches CSRF off; here it is switched on for the test. Each POST route
of the URL map is posted with the body its own form would send (found on the app's pages, so
edit forms go pre-filled and action buttons pressed) minus the token: the answer is 400, no
INSERT/UPDATE/DELETE runs, no table changes size and the session survives. The same body with
the token is then accepted (not 400), which shows the 400 came from the token alone.
"""
import pytest
from werkzeug.datastructures import MultiDict

from portal.auth.models import User
from portal.core.audit import AuditEntry
from portal.core.permissions import PUBLIC, access_of
from portal.extensions import db
from tests.factories import PASSWORD
from tests.security.harness import (
    build_url,
    form_catalogue,
    parse_forms,
    rolled_back,
    routes,
    sample_values,
    table_counts,
)

REFUSED = "Token keamanan formulir tidak valid"
# Whose pages are read for forms: the superadmin sees most, but a plan's owner and its appraiser
# are the only ones shown the forms that act on it.
FORM_READERS = ("superadmin", "pegawai", "supervisor", "bkpsdm")


@pytest.fixture
def csrf_on(app, clients, monkeypatch):
    """CSRF protection on, after the ``clients`` have signed in (restored by monkeypatch)."""
    for role in FORM_READERS + (None,):
        clients[role]  # noqa: B018  (signs in now, while CSRF is still off)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    return clients


def _token(client, path="/"):
    for form in parse_forms(client.get(path).get_data(as_text=True)):
        if form.token:
            return form.token
    raise AssertionError(f"no CSRF token on {path}")


def _targets(app, world, clients):
    """(rule, url, data) per POST route: what a form of the app posts there (most routes have
    one on some page, for one of the FORM_READERS), else an empty body to the route's sample URL."""
    values = sample_values(world)
    catalogue = {}
    for role in FORM_READERS:
        for endpoint, found in form_catalogue(app, clients[role], values).items():
            catalogue.setdefault(endpoint, found)
    out = []
    for rule, _method in routes(app, {"POST"}):
        found = catalogue.get(rule.endpoint)
        if found:
            url, form = found[0]
            out.append((rule, url, form.values()))
        else:
            out.append((rule, build_url(rule, values), []))
    # the pages were read: most POST routes were reached through a form the app renders
    assert len(catalogue) >= len(out) * 2 // 3, sorted(catalogue)
    return out


def _still_signed_in(client):
    response = client.get("/")
    return response.status_code == 200


def test_every_post_route_refuses_a_missing_token(app, world, extra, csrf_on, write_recorder):
    clients = csrf_on
    superadmin, anonymous = clients["superadmin"], clients[None]
    targets = _targets(app, world, clients)
    assert len(targets) >= 10
    failures = []
    for rule, url, data in targets:
        declared = access_of(rule.endpoint, app)
        posters = [("superadmin", superadmin)] + ([("anonymous", anonymous)] if PUBLIC in declared else [])
        for who, client in posters:
            before = table_counts()
            with write_recorder.recording() as writes:
                response = client.post(url, data=MultiDict(data))
            body = response.get_data(as_text=True)
            if response.status_code != 400 or REFUSED not in body:
                failures.append(f"POST {url} as {who} without token: {response.status_code}")
            if writes:
                failures.append(f"POST {url} as {who} without token wrote: {writes}")
            if table_counts() != before:
                failures.append(f"POST {url} as {who} without token changed row counts")
            if "capaian_lang" in response.headers.get("Set-Cookie", ""):
                failures.append(f"POST {url} as {who} without token set the language cookie")
        if not _still_signed_in(superadmin):
            failures.append(f"POST {url} without token ended the superadmin's session")
    assert not failures, "\n".join(failures)


def _signed_in(app, login):
    """A new client signed in through the form, token included (CSRF is on)."""
    client = app.test_client()
    token = _token(client, "/masuk")
    response = client.post("/masuk", data={"login": login, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, f"sign-in as {login} failed"
    return client


def test_the_same_posts_with_a_token_are_accepted(app, world, extra, csrf_on):
    """The control: with the session's token the very same bodies get past the CSRF check.

    Each post gets its own session (signing out, for one, ends it) and its changes are undone.
    """
    login = world.users["superadmin"].login_name
    for rule, url, data in _targets(app, world, csrf_on):
        client = _signed_in(app, login)
        token = _token(client)
        with rolled_back():
            response = client.post(url, data=MultiDict([*data, ("csrf_token", token)]))
        assert response.status_code != 400 and REFUSED not in response.get_data(as_text=True), \
            f"POST {url} ({rule.endpoint}) with a valid token: {response.status_code}"


def test_sign_in_without_token_signs_nobody_in(app, world, csrf_on, write_recorder):
    anonymous = csrf_on[None]
    user = world.users["pegawai"]
    db.session.expire_all()
    last_login = user.last_login_dt
    logins = db.session.query(AuditEntry).filter_by(action="login", actor_id=user.id).count()
    before = table_counts()
    with write_recorder.recording() as writes:
        response = anonymous.post("/masuk", data={"login": user.login_name, "password": PASSWORD})
    assert response.status_code == 400 and REFUSED in response.get_data(as_text=True)
    assert writes == [] and table_counts() == before
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_dt == last_login
    assert db.session.query(AuditEntry).filter_by(action="login", actor_id=user.id).count() == logins
    home = anonymous.get("/")
    assert home.status_code == 302 and "/masuk" in home.headers["Location"]
    # with the form's token, the same credentials sign in
    token = _token(anonymous, "/masuk")
    response = anonymous.post("/masuk", data={"login": user.login_name, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302 and anonymous.get("/").status_code == 200


def test_token_of_another_session_is_refused(app, world, csrf_on):
    superadmin, anonymous = csrf_on["superadmin"], csrf_on[None]
    foreign = _token(anonymous, "/masuk")
    user_id = world.users["pegawai"].id
    response = superadmin.post(f"/akun/{user_id}/status", data={"active": "0", "confirm": "1", "csrf_token": foreign})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, user_id).active is True


def test_token_in_the_htmx_header_is_accepted(app, world, csrf_on):
    """htmx sends the token in X-CSRFToken (set once on <body>); that path works too."""
    client = csrf_on["pegawai"]
    token = _token(client)
    response = client.post("/bahasa", data={"lang": "en"}, headers={"X-CSRFToken": token})
    assert response.status_code == 302 and "capaian_lang=en" in response.headers.get("Set-Cookie", "")
    refused = client.post("/bahasa", data={"lang": "en"}, headers={"X-CSRFToken": token[:-2] + "xx"})
    assert refused.status_code == 400
