"""Employee directory, profile and the administrators' edit, transfer and supervisor forms."""
from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import contains_eager, joinedload

from portal.audit import services as audit_services
from portal.auth.models import Role
from portal.catalogue.learning_services import jp_totals
from portal.core.forms import choice_list, coerce_int
from portal.core.htmx import render_page
from portal.core.permissions import AUTHENTICATED, allow, ensure
from portal.extensions import db
from portal.people import rules, services
from portal.people.forms import DirectoryFilterForm, EmployeeForm, NewEmployeeForm, SupervisorForm, TransferForm
from portal.people.models import CivilStatus, Employee, EmployeeAssignment, EmployeeKind, Gender, OrgUnit, Position, PositionKind

bp = Blueprint("people", __name__, template_folder="templates", url_prefix="/pegawai")

MANAGERS = (Role.ADMIN_OPD, Role.BKPSDM, Role.SUPERADMIN)


def _page_number():
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


@bp.get("/")
@allow(AUTHENTICATED)
def list_employees():
    form = DirectoryFilterForm(request.args)
    # OPD level only (plus the current choice): a deeper unit is filtered from its unit page.
    form.unit.choices = choice_list([(None, _("Semua unit kerja"))] + services.unit_choices(
        max_depth=1, also=form.unit.data))
    unit = db.session.get(OrgUnit, form.unit.data) if form.unit.data else None
    form.validate()
    stmt = services.employee_query(
        q=form.q.data if not form.q.errors else None, unit=unit,
        golongan=form.golongan.data or None,
        # An unknown jenis in the address bar filters nothing instead of failing.
        position_kind=form.jenis.data if form.jenis.data in {k.value for k in PositionKind} else None,
    ).options(contains_eager(Employee.position), joinedload(Employee.org_unit))
    page = db.paginate(stmt, page=_page_number(), per_page=current_app.config["PER_PAGE"],
                       error_out=False, count=True)
    jp_year = date.today().year
    return render_page("people/list.html", "people/_results.html", form=form, page=page,
                       can_create=bool(current_user.manages_whole_instansi or current_user.admin_units),
                       jp_year=jp_year, jp=jp_totals(jp_year, [e.id for e in page.items]),
                       jp_visible={e.id for e in page.items if _sees_jp(e)})


def _sees_jp(employee) -> bool:
    """Learning hours are personal data (``can_view_details``), decided here without a query per
    row: whole-instansi roles, admins of the unit, the employee and the direct supervisor."""
    me = current_user.employee
    return (current_user.sees_whole_instansi or current_user.manages_unit(employee.org_unit)
            or (me is not None and me.id in (employee.id, employee.supervisor_id)))


@bp.get("/<int:employee_id>")
@allow(AUTHENTICATED)
def show_employee(employee_id):
    employee = db.get_or_404(Employee, employee_id, options=[
        joinedload(Employee.org_unit), joinedload(Employee.position), joinedload(Employee.supervisor)])
    ensure(employee.can_view(current_user))
    details = employee.can_view_details(current_user)
    subordinates = history = []
    if details:
        subordinates = db.session.scalars(
            db.select(Employee).where(Employee.supervisor_id == employee.id, Employee.is_active)
            .options(joinedload(Employee.position)).order_by(Employee.name)).all()
        history = db.session.scalars(
            db.select(EmployeeAssignment).where(EmployeeAssignment.employee_id == employee.id)
            .options(joinedload(EmployeeAssignment.org_unit), joinedload(EmployeeAssignment.position),
                     joinedload(EmployeeAssignment.supervisor))
            .order_by(EmployeeAssignment.start_date.desc(), EmployeeAssignment.id.desc())).all()
    return render_template("people/show.html", employee=employee, details=details,
                           subordinates=subordinates, history=history,
                           timeline=audit_services.timeline(employee, current_user),
                           can_edit=employee.can_edit(current_user),
                           can_manage_account=current_user.can_manage_accounts())


def _scoped_unit_choices():
    if current_user.manages_whole_instansi:
        return services.unit_choices()
    choices = []
    for scope in current_user.admin_units:
        choices.extend(services.unit_choices(within=scope))
    return choices


def _position_choices(unit_id):
    if not unit_id:
        return [(None, _("Pilih unit kerja lebih dulu"))]
    positions = db.session.scalars(
        db.select(Position).where(Position.org_unit_id == unit_id).order_by(Position.name)).all()
    if not positions:
        return [(None, _("Unit ini belum memiliki jabatan"))]
    return [(None, _("Pilih jabatan"))] + [(p.id, f"{p.name} ({p.kind_label})") for p in positions]


def _resolve_supervisor(form_field):
    raw = rules.normalise_nip(form_field.data)
    if not raw:
        return None, True
    supervisor = db.session.scalar(db.select(Employee).where(Employee.nip == raw))
    if supervisor is None:
        form_field.errors.append(_("Tidak ada pegawai dengan NIP %(nip)s di instansi ini.", nip=raw))
        return None, False
    return supervisor, True


def _employee_data(form, org_unit, position, supervisor):
    return services.EmployeeData(
        nip=form.nip.data, kind=EmployeeKind(form.kind.data), name=" ".join(form.name.data.split()),
        gender=Gender(form.gender.data), birth_date=form.birth_date.data, org_unit=org_unit,
        position=position, gelar_depan=form.gelar_depan.data or "",
        gelar_belakang=form.gelar_belakang.data or "", tmt_date=form.tmt_date.data,
        civil_status=CivilStatus(form.civil_status.data) if form.civil_status.data else None,
        golongan=form.golongan.data or None, supervisor=supervisor, email=form.email.data,
        phone=form.phone.data, is_active=form.is_active.data)


def _attach_error(form, exc):
    field = getattr(form, exc.field or "", None) or getattr(form, {
        "org_unit": "org_unit", "supervisor": "supervisor_nip"}.get(exc.field or "", ""), None)
    if field is None:
        form.form_errors.append(str(exc))
    else:
        field.errors = list(field.errors) + [str(exc)]


@bp.route("/baru", methods=["GET", "POST"])
@allow(*MANAGERS)
def new_employee():
    form = NewEmployeeForm()
    form.org_unit.choices = choice_list([(None, _("Pilih unit kerja"))] + _scoped_unit_choices())
    unit_id = form.org_unit.data or coerce_int(request.args.get("org_unit"))
    form.position.choices = choice_list(_position_choices(unit_id))
    if request.method == "POST" and form.validate():
        unit = db.session.get(OrgUnit, form.org_unit.data)
        position = db.session.get(Position, form.position.data)
        ensure(unit is not None and current_user.manages_unit(unit))
        supervisor, ok = _resolve_supervisor(form.supervisor_nip)
        if ok and position is not None:
            try:
                employee = services.create_employee(_employee_data(form, unit, position, supervisor))
            except services.PeopleError as exc:
                db.session.rollback()
                _attach_error(form, exc)
            else:
                db.session.commit()
                flash(_("Pegawai %(name)s sudah ditambahkan.", name=employee.display_name), "success")
                return redirect(url_for("people.show_employee", employee_id=employee.id))
        elif position is None:
            form.position.errors.append(_("Pilih jabatan di unit kerja yang dipilih."))
    return render_template("people/new.html", form=form)


@bp.route("/<int:employee_id>/ubah", methods=["GET", "POST"])
@allow(*MANAGERS)
def edit_employee(employee_id):
    employee = db.get_or_404(Employee, employee_id)
    ensure(employee.can_edit(current_user))
    form = EmployeeForm(obj=employee if request.method == "GET" else None)
    if request.method == "GET":
        form.kind.data = employee.kind.value
        form.gender.data = employee.gender.value
        form.civil_status.data = employee.civil_status.value if employee.civil_status else ""
        form.golongan.data = employee.golongan or ""
    if request.method == "POST" and form.validate():
        try:
            changes = services.update_employee(employee, _employee_data(
                form, employee.org_unit, employee.position, employee.supervisor))
        except services.PeopleError as exc:
            db.session.rollback()
            employee = db.get_or_404(Employee, employee_id)
            _attach_error(form, exc)
        else:
            db.session.commit()
            flash(_("Data pegawai sudah disimpan.") if changes else _("Tidak ada perubahan."),
                  "success" if changes else "info")
            return redirect(url_for("people.show_employee", employee_id=employee.id))
    return render_template("people/edit.html", form=form, employee=employee)


@bp.route("/<int:employee_id>/mutasi", methods=["GET", "POST"])
@allow(*MANAGERS)
def transfer_employee(employee_id):
    employee = db.get_or_404(Employee, employee_id)
    ensure(employee.can_edit(current_user))
    form = TransferForm()
    # A transfer may move someone out of an admin's scope only for instansi-wide managers.
    form.org_unit.choices = choice_list([(None, _("Pilih unit kerja"))] + _scoped_unit_choices())
    unit_id = form.org_unit.data or coerce_int(request.args.get("org_unit"))
    form.position.choices = choice_list(_position_choices(unit_id))
    if request.method == "POST" and form.validate():
        unit = db.session.get(OrgUnit, form.org_unit.data)
        position = db.session.get(Position, form.position.data)
        ensure(unit is not None and current_user.manages_unit(unit))
        supervisor, ok = _resolve_supervisor(form.supervisor_nip)
        if ok and position is not None:
            try:
                services.transfer_employee(employee, org_unit=unit, position=position,
                                           supervisor=supervisor, start_date=form.start_date.data,
                                           note=form.note.data or None)
            except services.PeopleError as exc:
                db.session.rollback()
                employee = db.get_or_404(Employee, employee_id)
                _attach_error(form, exc)
            else:
                db.session.commit()
                flash(_("Mutasi %(name)s sudah dicatat.", name=employee.display_name), "success")
                return redirect(url_for("people.show_employee", employee_id=employee.id))
        elif position is None:
            form.position.errors.append(_("Pilih jabatan di unit kerja yang dipilih."))
    return render_template("people/transfer.html", form=form, employee=employee)


@bp.route("/<int:employee_id>/atasan", methods=["GET", "POST"])
@allow(*MANAGERS)
def change_supervisor(employee_id):
    employee = db.get_or_404(Employee, employee_id)
    ensure(employee.can_edit(current_user))
    form = SupervisorForm()
    if request.method == "POST" and form.validate():
        supervisor, ok = _resolve_supervisor(form.supervisor_nip)
        if ok:
            try:
                services.change_supervisor(employee, supervisor, form.start_date.data,
                                           form.note.data or None)
            except services.PeopleError as exc:
                db.session.rollback()
                employee = db.get_or_404(Employee, employee_id)
                form.supervisor_nip.errors.append(str(exc))
            else:
                db.session.commit()
                flash(_("Atasan langsung sudah diganti."), "success")
                return redirect(url_for("people.show_employee", employee_id=employee.id))
    return render_template("people/supervisor.html", form=form, employee=employee)
