"""Firing simultaneous HTTP requests at a real server, and running that server (gunicorn).

``fire(base_url, requests)`` opens one connection per request, lets every thread reach a barrier
and only then sends, so the requests really arrive together; it returns one ``Result`` per
request, in order, with the status, the time taken and the answer. ``gunicorn_server(url)``
starts ``gunicorn -w 4 -k sync`` on 127.0.0.1 and a free port in production mode against a
given database, waits for ``/healthz`` and stops the whole process group afterwards.

Used by tests that need real parallelism (several processes, real database transactions):
sign-ins under load today, capacity-limited registration later.
"""
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]
# Fixed and 64 characters long: production refuses short keys; tests need no secrecy.
TEST_SECRET_KEY = "capaian-concurrency-test-" + "0123456789abcdef" * 2 + "xyzXYZ0"


@dataclass
class Request:
    method: str = "GET"
    path: str = "/"
    headers: dict = field(default_factory=dict)
    cookies: dict = field(default_factory=dict)
    body: bytes | dict | None = None  # a dict is sent form-encoded

    def encoded(self):
        headers = dict(self.headers)
        body = self.body
        if isinstance(body, dict):
            body = urlencode(body).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers, body


@dataclass
class Result:
    status: int | None           # None when the request failed (see ``error``)
    seconds: float               # from the common start to the end of the answer
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    error: str | None = None
    cookies: dict = field(default_factory=dict)

    @property
    def ok(self):
        return self.status is not None and self.status < 400


def _set_cookies(message):
    jar = SimpleCookie()
    for header in message.get_all("Set-Cookie") or []:
        jar.load(header)
    return {k: m.value for k, m in jar.items()}


def send(base_url, request: Request, timeout=10.0) -> Result:
    """One request, now (no barrier): for preparing sessions before ``fire``."""
    return fire(base_url, [request], timeout=timeout)[0]


def fire(base_url, requests, timeout=10.0, start_timeout=30.0) -> list[Result]:
    """Send ``requests`` at the same moment, one thread and connection each; results in order.

    Every socket operation is bounded by ``timeout`` seconds; threads that could not even start
    within ``start_timeout`` make the barrier break and their requests fail (``Result.error``).
    """
    parts = urlsplit(base_url)
    barrier = threading.Barrier(len(requests))
    results: list[Result | None] = [None] * len(requests)

    def run(i, req: Request):
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        t0 = None
        try:
            conn.connect()
            headers, body = req.encoded()
            barrier.wait(timeout=start_timeout)
            t0 = time.perf_counter()
            conn.request(req.method, req.path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            results[i] = Result(response.status, time.perf_counter() - t0, dict(response.getheaders()), data,
                                cookies=_set_cookies(response.msg))
        except Exception as exc:  # reported, not raised: the caller asserts on every result
            elapsed = time.perf_counter() - t0 if t0 else 0.0
            results[i] = Result(None, elapsed, error=f"{type(exc).__name__}: {exc}")
            if not barrier.broken and t0 is None:
                barrier.abort()
        finally:
            conn.close()

    threads = [threading.Thread(target=run, args=(i, r), daemon=True) for i, r in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(start_timeout + timeout * 2)
    return [r or Result(None, 0.0, error="thread did not finish") for r in results]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def portal_env(database_url, **extra) -> dict:
    """Environment for the portal's processes (gunicorn, flask CLI) in production mode."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update({
        "PORTAL_ENV_NAME": "production",
        "PORTAL_SECRET_KEY": TEST_SECRET_KEY,
        "PORTAL_SQLALCHEMY_DATABASE_URI": database_url,
        "FLASK_APP": "wsgi",
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    env.pop("DATABASE_URL", None)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def flask_cli(database_url, *args, timeout=300, **extra_env):
    """Run ``flask <args>`` for the portal against ``database_url``; raises when it fails."""
    flask = Path(sys.executable).with_name("flask")
    done = subprocess.run([str(flask), *args], cwd=ROOT, env=portal_env(database_url, **extra_env),
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _wait_healthy(base_url, process, timeout):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            result = send(base_url, Request(path="/healthz"), timeout=2)
            if result.status == 200:
                return
            last = result.status or result.error
        except OSError as exc:
            last = exc
        time.sleep(0.1)
    raise TimeoutError(f"{base_url}/healthz did not answer 200 within {timeout} s (last: {last})")


def _stop(process, grace=10.0):
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)  # the group gunicorn leads: master and workers
        process.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(grace)
    except ProcessLookupError:
        pass


@contextmanager
def gunicorn_server(database_url, workers=4, startup_timeout=60.0, log_path=None, **extra_env):
    """Serve the portal with ``gunicorn -w <workers> -k sync`` on 127.0.0.1:<free port>.

    Yields the base URL once ``/healthz`` answers 200; stops the process group on exit. The
    server's output goes to ``log_path`` (a temporary file when not given) and is shown when
    the server does not start.
    """
    import tempfile
    gunicorn = Path(sys.executable).with_name("gunicorn")
    port = free_port()
    log = open(log_path, "w+b") if log_path else tempfile.TemporaryFile()  # closed below
    process = subprocess.Popen(
        [str(gunicorn), "-w", str(workers), "-k", "sync", "-b", f"127.0.0.1:{port}",
         "--graceful-timeout", "5", "--timeout", "60", "wsgi:app"],
        cwd=ROOT, env=portal_env(database_url, **extra_env), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        try:
            _wait_healthy(base_url, process, startup_timeout)
        except (RuntimeError, TimeoutError) as exc:
            log.seek(0)
            raise RuntimeError(f"{exc}\n{log.read().decode(errors='replace')[-3000:]}") from None
        yield base_url
    finally:
        _stop(process)
        log.close()
