"""Dokumen Evaluasi Kinerja Pegawai (PDF) and a unit's documents as one ZIP (background job)."""
import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from portal.auth.models import Role
from portal.core.forms import MAX_ID, BaseForm
from portal.core.pdf import pdf_response
from portal.core.permissions import AUTHENTICATED, allow, ensure
from portal.evaluation import documents
from portal.extensions import db
from portal.jobs import services as jobs
from portal.jobs.models import Job
from portal.people.models import OrgUnit
from portal.plans.models import PerformancePeriod

bp = Blueprint("evaluation_documents", __name__, template_folder="templates", url_prefix="/evaluasi")

# Pimpinan read and change nothing (tests/security): building an archive is a change (a job).
EXPORTERS = (Role.ADMIN_OPD, Role.BKPSDM, Role.SUPERADMIN)


class UnitZipForm(BaseForm):
    """Which period's documents to put in the ZIP (the button on the distribution page posts it)."""

    period_id = IntegerField(validators=[InputRequired(), NumberRange(1, MAX_ID)])
    period_key = IntegerField(validators=[InputRequired(), NumberRange(0, 12)])


# The unit ZIP button (evaluation/_unit_zip_button.html) is shown only to those who may use it.
bp.add_app_template_global(documents.can_export_unit, "can_export_unit")


@bp.get("/<int:evaluation_id>/dokumen.pdf")
@allow(AUTHENTICATED)
def download_evaluation(evaluation_id):
    evaluation = documents.load_evaluation(evaluation_id)
    if evaluation is None:
        abort(404)
    ensure(evaluation.can_download(current_user))
    try:
        doc = documents.evaluation_document(evaluation)
    except LookupError:  # the plan no longer covers the period (a transfer shortened it)
        abort(404)
    return pdf_response(documents.render_evaluation(doc), doc.filename)


def _periods():
    return db.session.scalars(sa.select(PerformancePeriod).order_by(PerformancePeriod.year.desc())).all()


# Not the POST URL of start_unit_zip: with two endpoints on one URL an out-of-range id answers
# 405 instead of 404 (werkzeug checks the method before the id converter).
@bp.get("/unit/<int:unit_id>/unduhan-zip")
@allow(*EXPORTERS)
def unit_exports(unit_id):
    unit = db.get_or_404(OrgUnit, unit_id)
    ensure(documents.can_export_unit(current_user, unit))
    periods = _periods()
    chosen = request.args.get("period_id", type=int)
    period = next((p for p in periods if p.id == chosen), periods[0] if periods else None)
    page = db.paginate(documents.unit_zip_jobs(unit, current_user), per_page=current_app.config["PER_PAGE"],
                       error_out=False, count=True)
    return render_template("evaluation/documents/unit_exports.html", unit=unit, periods=periods, period=period,
                           choices=documents.period_choices(period) if period else [],
                           selected_key=request.args.get("period_key", type=int,
                                                         default=documents.current_period_key(period) if period else 0),
                           page=page,
                           finished_zip=documents.finished_zip,
                           can_download=lambda job: documents.can_download_zip(current_user, job))


@bp.post("/unit/<int:unit_id>/zip")
@allow(*EXPORTERS)
def start_unit_zip(unit_id):
    unit = db.get_or_404(OrgUnit, unit_id)
    ensure(documents.can_export_unit(current_user, unit))
    form = UnitZipForm()
    if not form.validate_on_submit():
        flash(_("Pilih tahun dan periode evaluasi, lalu coba lagi."), "danger")
        return redirect(url_for("evaluation_documents.unit_exports", unit_id=unit.id), code=303)
    back = url_for("evaluation_documents.unit_exports", unit_id=unit.id, period_id=form.period_id.data,
                   period_key=form.period_key.data)
    period = db.session.get(PerformancePeriod, form.period_id.data)
    try:
        job = documents.start_unit_zip(unit, period, form.period_key.data, user=current_user)
    except (documents.DocumentError, jobs.JobError) as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(back, code=303)
    db.session.commit()
    return redirect(url_for("jobs.show_job", job_id=job.id), code=303)


@bp.get("/zip/<int:job_id>")
@allow(AUTHENTICATED)
def download_unit_zip(job_id):
    job = db.get_or_404(Job, job_id)
    ensure(documents.can_download_zip(current_user, job))
    path = documents.finished_zip(job)
    if path is None:  # still running, failed, or the file was cleaned away
        abort(404)
    response = send_file(path, mimetype="application/zip", as_attachment=True,
                         download_name=documents.download_name(job), max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
