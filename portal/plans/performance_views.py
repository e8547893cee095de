"""The employee's performance home and the supervisor's inbox.

The two pages are for employees (``Role.PEGAWAI``). The inbox's actions are open to every signed-in
user and check the object: 403 for whoever may not see it, a message for whoever may see it
but is not its appraiser (the chain above, admins, BKPSDM, pimpinan).

The inbox decides inline (htmx): each plan, realisasi, month group or reminder row posts to its
own URL and is replaced by the answer (the row again with a message, or a short confirmation).
Without JavaScript the same forms post normally and come back to the inbox.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError
from wtforms import StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, ValidationError

from portal.auth.models import Role
from portal.core.forms import BaseForm, ConfirmForm
from portal.core.htmx import render_page
from portal.core.permissions import AUTHENTICATED, allow, ensure
from portal.extensions import db, htmx
from portal.plans import performance_services as services
from portal.plans import plan_services, realisation_services, rules
from portal.plans.models import Indicator, PerformancePlan, Realisation, ResultPlan, Subperiod

bp = Blueprint("performance", __name__, template_folder="templates", url_prefix="/kinerja")

STALE = _l("Data ini baru saja diubah di tempat lain. Muat ulang halaman lalu coba lagi.")


class DecisionForm(BaseForm):
    """Approve (or verify) or return with a reason: one form per inbox row (``prefix`` = row)."""

    decision = StringField(validators=[
        InputRequired(message=_l("Pilih setujui atau kembalikan.")),
        AnyOf(["approve", "return"], message=_l("Pilih setujui atau kembalikan."))])
    reason = TextAreaField(_l("Alasan pengembalian"), validators=[
        Length(max=1000, message=_l("Alasan paling panjang %(max)d karakter."))])

    def validate_reason(self, field):
        if self.decision.data == "return" and not (field.data or "").strip():
            raise ValidationError(_("Tuliskan alasan pengembalian agar pegawai tahu apa yang harus diperbaiki."))


@bp.context_processor
def _row_forms():
    def blank_form(prefix):
        """An empty decision form for an inbox row (never filled from the current request)."""
        return DecisionForm(formdata=None, prefix=prefix)
    return {"blank_form": blank_form, "format_number": rules.format_number}


# ---------------------------------------------------------------- loading
def _load_plan(plan_id) -> PerformancePlan:
    return db.get_or_404(PerformancePlan, plan_id, options=[
        joinedload(PerformancePlan.employee), joinedload(PerformancePlan.appraiser),
        joinedload(PerformancePlan.period),
        selectinload(PerformancePlan.results).selectinload(ResultPlan.indicators)])


def _load_realisation(realisation_id) -> Realisation:
    return db.get_or_404(Realisation, realisation_id, options=[
        joinedload(Realisation.plan).joinedload(PerformancePlan.employee),
        joinedload(Realisation.subperiod).joinedload(Subperiod.period),
        joinedload(Realisation.indicator).joinedload(Indicator.result),
        selectinload(Realisation.evidence)])


def _load_subperiod(plan, subperiod_id) -> Subperiod:
    subperiod = db.get_or_404(Subperiod, subperiod_id)
    if subperiod.period_id != plan.period_id:
        abort(404)
    return subperiod


# ---------------------------------------------------------------- answers
def _row(partial, **context):
    """A row that needs another look: the row alone for htmx, else the whole inbox around it."""
    if htmx:
        return render_template(partial, **context)
    return render_template("plans/performance/inbox.html", box=services.inbox(current_user),
                           row_forms={context["row_id"]: context.get("form")},
                           row_errors={context["row_id"]: context.get("error")})


def _done(message, row_id, tag="li"):
    """A decision went through: a short confirmation in place of the row, or back to the inbox."""
    if htmx:
        return render_template("plans/performance/_done.html", message=message, row_id=row_id, tag=tag)
    flash(message, "success")
    return redirect(url_for("performance.inbox"), code=303)


def _refuse(partial, message, **context):
    """The user may see the object but does not decide on it: say so (nothing changes)."""
    if htmx:
        return render_template(partial, error=message, **context)
    flash(message, "warning")
    return redirect(url_for("performance.inbox"), code=303)


NOT_APPRAISER = _l("Hanya pejabat penilai kinerja SKP ini yang dapat memutuskannya.")


def _attach(form, exc):
    if getattr(exc, "field", None) == "reason":
        form.reason.errors = [*form.reason.errors, str(exc)]
        return None
    return str(exc)


# ---------------------------------------------------------------- pages
@bp.get("/")
@allow(Role.PEGAWAI)
def my_performance():
    return render_template("plans/performance/home.html", home=services.home(current_user))


@bp.get("/persetujuan")
@allow(Role.PEGAWAI)
def inbox():
    page = request.args.get("halaman", 1, type=int) or 1
    return render_page("plans/performance/inbox.html", "plans/performance/_inbox.html",
                       box=services.inbox(current_user, page=min(max(page, 1), 100_000)),
                       row_forms={}, row_errors={})


# ---------------------------------------------------------------- inline decisions
@bp.post("/persetujuan/skp/<int:plan_id>")
@allow(AUTHENTICATED)
def decide_plan(plan_id):
    plan = _load_plan(plan_id)
    ensure(plan.can_view(current_user))
    form = DecisionForm(prefix=f"skp-{plan.id}-")
    row = {"row_id": f"skp-{plan.id}", "plan": plan, "form": form}
    if not plan.is_appraiser(current_user):
        return _refuse("plans/performance/_plan_row.html", NOT_APPRAISER, **row)
    if not form.validate():
        return _row("plans/performance/_plan_row.html", **row)
    try:
        if form.decision.data == "approve":
            plan_services.approve_plan(plan)
            message = _("SKP %(year)s %(name)s disetujui dan ditetapkan.",
                        year=plan.period.year, name=plan.employee.display_name)
        else:
            plan_services.return_plan(plan, form.reason.data)
            message = _("SKP %(year)s dikembalikan kepada %(name)s dengan alasan Anda.",
                        year=plan.period.year, name=plan.employee.display_name)
    except (plan_services.PlanError, StaleDataError) as exc:
        db.session.rollback()
        row["plan"] = _load_plan(plan_id)
        row["error"] = STALE if isinstance(exc, StaleDataError) else _attach(form, exc)
        return _row("plans/performance/_plan_row.html", **row)
    db.session.commit()
    return _done(message, row["row_id"])


@bp.post("/persetujuan/realisasi/<int:realisation_id>")
@allow(AUTHENTICATED)
def decide_realisation(realisation_id):
    realisation = _load_realisation(realisation_id)
    ensure(realisation.can_view(current_user))
    form = DecisionForm(prefix=f"realisasi-{realisation.id}-")
    row = {"row_id": f"realisasi-{realisation.id}", "r": realisation, "form": form}
    if not realisation.plan.is_appraiser(current_user):
        return _refuse("plans/performance/_realisation_row.html", NOT_APPRAISER, **row)
    if not form.validate():
        return _row("plans/performance/_realisation_row.html", **row)
    try:
        if form.decision.data == "approve":
            realisation_services.verify_realisation(realisation)
            message = _("Realisasi \u201c%(iki)s\u201d %(month)s diverifikasi.",
                        iki=realisation.indicator.text, month=realisation.subperiod.label)
        else:
            realisation_services.return_realisation(realisation, form.reason.data)
            message = _("Realisasi \u201c%(iki)s\u201d %(month)s dikembalikan kepada %(name)s.",
                        iki=realisation.indicator.text, month=realisation.subperiod.label,
                        name=realisation.plan.employee.display_name)
    except (realisation_services.RealisationError, StaleDataError) as exc:
        db.session.rollback()
        row["r"] = _load_realisation(realisation_id)
        row["error"] = STALE if isinstance(exc, StaleDataError) else _attach(form, exc)
        return _row("plans/performance/_realisation_row.html", **row)
    db.session.commit()
    return _done(message, row["row_id"])


@bp.post("/persetujuan/skp/<int:plan_id>/<int:subperiod_id>/verifikasi-semua")
@allow(AUTHENTICATED)
def verify_month(plan_id, subperiod_id):
    plan = _load_plan(plan_id)
    subperiod = _load_subperiod(plan, subperiod_id)
    ensure(plan.can_view(current_user))
    row_id = f"bulan-{plan.id}-{subperiod.id}"
    if not plan.is_appraiser(current_user):
        return _refuse("plans/performance/_month_group.html", NOT_APPRAISER, row_id=row_id,
                       group=services.MonthGroup(plan, subperiod), row_forms={}, row_errors={})
    form = ConfirmForm()
    if form.validate():
        try:
            verified = services.verify_month(plan, subperiod)
        except (services.PerformanceError, realisation_services.RealisationError, StaleDataError) as exc:
            db.session.rollback()
            error = STALE if isinstance(exc, StaleDataError) else str(exc)
        else:
            db.session.commit()
            return _done(ngettext("%(num)d realisasi %(name)s bulan %(month)s diverifikasi.",
                                  "%(num)d realisasi %(name)s bulan %(month)s diverifikasi.",
                                  len(verified), name=plan.employee.display_name, month=subperiod.label),
                         row_id, tag="section")
    else:
        error = _("Token keamanan formulir kedaluwarsa. Muat ulang halaman lalu coba lagi.")
    group = (services.waiting_groups(plan.appraiser, plan=plan, subperiod=subperiod) or
             [services.MonthGroup(plan, subperiod)])[0]
    return _row("plans/performance/_month_group.html", row_id=row_id, group=group, error=error,
                row_forms={}, row_errors={})


@bp.post("/persetujuan/skp/<int:plan_id>/<int:subperiod_id>/pengingat")
@allow(AUTHENTICATED)
def send_reminder(plan_id, subperiod_id):
    plan = _load_plan(plan_id)
    subperiod = _load_subperiod(plan, subperiod_id)
    ensure(plan.can_view(current_user))
    row = {"row_id": f"pengingat-{plan.id}", "s": services.Straggler(plan), "subperiod": subperiod}
    if not plan.is_appraiser(current_user):
        return _refuse("plans/performance/_straggler_row.html", NOT_APPRAISER, **row)
    form = ConfirmForm()
    if not form.validate():
        row["error"] = _("Token keamanan formulir kedaluwarsa. Muat ulang halaman lalu coba lagi.")
        return _row("plans/performance/_straggler_row.html", **row)
    try:
        services.send_reminder(plan, subperiod)
    except services.PerformanceError as exc:
        db.session.rollback()
        row["s"] = services.Straggler(_load_plan(plan_id), reminded_today=True)
        row["error"] = str(exc)
        return _row("plans/performance/_straggler_row.html", **row)
    db.session.commit()
    return _done(_("Pengingat realisasi %(month)s sudah dikirim kepada %(name)s.",
                   month=subperiod.label, name=plan.employee.display_name), row["row_id"])
