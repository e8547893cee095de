"""Capaian kinerja organisasi: each unit's predikat per period, and the distribution of its staff's
predikat against the guide.

The unit list is for pimpinan, BKPSDM and the superadmin (who set the capaian inline, htmx) and
for an admin OPD (who reads its own subtree). The distribution page of a unit is also open to
the head of the unit or of one of its ancestors.
"""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.models import Role
from portal.core.htmx import render_page
from portal.core.permissions import AUTHENTICATED, allow, ensure
from portal.evaluation import org_services as services
from portal.evaluation.models import EvaluationStatus, OrgPredicate, Predicate, can_set_org_assessment
from portal.evaluation.org_forms import OrgAssessmentForm, PeriodFilterForm, UnitFilterForm, period_filters
from portal.evaluation.services import EvaluationError
from portal.extensions import db, htmx
from portal.people.models import OrgUnit
from portal.plans.models import PerformancePeriod

bp = Blueprint("org_capaian", __name__, template_folder="templates", url_prefix="/capaian-organisasi")

LIST_ROLES = (Role.PIMPINAN, Role.BKPSDM, Role.SUPERADMIN, Role.ADMIN_OPD)
SET_ROLES = (Role.PIMPINAN, Role.BKPSDM, Role.SUPERADMIN)


def _page_number():
    try:
        return min(max(1, int(request.args.get("page", 1))), 100_000)
    except ValueError:
        return 1


@bp.app_template_global()
def org_percent(value) -> str:
    return services.percent_text(value)


@bp.app_template_global()
def org_predicate_badge(predicate) -> str:
    """The Bootstrap badge class of an organisational or staff predikat."""
    good = (OrgPredicate.OUTSTANDING, OrgPredicate.GOOD, Predicate.VERY_GOOD, Predicate.GOOD)
    middle = (OrgPredicate.NEEDS_IMPROVEMENT, Predicate.NEEDS_IMPROVEMENT)
    if predicate in good:
        return "text-bg-success"
    if predicate in middle:
        return "text-bg-warning"
    return "text-bg-danger" if predicate is not None else "text-bg-light"


# ---------------------------------------------------------------- the unit list
def _list_context(filters, period, period_key):
    page = None
    stats = {}
    if period is not None:
        q = filters.q.data if not filters.q.errors else None
        page = db.paginate(services.unit_query(current_user, q=q), page=_page_number(),
                           per_page=current_app.config["PER_PAGE"], error_out=False, count=True)
        stats = services.distributions(page.items, period, period_key)
    return dict(filters=filters, period=period, period_key=period_key, page=page, stats=stats,
                period_label=services.key_label(period, period_key) if period is not None else "",
                can_set=can_set_org_assessment(current_user), blank_form=_blank_form, oob=bool(htmx))


def _blank_form(unit, period, period_key, assessment):
    form = OrgAssessmentForm(formdata=None)
    if assessment is not None:
        form.predicate.data, form.note.data = assessment.predicate.value, assessment.note
    return form


@bp.get("/")
@allow(*LIST_ROLES)
def list_units():
    filters, period, period_key = period_filters(UnitFilterForm, request.args)
    return render_page("evaluation/org/list.html", "evaluation/org/_results.html",
                       **_list_context(filters, period, period_key))


def _row(unit, period, period_key, form=None, error=None, saved=None):
    return render_template("evaluation/org/_unit_row.html", unit=unit, period=period, period_key=period_key,
                           stat=services.distributions([unit], period, period_key)[unit.id], can_set=True,
                           form=form, error=error, saved=saved, blank_form=_blank_form)


def _back(period=None, period_key=None):
    if period is None:
        return redirect(url_for("org_capaian.list_units"), code=303)
    return redirect(url_for("org_capaian.list_units", tahun=period.year, periode=period_key), code=303)


def _invalid(unit, period, period_key, form, error):
    """The row again with the message (htmx, status 200); without JavaScript, back to the list
    with the message."""
    if htmx:
        return _row(unit, period, period_key, form, error)
    messages = [error] if error else []
    messages += [e for f in (form.predicate, form.note) for e in f.errors]
    flash(" ".join(str(m) for m in messages) or _("Periksa kembali isian."), "danger")
    return _back(period, period_key)


@bp.post("/<int:unit_id>")
@allow(*SET_ROLES)
def set_assessment(unit_id):
    unit = db.get_or_404(OrgUnit, unit_id)
    ensure(can_set_org_assessment(current_user))
    form = OrgAssessmentForm()
    valid = form.validate()
    period = db.session.get(PerformancePeriod, form.period_id.data) if form.period_id.data else None
    period_key = form.period_key.data
    if period is None or period_key not in dict(services.period_keys(period)):
        # A stale or altered form: answer with the row of the period the list shows by default.
        period, period_key = services.pick_period(services.all_periods())
        unknown = _("Periode penilaian tidak dikenal. Muat ulang halaman lalu coba lagi.")
        if period is None or not htmx:
            flash(unknown, "danger")
            return _back(period, period_key)
        return _row(unit, period, period_key, error=unknown)
    if not valid:
        return _invalid(unit, period, period_key, form, None)
    try:
        assessment = services.set_org_assessment(unit, period, period_key, form.predicate.data, form.note.data)
    except EvaluationError as exc:
        field = getattr(form, exc.field or "", None)
        if field is None or field.type == "HiddenField":
            return _invalid(unit, period, period_key, form, str(exc))
        field.errors = [*field.errors, str(exc)]
        return _invalid(unit, period, period_key, form, None)
    db.session.commit()
    message = _("Capaian kinerja %(unit)s %(period)s: %(predicate)s.", unit=unit.name,
                period=services.key_label(period, period_key), predicate=assessment.predicate.title)
    if htmx:
        return _row(unit, period, period_key, saved=message)
    flash(message, "success")
    return _back(period, period_key)


# ---------------------------------------------------------------- one unit's distribution
@bp.get("/<int:unit_id>")
@allow(AUTHENTICATED)
def show_distribution(unit_id):
    unit = db.get_or_404(OrgUnit, unit_id)
    ensure(services.can_view_distribution(current_user, unit))
    filters, period, period_key = period_filters(PeriodFilterForm, request.args)
    context = dict(unit=unit, filters=filters, period=period, period_key=period_key, dist=None, page=None,
                   evaluations={}, guide=[], period_label="", final=EvaluationStatus.FINAL,
                   predicates=list(Predicate), oob=bool(htmx),
                   can_list=any(current_user.has_role(r) for r in LIST_ROLES))
    if period is not None:
        dist = services.distribution(unit, period, period_key)
        page = db.paginate(services.staff_query(unit, period, period_key), page=_page_number(),
                           per_page=current_app.config["PER_PAGE"], error_out=False, count=True)
        context.update(dist=dist, page=page, evaluations=services.evaluations_of(page.items, period_key),
                       guide=services.guide_lines(dist.assessment.predicate) if dist.assessment else [],
                       period_label=services.key_label(period, period_key))
    return render_page("evaluation/org/show.html", "evaluation/org/_distribution.html", **context)
