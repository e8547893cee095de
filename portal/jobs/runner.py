"""Running one job inside the worker (or, in immediate mode, in the request that queued it).

The runner is to a job what a view is to a request: it loads the job, runs the kind's function
(a service: it flushes, never commits) and commits once, recording how the job ended:

1. claim: QUEUED → RUNNING in one conditional UPDATE, committed (a job sent twice runs once);
2. run the kind; it may report progress (``services.report_progress``);
3. SUCCEEDED with the kind's result, committed together with the kind's changes; or
   FAILED with a message for users and the traceback, after rolling the kind's changes back
   (unless the kind raised ``JobFailed(keep_changes=True)``).
"""
import logging
import traceback

import sqlalchemy as sa
from flask_babel import gettext as _

from portal.core import audit
from portal.core.models import utcnow
from portal.extensions import db
from portal.jobs.models import Job, JobStatus
from portal.jobs.registry import find_kind
from portal.jobs.services import JobFailed

log = logging.getLogger(__name__)


def run_job(job_id: int) -> None:
    """Run the job ``job_id`` if it is still QUEUED; record the outcome on it. Never raises."""
    # Keep what was loaded across the runner's commits: a kind that reads job.params does not
    # open a transaction for it (on SQLite, progress is committed only outside one).
    db.session().expire_on_commit = False
    try:
        job = _claim(job_id)
    except Exception:
        log.exception("Job %s could not be started", job_id)
        db.session.rollback()
        return
    if job is None:
        return
    kind = find_kind(job.kind)
    if kind is None:
        _record_failure(job_id, _("Jenis tugas %(kind)s tidak dikenal oleh pekerja ini.", kind=job.kind), None)
        return
    try:
        result = kind.run(job) or {}
    except JobFailed as exc:
        log.info("Job %s (%s) failed: %s", job_id, job.kind, exc)
        if not exc.keep_changes:
            db.session.rollback()
        _record_failure(job_id, str(exc), traceback.format_exc())
        return
    except Exception:
        log.exception("Job %s (%s) failed", job_id, job.kind)
        db.session.rollback()
        _record_failure(job_id, _("Tugas gagal karena kesalahan sistem. Kesalahan ini sudah dicatat; coba lagi "
                                  "atau hubungi administrator."), traceback.format_exc())
        return
    try:
        _record_success(job, result)
        db.session.commit()
    except Exception:
        log.exception("Job %s (%s) could not be saved", job_id, job.kind)
        db.session.rollback()
        _record_failure(job_id, _("Hasil tugas tidak dapat disimpan. Coba lagi."), traceback.format_exc())


def _claim(job_id):
    claimed = db.session.execute(
        sa.update(Job).where(Job.id == job_id, Job.status == JobStatus.QUEUED).values(
            status=JobStatus.RUNNING, started_dt=utcnow(), finished_dt=None, progress=0, message=None,
            error=None, attempts=Job.attempts + 1)).rowcount
    if claimed != 1:
        db.session.rollback()
        log.info("Job %s is not waiting (already taken, finished or gone): skipped", job_id)
        return None
    job = db.session.get(Job, job_id, populate_existing=True)
    audit.record("start_job", job, from_state=JobStatus.QUEUED, to_state=JobStatus.RUNNING, summary=job.title,
                 actor=job.created_by)
    db.session.commit()
    return job


def _record_success(job, result):
    if not isinstance(result, dict):
        result = {"value": result}
    job.status = JobStatus.SUCCEEDED
    job.progress = 100
    job.result = result
    job.message = str(result.get("summary") or _("Selesai."))[:500]
    job.finished_dt = utcnow()
    audit.record("finish_job", job, from_state=JobStatus.RUNNING, to_state=JobStatus.SUCCEEDED,
                 summary=job.message, actor=job.created_by)


def _record_failure(job_id, message, error):
    """Mark the job FAILED (with what the kind left in the session when it asked to keep it)."""
    try:
        _mark_failed(job_id, message, error)
        db.session.commit()
    except Exception:
        # The kept changes themselves may be what fails: record the failure without them.
        log.exception("Failure of job %s could not be recorded with the job's changes", job_id)
        db.session.rollback()
        try:
            _mark_failed(job_id, message, error)
            db.session.commit()
        except Exception:
            log.exception("Failure of job %s could not be recorded", job_id)
            db.session.rollback()


def _mark_failed(job_id, message, error, *, from_states=(JobStatus.RUNNING,)):
    job = db.session.get(Job, job_id, populate_existing=True)
    if job is None or job.status not in from_states:
        return None
    from_state = job.status
    job.status = JobStatus.FAILED
    job.message = str(message)[:500]
    job.error = error
    job.finished_dt = utcnow()
    audit.record("fail_job", job, from_state=from_state, to_state=JobStatus.FAILED, summary=job.message,
                 actor=job.created_by)
    return job


def mark_interrupted(job_id: int) -> None:
    """The worker stopped while running the job (its work was rolled back): mark it FAILED."""
    try:
        if _mark_failed(job_id, _("Tugas terhenti karena pekerja dimatikan saat tugas berjalan. Coba lagi."),
                        None) is not None:
            db.session.commit()
    except Exception:
        log.exception("Interrupted job %s could not be marked as failed", job_id)
        db.session.rollback()


def send_waiting() -> int:
    """Send every QUEUED job to the queue again (when a worker starts); returns how many.

    Covers jobs queued while the queue was unreachable; a job sent twice still runs once.
    """
    from portal.jobs.queue import send
    ids = db.session.scalars(sa.select(Job.id).where(Job.status == JobStatus.QUEUED).order_by(Job.id)).all()
    db.session.rollback()
    for job_id in ids:
        send(job_id)
    return len(ids)
