"""Evaluasi tim: every subordinate of the penilai with evaluation state, ratings and predikat for
a period, filled inline.

Each editable row posts its two ratings (htmx) and is replaced by the row with the new predikat;
the team's distribution above the table follows through the ``team-rated`` event. Without
JavaScript the same form posts normally and comes back to the page.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from portal.core.htmx import render_page
from portal.core.permissions import AUTHENTICATED, allow, ensure
from portal.evaluation import org_services
from portal.evaluation import services as evaluation_services
from portal.evaluation import team_services as services
from portal.evaluation.models import Predicate
from portal.evaluation.org_forms import PeriodFilterForm, RatingRowForm, period_filters
from portal.extensions import db, htmx
from portal.plans.models import PerformancePlan

bp = Blueprint("team_evaluations", __name__, template_folder="templates", url_prefix="/evaluasi-tim")


def _page_number():
    try:
        return min(max(1, int(request.args.get("page", 1))), 100_000)
    except ValueError:
        return 1


def _blank_form(row):
    form = RatingRowForm(formdata=None)
    form.hasil_rating.data = row.hasil_rating.value if row.hasil_rating else ""
    form.perilaku_rating.data = row.perilaku_rating.value if row.perilaku_rating else ""
    return form


def _row_context(row, form=None, error=None, saved=None):
    return dict(row=row, form=form or _blank_form(row), error=error, saved=saved,
                can_rate=row.can_rate(current_user), blank_form=_blank_form)


@bp.get("/")
@allow(AUTHENTICATED)
def show_team():
    filters, period, period_key = period_filters(PeriodFilterForm, request.args)
    me = current_user.employee
    page = tally = None
    if period is not None and me is not None:
        page, tally = services.team_page(me, period, period_key, page=_page_number())
    return render_page("evaluation/team/show.html", "evaluation/team/_team.html",
                       filters=filters, period=period, period_key=period_key, page=page, tally=tally,
                       period_label=org_services.key_label(period, period_key) if period is not None else "",
                       predicates=list(Predicate), me=me, oob=bool(htmx), blank_form=_blank_form,
                       user=current_user)


def _load_plan(plan_id) -> PerformancePlan:
    return db.get_or_404(PerformancePlan, plan_id, options=[
        joinedload(PerformancePlan.employee), joinedload(PerformancePlan.position),
        joinedload(PerformancePlan.period)])


def _answer(row, *, form=None, error=None, saved=None):
    """The row for htmx (status 200, with or without an error); else back to the team page."""
    if htmx:
        response = render_template("evaluation/team/_row.html", **_row_context(row, form, error, saved))
        if saved:
            return response, 200, {"HX-Trigger": "team-rated"}
        return response
    messages = [error] if error else []
    if form is not None:
        messages += [e for f in (form.hasil_rating, form.perilaku_rating) for e in f.errors]
    if messages:
        flash(" ".join(str(m) for m in messages), "danger")
    elif saved:
        flash(saved, "success")
    return redirect(url_for("team_evaluations.show_team", tahun=row.plan.period.year, periode=row.period_key),
                    code=303)


@bp.post("/<int:plan_id>/<int:period_key>")
@allow(AUTHENTICATED)
def rate_row(plan_id, period_key):
    plan = _load_plan(plan_id)
    try:
        evaluation_services.subperiod_of(plan, period_key)
    except LookupError:
        abort(404)
    ensure(plan.is_appraiser(current_user))
    row = services.team_row(plan, period_key)
    form = RatingRowForm()
    if not row.can_rate(current_user):
        message = (_("Evaluasi yang sudah final tidak dapat diubah.") if row.is_final
                   else _("Hanya pejabat penilai evaluasi ini yang dapat menilainya."))
        return _answer(row, error=message)
    if not form.validate():
        return _answer(row, form=form)
    hasil, perilaku = form.hasil_rating.data or None, form.perilaku_rating.data or None
    if row.evaluation is None and hasil is None and perilaku is None:
        return _answer(row)  # nothing chosen, nothing to start
    try:
        evaluation = row.evaluation or evaluation_services.start_evaluation(plan, period_key)
        evaluation_services.save_evaluation(
            evaluation, hasil_rating=hasil, hasil_reason=evaluation.hasil_reason, perilaku_rating=perilaku,
            perilaku_note=evaluation.perilaku_note, suggested=evaluation.suggested_rating)
    except evaluation_services.EvaluationError as exc:
        db.session.rollback()
        return _answer(services.team_row(_load_plan(plan_id), period_key), form=form, error=str(exc))
    db.session.commit()
    row = services.team_row(plan, period_key)
    saved = (_("Predikat %(name)s: %(predicate)s.", name=plan.employee.display_name, predicate=row.predicate.title)
             if row.predicate else _("Rating %(name)s tersimpan.", name=plan.employee.display_name))
    return _answer(row, saved=saved)
