"""Jobs outside immediate mode: a real ``flask jobs worker`` and progress seen from outside the job.

Marked ``live``: these tests commit for real and remove their rows afterwards.
"""
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from portal import create_app
from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.jobs import services
from portal.jobs.models import Job, JobStatus
from tests.conftest import TEST_CONFIG
from tests.jobs import conftest as kinds

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.live


def _remove(app, job_ids):
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            conn.execute(sa.delete(AuditEntry.__table__).where(
                sa.or_(sa.and_(AuditEntry.object_type == "Job", AuditEntry.object_id.in_(job_ids)),
                       AuditEntry.action == "test_marker")))
            conn.execute(sa.delete(Job.__table__).where(Job.id.in_(job_ids)))


def _state(app, job_id):
    with app.app_context():
        db.session.remove()
        job = db.session.get(Job, job_id)
        return job.status, job.progress, job.message


@pytest.fixture
def worker(app, tmp_path):
    """A ``flask jobs worker`` process on a SQLite queue in tmp_path, and an app that queues there.
    Job rows listed in ``created`` are removed afterwards."""
    queue_file = tmp_path / "jobs.db"
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_") and k != "DATABASE_URL"}
    env = {**inherited, "FLASK_APP": "wsgi", "PORTAL_ENV_NAME": "testing", "PORTAL_SQLALCHEMY_DATABASE_URI": url,
           "PORTAL_JOBS_SQLITE_PATH": str(queue_file), "PORTAL_JOBS_IMMEDIATE": "false",
           "PORTAL_STORAGE_ROOT": app.config["STORAGE_ROOT"]}
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "flask", "jobs", "worker", "--workers", "2"], cwd=ROOT,
                               env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    producer = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "STORAGE_ROOT": app.config["STORAGE_ROOT"],
                           "JOBS_IMMEDIATE": False, "JOBS_SQLITE_PATH": str(queue_file)})
    created = []
    try:
        yield SimpleNamespace(app=producer, process=process, created=created, log=tmp_path / "worker.log")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: the worker finishes its jobs, then stops
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
        log.close()
        _remove(app, created)


def test_a_real_worker_runs_a_queued_job(worker):
    producer, created, log = worker.app, worker.created, worker.log
    with producer.app_context():
        job = services.enqueue("sleep", "Uji pekerja", params={"seconds": 1.2, "steps": 3})
        db.session.commit()  # the job goes to the SQLite queue, where the worker picks it up
        job_id = job.id
        created.append(job_id)
        assert job.status is JobStatus.QUEUED
    seen, deadline = [], time.monotonic() + 40
    while True:
        status, progress, message = _state(producer, job_id)
        seen.append((status, progress))
        if status.is_finished or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert status is JobStatus.SUCCEEDED, f"{status} {message}\n{log.read_text()[-3000:]}"
    assert progress == 100 and message == "Pekerja berjalan."
    assert any(s is JobStatus.RUNNING and 0 < p < 100 for s, p in seen), seen  # progress showed on the way


def test_progress_is_seen_outside_the_jobs_own_transaction(app):
    """While a job's transaction is open, a page (another connection) sees its progress; on
    SQLite the progress waits for the job's commit instead (a second writer would break it)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    runner_app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "STORAGE_ROOT": app.config["STORAGE_ROOT"]})
    kinds.HELD.clear()
    kinds.RELEASE.clear()
    job_ids = []

    def run():
        with runner_app.app_context():  # immediate mode: the commit runs the job in this thread
            job = services.enqueue("test.hold", "Uji tahan")
            db.session.flush()
            job_ids.append(job.id)
            db.session.commit()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        assert kinds.HELD.wait(15), "the job did not start"
        status, progress, message = _state(app, job_ids[0])
        with app.app_context():
            marker = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
                AuditEntry.action == "test_marker"))
        assert status is JobStatus.RUNNING and marker == 0  # the job's own work is not committed yet
        if sa.make_url(url).get_backend_name() == "sqlite":
            assert (progress, message) == (0, None)
        else:
            assert (progress, message) == (50, "separuh jalan")
    finally:
        kinds.RELEASE.set()
        thread.join(20)
    try:
        assert not thread.is_alive()
        assert _state(app, job_ids[0]) == (JobStatus.SUCCEEDED, 100, "Dilepas.")
    finally:
        _remove(app, job_ids)


def test_a_job_cut_off_by_a_stopping_worker_is_marked_failed(worker):
    with worker.app.app_context():
        job = services.enqueue("sleep", "Uji pekerja", params={"seconds": 20, "steps": 20})
        db.session.commit()
        job_id = job.id
        worker.created.append(job_id)
    _wait_for(lambda: _state(worker.app, job_id)[1] >= 5, 30)  # running, and a step done
    worker.process.send_signal(signal.SIGTERM)  # stop now, without waiting for the job
    _wait_for(lambda: _state(worker.app, job_id)[0].is_finished, 20)
    status, progress, message = _state(worker.app, job_id)
    assert status is JobStatus.FAILED and "pekerja dimatikan" in message, worker.log.read_text()[-2000:]


def _wait_for(check, timeout):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
