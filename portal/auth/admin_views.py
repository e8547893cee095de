"""Account and role administration (superadmin only).

Accounts of ASN are created on demand, when a superadmin first issues a one-time password.
A one-time password is shown once, in the response to the POST that issued it, and never
stored or flashed (the session cookie is signed, not encrypted).
"""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.audit import services as audit_services
from portal.auth import admin_services
from portal.auth.admin_forms import (
    SHOW_WITHOUT_ACCOUNT,
    AccountFilterForm,
    ActionForm,
    GrantRoleForm,
    NewAdminForm,
    StatusForm,
)
from portal.auth.models import Role, User, UserRole
from portal.auth.services import AccountError
from portal.core.htmx import render_page
from portal.core.permissions import allow, ensure
from portal.extensions import db
from portal.people.models import Employee, OrgUnit
from portal.people.services import unit_choices

bp = Blueprint("accounts", __name__, template_folder="templates", url_prefix="/akun")


def _account_url(user):
    """The canonical page of an account: ASN accounts live under their employee."""
    if user.employee_id is not None:
        return url_for("accounts.show_account", employee_id=user.employee_id)
    return url_for("accounts.show_user", user_id=user.id)


def _render_account(user, employee=None, *, grant_form=None, otp=None):
    employee = employee if employee is not None else (user.employee if user else None)
    if grant_form is None:
        grant_form = GrantRoleForm(formdata=None)
    grant_form.set_unit_choices(unit_choices())
    response = current_app.make_response(render_template(
        "accounts/show.html", user=user, employee=employee, grant_form=grant_form,
        action_form=ActionForm(formdata=None), otp=otp,
        timeline=audit_services.timeline(user, current_user) if user else None))
    if otp:
        # The one-time password must not linger in any cache.
        response.headers["Cache-Control"] = "no-store"
    return response


def _incomplete_request():
    flash(_("Permintaan tidak lengkap. Gunakan tombol pada halaman akun."), "warning")


@bp.get("/")
@allow(Role.SUPERADMIN)
def list_accounts():
    ensure(current_user.can_manage_accounts())
    form = AccountFilterForm(request.args)
    form.validate()
    q = form.q.data if form.q.data and not form.q.errors else None
    without_account = form.tampil.data == SHOW_WITHOUT_ACCOUNT
    if without_account:
        stmt = admin_services.employees_without_account_query(q=q)
    else:
        stmt = admin_services.account_query(q=q, role=form.role.data)
    page = db.paginate(stmt, per_page=current_app.config["PER_PAGE"], error_out=False, count=True)
    return render_page("accounts/list.html", "accounts/_results.html", form=form, page=page,
                       without_account=without_account)


@bp.get("/pegawai/<int:employee_id>")
@allow(Role.SUPERADMIN)
def show_account(employee_id):
    employee = db.get_or_404(Employee, employee_id)
    ensure(current_user.can_manage_accounts())
    return _render_account(employee.user, employee)


@bp.get("/<int:user_id>")
@allow(Role.SUPERADMIN)
def show_user(user_id):
    user = db.get_or_404(User, user_id)
    ensure(current_user.can_manage_accounts())
    return _render_account(user)


@bp.post("/pegawai/<int:employee_id>/kata-sandi")
@allow(Role.SUPERADMIN)
def reset_employee_password(employee_id):
    employee = db.get_or_404(Employee, employee_id)
    ensure(current_user.can_manage_accounts())
    if not ActionForm().validate_on_submit():
        _incomplete_request()
        return redirect(url_for("accounts.show_account", employee_id=employee.id))
    try:
        user, otp = admin_services.issue_employee_password(employee, by=current_user)
    except AccountError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("accounts.show_account", employee_id=employee.id))
    db.session.commit()
    return _render_account(user, employee, otp=otp)


@bp.post("/<int:user_id>/kata-sandi")
@allow(Role.SUPERADMIN)
def reset_password(user_id):
    user = db.get_or_404(User, user_id)
    ensure(current_user.can_manage_accounts())
    if not ActionForm().validate_on_submit():
        _incomplete_request()
        return redirect(_account_url(user))
    try:
        otp = admin_services.issue_password(user, by=current_user)
    except AccountError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(_account_url(user))
    db.session.commit()
    return _render_account(user, otp=otp)


@bp.post("/<int:user_id>/peran")
@allow(Role.SUPERADMIN)
def grant_role(user_id):
    user = db.get_or_404(User, user_id)
    ensure(current_user.can_manage_accounts())
    form = GrantRoleForm()
    form.set_unit_choices(unit_choices())
    if form.validate_on_submit():
        unit = db.session.get(OrgUnit, form.org_unit.data) if form.role.data is Role.ADMIN_OPD else None
        try:
            admin_services.grant(user, form.role.data, unit)
        except AccountError as exc:
            db.session.rollback()
            form.role.errors = list(form.role.errors) + [str(exc)]
        else:
            db.session.commit()
            flash(_("Peran %(role)s sudah diberikan kepada %(name)s.", role=form.role.data.title,
                    name=user.display_name), "success")
            return redirect(_account_url(user))
    return _render_account(user, grant_form=form)


@bp.post("/peran/<int:grant_id>/cabut")
@allow(Role.SUPERADMIN)
def revoke_role(grant_id):
    grant = db.get_or_404(UserRole, grant_id)
    ensure(current_user.can_manage_accounts())
    user = grant.user
    if not ActionForm().validate_on_submit():
        _incomplete_request()
        return redirect(_account_url(user))
    role_title = grant.role.title
    try:
        admin_services.revoke(grant, by=current_user)
    except AccountError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
    else:
        db.session.commit()
        flash(_("Peran %(role)s sudah dicabut dari %(name)s.", role=role_title, name=user.display_name),
              "success")
    return redirect(_account_url(user))


@bp.post("/<int:user_id>/status")
@allow(Role.SUPERADMIN)
def set_status(user_id):
    user = db.get_or_404(User, user_id)
    ensure(current_user.can_manage_accounts())
    form = StatusForm()
    if not form.validate_on_submit():
        _incomplete_request()
        return redirect(_account_url(user))
    active = form.active.data == "1"
    try:
        admin_services.set_active(user, active, by=current_user)
    except AccountError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
    else:
        db.session.commit()
        flash(_("Akun %(name)s sudah diaktifkan.", name=user.display_name) if active
              else _("Akun %(name)s sudah dinonaktifkan.", name=user.display_name), "success")
    return redirect(_account_url(user))


@bp.route("/admin-baru", methods=["GET", "POST"])
@allow(Role.SUPERADMIN)
def new_admin():
    ensure(current_user.can_manage_accounts())
    form = NewAdminForm()
    form.set_unit_choices(unit_choices())
    if form.validate_on_submit():
        unit = db.session.get(OrgUnit, form.org_unit.data) if Role.ADMIN_OPD in form.roles.data else None
        try:
            user, otp = admin_services.create_administrator(
                form.username.data, form.full_name.data, form.roles.data, unit)
        except AccountError as exc:
            db.session.rollback()
            form.username.errors = list(form.username.errors) + [str(exc)]
        else:
            db.session.commit()
            return _render_account(user, otp=otp)
    return render_template("accounts/new_admin.html", form=form)
