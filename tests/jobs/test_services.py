"""Jobs in immediate mode: queued after commit, run, progress, failure, retry, claim once."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from huey import RedisHuey, SqliteHuey

from portal.core.audit import AuditEntry
from portal.core.models import utcnow
from portal.extensions import db
from portal.jobs import queue, runner, services
from portal.jobs.models import Job, JobStatus
from tests.jobs.conftest import SEEN_WHILE_RUNNING


def _actions(job):
    return db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.object_type == "Job", AuditEntry.object_id == job.id).order_by(AuditEntry.id)).all()


def _markers():
    return db.session.scalars(sa.select(AuditEntry.summary).where(AuditEntry.action == "test_marker")).all()


def _reload(job):
    db.session.expire_all()
    return db.session.get(Job, job.id)


def test_a_job_is_queued_then_runs_after_the_commit(world):
    user = world.users["pegawai"]
    job = services.enqueue("test.progress", "Uji", params={"n": 3}, user=user)
    assert job.status is JobStatus.QUEUED and job.attempts == 0 and job.created_by_id == user.id
    assert _actions(job) == ["enqueue_job"]

    db.session.commit()  # the queue receives the job now; in immediate mode it runs at once
    job = _reload(job)
    assert job.status is JobStatus.SUCCEEDED and job.progress == 100 and job.attempts == 1
    assert job.result == {"summary": "Beres.", "echo": {"n": 3}} and job.message == "Beres."
    assert job.started_dt <= job.finished_dt and job.error is None
    assert _actions(job) == ["enqueue_job", "start_job", "finish_job"]


def test_progress_is_committed_while_the_job_runs(world):
    job = services.enqueue("test.progress", "Uji", user=world.users["pegawai"])
    db.session.commit()
    # The job read its own row back mid-run, outside its own (still open) work.
    assert SEEN_WHILE_RUNNING[job.id] == (40, "empat puluh persen")


def test_a_job_rolled_back_before_the_commit_is_never_sent():
    SEEN_WHILE_RUNNING.clear()
    job = services.enqueue("test.progress", "Uji")
    db.session.flush()
    job_id = job.id
    db.session.rollback()
    db.session.commit()
    assert db.session.get(Job, job_id) is None
    assert job_id not in SEEN_WHILE_RUNNING
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "start_job", AuditEntry.object_id == job_id))


def test_an_error_fails_the_job_and_rolls_its_work_back(world):
    job = services.enqueue("test.crash", "Uji", user=world.users["pegawai"])
    db.session.commit()
    job = _reload(job)
    assert job.status is JobStatus.FAILED and job.attempts == 1 and job.finished_dt is not None
    assert "kesalahan sistem" in job.message and "SECRET-TRACE" not in job.message  # for users
    assert "Traceback" in job.error and "kabel putus SECRET-TRACE" in job.error      # for the administrator
    assert f"crash {job.id}" not in _markers()
    assert _actions(job) == ["enqueue_job", "start_job", "fail_job"]


@pytest.mark.parametrize("keep", [False, True])
def test_job_failed_gives_users_its_message_and_may_keep_changes(world, keep):
    job = services.enqueue("test.refuse", "Uji", params={"keep": keep}, user=world.users["pegawai"])
    db.session.commit()
    job = _reload(job)
    assert job.status is JobStatus.FAILED and job.message == "Berkas sudah tidak ada."
    assert (f"refuse {job.id}" in _markers()) is keep


def test_retry_runs_a_failed_job_again_with_the_same_params(world):
    user = world.users["pegawai"]
    job = services.enqueue("test.flaky", "Uji", params={"a": 1}, user=user)
    db.session.commit()
    job = _reload(job)
    assert job.status is JobStatus.FAILED and job.attempts == 1

    services.retry_job(job, user)
    assert job.status is JobStatus.QUEUED and job.error is None and job.message is None
    db.session.commit()
    job = _reload(job)
    assert job.status is JobStatus.SUCCEEDED and job.attempts == 2 and job.params == {"a": 1}
    assert job.message == "Berhasil pada percobaan 2."
    assert _actions(job) == ["enqueue_job", "start_job", "fail_job", "retry_job", "start_job", "finish_job"]


def test_only_failed_jobs_are_retried(world):
    job = services.enqueue("test.progress", "Uji", user=world.users["pegawai"])
    with pytest.raises(services.JobError, match="Menunggu"):
        services.retry_job(job, world.users["pegawai"])
    db.session.commit()
    with pytest.raises(services.JobError, match="Selesai"):
        services.retry_job(_reload(job), world.users["pegawai"])


def test_one_unfinished_job_per_kind_and_object(world):
    first = services.enqueue("test.flaky", "Uji", object=world.dinas_a)
    assert (first.object_type, first.object_id) == ("OrgUnit", world.dinas_a.id)
    assert services.active_job("test.flaky", world.dinas_a) is first
    with pytest.raises(services.JobError, match="masih menunggu atau berjalan"):
        services.enqueue("test.flaky", "Uji lagi", object=world.dinas_a)
    services.enqueue("test.flaky", "Unit lain", object=world.dinas_b)  # another object is fine
    services.enqueue("test.progress", "Jenis lain", object=world.dinas_a)  # so is another kind


def test_a_failed_job_is_not_retried_while_another_runs_for_its_object(world):
    failed = services.enqueue("test.flaky", "Uji", object=world.dinas_a)
    db.session.commit()
    failed = _reload(failed)
    assert failed.status is JobStatus.FAILED
    services.enqueue("test.flaky", "Yang baru", object=world.dinas_a)  # queued, not yet sent
    with pytest.raises(services.JobError, match="masih menunggu atau berjalan"):
        services.retry_job(failed, None)


def test_a_job_sent_twice_runs_once(world):
    job = services.enqueue("test.progress", "Uji", user=world.users["pegawai"])
    db.session.commit()
    runner.run_job(job.id)
    queue.send(job.id)
    job = _reload(job)
    assert job.attempts == 1 and _actions(job).count("start_job") == 1


def test_an_unknown_kind_fails_with_a_message():
    job = Job(kind="tidak.ada", title="Uji", status=JobStatus.QUEUED)
    db.session.add(job)
    db.session.commit()
    runner.run_job(job.id)
    job = _reload(job)
    assert job.status is JobStatus.FAILED and "tidak dikenal" in job.message


def test_a_job_interrupted_by_the_worker_stopping_fails():
    job = Job(kind="test.progress", title="Uji", status=JobStatus.RUNNING, progress=30, started_dt=utcnow())
    db.session.add(job)
    db.session.commit()
    runner.mark_interrupted(job.id)
    job = _reload(job)
    assert job.status is JobStatus.FAILED and "pekerja dimatikan" in job.message
    runner.mark_interrupted(job.id)  # a finished job stays as it is
    assert _actions(job) == ["fail_job"]


def test_waiting_jobs_are_sent_again_when_a_worker_starts():
    jobs = [Job(kind="test.progress", title=f"Uji {n}", status=JobStatus.QUEUED) for n in range(2)]
    db.session.add_all(jobs)
    db.session.commit()  # rows only: never sent (as when the queue was unreachable)
    assert all(_reload(job).status is JobStatus.QUEUED for job in jobs)
    assert runner.send_waiting() == 2
    assert all(_reload(job).status is JobStatus.SUCCEEDED for job in jobs)


def test_progress_is_clamped_and_only_for_running_jobs():
    job = Job(kind="test.progress", title="Uji", status=JobStatus.RUNNING)
    db.session.add(job)
    db.session.commit()
    services.report_progress(job, 250, "x" * 600)
    assert (job.progress, len(job.message)) == (100, 500)
    assert _reload(job).progress == 100
    services.report_progress(job, -5)
    assert _reload(job).progress == 0
    job.status = JobStatus.SUCCEEDED
    db.session.commit()
    services.report_progress(job, 50)
    assert _reload(job).progress == 0


def test_unknown_kinds_cannot_be_queued():
    with pytest.raises(ValueError):
        services.enqueue("tidak.ada", "Uji")


def test_waiting_hint_after_a_minute_for_new_jobs():
    job = Job(kind="noop", title="Uji", status=JobStatus.QUEUED, attempts=0, created_dt=utcnow())
    assert not services.is_waiting_long(job)
    assert services.is_waiting_long(job, now=utcnow() + timedelta(minutes=2))
    job.status = JobStatus.RUNNING
    assert not services.is_waiting_long(job, now=utcnow() + timedelta(minutes=2))


def test_the_queue_follows_the_configuration(tmp_path):
    def huey(testing=True, **config):
        return queue.make_huey(SimpleNamespace(config=config, instance_path=str(tmp_path), testing=testing))

    default = huey(JOBS_IMMEDIATE=False)
    assert isinstance(default, SqliteHuey) and not default.immediate
    assert default.storage.filename == str(tmp_path / "jobs.db")
    chosen = huey(JOBS_IMMEDIATE="false", JOBS_SQLITE_PATH=str(tmp_path / "q.db"))
    assert not chosen.immediate and chosen.storage.filename == str(tmp_path / "q.db")
    redis = huey(JOBS_IMMEDIATE=False, REDIS_URL="redis://127.0.0.1:6379/15")
    assert isinstance(redis, RedisHuey) and not redis.immediate
    assert huey().immediate  # TESTING without JOBS_IMMEDIATE: jobs run at once
    assert not huey(testing=False).immediate
    assert huey(testing=False, JOBS_IMMEDIATE="1").immediate


def test_the_app_has_one_queue(app):
    job_queue = queue.job_queue(app)
    assert job_queue.immediate and job_queue.huey.name == "capaian"
