"""Learning hours: the employee's JP ledger and external certificates, BKPSDM's verification queue."""
from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from portal.auth.models import Role
from portal.catalogue import certificate_storage
from portal.catalogue import learning_services as services
from portal.catalogue.errors import CatalogueError
from portal.catalogue.learning_forms import CertificateForm, RejectForm, VerifyForm
from portal.catalogue.models import ExternalCertificate, Programme, ProgrammeStatus
from portal.core.forms import ConfirmForm, attach_error, choice_list, page_number
from portal.core.htmx import render_page
from portal.core.permissions import AUTHENTICATED, allow, ensure
from portal.extensions import db
from portal.people.models import Employee

bp = Blueprint("learning", __name__, template_folder="templates", url_prefix="/jam-pelajaran")


# ---------------------------------------------------------------- loading
def _load_employee(employee_id) -> Employee:
    return db.get_or_404(Employee, employee_id, options=[joinedload(Employee.org_unit), joinedload(Employee.position)])


def _load_certificate(certificate_id) -> ExternalCertificate:
    return db.get_or_404(ExternalCertificate, certificate_id, options=[
        joinedload(ExternalCertificate.employee).joinedload(Employee.org_unit),
        joinedload(ExternalCertificate.programme), joinedload(ExternalCertificate.verified_by)])


def _year() -> int:
    current = date.today().year
    try:
        year = int(request.args.get("year", current))
    except ValueError:
        return current
    return year if 1970 <= year <= current + 1 else current


def _own_employee():
    """The signed-in user's employee record (404 for an account without one)."""
    if current_user.employee is None:
        abort(404)
    return current_user.employee


# ---------------------------------------------------------------- the ledger
def _render_ledger(employee, *, own):
    year = _year()
    return render_page(
        "catalogue/learning/ledger.html", "catalogue/learning/_ledger.html",
        employee=employee, own=own, year=year, years=services.ledger_years(employee.id, date.today().year),
        progress=services.progress_of(employee.id, year), lines=services.ledger_lines(employee.id, year),
        certificates=services.certificates_of(employee.id, year), delete_form=ConfirmForm())


@bp.get("/")
@allow(AUTHENTICATED)
def my_ledger():
    if current_user.employee is None:
        return render_template("catalogue/learning/no_employee.html")
    return _render_ledger(current_user.employee, own=True)


@bp.get("/pegawai/<int:employee_id>")
@allow(AUTHENTICATED)
def show_ledger(employee_id):
    employee = _load_employee(employee_id)
    ensure(employee.can_view_details(current_user))
    own = current_user.employee is not None and current_user.employee.id == employee.id
    return _render_ledger(employee, own=own)


# ---------------------------------------------------------------- certificates
def _render_form(form, certificate=None):
    return render_template("catalogue/learning/certificate_form.html", form=form, certificate=certificate,
                           max_size=certificate_storage.max_size_text())


@bp.route("/sertifikat/baru", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def new_certificate():
    employee = _own_employee()
    form = CertificateForm()
    if request.method == "GET" or not form.validate_on_submit():
        return _render_form(form)
    try:
        certificate = services.submit_certificate(employee, form.data_for_service(), request.files.get(form.file.name))
    except CatalogueError as exc:
        db.session.rollback()
        attach_error(form, exc)
        return _render_form(form)
    db.session.commit()
    flash(_("Sertifikat %(name)s dikirim. BKPSDM akan memverifikasinya sebelum JP-nya dicatat.",
            name=certificate.name), "success")
    return redirect(url_for("learning.my_ledger", year=certificate.year), 303)


@bp.get("/sertifikat/<int:certificate_id>")
@allow(AUTHENTICATED)
def show_certificate(certificate_id):
    certificate = _load_certificate(certificate_id)
    ensure(certificate.can_view(current_user))
    return _render_certificate(certificate)


def _render_certificate(certificate, verify_form=None, reject_form=None):
    verify_form = verify_form or VerifyForm(formdata=None)
    if certificate.can_verify(current_user):
        verify_form.programme.choices = _programme_choices()
    return render_template("catalogue/learning/certificate.html", certificate=certificate,
                           verify_form=verify_form, reject_form=reject_form or RejectForm(formdata=None),
                           delete_form=ConfirmForm(),
                           can_edit=certificate.can_edit(current_user), can_verify=certificate.can_verify(current_user))


def _programme_choices():
    rows = db.session.execute(sa.select(Programme.id, Programme.code, Programme.title)
                              .where(Programme.status == ProgrammeStatus.ACTIVE).order_by(Programme.title))
    return choice_list([(None, _("— tidak ada —"))] + [(r.id, f"{r.title} ({r.code})") for r in rows])


@bp.route("/sertifikat/<int:certificate_id>/ubah", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def edit_certificate(certificate_id):
    certificate = _load_certificate(certificate_id)
    ensure(certificate.can_edit(current_user))
    if request.method == "GET":
        return _render_form(CertificateForm(obj=certificate), certificate)
    form = CertificateForm()
    if not form.validate_on_submit():
        return _render_form(form, certificate)
    try:
        services.update_certificate(certificate, form.data_for_service(), request.files.get(form.file.name))
    except CatalogueError as exc:
        db.session.rollback()
        attach_error(form, exc)
        return _render_form(form, _load_certificate(certificate_id))
    db.session.commit()
    flash(_("Sertifikat %(name)s diperbarui dan menunggu verifikasi.", name=certificate.name), "success")
    return redirect(url_for("learning.show_certificate", certificate_id=certificate.id), 303)


@bp.post("/sertifikat/<int:certificate_id>/hapus")
@allow(AUTHENTICATED)
def delete_certificate(certificate_id):
    certificate = _load_certificate(certificate_id)
    ensure(certificate.can_edit(current_user))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name, year = certificate.name, certificate.year
    try:
        services.delete_certificate(certificate)
    except CatalogueError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("learning.show_certificate", certificate_id=certificate_id), 303)
    db.session.commit()
    flash(_("Sertifikat %(name)s dihapus.", name=name), "success")
    return redirect(url_for("learning.my_ledger", year=year), 303)


@bp.get("/sertifikat/<int:certificate_id>/berkas")
@allow(AUTHENTICATED)
def download_certificate(certificate_id):
    certificate = db.get_or_404(ExternalCertificate, certificate_id)
    ensure(certificate.can_view(current_user))
    if certificate.stored_name is None:
        flash(_("Sertifikat ini tidak memiliki berkas pindaian."), "warning")
        return redirect(url_for("learning.show_certificate", certificate_id=certificate.id))
    try:
        path = certificate_storage.stored_path(certificate.stored_name)
    except FileNotFoundError:
        abort(404)
    if not path.is_file():
        abort(404)
    content_type = certificate.content_type if certificate.content_type in certificate_storage.ALLOWED_TYPES \
        else "application/octet-stream"
    response = send_file(path, mimetype=content_type, as_attachment=True, max_age=0,
                         download_name=certificate_storage.download_name(certificate.file_name, content_type))
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- BKPSDM verification
@bp.get("/verifikasi")
@allow(Role.BKPSDM, Role.SUPERADMIN)
def verification_queue():
    page = db.paginate(services.verification_queue(), page=page_number(), per_page=current_app.config["PER_PAGE"],
                       error_out=False, count=True)
    return render_page("catalogue/learning/queue.html", "catalogue/learning/_queue.html", page=page)


def _not_waiting(certificate):
    flash(_("Sertifikat ini sudah %(status)s.", status=str(certificate.status.title).lower()), "warning")
    return redirect(url_for("learning.show_certificate", certificate_id=certificate.id), 303)


@bp.post("/sertifikat/<int:certificate_id>/verifikasi")
@allow(Role.BKPSDM, Role.SUPERADMIN)
def verify_certificate(certificate_id):
    certificate = _load_certificate(certificate_id)
    ensure(current_user.manages_whole_instansi)
    if not certificate.can_verify(current_user):
        return _not_waiting(certificate)
    form = VerifyForm()
    form.programme.choices = _programme_choices()
    if not form.validate_on_submit():
        return _render_certificate(certificate, verify_form=form)
    programme = db.session.get(Programme, form.programme.data) if form.programme.data else None
    try:
        services.verify_certificate(certificate, programme=programme)
    except CatalogueError as exc:
        db.session.rollback()
        attach_error(form, exc)
        return _render_certificate(_load_certificate(certificate_id), verify_form=form)
    db.session.commit()
    flash(_("Sertifikat %(name)s diverifikasi; %(jp)s JP dicatat untuk %(employee)s.", name=certificate.name,
            jp=certificate.jp, employee=certificate.employee.display_name), "success")
    return redirect(url_for("learning.verification_queue"), 303)


@bp.post("/sertifikat/<int:certificate_id>/tolak")
@allow(Role.BKPSDM, Role.SUPERADMIN)
def reject_certificate(certificate_id):
    certificate = _load_certificate(certificate_id)
    ensure(current_user.manages_whole_instansi)
    if not certificate.can_verify(current_user):
        return _not_waiting(certificate)
    form = RejectForm()
    if not form.validate_on_submit():
        return _render_certificate(certificate, reject_form=form)
    try:
        services.reject_certificate(certificate, form.reason.data)
    except CatalogueError as exc:
        db.session.rollback()
        attach_error(form, exc)
        return _render_certificate(_load_certificate(certificate_id), reject_form=form)
    db.session.commit()
    flash(_("Sertifikat %(name)s ditolak; pegawai diberi tahu alasannya.", name=certificate.name), "success")
    return redirect(url_for("learning.verification_queue"), 303)
