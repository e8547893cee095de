"""Individual development plans (IDP): the employee plans the year in the 70-20-10 split, the supervisor approves."""
from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from portal.catalogue import idp_services
from portal.catalogue.errors import CatalogueError
from portal.catalogue.idp_forms import (
    ACTIVITY_FORMS,
    APPROVE,
    ActivityForm,
    DecisionForm,
    ItemForm,
    ItemStatusForm,
    SubmitForm,
)
from portal.catalogue.models import DevelopmentPlan, DevelopmentPlanItem, IdpItemStatus, IdpStatus
from portal.core.forms import ConfirmForm, attach_error, page_number
from portal.core.htmx import render_page
from portal.core.permissions import AUTHENTICATED, allow, ensure
from portal.extensions import db
from portal.people.models import Employee

bp = Blueprint("idp", __name__, template_folder="templates", url_prefix="/rencana-pengembangan")

# The years a plan can be made for: the last few and the next one.
YEARS_BACK, YEARS_AHEAD = 5, 1


def _year_range():
    this_year = date.today().year
    return range(this_year - YEARS_BACK, this_year + YEARS_AHEAD + 1)


def _load_plan(idp_id) -> DevelopmentPlan:
    return db.get_or_404(DevelopmentPlan, idp_id, options=[
        joinedload(DevelopmentPlan.employee).joinedload(Employee.supervisor),
        joinedload(DevelopmentPlan.approver),
        selectinload(DevelopmentPlan.items).joinedload(DevelopmentPlanItem.programme),
        selectinload(DevelopmentPlan.items).joinedload(DevelopmentPlanItem.recommendation)])


def _load_item(plan, item_id) -> DevelopmentPlanItem:
    item = next((i for i in plan.items if i.id == item_id), None)
    if item is None:
        abort(404)
    return item


def _plan_context(plan, *, decision_form=None, decision_error=None, submit_error=None):
    """What _plan.html needs for ``plan`` (None: the signed-in employee has none for the year)."""
    context = {"plan": plan, "decision_form": decision_form, "decision_error": decision_error,
               "submit_error": submit_error, "confirm": ConfirmForm(formdata=None)}
    if plan is None:
        return context
    context.update(
        progress=idp_services.plan_progress(plan),
        can_edit=plan.can_edit(current_user),
        can_submit=plan.can_submit(current_user),
        can_decide=plan.can_decide(current_user),
        submit_form=SubmitForm(formdata=None, lock_version=plan.lock_version))
    if context["can_decide"] and decision_form is None:
        context["decision_form"] = DecisionForm(formdata=None, lock_version=plan.lock_version)
    return context


def _show(plan, status=200, **extra):
    """The plan's page: the owner's own page for their plan, the read-only/decision page for others."""
    if plan.employee_id == getattr(current_user.employee, "id", None):
        return render_template("catalogue/idp/mine.html", year=plan.year, years=_years_of(plan.employee),
                               **_plan_context(plan, **extra)), status
    return render_template("catalogue/idp/show.html", **_plan_context(plan, **extra)), status


def _years_of(employee):
    """Years to switch between: those with a plan, this year and the next."""
    years = set(db.session.scalars(sa.select(DevelopmentPlan.year).where(DevelopmentPlan.employee_id == employee.id)))
    this_year = date.today().year
    years.update({this_year, this_year + 1})
    return sorted(y for y in years if y in _year_range())


def _back(plan):
    if plan.employee_id == getattr(current_user.employee, "id", None):
        return redirect(url_for("idp.my_plan", year=plan.year), code=303)
    return redirect(url_for("idp.show_plan", idp_id=plan.id), code=303)


# ---------------------------------------------------------------- reading
@bp.get("/")
@allow(AUTHENTICATED)
def my_plan():
    me = current_user.employee
    if me is None:
        return render_template("catalogue/idp/no_employee.html")
    year = request.args.get("year", type=int)
    if year not in _year_range():
        year = date.today().year
    plan = idp_services.plan_for(me, year)
    if plan is not None:
        plan = _load_plan(plan.id)
    return render_page("catalogue/idp/mine.html", "catalogue/idp/_plan.html", year=year, years=_years_of(me),
                       **_plan_context(plan))


@bp.get("/<int:idp_id>")
@allow(AUTHENTICATED)
def show_plan(idp_id):
    plan = _load_plan(idp_id)
    ensure(plan.can_view(current_user))
    return render_page("catalogue/idp/show.html", "catalogue/idp/_plan.html", **_plan_context(plan))


# ---------------------------------------------------------------- editing
def _render_activity(year, form, plan=None, item=None, status=200):
    return render_template("catalogue/idp/activity.html", year=year, form=form, plan=plan, item=item,
                           form_groups=ACTIVITY_FORMS), status


@bp.route("/<int:year>/kegiatan-baru", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def add_activity(year):
    if year not in _year_range():
        abort(404)
    me = current_user.employee
    ensure(me is not None)
    plan = idp_services.plan_for(me, year)
    if request.method == "GET":
        return _render_activity(year, ActivityForm(formdata=None), plan)
    form = ActivityForm()
    if not form.validate():
        return _render_activity(year, form, plan)
    try:
        plan = idp_services.plan_for(me, year, create=True)
        idp_services.add_item(plan, form=form.programme_form, title=form.title.data,
                              target_date=form.target_date.data, jp=form.jp_planned.data, note=form.note.data)
    except CatalogueError as exc:
        db.session.rollback()
        attach_error(form, exc)
        return _render_activity(year, form, idp_services.plan_for(current_user.employee, year))
    db.session.commit()
    flash(_("Kegiatan \u201c%(title)s\u201d ditambahkan ke rencana pengembangan %(year)s.",
            title=form.title.data, year=year), "success")
    return redirect(url_for("idp.my_plan", year=year), code=303)


@bp.route("/<int:idp_id>/kegiatan/<int:item_id>", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def edit_item(idp_id, item_id):
    plan = _load_plan(idp_id)
    item = _load_item(plan, item_id)
    ensure(plan.can_edit(current_user))
    if request.method == "GET":
        form = ItemForm(formdata=None, obj=item)
        return _render_activity(plan.year, form, plan, item)
    form = ItemForm()
    if not form.validate():
        return _render_activity(plan.year, form, plan, item)
    try:
        idp_services.update_item(item, target_date=form.target_date.data, jp=form.jp_planned.data,
                                 note=form.note.data, title=form.title.data if item.programme_id is None else None)
    except CatalogueError as exc:
        db.session.rollback()
        attach_error(form, exc)
        plan = _load_plan(idp_id)
        return _render_activity(plan.year, form, plan, _load_item(plan, item_id))
    db.session.commit()
    flash(_("Kegiatan \u201c%(title)s\u201d diperbarui.", title=item.title), "success")
    return _back(plan)


@bp.post("/<int:idp_id>/kegiatan/<int:item_id>/hapus")
@allow(AUTHENTICATED)
def remove_item(idp_id, item_id):
    plan = _load_plan(idp_id)
    item = _load_item(plan, item_id)
    ensure(plan.can_edit(current_user))
    if not ConfirmForm().validate():
        flash(_("Token keamanan formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), "danger")
        return _back(plan)
    title, from_recommendation = item.title, item.recommendation_id is not None
    try:
        idp_services.remove_item(item)
    except CatalogueError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return _back(plan)
    db.session.commit()
    if from_recommendation:
        flash(_("\u201c%(title)s\u201d dihapus dari rencana; rekomendasinya kembali ke daftar rekomendasi Anda.",
                title=title), "success")
    else:
        flash(_("\u201c%(title)s\u201d dihapus dari rencana.", title=title), "success")
    return _back(plan)


@bp.post("/<int:idp_id>/kegiatan/<int:item_id>/status")
@allow(AUTHENTICATED)
def set_item_status(idp_id, item_id):
    plan = _load_plan(idp_id)
    item = _load_item(plan, item_id)
    ensure(plan.can_edit(current_user))
    form = ItemStatusForm()
    if not form.validate():
        flash(_("Status kegiatan tidak dikenal."), "danger")
        return _back(plan)
    status = IdpItemStatus(form.status.data)
    try:
        idp_services.set_item_status(item, status)
    except CatalogueError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return _back(plan)
    db.session.commit()
    flash(_("\u201c%(title)s\u201d: %(status)s.", title=item.title, status=status.title), "success")
    return _back(plan)


# ---------------------------------------------------------------- approval
@bp.post("/<int:idp_id>/ajukan")
@allow(AUTHENTICATED)
def submit_plan(idp_id):
    plan = _load_plan(idp_id)
    ensure(plan.can_edit(current_user))
    form = SubmitForm()
    if not form.validate():
        return _show(plan, submit_error=_("Token keamanan formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."))
    try:
        idp_services.submit_plan(plan, lock_version=form.lock_version.data or None)
    except CatalogueError as exc:
        db.session.rollback()
        return _show(_load_plan(idp_id), submit_error=str(exc))
    db.session.commit()
    flash(_("Rencana pengembangan %(year)s diajukan kepada %(name)s.", year=plan.year,
            name=plan.approver.display_name), "success")
    return _back(plan)


@bp.post("/<int:idp_id>/putuskan")
@allow(AUTHENTICATED)
def decide_plan(idp_id):
    plan = _load_plan(idp_id)
    # The direct supervisor may post here whatever the plan's state: a plan decided meanwhile gets
    # a clear message on the page, not a 403.
    ensure(plan.is_supervisor(current_user))
    form = DecisionForm()
    if not form.validate():
        return _show(plan, decision_form=form)
    try:
        if form.decision.data == APPROVE:
            idp_services.approve_plan(plan, lock_version=form.lock_version.data or None)
        else:
            idp_services.return_plan(plan, form.reason.data, lock_version=form.lock_version.data or None)
    except CatalogueError as exc:
        db.session.rollback()
        message = None
        if exc.field:
            attach_error(form, exc)
        else:
            message = str(exc)
        return _show(_load_plan(idp_id), decision_form=form, decision_error=message)
    db.session.commit()
    if plan.status is IdpStatus.APPROVED:
        flash(_("Rencana pengembangan %(name)s disetujui.", name=plan.employee.display_name), "success")
    else:
        flash(_("Rencana pengembangan %(name)s dikembalikan dengan alasan.", name=plan.employee.display_name),
              "success")
    return redirect(url_for("idp.approval_inbox"), code=303)


@bp.get("/persetujuan")
@allow(AUTHENTICATED)
def approval_inbox():
    me = current_user.employee
    page = None
    if me is not None:
        stmt = (sa.select(DevelopmentPlan).join(DevelopmentPlan.employee)
                .where(Employee.supervisor_id == me.id, DevelopmentPlan.status == IdpStatus.SUBMITTED)
                .options(contains_eager(DevelopmentPlan.employee), selectinload(DevelopmentPlan.items))
                .order_by(DevelopmentPlan.submitted_dt, DevelopmentPlan.id))
        page = db.paginate(stmt, page=page_number(), per_page=current_app.config["PER_PAGE"], error_out=False,
                           count=True)
    return render_page("catalogue/idp/inbox.html", "catalogue/idp/_inbox.html", page=page)
