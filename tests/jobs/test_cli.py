"""flask jobs …: worker, list, check."""
import pytest

from portal.extensions import db
from portal.jobs.models import Job, JobStatus


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args, **kw: runner.invoke(args=["jobs", *args], **kw)


def test_the_worker_is_not_needed_in_immediate_mode(cli):
    result = cli("worker")
    assert result.exit_code == 1 and "JOBS_IMMEDIATE" in result.output


def test_list_shows_recent_jobs(cli):
    assert "Belum ada tugas." in cli("list").output
    db.session.add_all([Job(kind="noop", title="Uji satu", status=JobStatus.SUCCEEDED, progress=100),
                        Job(kind="sleep", title="Uji dua", status=JobStatus.FAILED, progress=25,
                            message="Tugas gagal karena kesalahan sistem.")])
    db.session.flush()
    result = cli("list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "failed" in lines[0] and "25%" in lines[0] and "Uji dua" in lines[0]
    assert "Tugas gagal karena kesalahan sistem." in lines[1]
    assert "succeeded" in lines[2] and "Uji satu" in lines[2]
    only = cli("list", "--status", "succeeded").output
    assert "Uji satu" in only and "Uji dua" not in only


def test_check_runs_a_diagnostic_job(cli):
    result = cli("check", "--seconds", "0")
    assert result.exit_code == 0, result.output
    assert "diantrekan" in result.output and "Selesai — Pekerja berjalan." in result.output
