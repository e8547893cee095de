"""The task queue (huey), made from the app's configuration, and the hand-over of jobs to it.

- ``REDIS_URL`` set: ``RedisHuey`` (several app processes and workers share it);
- otherwise ``SqliteHuey`` in ``JOBS_SQLITE_PATH`` (default ``instance/jobs.db``);
- ``JOBS_IMMEDIATE`` (unset: on when ``TESTING``): no queue at all, a job runs synchronously
  when it is sent, in the process and request that queued it.

The queue carries only a job's id: the worker loads the ``Job`` row in an app context of its own
(``flask jobs worker`` creates the app) and ``portal.jobs.runner`` does the rest.

A job is sent after the transaction that created it commits (an ``after_commit`` listener on
every session), so a worker never receives the id of a row it cannot read yet, and a job whose
transaction rolls back is never sent. Sending twice is harmless: a worker claims a job only
while it is still QUEUED.
"""
import logging
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from huey import Huey, RedisHuey, SqliteHuey
from huey.signals import SIGNAL_INTERRUPTED
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from portal.config import TRUE

log = logging.getLogger(__name__)

EXTENSION = "capaian_jobs"
QUEUE_NAME = "capaian"
_PENDING = "capaian_jobs_pending"


@dataclass
class JobQueue:
    huey: Huey
    task: object  # the huey task that runs one job: task(job_id) queues it

    @property
    def immediate(self) -> bool:
        return self.huey.immediate


def is_immediate(app) -> bool:
    value = app.config.get("JOBS_IMMEDIATE")
    if value is None:
        return bool(app.testing)
    if isinstance(value, str):  # from the environment (PORTAL_JOBS_IMMEDIATE)
        return value.strip().lower() in TRUE
    return bool(value)


def make_huey(app) -> Huey:
    """A huey instance for the app's configuration (results are not kept: the Job row holds them)."""
    immediate = is_immediate(app)
    if app.config.get("REDIS_URL"):
        return RedisHuey(QUEUE_NAME, url=app.config["REDIS_URL"], results=False, immediate=immediate)
    path = app.config.get("JOBS_SQLITE_PATH") or str(Path(app.instance_path) / "jobs.db")
    return SqliteHuey(QUEUE_NAME, filename=path, results=False, immediate=immediate)


def init_app(app) -> None:
    """Make the app's queue and its one task, which runs a job inside an app context."""
    from portal.jobs import diagnostics  # noqa: F401  (registers the diagnostic job kinds)
    from portal.jobs.runner import mark_interrupted, run_job

    huey = make_huey(app)

    def run(job_id):
        with app.app_context():
            run_job(job_id)

    task = huey.task(name="run_job")(run)

    @huey.signal(SIGNAL_INTERRUPTED)
    def interrupted(signal, task):
        # The worker stopped while the job ran: its transaction is lost, say so on the job.
        with app.app_context():
            for job_id in task.args:
                mark_interrupted(job_id)

    app.extensions[EXTENSION] = JobQueue(huey=huey, task=task)


def job_queue(app=None) -> JobQueue:
    return (app or current_app).extensions[EXTENSION]


def send(job_id: int, app=None) -> None:
    """Put a job on the queue now (in immediate mode: run it now). Never raises: a job that
    could not be sent stays QUEUED, and ``flask jobs worker`` sends waiting jobs when it starts."""
    try:
        job_queue(app).task(job_id)
    except Exception:
        log.exception("Job %s could not be sent to the queue; it stays queued", job_id)


def send_after_commit(job) -> None:
    """Send ``job`` once the current session's transaction commits."""
    from portal.extensions import db
    db.session.info.setdefault(_PENDING, []).append(job)


@event.listens_for(Session, "after_commit")
def _send_pending(session):
    pending = session.info.pop(_PENDING, None)
    for job in pending or ():
        state = inspect(job)
        # A job created in a transaction that rolled back is transient again: it does not exist.
        if state.persistent and state.identity:
            send(state.identity[0])


@event.listens_for(Session, "after_soft_rollback")
def _forget_pending(session, previous_transaction):
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(_PENDING, None)
