"""Job kinds used by the job tests (registered once, when this conftest is imported)."""
import threading

import sqlalchemy as sa

from portal.core import audit
from portal.extensions import db
from portal.jobs.models import Job
from portal.jobs.registry import job_kind
from portal.jobs.services import JobFailed, report_progress

# What the progress kind read back from the database while it was still running.
SEEN_WHILE_RUNNING = {}


@job_kind("test.progress", label="Uji progres")
def run_progress(job):
    report_progress(job, 40, "empat puluh persen")
    SEEN_WHILE_RUNNING[job.id] = tuple(db.session.execute(
        sa.select(Job.progress, Job.message).where(Job.id == job.id)).one())
    return {"summary": "Beres.", "echo": job.params}


@job_kind("test.crash", label="Uji galat")
def run_crash(job):
    audit.record("test_marker", object_type="Test", summary=f"crash {job.id}")
    db.session.flush()
    raise RuntimeError("kabel putus SECRET-TRACE")


@job_kind("test.refuse", label="Uji penolakan")
def run_refuse(job):
    audit.record("test_marker", object_type="Test", summary=f"refuse {job.id}")
    db.session.flush()
    raise JobFailed("Berkas sudah tidak ada.", keep_changes=bool(job.params.get("keep")))


@job_kind("test.flaky", label="Uji gagal sekali")
def run_flaky(job):
    if job.attempts < 2:
        raise RuntimeError("gagal pada percobaan pertama")
    return {"summary": f"Berhasil pada percobaan {job.attempts}."}


# The hold kind writes, reports progress, then waits until the test has looked from outside.
HELD = threading.Event()
RELEASE = threading.Event()


@job_kind("test.hold", label="Uji tahan")
def run_hold(job):
    audit.record("test_marker", object_type="Test", summary=f"hold {job.id}")
    db.session.flush()  # the job's own transaction now holds a write
    report_progress(job, 50, "separuh jalan")
    HELD.set()
    if not RELEASE.wait(15):
        raise RuntimeError("the test never released the job")
    return {"summary": "Dilepas."}
