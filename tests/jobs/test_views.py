"""Job pages: progress polled with htmx, who sees which job, the traceback, retry, the list."""
import re
from datetime import timedelta

import pytest

from portal.core.models import utcnow
from portal.extensions import db
from portal.jobs.models import Job, JobStatus

ROLES = ["pegawai", "supervisor", "admin_opd", "bkpsdm", "pimpinan", "superadmin"]


@pytest.fixture
def make_job(world):
    """make_job(status, owner="pegawai", **fields) → a job row (never sent to the queue)."""
    def _make(status=JobStatus.RUNNING, owner="pegawai", **fields):
        now = utcnow()
        values = {"kind": "test.progress", "title": "Hitung ulang capaian", "progress": 0, "attempts": 0,
                  "created_dt": now, "params": {}}
        if status is not JobStatus.QUEUED:
            values.update(started_dt=now, attempts=1)
        if status.is_finished:
            values.update(finished_dt=now, progress=100 if status is JobStatus.SUCCEEDED else 35)
        values.update(fields)
        job = Job(status=status, created_by=world.users[owner] if owner else None, **values)
        db.session.add(job)
        db.session.flush()
        return job
    return _make


def test_a_running_job_polls_its_own_url(login_as, make_job):
    job = make_job(JobStatus.RUNNING, progress=45, message="Menyimpan pegawai: 450 dari 1000")
    response = login_as("pegawai").get(f"/tugas/{job.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in page
    assert "<h1 class=\"h3 mb-1\">Hitung ulang capaian</h1>" in page
    assert f'data-hx-get="/tugas/{job.id}"' in page and 'data-hx-trigger="every 1s"' in page
    assert re.search(r'<progress id="job-\d+-bar" class="progress-native" max="100" value="45">', page)
    assert "Menyimpan pegawai: 450 dari 1000" in page and 'aria-live="polite"' in page
    assert 'data-status="running"' in page and "Coba lagi" not in page


def test_the_htmx_poll_gets_the_partial(login_as, make_job):
    job = make_job(JobStatus.RUNNING, progress=60)
    response = login_as("pegawai").get(f"/tugas/{job.id}", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body and "<h1" not in body
    assert "<progress" in body and 'value="60"' in body and 'data-hx-trigger="every 1s"' in body
    assert "HX-Request" in response.headers.get("Vary", "")


def test_a_queued_job_shows_an_indeterminate_bar(login_as, make_job):
    job = make_job(JobStatus.QUEUED)
    body = login_as("pegawai").get(f"/tugas/{job.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert re.search(r'<progress id="job-\d+-bar" class="progress-native" max="100">', body)
    assert 'data-hx-trigger="every 1s"' in body and "Menunggu" in body
    assert "flask jobs worker" not in body  # only after a minute


def test_a_job_waiting_long_says_a_worker_may_be_missing(login_as, make_job):
    job = make_job(JobStatus.QUEUED, created_dt=utcnow() - timedelta(minutes=5))
    assert "flask jobs worker" in login_as("pegawai").get(f"/tugas/{job.id}").get_data(as_text=True)


def test_a_finished_job_stops_polling_and_shows_the_result(login_as, make_job):
    job = make_job(JobStatus.SUCCEEDED, message="Impor tersimpan: 3 pegawai baru.")
    body = login_as("pegawai").get(f"/tugas/{job.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "data-hx-trigger" not in body and "data-hx-get" not in body
    assert 'value="100"' in body and "Impor tersimpan: 3 pegawai baru." in body and "Selesai" in body


def test_a_failed_job_shows_its_message_and_a_retry_button(login_as, make_job):
    job = make_job(JobStatus.FAILED, message="Berkas sudah tidak ada.", error="Traceback …\nSECRET-TRACE")
    page = login_as("pegawai").get(f"/tugas/{job.id}").get_data(as_text=True)
    assert 'data-hx-trigger="every 1s"' not in page and "Berkas sudah tidak ada." in page
    assert f'action="/tugas/{job.id}/ulang"' in page and "Coba lagi" in page
    assert "SECRET-TRACE" not in page


@pytest.mark.parametrize("role, sees", [("pegawai", False), ("bkpsdm", False), ("superadmin", True)])
def test_only_superadmin_sees_the_traceback(login_as, make_job, role, sees):
    job = make_job(JobStatus.FAILED, message="Gagal.", error="Traceback (most recent call last): SECRET-TRACE")
    page = login_as(role).get(f"/tugas/{job.id}").get_data(as_text=True)
    assert ("SECRET-TRACE" in page) is sees


def test_who_may_see_and_retry_a_job(login_as, make_job):
    job = make_job(JobStatus.FAILED, owner="pegawai", message="Gagal.")
    expected = {"pegawai": 200, "supervisor": 403, "admin_opd": 403, "bkpsdm": 200, "pimpinan": 403,
                "superadmin": 200}
    for role in ROLES:
        client = login_as(role)
        assert client.get(f"/tugas/{job.id}").status_code == expected[role], role
        assert client.get(f"/tugas/{job.id}", headers={"HX-Request": "true"}).status_code == expected[role], role
        if expected[role] == 403:
            assert client.post(f"/tugas/{job.id}/ulang").status_code == 403, role
    db.session.refresh(job)
    assert job.status is JobStatus.FAILED  # nobody without the right retried it
    anonymous = login_as(None).get(f"/tugas/{job.id}")
    assert anonymous.status_code == 302 and "/masuk" in anonymous.headers["Location"]
    assert login_as("pegawai").get("/tugas/999999999").status_code == 404


def test_retry_queues_the_job_again(login_as, make_job):
    job = make_job(JobStatus.FAILED, kind="test.progress", params={"n": 1}, message="Gagal.", error="x")
    client = login_as("pegawai")
    response = client.post(f"/tugas/{job.id}/ulang")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/tugas/{job.id}")
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.status is JobStatus.SUCCEEDED and job.attempts == 2 and job.error is None  # ran at once (tests)
    assert "Tugas diantrekan ulang." in client.get(f"/tugas/{job.id}").get_data(as_text=True)


def test_retry_of_a_job_that_has_not_failed_is_refused(login_as, make_job):
    job = make_job(JobStatus.SUCCEEDED, message="Beres.")
    client = login_as("pegawai")
    page = client.post(f"/tugas/{job.id}/ulang", follow_redirects=True).get_data(as_text=True)
    assert "Hanya tugas yang gagal yang dapat diulang" in page
    db.session.refresh(job)
    assert job.status is JobStatus.SUCCEEDED and job.attempts == 1


def test_the_list_shows_own_jobs_or_all_for_bkpsdm(login_as, make_job):
    mine = make_job(JobStatus.SUCCEEDED, owner="pegawai", title="Tugas milik pegawai")
    other = make_job(JobStatus.RUNNING, owner="supervisor", title="Tugas milik atasan")
    page = login_as("pegawai").get("/tugas/").get_data(as_text=True)
    assert f'href="/tugas/{mine.id}"' in page and f'href="/tugas/{other.id}"' not in page
    assert ">Oleh<" not in page
    page = login_as("bkpsdm").get("/tugas/").get_data(as_text=True)
    assert f'href="/tugas/{mine.id}"' in page and f'href="/tugas/{other.id}"' in page
    assert ">Oleh<" in page and "Staf Alpha" in page and "Kabid Alpha" in page
    assert "Belum ada tugas" in login_as("admin_opd").get("/tugas/").get_data(as_text=True)


def test_the_list_pages_with_htmx(app, login_as, make_job):
    for n in range(app.config["PER_PAGE"] + 2):
        make_job(JobStatus.SUCCEEDED, title=f"Tugas nomor {n}", created_dt=utcnow() + timedelta(seconds=n))
    client = login_as("pegawai")
    full = client.get("/tugas/").get_data(as_text=True)
    assert "<html" in full and 'id="job-list"' in full and "?page=2" in full and "Tugas nomor 26" in full
    partial = client.get("/tugas/?page=2", headers={"HX-Request": "true", "HX-Boosted": "true"})
    body = partial.get_data(as_text=True)
    assert partial.status_code == 200 and "<html" not in body
    assert "Tugas nomor 0<" in body and "Tugas nomor 26" not in body and body.count("<tr>") == 2 + 1
