"""The concurrency helper against a real gunicorn (4 sync workers) on PostgreSQL or MariaDB.

A database of its own is created next to the test database, migrated and seeded with the demo
(``flask db upgrade``, ``flask seed demo --yes``, as an operator would), then served in
production mode. Simultaneous health checks, sign-in pages and sign-ins must all succeed.
SQLite is skipped: several processes writing one file is not what production runs.
"""
import os
import re

import pytest
import sqlalchemy as sa

from portal.people.seeding import DEMO_PASSWORD
from tests.utils.concurrency import Request, fire, flask_cli, gunicorn_server, send

pytestmark = pytest.mark.live  # its own database and processes: no test transaction

# Demo accounts (see tests/browser/test_demo_accounts.py): the superadmin and one per role.
DEMO_LOGINS = ["superadmin", "198509172010012004", "196903141994031002", "199102232015032001",
               "198206052009121003", "199608112020032005"]
TOKEN = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')


def _admin_engine(url):
    return sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    """Files the portal writes (uploads, the job queue) go to a temporary folder, not instance/."""
    folder = tmp_path_factory.mktemp("concurrency")
    return {"PORTAL_STORAGE_ROOT": folder / "storage", "PORTAL_JOBS_SQLITE_PATH": folder / "jobs.db"}


@pytest.fixture(scope="module")
def demo_database(settings):
    url = os.environ.get("PORTAL_TEST_DATABASE_URL") or ""
    if not url or url.startswith("sqlite"):
        pytest.skip("needs PostgreSQL or MariaDB (PORTAL_TEST_DATABASE_URL)")
    base = sa.engine.make_url(url)
    name = f"capaian_conc_{os.getpid()}"
    engine = _admin_engine(base)
    mysql = base.get_backend_name() in ("mysql", "mariadb")
    with engine.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
        conn.exec_driver_sql(f"CREATE DATABASE {name}" + (" CHARACTER SET utf8mb4" if mysql else ""))
    target = base.set(database=name).render_as_string(hide_password=False)
    try:
        flask_cli(target, "db", "upgrade", **settings)
        flask_cli(target, "seed", "demo", "--yes", **settings)
        yield target
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}" + ("" if mysql else " WITH (FORCE)"))
        engine.dispose()


@pytest.fixture(scope="module")
def server(demo_database, settings):
    with gunicorn_server(demo_database, workers=4, **settings) as base_url:
        yield base_url


def _summary(results):
    times = sorted(r.seconds for r in results)
    return (f"statuses {[r.status or r.error for r in results]}, "
            f"median {times[len(times) // 2] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms")


def test_simultaneous_health_checks(server):
    results = fire(server, [Request(path="/healthz") for _ in range(20)])
    assert all(r.status == 200 and b'"database":"ok"' in r.body.replace(b" ", b"") for r in results), _summary(results)


def test_simultaneous_sign_in_pages(server):
    results = fire(server, [Request(path="/masuk") for _ in range(20)])
    assert all(r.status == 200 and b"csrf_token" in r.body for r in results), _summary(results)
    # each visitor got a session of their own (the CSRF token lives in it)
    assert len({r.cookies.get("session") for r in results}) == 20


def _prepared_sign_in(server, login):
    """A visitor who has opened the sign-in page: their session cookie and the form to post."""
    page = send(server, Request(path="/masuk"))
    assert page.status == 200, page.error
    token = TOKEN.search(page.body).group(1).decode()
    return Request("POST", "/masuk", cookies={"session": page.cookies["session"]},
                   body={"login": login, "password": DEMO_PASSWORD, "csrf_token": token})


def test_simultaneous_sign_ins(server):
    logins = [DEMO_LOGINS[i % len(DEMO_LOGINS)] for i in range(10)]  # some accounts twice at once
    requests = [_prepared_sign_in(server, login) for login in logins]
    results = fire(server, requests, timeout=20)
    assert all(r.status == 302 and r.headers.get("Location") == "/" for r in results), _summary(results)
    # every new session works: the home page greets the signed-in user
    homes = fire(server, [Request(path="/", cookies={"session": r.cookies["session"]}) for r in results])
    assert all(r.status == 200 and b"Selamat datang" in r.body for r in homes), _summary(homes)


def test_fire_reports_failures_instead_of_raising():
    """A server that is not there: every result carries the error, nothing hangs."""
    from tests.utils.concurrency import free_port
    results = fire(f"http://127.0.0.1:{free_port()}", [Request(path="/") for _ in range(3)], timeout=2,
                   start_timeout=5)
    assert [r.status for r in results] == [None, None, None]
    assert all(r.error for r in results)
