"""GET changes nothing: no INSERT, UPDATE or DELETE runs while any role opens any page.

Every GET route of the URL map is opened by every role (and anonymously) with a real object per
id argument (else the permission matrix's sample values), as a full page and as an htmx request,
lists also with a page number; the statements the engine runs are recorded. Signing in itself
(a POST) happens before recording starts. (test_object_access.py records the GETs it makes of
every object too.)
"""
import pytest

from portal.extensions import db
from tests.security.harness import ROLES, WriteRecorder, routes, sample_urls, sample_values


def _variants(rule, url):
    yield url, {}
    yield url, {"HX-Request": "true"}
    if not rule.arguments:
        yield url + ("&" if "?" in url else "?") + "page=2", {}


@pytest.mark.parametrize("role", [None, *ROLES], ids=lambda r: r or "anonymous")
def test_get_writes_nothing(app, world, extra, clients, role):
    client = clients[role]
    values = sample_values(world)
    urls = [(rule, url) for rule, _m in routes(app, {"GET"}) for url in sample_urls(app, rule, values, limit=1)]
    failures, opened = [], 0
    with WriteRecorder(db.engine) as recorder:
        for rule, url in urls:
            for target, headers in _variants(rule, url):
                with recorder.recording() as writes:
                    response = client.get(target, headers=headers)
                opened += 1
                if writes:
                    failures.append(f"GET {target} {headers or ''} as {role or 'anonymous'} wrote: {writes}")
                if response.status_code >= 500:
                    failures.append(f"GET {target} {headers or ''} as {role or 'anonymous'}: {response.status_code}")
    assert opened > 30
    assert not failures, "\n".join(failures)


def test_the_recorder_sees_writes(app, world, clients):
    """The control: a POST that changes data is seen, so silence above means something."""
    with WriteRecorder(db.engine) as recorder, recorder.recording() as writes:
        clients["pegawai"].post("/bahasa", data={"lang": "en"})  # stores the signed-in user's locale
    assert any(w.upper().startswith("UPDATE USER_ACCOUNT") for w in writes), writes
