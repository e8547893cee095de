""""Rekomendasi untuk saya": the employee's recommendations, accepted into the IDP or dismissed with a reason."""
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from portal.catalogue import browse_services as services
from portal.catalogue import learning_services, recommend
from portal.catalogue.browse_forms import AcceptForm, DismissForm
from portal.catalogue.errors import CatalogueError
from portal.catalogue.models import Recommendation, RecommendationStatus
from portal.core.forms import attach_error
from portal.core.permissions import AUTHENTICATED, allow, ensure
from portal.extensions import db, htmx
from portal.people.models import Employee

bp = Blueprint("recommendations", __name__, template_folder="templates", url_prefix="/rekomendasi")

# The tabs: URL value → status.
TABS = {"baru": RecommendationStatus.OPEN, "diterima": RecommendationStatus.ACCEPTED,
        "diabaikan": RecommendationStatus.DISMISSED}


def _tab():
    value = request.args.get("tampil")
    return value if value in TABS else "baru"


def _context(employee, tab, *, own: bool):
    """What the page shows for ``employee`` (None: the viewer has no employee record)."""
    if employee is None:
        return dict(employee=None, tab=tab, tabs=TABS, own=own, items=[], next_dates={}, counts={})
    year = date.today().year
    items, next_dates = services.recommendation_page(employee, TABS[tab])
    return dict(employee=employee, tab=tab, tabs=TABS, own=own, items=items, next_dates=next_dates,
                counts=services.recommendation_counts(employee), year=year,
                jp_have=learning_services.jp_total(employee.id, year), jp_target=services.jp_target(),
                accept_form=AcceptForm(formdata=None), dismiss_form=DismissForm(formdata=None))


@bp.get("/")
@allow(AUTHENTICATED)
def my_recommendations():
    return render_template("catalogue/recommendations/list.html", **_context(current_user.employee, _tab(), own=True))


@bp.get("/pegawai/<int:employee_id>")
@allow(AUTHENTICATED)
def employee_recommendations(employee_id):
    employee = db.get_or_404(Employee, employee_id, options=[joinedload(Employee.position)])
    ensure(employee.can_view_details(current_user))
    own = current_user.employee is not None and current_user.employee.id == employee.id
    return render_template("catalogue/recommendations/list.html", **_context(employee, _tab(), own=own))


def _load(recommendation_id) -> Recommendation:
    return db.get_or_404(Recommendation, recommendation_id, options=[
        joinedload(Recommendation.programme), joinedload(Recommendation.employee)])


def _card(recommendation, *, accept_form=None, dismiss_form=None, error=None, just_decided=False):
    """The card alone (htmx), with the forms as posted when something was refused."""
    next_dates = services.next_session_dates([recommendation.programme_id])
    return render_template("catalogue/recommendations/_card.html", r=recommendation, own=True,
                           next_dates=next_dates, error=error, just_decided=just_decided,
                           accept_form=accept_form or AcceptForm(formdata=None),
                           dismiss_form=dismiss_form or DismissForm(formdata=None))


def _refused(recommendation_id, message, **forms):
    if htmx:
        return _card(_load(recommendation_id), error=message, **forms)
    flash(message, "danger")
    return redirect(url_for("recommendations.my_recommendations"), code=303)


@bp.post("/<int:recommendation_id>/terima")
@allow(AUTHENTICATED)
def accept_recommendation(recommendation_id):
    recommendation = _load(recommendation_id)
    ensure(recommendation.can_decide(current_user))
    form = AcceptForm()
    if not form.validate():
        return _refused(recommendation_id, " ".join(str(e) for errors in form.errors.values() for e in errors),
                        accept_form=form)
    try:
        recommend.accept_recommendation(recommendation, target_date=form.target_date.data)
    except CatalogueError as exc:
        db.session.rollback()
        attach_error(form, exc)
        return _refused(recommendation_id, str(exc), accept_form=form)
    db.session.commit()
    if htmx:
        return _card(recommendation, just_decided=True)
    flash(_("%(title)s dimasukkan ke rencana pengembangan %(year)s.", title=recommendation.programme.title,
            year=recommendation.year), "success")
    return redirect(url_for("recommendations.my_recommendations"), code=303)


@bp.post("/<int:recommendation_id>/abaikan")
@allow(AUTHENTICATED)
def dismiss_recommendation(recommendation_id):
    recommendation = _load(recommendation_id)
    ensure(recommendation.can_decide(current_user))
    form = DismissForm()
    if recommendation.is_mandatory:
        return _refused(recommendation_id, _("Pelatihan wajib untuk jabatan Anda tidak dapat diabaikan."))
    if not form.validate():
        return _refused(recommendation_id, " ".join(str(e) for errors in form.errors.values() for e in errors),
                        dismiss_form=form)
    try:
        recommend.dismiss_recommendation(recommendation, form.reason.data)
    except CatalogueError as exc:
        db.session.rollback()
        attach_error(form, exc)
        return _refused(recommendation_id, str(exc), dismiss_form=form)
    db.session.commit()
    if htmx:
        return _card(recommendation, just_decided=True)
    flash(_("Rekomendasi %(title)s diabaikan.", title=recommendation.programme.title), "success")
    return redirect(url_for("recommendations.my_recommendations"), code=303)
