"""Scale-out: two app processes and a worker share PostgreSQL and Redis.

Two gunicorn processes (A and B, one sync worker each, production settings, one secret key) and
one ``flask jobs worker`` run against a database of their own (``capaian_scaleout``, migrated with
``flask db upgrade``) and Redis db 15 (job queue and rate-limit counters). A user signs in on A
through the real form; B accepts the same cookie. An import is uploaded and committed on A; the
commit job runs in the worker, and B's job page follows it to the end.

Runs only when PORTAL_TEST_DATABASE_URL is PostgreSQL and Redis answers.
"""
import csv
import io
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import TEST_CONFIG
from tests.people.test_importer import HEADER, nip, person

ROOT = Path(__file__).resolve().parents[1]
TEST_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "")
REDIS_URL = "redis://127.0.0.1:6379/15"
DATABASE = "capaian_scaleout"
SECRET = "scale-out-" + "7" * 54
ROWS = 300

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(not TEST_URL.startswith("postgresql"), reason="needs PORTAL_TEST_DATABASE_URL on PostgreSQL"),
]


def _redis():
    import redis
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis is not answering at {REDIS_URL}: {exc}")
    return client


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """Just enough of a browser: one cookie jar for every origin, no redirects followed.

    The session cookie is Secure (production), which a real browser would not send over plain
    HTTP; here it is sent by hand, as a TLS-terminating proxy in front of A and B would.
    """

    def __init__(self):
        self.cookies = {}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def request(self, url, data=None, headers=None, content_type=None):
        request = urllib.request.Request(url, data=data, headers=dict(headers or {}))
        if content_type:
            request.add_header("Content-Type", content_type)
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, response.read().decode("utf-8", "replace")

    def get(self, url, **kw):
        return self.request(url, **kw)

    def post_form(self, url, fields):
        return self.request(url, urllib.parse.urlencode(fields).encode(),
                            content_type="application/x-www-form-urlencoded")

    def post_multipart(self, url, fields, file_field, filename, content):
        boundary = "capaian" + secrets.token_hex(8)
        body = b""
        for name, value in fields.items():
            body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n').encode()
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
                 f"Content-Type: text/csv\r\n\r\n").encode() + content + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        return self.request(url, body, content_type=f"multipart/form-data; boundary={boundary}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _csrf(page):
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page)
    assert match, page[:500]
    return match.group(1)


def _wait_until(check, timeout, what):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _answers(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


@pytest.fixture
def cluster(tmp_path):
    """Database, seed data, processes A, B and the worker; everything removed afterwards."""
    redis_client = _redis()
    redis_client.flushdb()
    server = sa.make_url(TEST_URL)
    url = server.set(database=DATABASE).render_as_string(hide_password=False)
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.exec_driver_sql(f"CREATE DATABASE {DATABASE}")
    storage = tmp_path / "storage"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("PORTAL_") and k != "DATABASE_URL"},
           "FLASK_APP": "wsgi", "PORTAL_ENV_NAME": "production", "PORTAL_SECRET_KEY": SECRET,
           "PORTAL_SQLALCHEMY_DATABASE_URI": url, "PORTAL_REDIS_URL": REDIS_URL,
           "PORTAL_RATELIMIT_STORAGE_URI": REDIS_URL, "PORTAL_STORAGE_ROOT": str(storage)}
    processes, logs = [], []
    try:
        subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                       capture_output=True, timeout=120)
        login = _seed(url, storage)

        def start(name, command):
            log = (tmp_path / f"{name}.log").open("w")
            logs.append(log)
            processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                              start_new_session=True))

        ports = {"A": _free_port(), "B": _free_port()}
        for name, port in ports.items():
            start(name, [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "wsgi:app"])
        start("worker", [sys.executable, "-m", "flask", "jobs", "worker", "--workers", "2"])
        bases = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        for base in bases.values():
            _wait_until(lambda base=base: _answers(f"{base}/healthz"), 60, f"{base}/healthz")
        yield bases, login, url, tmp_path
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
        for log in logs:
            log.close()
        redis_client.flushdb()
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.dispose()


def _seed(url, storage):
    """An instansi and a BKPSDM account, written through the services; returns the account's login."""
    from portal import create_app
    from portal.extensions import db
    from tests.factories import Factory
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "STORAGE_ROOT": str(storage)})
    with app.app_context():
        factory = Factory()
        user = factory.user(factory.employee(unit=factory.instansi(), name="Petugas BKPSDM"), roles=["bkpsdm"])
        login = user.login_name
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return login


def _count_employees(url):
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM employee")).scalar()
    finally:
        engine.dispose()


def test_two_app_processes_and_a_worker_share_sessions_and_jobs(cluster):
    from tests.factories import PASSWORD
    bases, login, url, tmp_path = cluster
    a, b = bases["A"], bases["B"]
    browser = Browser()

    # Sign in on A through the form.
    status, _, page = browser.get(f"{a}/masuk")
    assert status == 200
    status, headers, _ = browser.post_form(f"{a}/masuk", {"csrf_token": _csrf(page), "login": login,
                                                          "password": PASSWORD})
    assert status == 302 and "/masuk" not in headers["Location"], headers
    # B knows the session: same secret key, cookie-based session.
    status, _, page = browser.get(f"{b}/")
    assert status == 200 and "Petugas BKPSDM" in page and 'action="/keluar"' in page

    # Upload and preview on A.
    status, _, page = browser.get(f"{a}/impor/")
    assert status == 200
    parent = re.search(r'<option selected value="(\d+)">', page).group(1)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for n in range(1, ROWS + 1):
        row = person(n, nip_atasan=nip(1) if n > 1 else "")
        writer.writerow([row[h] for h in HEADER])
    status, headers, _ = browser.post_multipart(f"{a}/impor/", {"csrf_token": _csrf(page), "parent_unit": parent},
                                                "file", "siasn.csv", buffer.getvalue().encode())
    assert status == 302, headers
    batch_url = headers["Location"]
    batch_id = re.search(r"/impor/(\d+)$", batch_url).group(1)
    status, _, page = browser.get(f"{a}/impor/{batch_id}")
    assert status == 200 and "Simpan ke database" in page
    employees = _count_employees(url)

    # Commit on A: a job for the worker; A answers at once with the job's page.
    status, headers, _ = browser.post_form(f"{a}/impor/{batch_id}/simpan", {"csrf_token": _csrf(page)})
    assert status == 302, headers
    job_id = re.search(r"/tugas/(\d+)$", headers["Location"]).group(1)

    # B follows the job through its htmx partial until it is done.
    seen = []

    def finished():
        status, _, body = browser.get(f"{b}/tugas/{job_id}", headers={"HX-Request": "true"})
        assert status == 200 and "<html" not in body and "<progress" in body
        state = re.search(r'class="job-state" data-status="(\w+)"', body).group(1)
        seen.append(state)
        return body if state in ("succeeded", "failed") else None

    body = _wait_until(finished, 90, "the import job")
    worker_log = (tmp_path / "worker.log").read_text()
    assert 'data-status="succeeded"' in body, f"{seen}\n{body}\n{worker_log[-3000:]}"
    assert f"Impor tersimpan: {ROWS} pegawai baru" in body and 'data-hx-trigger="every 1s"' not in body
    assert "Executing portal.jobs.queue.run_job" in worker_log  # the worker process ran it, not A
    assert _count_employees(url) == employees + ROWS

    status, _, page = browser.get(f"{b}/impor/{batch_id}")
    assert status == 200 and 'data-status="committed"' in page
