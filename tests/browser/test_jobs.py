"""A background job's page in a browser: the progress bar moves by itself, then the result shows."""
import re

import sqlalchemy as sa
from playwright.sync_api import expect

from portal.auth.services import find_user_for_login
from portal.core.models import utcnow
from portal.extensions import db
from portal.jobs.models import Job, JobStatus
from portal.people import services
from portal.people.models import ImportBatch, ImportStatus
from tests.browser.conftest import assert_accessible, screenshot, sign_in


def _running_import_job(app, login):
    with app.app_context():
        user = find_user_for_login(login)
        batch = ImportBatch(filename="siasn-dinkes.xlsx", stored_name="tidak-ada.xlsx", sha256="0" * 64,
                            parent_unit_id=services.instansi_root().id, status=ImportStatus.PREVIEWED,
                            created_by_id=user.id, report=[])
        db.session.add(batch)
        db.session.flush()
        job = Job(kind="import_commit", title="Simpan impor siasn-dinkes.xlsx", status=JobStatus.RUNNING,
                  progress=35, message="Menyimpan pegawai: 350 dari 1000", attempts=1, params={},
                  object_type="ImportBatch", object_id=batch.id, created_by_id=user.id, started_dt=utcnow())
        db.session.add(job)
        db.session.commit()
        return job.id, batch.id


def _update(app, job_id, **values):
    with app.app_context():
        db.session.execute(sa.update(Job).where(Job.id == job_id).values(**values))
        db.session.commit()


def test_job_progress_updates_itself_then_shows_the_result(page, live_server, live_data, console_errors):
    app = live_data.app
    job_id, batch_id = _running_import_job(app, live_data.logins["bkpsdm"])
    sign_in(page, live_server, live_data.logins["bkpsdm"])
    page.goto(f"{live_server}/tugas/{job_id}")
    expect(page.get_by_role("heading", name="Simpan impor siasn-dinkes.xlsx")).to_be_visible()
    bar = page.get_by_label("Progres tugas")
    expect(bar).to_have_attribute("value", "35")
    expect(page.locator("main")).to_contain_text("Menyimpan pegawai: 350 dari 1000")
    assert_accessible(page, "running job")
    screenshot(page, "job-progress")

    # The worker moves on: the page polls and follows without a reload.
    _update(app, job_id, progress=80, message="Menyimpan pegawai: 800 dari 1000")
    expect(bar).to_have_attribute("value", "80", timeout=5000)
    expect(page.locator("main")).to_contain_text("800 dari 1000")

    _update(app, job_id, status=JobStatus.SUCCEEDED, progress=100, finished_dt=utcnow(),
            message="Impor tersimpan: 1000 pegawai baru, 0 diperbarui, 0 tidak berubah.")
    expect(page.get_by_text("Impor tersimpan: 1000 pegawai baru")).to_be_visible(timeout=5000)
    expect(page.locator('[data-hx-trigger="every 1s"]')).to_have_count(0)  # polling stopped
    assert_accessible(page, "finished job")
    screenshot(page, "job-finished")
    page.get_by_role("link", name="Lihat hasil impor").click()
    expect(page).to_have_url(re.compile(f"/impor/{batch_id}$"))

    page.goto(f"{live_server}/tugas/")
    expect(page.get_by_role("link", name="Simpan impor siasn-dinkes.xlsx")).to_be_visible()
    assert_accessible(page, "job list")
