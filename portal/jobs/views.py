"""Job pages: the list of one's jobs, a job's progress (polled by htmx while it runs), retry."""
from flask import Blueprint, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.models import Role
from portal.core.forms import ConfirmForm
from portal.core.htmx import render_page
from portal.core.permissions import AUTHENTICATED, allow, ensure
from portal.extensions import db
from portal.jobs import queue, services
from portal.jobs.models import Job
from portal.jobs.registry import find_kind

bp = Blueprint("jobs", __name__, template_folder="templates", url_prefix="/tugas")
bp.record_once(lambda state: queue.init_app(state.app))


@bp.get("/")
@allow(AUTHENTICATED)
def list_jobs():
    page = db.paginate(services.job_query(current_user), per_page=current_app.config["PER_PAGE"],
                       error_out=False, count=True)
    return render_page("jobs/list.html", "jobs/_list.html", page=page, find_kind=find_kind,
                       sees_all=current_user.manages_whole_instansi)


@bp.get("/<int:job_id>")
@allow(AUTHENTICATED)
def show_job(job_id):
    job = db.get_or_404(Job, job_id)
    ensure(job.can_view(current_user))
    # The traceback is for whoever runs the system, not for the person who started the job.
    return render_page("jobs/show.html", "jobs/_job.html", job=job, kind=find_kind(job.kind), form=ConfirmForm(),
                       waiting_long=services.is_waiting_long(job),
                       show_traceback=current_user.has_role(Role.SUPERADMIN))


@bp.post("/<int:job_id>/ulang")
@allow(AUTHENTICATED)
def retry_job(job_id):
    # Locked so that two clicks queue the job once (PostgreSQL, MariaDB).
    job = db.get_or_404(Job, job_id, with_for_update=True)
    ensure(job.can_view(current_user))
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("Token keamanan formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(url_for("jobs.show_job", job_id=job_id))
    try:
        services.retry_job(job, current_user)
    except services.JobError as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(url_for("jobs.show_job", job_id=job_id))
    db.session.commit()
    flash(_("Tugas diantrekan ulang."), "info")
    return redirect(url_for("jobs.show_job", job_id=job_id))
