"""Perjanjian Kinerja items of units (what heads of OPD intervene)."""
import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.models import Role
from portal.core.forms import ConfirmForm, choice_list
from portal.core.permissions import allow, ensure
from portal.extensions import db
from portal.people.models import OrgUnit
from portal.plans import period_services
from portal.plans.models import OrgTarget, PerformancePeriod
from portal.plans.period_forms import TargetFilterForm, TargetForm

bp = Blueprint("targets", __name__, template_folder="templates", url_prefix="/perjanjian-kinerja")

EDITORS = (Role.ADMIN_OPD, Role.BKPSDM, Role.SUPERADMIN)


def _units():
    """OPD-level units (depth 1) the user may read: all for instansi-wide roles, else their scope."""
    stmt = sa.select(OrgUnit).where(OrgUnit.is_active, OrgUnit.depth == 1).order_by(OrgUnit.name)
    if not current_user.sees_whole_instansi:
        scopes = current_user.admin_units
        if not scopes:
            return []
        stmt = stmt.where(sa.or_(*[OrgUnit.path.like(f"{u.path}%") for u in scopes]))
    return db.session.scalars(stmt).all()


def _period(year):
    period = db.session.scalar(sa.select(PerformancePeriod).where(PerformancePeriod.year == year)) if year else None
    return period or db.session.scalar(sa.select(PerformancePeriod).order_by(PerformancePeriod.year.desc()))


@bp.get("/")
@allow(*EDITORS, Role.PIMPINAN)
def list_targets():
    form = TargetFilterForm(request.args)
    units = _units()
    periods = db.session.scalars(period_services.period_query()).all()
    form.unit.choices = choice_list([(u.id, u.name) for u in units])
    form.year.choices = choice_list([(p.year, str(p.year)) for p in periods])
    unit = next((u for u in units if u.id == form.unit.data), units[0] if units else None)
    period = _period(form.year.data)
    form.unit.data = unit.id if unit else None
    form.year.data = period.year if period else None
    items = db.session.scalars(period_services.target_query(unit, period)).all() if unit and period else []
    return render_template("plans/target/list.html", form=form, unit=unit, period=period, items=items,
                           can_edit=bool(unit and current_user.manages_unit(unit)), confirm=ConfirmForm())


@bp.route("/baru", methods=["GET", "POST"])
@allow(*EDITORS)
def new_target():
    unit_id = request.args.get("unit", type=int)
    # Without a unit in the address: the first OPD the user manages (the page names it).
    unit = (db.session.get(OrgUnit, unit_id) if unit_id and 0 < unit_id < 2**31 else
            next((u for u in _units() if current_user.manages_unit(u)), None))
    period = _period(request.args.get("year", type=int))
    if unit is None or period is None or unit.depth != 1:
        abort(404)
    ensure(current_user.manages_unit(unit))
    form = TargetForm()
    if request.method == "POST" and form.validate():
        try:
            period_services.create_target(unit, period, goal=form.goal.data, indicator=form.indicator.data,
                                          target=form.target.data)
        except period_services.PeriodError as exc:
            db.session.rollback()
            _attach(form, exc)
        else:
            db.session.commit()
            flash(_("Butir Perjanjian Kinerja sudah ditambahkan."), "success")
            return redirect(url_for("targets.list_targets", unit=unit.id, year=period.year), code=303)
    return render_template("plans/target/form.html", form=form, unit=unit, period=period, item=None)


def _attach(form, exc):
    field = getattr(form, exc.field, None) if exc.field else None
    if field is None:
        form.form_errors.append(str(exc))
    else:
        field.errors = list(field.errors) + [str(exc)]


@bp.route("/<int:target_id>/ubah", methods=["GET", "POST"])
@allow(*EDITORS)
def edit_target(target_id):
    item = db.get_or_404(OrgTarget, target_id)
    ensure(item.can_edit(current_user))
    form = TargetForm(obj=item if request.method == "GET" else None)
    if request.method == "POST" and form.validate():
        try:
            period_services.update_target(item, goal=form.goal.data, indicator=form.indicator.data,
                                          target=form.target.data)
        except period_services.PeriodError as exc:
            db.session.rollback()
            item = db.get_or_404(OrgTarget, target_id)
            _attach(form, exc)
        else:
            db.session.commit()
            flash(_("Butir Perjanjian Kinerja sudah disimpan."), "success")
            return redirect(url_for("targets.list_targets", unit=item.org_unit_id, year=item.period.year), code=303)
    return render_template("plans/target/form.html", form=form, unit=item.org_unit, period=item.period, item=item,
                           confirm=ConfirmForm())


@bp.post("/<int:target_id>/hapus")
@allow(*EDITORS)
def delete_target(target_id):
    item = db.get_or_404(OrgTarget, target_id)
    ensure(item.can_edit(current_user))
    unit_id, year = item.org_unit_id, item.period.year
    if ConfirmForm().validate():
        try:
            period_services.delete_target(item)
        except period_services.PeriodError as exc:
            db.session.rollback()
            flash(str(exc), "warning")
        else:
            db.session.commit()
            flash(_("Butir Perjanjian Kinerja sudah dihapus."), "success")
    return redirect(url_for("targets.list_targets", unit=unit_id, year=year), code=303)
