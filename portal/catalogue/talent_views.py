"""Talent (9-box): BKPSDM records potential; the grid of kinerja × potensial.

The grid is for BKPSDM, the superadmin and pimpinan; recording potential (inline, or a CSV
import) for BKPSDM and the superadmin."""
from datetime import date

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.models import Role
from portal.catalogue import rules
from portal.catalogue import talent_services as services
from portal.catalogue.errors import CatalogueError
from portal.catalogue.models import Potential, TalentAssessment
from portal.catalogue.talent_forms import GridFilterForm, PotentialFilterForm, PotentialForm, PotentialImportForm
from portal.catalogue.tna_services import opd_choices
from portal.core.forms import attach_error, page_number
from portal.core.htmx import render_page
from portal.core.permissions import allow, ensure
from portal.extensions import db, htmx
from portal.people.models import Employee, OrgUnit

bp = Blueprint("talent", __name__, template_folder="templates", url_prefix="/talenta")

GRID_ROLES = (Role.BKPSDM, Role.SUPERADMIN, Role.PIMPINAN)
RECORD_ROLES = (Role.BKPSDM, Role.SUPERADMIN)


def _opd(filters):
    return db.session.get(OrgUnit, filters.opd.data) if filters.opd.data else None


# ---------------------------------------------------------------- the grid
@bp.get("/")
@allow(*GRID_ROLES)
def show_grid():
    ensure(current_user.sees_whole_instansi)
    filters = GridFilterForm(request.args).fill(opd_choices(current_user))
    year, opd, box = filters.tahun.data, _opd(filters), filters.kotak.data
    page = predicates = None
    if box is not None:
        page = db.paginate(services.box_members_query(year, box, opd), page=page_number(),
                           per_page=current_app.config["PER_PAGE"], error_out=False)
        predicates = services.predicates_of([e.id for e in page.items], year)
    return render_page("catalogue/talent/grid.html", "catalogue/talent/_grid.html",
                       filters=filters, grid=services.nine_box_grid(year, opd), box=box, page=page,
                       predicates=predicates, actions=rules.BOX_ACTIONS, kinerja_titles=services.KINERJA_TITLES,
                       box_of=services.BOX_OF, can_record=TalentAssessment.can_record(current_user))


# ---------------------------------------------------------------- recording potential
def _blank_form(employee, year, assessment):
    form = PotentialForm(formdata=None)
    form.tahun.data = year
    if assessment is not None:
        form.potential.data, form.note.data = assessment.potential.value, assessment.note
    return form


@bp.get("/potensial")
@allow(*RECORD_ROLES)
def list_potentials():
    ensure(TalentAssessment.can_record(current_user))
    filters = PotentialFilterForm(request.args).fill(opd_choices(current_user))
    filters.validate()
    q = None if filters.q.errors else filters.q.data
    page = db.paginate(services.potential_list_query(q=q, opd=_opd(filters)), page=page_number(),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    year = filters.tahun.data
    return render_page("catalogue/talent/potentials.html", "catalogue/talent/_potentials.html",
                       filters=filters, page=page, year=year,
                       assessments=services.assessments_for([e.id for e in page.items], year),
                       blank_form=_blank_form)


def _row(employee, year, assessment, form=None, error=None, saved=None):
    return render_template("catalogue/talent/_potential_row.html", employee=employee, year=year,
                           assessment=assessment, form=form or _blank_form(employee, year, assessment),
                           error=error, saved=saved)


@bp.post("/potensial/<int:employee_id>")
@allow(*RECORD_ROLES)
def set_potential(employee_id):
    employee = db.get_or_404(Employee, employee_id)
    ensure(TalentAssessment.can_record(current_user))
    form = PotentialForm()
    year = form.tahun.data or date.today().year
    back = redirect(url_for("talent.list_potentials", tahun=year), code=303)
    if form.validate():
        try:
            assessment = services.set_potential(employee, year, Potential(form.potential.data), form.note.data or "",
                                                actor=current_user)
        except CatalogueError as exc:
            attach_error(form, exc)
        else:
            db.session.commit()
            message = _("Potensial %(name)s tahun %(year)s: %(potential)s.", name=employee.display_name, year=year,
                        potential=assessment.potential.title)
            if htmx:
                return _row(employee, year, assessment, saved=message)
            flash(message, "success")
            return back
    existing = services.assessments_for([employee.id], year).get(employee.id)
    if htmx:
        return _row(employee, year, existing, form=form, error=" ".join(form.form_errors) or None)
    messages = [*form.form_errors, *(e for f in (form.potential, form.note) for e in f.errors)]
    flash(" ".join(str(m) for m in messages) or _("Periksa kembali isian."), "danger")
    return back


@bp.route("/potensial/impor", methods=["GET", "POST"])
@allow(*RECORD_ROLES)
def import_potentials():
    ensure(TalentAssessment.can_record(current_user))
    form = PotentialImportForm().fill()
    report = None
    if form.validate_on_submit():
        report = services.import_potentials(form.file.data.read(), form.tahun.data, actor=current_user)
        if report.failed:
            db.session.rollback()
        else:
            db.session.commit()
            flash(_("%(rows)d baris diimpor; potensial %(written)d pegawai tercatat atau berubah untuk tahun %(year)s.",
                    rows=len(report.rows), written=report.written, year=form.tahun.data), "success")
            return redirect(url_for("talent.list_potentials", tahun=form.tahun.data), code=303)
    return render_template("catalogue/talent/import.html", form=form, report=report)


@bp.get("/potensial/templat.csv")
@allow(*RECORD_ROLES)
def download_template():
    ensure(TalentAssessment.can_record(current_user))
    return Response(services.template_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="templat-potensial.csv"'})
