"""The SKP: list, create, edit, workflow, dialog kinerja, cascade.

The plan page is one template (``plans/plan/show.html``) around one partial
(``plans/plan/_body.html``). Every edit URL answers GET with the plan and that edit form open in
place, and POST by saving; htmx requests get just the partial, which the page swaps in whole, so
every form on it carries the fresh ``lock_version`` after each save.
"""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import contains_eager, joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields.choices import SelectChoice

from portal.core.forms import choice_list, page_number
from portal.core.htmx import render_page
from portal.core.permissions import AUTHENTICATED, allow, ensure
from portal.extensions import db, htmx
from portal.people import rules as people_rules
from portal.people.models import Employee
from portal.plans import plan_services, rules
from portal.plans.models import (
    WORKING,
    Aspect,
    CoreValue,
    PerformancePeriod,
    PerformancePlan,
    PeriodStatus,
    PlanComment,
    PlanStatus,
    ResultKind,
    ResultPlan,
)
from portal.plans.plan_forms import (
    AspectForm,
    AttachmentForm,
    CommentForm,
    ExpectationForm,
    HeaderForm,
    IndicatorForm,
    NewPlanForm,
    PlanFilterForm,
    ResultForm,
    ReturnForm,
    WorkflowForm,
)

bp = Blueprint("plans", __name__, template_folder="templates", url_prefix="/skp")


# ---------------------------------------------------------------- helpers
def _load_plan(plan_id) -> PerformancePlan:
    return db.get_or_404(PerformancePlan, plan_id, options=[
        joinedload(PerformancePlan.employee).joinedload(Employee.supervisor),
        joinedload(PerformancePlan.appraiser), joinedload(PerformancePlan.period),
        joinedload(PerformancePlan.org_unit), joinedload(PerformancePlan.position),
        selectinload(PerformancePlan.results).selectinload(ResultPlan.indicators),
        selectinload(PerformancePlan.results).joinedload(ResultPlan.intervened_result),
        selectinload(PerformancePlan.results).joinedload(ResultPlan.org_target),
        selectinload(PerformancePlan.results).joinedload(ResultPlan.team_goal),
        selectinload(PerformancePlan.expectations),
        selectinload(PerformancePlan.comments).joinedload(PlanComment.author)])


def _load_result(plan, result_id) -> ResultPlan:
    result = next((r for r in plan.results if r.id == result_id), None)
    if result is None:
        from flask import abort
        abort(404)
    return result


def _permissions(plan):
    user = current_user
    return {"edit": plan.can_edit(user), "submit": plan.can_submit(user), "decide": plan.can_decide(user),
            "expect": plan.can_set_expectations(user), "comment": plan.can_comment(user),
            "revise": plan.can_revise(user), "download": plan.can_download(user)}


def _render(plan, editor=None, notice=None, comment_form=None):
    """The plan page (or, for htmx, its body) with at most one edit form open."""
    pegawai, penilai = plan_services.plan_people(plan)
    main = [r for r in plan.results if r.kind is ResultKind.MAIN]
    extra = [r for r in plan.results if r.kind is ResultKind.ADDITIONAL]
    return render_page(
        "plans/plan/show.html", "plans/plan/_body.html", plan=plan, editor=editor, notice=notice,
        can=_permissions(plan), pegawai=pegawai, penilai=penilai, groups=[("A", _("Utama"), main),
                                                                          ("B", _("Tambahan"), extra)],
        guides=rules.GUIDE_BEHAVIOURS, versions=plan_services.versions_of(plan),
        workflow=WorkflowForm(formdata=None, lock_version=plan.lock_version),
        comment_form=comment_form or CommentForm(formdata=None),
        pdf_url=(url_for("documents.plan_pdf", plan_id=plan.id)
                 if "documents.plan_pdf" in current_app.view_functions else None),
        statuses=PlanStatus)


def _refuse(plan, message):
    """The user may see the plan but not do this now: say why on the plan page (nothing changes)."""
    flash(message, "warning")
    target = url_for("plans.show_plan", plan_id=plan.id)
    if htmx:
        response = current_app.response_class(status=204)
        response.headers["HX-Redirect"] = target
        return response
    # 303 turns a refused POST into a GET of the plan; a refused GET (an edit form) is a plain 302
    return redirect(target, code=303 if request.method == "POST" else 302)


def _open_for_edit(plan_id, result_id=None):
    """(plan, RHK or None, refusal or None) for an edit view: 404 for a missing plan or RHK, 403
    for a plan the user may not see, a refusal (back to the plan, with why) when it may not be
    edited now."""
    plan = _load_plan(plan_id)
    result = _load_result(plan, result_id) if result_id is not None else None
    ensure(plan.can_view(current_user))
    if not plan.can_edit(current_user):
        return plan, result, _refuse(
            plan, _("SKP ini tidak dapat Anda ubah dalam status %(s)s.", s=plan.status.title))
    return plan, result, None


def _done(plan, message, anchor=None):
    """After a successful edit: the refreshed body for htmx, else back to the plan page."""
    if htmx:
        return _render(_load_plan(plan.id), notice=message)
    flash(message, "success")
    return redirect(url_for("plans.show_plan", plan_id=plan.id, _anchor=anchor), code=303)


def _attach(form, exc):
    field = getattr(form, exc.field, None) if exc.field else None
    if field is None or not hasattr(field, "errors"):
        form.form_errors.append(str(exc))
    else:
        field.errors = list(field.errors) + [str(exc)]


def _save(form, plan_id, action, *args, **kwargs):
    """Run an edit service; on a rule broken (or a stale form) roll back, note it on the form and
    return (None, fresh plan); on success return (result, None)."""
    try:
        return action(*args, **kwargs), None
    except StaleDataError:
        db.session.rollback()
        _attach(form, plan_services.StaleEdit())
    except plan_services.PlanError as exc:
        db.session.rollback()
        _attach(form, exc)
    return None, _load_plan(plan_id)


def _editor(kind, form, action, **extra):
    return {"kind": kind, "form": form, "action": action, **extra}


def _locked(form, plan):
    if request.method == "GET":
        form.lock_version.data = plan.lock_version
    return form


# ---------------------------------------------------------------- lists
@bp.get("/")
@allow(AUTHENTICATED)
def list_plans():
    me = current_user.employee
    own = []
    if me is not None:
        own = db.session.scalars(
            db.select(PerformancePlan).join(PerformancePlan.period).where(PerformancePlan.employee_id == me.id)
            .options(contains_eager(PerformancePlan.period), joinedload(PerformancePlan.org_unit))
            .order_by(PerformancePeriod.year.desc(), PerformancePlan.version.desc())).all()
    scope = plan_services.scope_filter(current_user)
    form = PlanFilterForm(request.args)
    form.year.choices = choice_list([(None, _("Semua tahun"))] + [
        (y, str(y)) for y in db.session.scalars(db.select(PerformancePeriod.year).order_by(
            PerformancePeriod.year.desc()))])
    page = None
    if scope is not None:
        form.validate()
        stmt = (db.select(PerformancePlan).join(PerformancePlan.employee).join(PerformancePlan.period)
                .where(scope))
        q = form.q.data if not form.q.errors else None
        if q:
            digits = people_rules.normalise_nip(q)
            if digits.isdigit():
                stmt = stmt.where(Employee.nip.like(f"{digits}%"))
            else:
                stmt = stmt.where(db.func.lower(Employee.name).like(f"%{' '.join(q.split()).lower()}%"))
        if form.year.data:
            stmt = stmt.where(PerformancePeriod.year == form.year.data)
        if form.status.data in {s.value for s in PlanStatus}:
            stmt = stmt.where(PerformancePlan.status == PlanStatus(form.status.data))
        stmt = stmt.options(contains_eager(PerformancePlan.employee), contains_eager(PerformancePlan.period),
                            joinedload(PerformancePlan.org_unit)).order_by(
            PerformancePeriod.year.desc(), Employee.name, Employee.id, PerformancePlan.version.desc())
        page = db.paginate(stmt, page=page_number(), per_page=current_app.config["PER_PAGE"],
                           error_out=False, count=True)
    has_subordinates = me is not None and db.session.scalar(
        db.select(db.func.count()).select_from(Employee).where(Employee.supervisor_id == me.id,
                                                               Employee.is_active)) > 0
    return render_page("plans/plan/list.html", "plans/plan/_results.html", own=own, page=page, form=form,
                       has_subordinates=has_subordinates, current=plan_services.current_period())


@bp.route("/baru", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def new_plan():
    me = current_user.employee
    periods = db.session.scalars(db.select(PerformancePeriod).where(
        PerformancePeriod.status == PeriodStatus.OPEN).order_by(PerformancePeriod.year.desc())).all()
    form = NewPlanForm()
    form.period.choices = choice_list([(p.id, str(p.year)) for p in periods])
    if request.method == "GET":
        current = plan_services.current_period()
        form.period.data = current.id if current else None
    existing = {p.id: plan_services.plan_for(me, p) for p in periods} if me is not None else {}
    if request.method == "POST" and me is not None and form.validate():
        period = db.session.get(PerformancePeriod, form.period.data)
        try:
            plan = plan_services.create_plan(me, period, start_from=form.start_from.data or None)
        except plan_services.PlanError as exc:
            db.session.rollback()
            _attach(form, exc)
        else:
            db.session.commit()
            flash(_("SKP %(year)s sudah dibuat sebagai draf. Lengkapi RHK dan IKI, lalu ajukan ke "
                    "pejabat penilai.", year=period.year), "success")
            return redirect(url_for("plans.show_plan", plan_id=plan.id), code=303)
    return render_template("plans/plan/new.html", form=form, me=me, periods=periods, existing=existing)


@bp.get("/kaskade")
@allow(AUTHENTICATED)
def cascade():
    me = current_user.employee
    period = plan_services.current_period()
    my_plan = None
    rows, orphans, without_plan, sub_plans = [], [], [], {}
    if me is not None and period is not None:
        my_plan = plan_services.approved_plan(me, period) or plan_services.plan_for(me, period)
        subordinates = db.session.scalars(db.select(Employee).where(
            Employee.supervisor_id == me.id, Employee.is_active)
            .options(joinedload(Employee.position)).order_by(Employee.name)).all()
        plans = db.session.scalars(db.select(PerformancePlan).where(
            PerformancePlan.employee_id.in_([s.id for s in subordinates]), PerformancePlan.period_id == period.id,
            PerformancePlan.status.in_([*WORKING, PlanStatus.APPROVED]))
            .options(selectinload(PerformancePlan.results).joinedload(ResultPlan.intervened_result))
            .order_by(PerformancePlan.version)).all()
        for p in plans:  # the working version wins over the approved one (as plan_for)
            if p.employee_id not in sub_plans or p.status in WORKING:
                sub_plans[p.employee_id] = p
        without_plan = [s for s in subordinates if s.id not in sub_plans]
        by_name = {s.id: s for s in subordinates}
        my_plan_ids = set(db.session.scalars(db.select(PerformancePlan.id).where(
            PerformancePlan.employee_id == me.id, PerformancePlan.period_id == period.id)))
        links = {}
        for p in sub_plans.values():
            for r in p.results:
                if r.intervened_result is not None and r.intervened_result.plan_id in my_plan_ids:
                    links.setdefault(r.intervened_result_id, []).append((by_name[p.employee_id], p, r))
        mine = my_plan.results if my_plan is not None else []
        # A revision of my plan has new RHK rows: subordinates' RHK that intervene an earlier
        # version's RHK count for the current RHK with the same text.
        by_text = {" ".join(r.text.lower().split()): r.id for r in mine}
        merged = {r.id: list(links.pop(r.id, [])) for r in mine}
        for items in list(links.values()):
            text = " ".join(items[0][2].intervened_result.text.lower().split())
            if text in by_text:
                merged[by_text[text]].extend(items)
            else:
                orphans.extend(items)
        rows = [(r, merged[r.id]) for r in mine]
    return render_template("plans/plan/cascade.html", period=period, my_plan=my_plan, rows=rows,
                           orphans=orphans, without_plan=without_plan, sub_plans=sub_plans, me=me)


# ---------------------------------------------------------------- the plan page
@bp.get("/<int:plan_id>")
@allow(AUTHENTICATED)
def show_plan(plan_id):
    plan = _load_plan(plan_id)
    ensure(plan.can_view(current_user))
    return _render(plan)


@bp.route("/<int:plan_id>/pendekatan", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def edit_header(plan_id):
    plan, _result, refusal = _open_for_edit(plan_id)
    if refusal:
        return refusal
    form = _locked(HeaderForm(obj=plan if request.method == "GET" else None), plan)
    if request.method == "GET":
        form.approach.data = plan.approach.value
    if request.method == "POST" and form.validate():
        _changed, fresh = _save(form, plan_id, plan_services.update_plan_header, plan,
                                approach=form.approach.data, lock_version=form.lock_version.data)
        if fresh is None:
            db.session.commit()
            return _done(plan, _("Pendekatan SKP sudah disimpan."), "hasil-kerja")
        plan = fresh
    return _render(plan, _editor("header", form, url_for("plans.edit_header", plan_id=plan.id)))


def _intervention_choices(plan, result=None):
    """One grouped select: the supervisor's RHK, the unit's Perjanjian Kinerja, team goals."""
    choices = [SelectChoice("", _("— tidak ada —"))]
    for label, options in plan_services.intervention_options(plan):
        choices += [SelectChoice(key, text[:160], optgroup=str(label)) for key, text, _obj in options]
    current = plan_services.intervention_of(result)
    if current is not None and all(c.value != plan_services.intervention_key(current) for c in choices):
        choices.append(SelectChoice(plan_services.intervention_key(current), result.intervened_label[:160],
                                    optgroup=_("Pilihan sekarang")))
    return choices


@bp.route("/<int:plan_id>/rhk/baru", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def add_result(plan_id):
    plan, _result, refusal = _open_for_edit(plan_id)
    if refusal:
        return refusal
    form = _locked(ResultForm(), plan)
    form.intervention.choices = _intervention_choices(plan)
    if request.method == "GET" and request.args.get("jenis") == ResultKind.ADDITIONAL.value:
        form.kind.data = ResultKind.ADDITIONAL.value
    if request.method == "POST" and form.validate():
        _result, fresh = _save(form, plan_id, plan_services.add_result, plan, kind=form.kind.data,
                               text=form.text.data, intervention=form.intervention.data or None,
                               lock_version=form.lock_version.data)
        if fresh is None:
            db.session.commit()
            return _done(plan, _("RHK sudah ditambahkan. Tambahkan IKI-nya."), "hasil-kerja")
        plan = fresh
        form.intervention.choices = _intervention_choices(plan)
    return _render(plan, _editor("result", form, url_for("plans.add_result", plan_id=plan.id), result_id=None))


@bp.route("/<int:plan_id>/rhk/<int:result_id>/ubah", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def edit_result(plan_id, result_id):
    plan, result, refusal = _open_for_edit(plan_id, result_id)
    if refusal:
        return refusal
    form = _locked(ResultForm(obj=result if request.method == "GET" else None), plan)
    form.intervention.choices = _intervention_choices(plan, result)
    if request.method == "GET":
        current = plan_services.intervention_of(result)
        form.kind.data = result.kind.value
        form.intervention.data = plan_services.intervention_key(current) if current is not None else ""
    if request.method == "POST" and form.validate():
        _changes, fresh = _save(form, plan_id, plan_services.update_result, result, kind=form.kind.data,
                                text=form.text.data, intervention=form.intervention.data or None,
                                lock_version=form.lock_version.data)
        if fresh is None:
            db.session.commit()
            return _done(plan, _("RHK sudah disimpan."), f"rhk-{result_id}")
        plan = fresh
    return _render(plan, _editor("result", form, url_for("plans.edit_result", plan_id=plan.id, result_id=result_id),
                                 result_id=result_id))


@bp.post("/<int:plan_id>/rhk/<int:result_id>/hapus")
@allow(AUTHENTICATED)
def delete_result(plan_id, result_id):
    plan, result, refusal = _open_for_edit(plan_id, result_id)
    if refusal:
        return refusal
    form = WorkflowForm()
    if form.validate():
        _none, fresh = _save(form, plan_id, plan_services.delete_result, result,
                             lock_version=form.lock_version.data)
        if fresh is None:
            db.session.commit()
            return _done(plan, _("RHK sudah dihapus."), "hasil-kerja")
    return _refuse(plan, " ".join(str(e) for e in form.form_errors) or _("Formulir kedaluwarsa. Coba lagi."))


def _aspect_choices(result, aspect):
    if aspect is not None:
        return [(aspect.value, aspect.title)]
    used = {i.aspect for i in result.indicators}
    return [(a.value, a.title) for a in Aspect if a not in used]


@bp.route("/<int:plan_id>/rhk/<int:result_id>/iki", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def edit_indicator(plan_id, result_id):
    """Add an IKI (no ``aspek`` in the address) or change the one of ``?aspek=…``."""
    plan, result, refusal = _open_for_edit(plan_id, result_id)
    if refusal:
        return refusal
    aspect = request.args.get("aspek")
    aspect = aspect if aspect in {a.value for a in Aspect} else None
    indicator = next((i for i in result.indicators if aspect and i.aspect.value == aspect), None)
    aspect = indicator.aspect if indicator is not None else None
    form = _locked(IndicatorForm(obj=indicator if request.method == "GET" else None), plan)
    form.aspect.choices = choice_list(_aspect_choices(result, aspect))
    if not form.aspect.choices:
        return _refuse(plan, _("RHK ini sudah memiliki IKI untuk keempat aspek."))
    if request.method == "GET" and indicator is not None:
        form.aspect.data = indicator.aspect.value
        form.measure.data = indicator.measure.value
        form.target_value.data = rules.format_number(indicator.target_value) if indicator.target_value else ""
        form.direction.data = indicator.direction.value if indicator.direction else "naik"
        form.aggregation.data = indicator.aggregation.value if indicator.aggregation else "jumlah"
    elif request.method == "GET" and plan.approach.value == "kualitatif":
        form.measure.data = "deskriptif"
    if request.method == "POST" and form.validate():
        _indicator, fresh = _save(
            form, plan_id, plan_services.set_indicator, result, form.aspect.data, text=form.text.data,
            measure=form.measure.data, target_value=form.target_value.data, target_unit=form.target_unit.data,
            direction=form.direction.data, aggregation=form.aggregation.data, target_text=form.target_text.data,
            lock_version=form.lock_version.data)
        if fresh is None:
            db.session.commit()
            return _done(plan, _("IKI sudah disimpan."), f"rhk-{result_id}")
        plan = fresh
    action = url_for("plans.edit_indicator", plan_id=plan.id, result_id=result_id,
                     aspek=aspect.value if aspect else None)
    return _render(plan, _editor("indicator", form, action, result_id=result_id))


@bp.post("/<int:plan_id>/rhk/<int:result_id>/iki/hapus")
@allow(AUTHENTICATED)
def delete_indicator(plan_id, result_id):
    plan, result, refusal = _open_for_edit(plan_id, result_id)
    if refusal:
        return refusal
    form = AspectForm()
    if form.validate():
        indicator = next((i for i in result.indicators if i.aspect.value == form.aspect.data), None)
        if indicator is None:
            return _refuse(plan, _("IKI itu sudah tidak ada."))
        _none, fresh = _save(form, plan_id, plan_services.delete_indicator, indicator,
                             lock_version=form.lock_version.data)
        if fresh is None:
            db.session.commit()
            return _done(plan, _("IKI sudah dihapus."), f"rhk-{result_id}")
    errors = form.form_errors + [e for f in (form.aspect,) for e in f.errors]
    return _refuse(plan, " ".join(str(e) for e in errors) or _("Formulir kedaluwarsa. Coba lagi."))


@bp.route("/<int:plan_id>/ekspektasi", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def edit_expectations(plan_id):
    plan = _load_plan(plan_id)
    ensure(plan.can_view(current_user))
    if not plan.can_set_expectations(current_user):
        return _refuse(plan, _("Ekspektasi khusus diisi oleh pejabat penilai selama SKP disusun."))
    form = _locked(ExpectationForm(), plan)
    if request.method == "GET":
        for e in plan.expectations:
            getattr(form, f"expectation_{e.value.value}").data = e.expectation
    if request.method == "POST" and form.validate():
        values = {v: getattr(form, f"expectation_{v.value}").data or "" for v in CoreValue}
        _changes, fresh = _save(form, plan_id, plan_services.set_expectations, plan, values,
                                lock_version=form.lock_version.data)
        if fresh is None:
            db.session.commit()
            return _done(plan, _("Ekspektasi khusus sudah disimpan."), "perilaku")
        plan = fresh
    return _render(plan, _editor("expectations", form, url_for("plans.edit_expectations", plan_id=plan.id)))


@bp.route("/<int:plan_id>/lampiran", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def edit_attachments(plan_id):
    plan, _result, refusal = _open_for_edit(plan_id)
    if refusal:
        return refusal
    form = _locked(AttachmentForm(obj=plan if request.method == "GET" else None), plan)
    if request.method == "POST" and form.validate():
        _changes, fresh = _save(form, plan_id, plan_services.set_attachments, plan,
                                resources=form.resources.data, accountability=form.accountability.data,
                                consequences=form.consequences.data, lock_version=form.lock_version.data)
        if fresh is None:
            db.session.commit()
            return _done(plan, _("Lampiran sudah disimpan."), "lampiran")
        plan = fresh
    return _render(plan, _editor("attachments", form, url_for("plans.edit_attachments", plan_id=plan.id)))


# ---------------------------------------------------------------- workflow
def _workflow(plan, allowed, refusal, action, success, **kwargs):
    if not allowed:
        return _refuse(plan, refusal)
    form = WorkflowForm()
    if not form.validate():
        return _refuse(plan, _("Formulir kedaluwarsa. Coba lagi."))
    try:
        outcome = action(plan, **kwargs)
    except StaleDataError:
        db.session.rollback()
        return _refuse(plan, str(plan_services.StaleEdit()))
    except plan_services.PlanError as exc:
        db.session.rollback()
        return _refuse(plan, str(exc))
    db.session.commit()
    flash(success, "success")
    target = outcome if isinstance(outcome, PerformancePlan) else plan
    return redirect(url_for("plans.show_plan", plan_id=target.id), code=303)


@bp.post("/<int:plan_id>/ajukan")
@allow(AUTHENTICATED)
def submit_plan(plan_id):
    plan = _load_plan(plan_id)
    ensure(plan.can_view(current_user))
    return _workflow(plan, plan.can_submit(current_user),
                     _("SKP ini tidak dapat Anda ajukan dalam status %(s)s.", s=plan.status.title),
                     plan_services.submit_plan, _("SKP sudah diajukan ke pejabat penilai."),
                     lock_version=request.form.get("lock_version"))


@bp.post("/<int:plan_id>/setujui")
@allow(AUTHENTICATED)
def approve_plan(plan_id):
    plan = _load_plan(plan_id)
    ensure(plan.can_view(current_user))
    return _workflow(plan, plan.can_decide(current_user),
                     _("Hanya pejabat penilai yang dapat menyetujui SKP yang sedang diajukan."),
                     plan_services.approve_plan, _("SKP sudah disetujui dan ditetapkan."))


@bp.post("/<int:plan_id>/revisi")
@allow(AUTHENTICATED)
def revise_plan(plan_id):
    plan = _load_plan(plan_id)
    ensure(plan.can_view(current_user))
    return _workflow(plan, plan.can_revise(current_user),
                     _("Hanya pemilik SKP yang disetujui yang dapat membuat revisinya."),
                     plan_services.revise_plan,
                     _("Draf revisi sudah dibuat. SKP yang disetujui tetap berlaku sampai revisi ini disetujui."))


@bp.route("/<int:plan_id>/kembalikan", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def return_plan(plan_id):
    plan = _load_plan(plan_id)
    ensure(plan.can_view(current_user))
    if not plan.can_decide(current_user):
        return _refuse(plan, _("Hanya pejabat penilai yang dapat mengembalikan SKP yang sedang diajukan."))
    form = _locked(ReturnForm(), plan)
    if request.method == "POST" and form.validate():
        _none, fresh = _save(form, plan_id, plan_services.return_plan, plan, form.reason.data)
        if fresh is None:
            db.session.commit()
            flash(_("SKP sudah dikembalikan kepada pegawai dengan catatan Anda."), "success")
            return redirect(url_for("plans.show_plan", plan_id=plan.id), code=303)
        plan = fresh
    return _render(plan, _editor("return", form, url_for("plans.return_plan", plan_id=plan.id)))


@bp.post("/<int:plan_id>/dialog")
@allow(AUTHENTICATED)
def add_comment(plan_id):
    plan = _load_plan(plan_id)
    ensure(plan.can_view(current_user))
    if not plan.can_comment(current_user):
        return _refuse(plan, _("Dialog kinerja SKP ini hanya untuk pegawai dan atasannya."))
    form = CommentForm()
    if form.validate():
        _comment, fresh = _save(form, plan_id, plan_services.add_comment, plan, form.body.data)
        if fresh is None:
            db.session.commit()
            if htmx:
                return _render(_load_plan(plan.id), notice=_("Pesan terkirim."))
            flash(_("Pesan terkirim."), "success")
            return redirect(url_for("plans.show_plan", plan_id=plan.id, _anchor="dialog"), code=303)
        plan = fresh
    return _render(plan, comment_form=form)
