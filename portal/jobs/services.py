"""Queueing, retrying and watching background jobs.

Services flush and never commit. ``enqueue`` and ``retry_job`` mark the job to be sent to the
queue, and the queue receives it only once the caller's transaction commits (see
``portal.jobs.queue``): a worker never sees a job whose row it cannot read yet, and a job whose
transaction rolls back is never sent.
"""
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from portal.core import audit
from portal.core.models import utcnow
from portal.extensions import db
from portal.jobs import queue
from portal.jobs.models import Job, JobStatus
from portal.jobs.registry import find_kind

ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
# A job still waiting after this long probably has no worker to run it: the page says so.
WAITING_HINT_AFTER = timedelta(seconds=60)


class JobError(Exception):
    """A job operation was refused (the message is for users)."""


class JobFailed(Exception):
    """Raised by a job kind: the job failed for a reason users can act on (the message is for them).

    With ``keep_changes`` the changes the kind made before raising are committed along with the
    failure (e.g. an import batch that records why it failed); otherwise they are rolled back.
    """

    def __init__(self, message, *, keep_changes=False):
        super().__init__(str(message))
        self.keep_changes = keep_changes


def enqueue(kind: str, title, *, params: dict | None = None, object=None, user=None) -> Job:
    """Create a QUEUED job of a registered ``kind`` about ``object`` on behalf of ``user``.

    The job is sent to the queue after the caller commits. Raises ``JobError`` when a job of
    the same kind for the same object is still queued or running, and ``ValueError`` for an
    unknown kind (a programming error).
    """
    if find_kind(kind) is None:
        raise ValueError(f"unknown job kind {kind!r}")
    user = _real(user)
    object_type = object_id = None
    if object is not None:
        if object in db.session.new:
            db.session.flush([object])
        object_type, object_id = type(object).__name__, object.id
        if active_job(kind, object) is not None:
            raise JobError(_("Tugas yang sama untuk data ini masih menunggu atau berjalan."))
    job = Job(kind=kind, title=str(title)[:200], status=JobStatus.QUEUED, progress=0, attempts=0,
              params=params or {}, object_type=object_type, object_id=object_id, created_by=user)
    db.session.add(job)
    db.session.flush()
    audit.record("enqueue_job", job, to_state=JobStatus.QUEUED, summary=job.title, actor=user)
    queue.send_after_commit(job)
    return job


def retry_job(job: Job, user) -> None:
    """Queue a FAILED job again with the same parameters (sent after the caller commits).

    Raises ``JobError`` when the job has not failed, or when another job of the same kind for
    the same object is queued or running.
    """
    if job.status is not JobStatus.FAILED:
        raise JobError(_("Hanya tugas yang gagal yang dapat diulang; tugas ini berstatus %(status)s.",
                         status=job.status.title))
    if job.object_id is not None and db.session.scalar(
            _active_query(job.kind, job.object_type, job.object_id).where(Job.id != job.id)) is not None:
        raise JobError(_("Tugas yang sama untuk data ini masih menunggu atau berjalan."))
    job.status = JobStatus.QUEUED
    job.progress = 0
    job.message = job.error = job.result = None
    job.started_dt = job.finished_dt = None
    audit.record("retry_job", job, from_state=JobStatus.FAILED, to_state=JobStatus.QUEUED, summary=job.title,
                 actor=_real(user))
    db.session.flush()
    queue.send_after_commit(job)


def report_progress(job: Job, percent, message=None) -> None:
    """Record how far a running job got, in a short transaction of its own, so that pages
    polling the job see it while the job's own transaction is still open.

    On SQLite a second connection cannot commit while the job's transaction holds a snapshot
    (the job's later writes would fail with "database is locked"), so there the progress is
    only kept on the object until the job's own commit. Use PostgreSQL or MariaDB to watch
    long jobs move.
    """
    percent = max(0, min(100, int(percent)))
    message = str(message)[:500] if message is not None else None
    job_id = sa.inspect(job).identity[0]
    # Not a change of the job's session: a flush of it would lock the row the update below needs.
    set_committed_value(job, "progress", percent)
    set_committed_value(job, "message", message)
    bind = db.session.get_bind()
    if isinstance(bind, sa.Engine) and bind.dialect.name == "sqlite" and db.session().in_transaction():
        return
    # With an engine: a connection and transaction of its own. With a connection (the tests'
    # rolled-back transaction): a savepoint on it.
    with Session(bind=bind, join_transaction_mode="create_savepoint") as session:
        session.execute(sa.update(Job).where(Job.id == job_id, Job.status == JobStatus.RUNNING)
                        .values(progress=percent, message=message))
        session.commit()


def active_job(kind: str, obj) -> Job | None:
    """The queued or running job of ``kind`` about ``obj``, if any."""
    return db.session.scalar(_active_query(kind, type(obj).__name__, obj.id))


def latest_job(kind: str, obj) -> Job | None:
    """The most recent job of ``kind`` about ``obj``, if any."""
    return db.session.scalar(sa.select(Job).where(
        Job.kind == kind, Job.object_type == type(obj).__name__, Job.object_id == obj.id)
        .order_by(Job.id.desc()).limit(1))


def _active_query(kind, object_type, object_id):
    return (sa.select(Job).where(Job.kind == kind, Job.object_type == object_type, Job.object_id == object_id,
                                 Job.status.in_(ACTIVE)).order_by(Job.id.desc()).limit(1))


def job_query(user):
    """Jobs the user may see, newest first: their own, or every job for BKPSDM and superadmin."""
    stmt = (sa.select(Job).options(selectinload(Job.created_by))
            .order_by(Job.created_dt.desc(), Job.id.desc()))
    if not user.manages_whole_instansi:
        stmt = stmt.where(Job.created_by_id == user.id)
    return stmt


def is_waiting_long(job: Job, now=None) -> bool:
    """Has a new job been queued so long that a worker is probably not running?"""
    return (job.status is JobStatus.QUEUED and not job.attempts
            and (now or utcnow()) - job.created_dt > WAITING_HINT_AFTER)


def _real(user):
    """The user object behind ``current_user`` (a proxy cannot be stored in a relationship)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user._get_current_object() if hasattr(user, "_get_current_object") else user
