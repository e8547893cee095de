"""The unit ZIP: who may start it, what the job writes (one PDF per evaluation of the subtree,
unique names, progress), who may download it and when, the unit's exports page and the button."""
import io
import zipfile
from datetime import date

import pytest
import sqlalchemy as sa
from flask import render_template
from flask_login import login_user

from portal.evaluation import documents
from portal.evaluation.models import EvaluationStatus, Predicate, Rating
from portal.extensions import db
from portal.jobs import services as jobs
from portal.jobs.models import Job, JobStatus
from portal.plans.models import Aspect, PlanStatus
from tests.conftest import count_rows
from tests.evaluation.sample import make_evaluation, sample_evaluation
from tests.plans.sample import make_plan
from tests.plans.test_documents import pdf_text


@pytest.fixture
def unit_data(world, factory):
    """November in Dinas Alpha's subtree: staff_a1's draft, a colleague's final evaluation and a
    second (transfer-closed) plan of staff_a1 with its own draft; one evaluation in Dinas Beta."""
    s = sample_evaluation(world)
    colleague = factory.employee(position=world.staff_a1.position, supervisor=world.chief_a1, name="Rekan Alpha")
    colleague_plan = make_plan(colleague, s.plan_sample.period, PlanStatus.APPROVED, results=[
        ("Rekap layanan", [(Aspect.QUANTITY, "Jumlah rekap", 12)])])
    final = make_evaluation(colleague_plan, 11, status=EvaluationStatus.FINAL, hasil=Rating.MEETS,
                            perilaku=Rating.MEETS, predicate=Predicate.GOOD)
    closed = make_plan(world.staff_a1, s.plan_sample.period, PlanStatus.CLOSED, version=2, results=[
        ("Rekap lama", [(Aspect.QUANTITY, "Jumlah", 1)])])
    second = make_evaluation(closed, 11)
    boss_b = factory.employee(unit=world.dinas_b, name="Atasan Beta")
    world.staff_b.supervisor = boss_b
    beta_plan = make_plan(world.staff_b, s.plan_sample.period, PlanStatus.APPROVED, results=[
        ("Arsip", [(Aspect.QUANTITY, "Jumlah arsip", 5)])])
    beta = make_evaluation(beta_plan, 11)
    db.session.flush()
    s.inside = [s.draft, final, second]
    s.outside = beta
    return s


def start(client, unit, period_id, period_key=11):
    return client.post(f"/evaluasi/unit/{unit.id}/zip", data={"period_id": period_id, "period_key": period_key})


def zip_jobs():
    return db.session.scalars(sa.select(Job).where(Job.kind == documents.ZIP_JOB).order_by(Job.id)).all()


def test_admin_builds_the_zip_of_their_unit(world, login_as, unit_data, monkeypatch):
    reported = []
    original = jobs.report_progress
    monkeypatch.setattr(documents, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(jobs, "report_progress",
                        lambda job, percent, message=None: (reported.append((percent, message)),
                                                            original(job, percent, message)))
    client = login_as("admin_opd")
    response = start(client, world.dinas_a, unit_data.plan_sample.period.id)
    assert response.status_code == 303
    [job] = zip_jobs()
    assert response.headers["Location"].endswith(f"/tugas/{job.id}")
    db.session.refresh(job)
    assert job.status is JobStatus.SUCCEEDED, job.message
    assert job.object_type == "OrgUnit" and job.object_id == world.dinas_a.id
    assert job.params == {"period_id": unit_data.plan_sample.period.id, "period_key": 11}
    assert job.result["documents"] == 3 and job.result["final"] == 1 and job.result["draft"] == 2
    assert job.result["filename"].startswith(f"evaluasi-{job.id}-")
    assert documents.finished_zip(job) == documents.exports_dir() / job.result["filename"]
    assert "3 dokumen evaluasi Dinas Alpha (November 2026) siap diunduh" in job.message
    assert reported == [(33, "Dokumen 1 dari 3"), (66, "Dokumen 2 dari 3"), (99, "Dokumen 3 dari 3")]

    page = client.get(f"/tugas/{job.id}").get_data(as_text=True)
    assert "Selesai" in page and f"/evaluasi/unit/{world.dinas_a.id}/unduhan-zip" in page  # the way to the download

    download = client.get(f"/evaluasi/zip/{job.id}")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    assert "attachment" in download.headers["Content-Disposition"]
    assert f"evaluasi-unit-{world.dinas_a.id}-2026-11.zip" in download.headers["Content-Disposition"]
    assert download.headers["Cache-Control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    names = sorted(archive.namelist())
    nip = world.staff_a1.nip
    colleague_nip = unit_data.inside[1].employee.nip
    assert names == sorted([f"evaluasi-{nip}-2026-11.pdf", f"evaluasi-{nip}-2026-11-2.pdf",
                            f"evaluasi-{colleague_nip}-2026-11.pdf"])
    texts = {name: pdf_text(archive.read(name)) for name in names}
    assert all(archive.read(name).startswith(b"%PDF") for name in names)
    assert "Rekan Alpha" in texts[f"evaluasi-{colleague_nip}-2026-11.pdf"]
    assert "DRAF" not in texts[f"evaluasi-{colleague_nip}-2026-11.pdf"]
    assert all("DRAF" in texts[n] for n in names if colleague_nip not in n)
    assert not any("Staf Beta" in t for t in texts.values())  # Dinas Beta is outside the subtree


@pytest.mark.parametrize("role", ["bkpsdm", "superadmin"])
def test_whole_instansi_managers_may_build_any_units_zip(world, login_as, unit_data, role):
    response = start(login_as(role), world.dinas_b, unit_data.plan_sample.period.id)
    assert response.status_code == 303
    [job] = zip_jobs()
    db.session.refresh(job)
    assert job.status is JobStatus.SUCCEEDED and job.result["documents"] == 1


@pytest.mark.parametrize("role", ["pegawai", "supervisor", "pimpinan"])
def test_pegawai_and_pimpinan_may_not_start_a_zip(world, login_as, unit_data, role):
    assert start(login_as(role), world.dinas_a, unit_data.plan_sample.period.id).status_code == 403
    assert login_as(role).get(f"/evaluasi/unit/{world.dinas_a.id}/unduhan-zip").status_code == 403
    assert zip_jobs() == []


def test_admin_opd_stays_in_their_subtree(world, login_as, unit_data):
    client = login_as("admin_opd")
    assert start(client, world.dinas_b, unit_data.plan_sample.period.id).status_code == 403
    assert client.get(f"/evaluasi/unit/{world.dinas_b.id}/unduhan-zip").status_code == 403
    assert start(client, world.bidang_a1, unit_data.plan_sample.period.id).status_code == 303  # below theirs
    assert start(client, world.dinas_a, unit_data.plan_sample.period.id).status_code == 303
    assert client.post("/evaluasi/unit/999999/zip", data={}).status_code == 404


@pytest.mark.parametrize("data, message", [
    ({}, "Pilih tahun dan periode evaluasi"),
    ({"period_id": "x", "period_key": "11"}, "Pilih tahun dan periode evaluasi"),
    ({"period_id": "1", "period_key": "13"}, "Pilih tahun dan periode evaluasi"),
    ({"period_id": "999999", "period_key": "11"}, "Periode kinerja tidak ditemukan"),
    ({"period_id": "PERIOD", "period_key": "5"}, "Belum ada evaluasi kinerja di Dinas Alpha untuk Mei 2026"),
])
def test_bad_input_is_explained_and_queues_nothing(world, login_as, unit_data, data, message):
    client = login_as("admin_opd")
    data = {k: (str(unit_data.plan_sample.period.id) if v == "PERIOD" else v) for k, v in data.items()}
    response = client.post(f"/evaluasi/unit/{world.dinas_a.id}/zip", data=data)
    assert response.status_code == 303
    assert f"/evaluasi/unit/{world.dinas_a.id}/unduhan-zip" in response.headers["Location"]
    assert message in client.get(response.headers["Location"]).get_data(as_text=True)
    assert zip_jobs() == []


def test_a_year_without_yearly_evaluations_is_refused(world, app, unit_data):
    with pytest.raises(documents.DocumentError):
        documents.start_unit_zip(world.dinas_a, unit_data.plan_sample.period, 0, user=world.users["bkpsdm"])


def test_a_second_zip_while_one_runs_is_refused(world, login_as, unit_data):
    user = world.users["admin_opd"]
    running = Job(kind=documents.ZIP_JOB, title="ZIP", status=JobStatus.RUNNING, created_by=user,
                  object_type="OrgUnit", object_id=world.dinas_a.id, params={})
    db.session.add(running)
    db.session.flush()
    client = login_as("admin_opd")
    response = start(client, world.dinas_a, unit_data.plan_sample.period.id)
    assert response.status_code == 303
    assert "masih menunggu atau berjalan" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert count_rows(Job) == 1


def test_download_is_for_the_requester_and_the_superadmin_only(world, login_as, unit_data):
    assert start(login_as("admin_opd"), world.dinas_a, unit_data.plan_sample.period.id).status_code == 303
    [job] = zip_jobs()
    assert login_as("admin_opd").get(f"/evaluasi/zip/{job.id}").status_code == 200
    assert login_as("superadmin").get(f"/evaluasi/zip/{job.id}").status_code == 200
    for role in ("bkpsdm", "pimpinan", "pegawai", "supervisor"):
        response = login_as(role).get(f"/evaluasi/zip/{job.id}")
        assert response.status_code == 403, role
    anonymous = login_as(None).get(f"/evaluasi/zip/{job.id}")
    assert anonymous.status_code == 302 and "/masuk" in anonymous.headers["Location"]


def test_download_is_404_before_the_job_finishes_or_when_it_failed_or_the_file_is_gone(world, login_as, app):
    user = world.users["admin_opd"]
    client = login_as("admin_opd")
    for status in (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED, JobStatus.SUCCEEDED):
        job = Job(kind=documents.ZIP_JOB, title="ZIP", status=status, created_by=user, object_type="OrgUnit",
                  object_id=world.dinas_a.id, params={}, result={})
        db.session.add(job)
        db.session.flush()
        assert client.get(f"/evaluasi/zip/{job.id}").status_code == 404, status  # no file: 404 as well
    assert client.get("/evaluasi/zip/999999").status_code == 404


def test_other_jobs_are_not_zips(world, login_as):
    job = Job(kind="uji", title="Tugas lain", status=JobStatus.SUCCEEDED, created_by=world.users["admin_opd"])
    db.session.add(job)
    db.session.flush()
    assert login_as("admin_opd").get(f"/evaluasi/zip/{job.id}").status_code == 403


def test_the_job_fails_clearly_when_the_evaluations_are_gone(world, app, unit_data, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "STORAGE_ROOT", str(tmp_path))
    job = Job(kind=documents.ZIP_JOB, title="ZIP", status=JobStatus.RUNNING, object_type="OrgUnit",
              object_id=world.root.id, params={"period_id": unit_data.plan_sample.period.id, "period_key": 3})
    db.session.add(job)
    db.session.flush()
    with pytest.raises(jobs.JobFailed, match="Belum ada evaluasi kinerja di .* untuk Maret 2026"):
        documents.run_unit_zip(job)
    job.params = {"period_id": 999999, "period_key": 3}
    with pytest.raises(jobs.JobFailed, match="sudah tidak ada"):
        documents.run_unit_zip(job)
    assert not list(documents.exports_dir().iterdir())  # no archive, no partial file


def test_exports_page_lists_the_users_zips_with_download_links(world, login_as, unit_data):
    client = login_as("admin_opd")
    empty = client.get(f"/evaluasi/unit/{world.dinas_a.id}/unduhan-zip").get_data(as_text=True)
    assert "Belum ada ZIP" in empty
    assert 'name="period_key"' in empty and ">November 2026<" in empty and ">Tahunan 2026<" in empty
    start(client, world.dinas_a, unit_data.plan_sample.period.id)
    [job] = zip_jobs()
    page = client.get(f"/evaluasi/unit/{world.dinas_a.id}/unduhan-zip")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"/evaluasi/zip/{job.id}" in html and "Unduh ZIP" in html and job.title in html
    # Someone else's ZIP of the same unit is not listed for them (BKPSDM may build its own).
    other = login_as("bkpsdm").get(f"/evaluasi/unit/{world.dinas_a.id}/unduhan-zip").get_data(as_text=True)
    assert f"/evaluasi/zip/{job.id}" not in other and "Belum ada ZIP" in other
    assert login_as("superadmin").get(f"/evaluasi/unit/{world.dinas_a.id}/unduhan-zip").get_data(
        as_text=True).count(f"/evaluasi/zip/{job.id}") == 1


def test_exports_page_without_periods_says_so(world, login_as):
    html = login_as("bkpsdm").get(f"/evaluasi/unit/{world.dinas_a.id}/unduhan-zip").get_data(as_text=True)
    assert "Belum ada periode kinerja" in html and "Belum ada ZIP" in html


def _button(app, user, unit, period, period_key):
    with app.test_request_context():
        login_user(user)
        return render_template("evaluation/_unit_zip_button.html", unit=unit, period=period, period_key=period_key)


def test_the_button_shows_only_to_those_who_may_build_the_zip(world, app, unit_data):
    period = unit_data.plan_sample.period
    html = _button(app, world.users["admin_opd"], world.dinas_a, period, 11)
    assert f'action="/evaluasi/unit/{world.dinas_a.id}/zip"' in html and 'name="csrf_token"' in html
    assert f'name="period_id" value="{period.id}"' in html and 'name="period_key" value="11"' in html
    assert 'name="period_key" value="0"' in _button(app, world.users["bkpsdm"], world.dinas_a, period.id, 0)
    assert _button(app, world.users["pegawai"], world.dinas_a, period, 11).strip() == ""
    assert _button(app, world.users["supervisor"], world.dinas_a, period, 11).strip() == ""
    assert _button(app, world.users["pimpinan"], world.dinas_a, period, 11).strip() == ""
    assert _button(app, world.users["admin_opd"], world.dinas_b, period, 11).strip() == ""


def test_the_form_proposes_the_current_sub_period(world, login_as, unit_data):
    period = unit_data.plan_sample.period
    assert documents.current_period_key(period, date(2026, 3, 15)) == 3
    assert documents.current_period_key(period, date(2030, 1, 1)) == 0  # outside the year: the year
    html = login_as("admin_opd").get(f"/evaluasi/unit/{world.dinas_a.id}/unduhan-zip?period_id={period.id}&period_key=5"
                                     ).get_data(as_text=True)
    assert '<option value="5" selected>Mei 2026</option>' in html


def test_an_htmx_boosted_post_is_redirected_the_same_way(world, login_as, unit_data):
    """The button is a plain form; inside a boosted region htmx follows the redirect to the job page."""
    response = login_as("bkpsdm").post(f"/evaluasi/unit/{world.dinas_a.id}/zip", headers={"HX-Request": "true"},
                                       data={"period_id": unit_data.plan_sample.period.id, "period_key": 11})
    [job] = zip_jobs()
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/tugas/{job.id}")
