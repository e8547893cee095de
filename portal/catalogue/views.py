"""The catalogue for every ASN: search and filters as you type, the programme page with upcoming sessions and eligibility."""
from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.catalogue import browse_services as services
from portal.catalogue import recommend
from portal.catalogue.browse_forms import CatalogueFilterForm
from portal.catalogue.errors import CatalogueError
from portal.catalogue.models import Programme
from portal.core.forms import ConfirmForm, choice_list, page_number
from portal.core.htmx import render_page
from portal.core.permissions import AUTHENTICATED, allow, ensure
from portal.extensions import db

bp = Blueprint("catalogue", __name__, template_folder="templates", url_prefix="/katalog")


@bp.get("/")
@allow(AUTHENTICATED)
def list_programmes():
    form = CatalogueFilterForm(request.args)
    form.kompetensi.choices = choice_list([(None, _("Semua kompetensi"))] + services.competency_choices())
    form.validate()
    today = date.today()
    stmt = services.programme_query(
        q=form.q.data if not form.q.errors else None, competency_id=form.kompetensi.data,
        form=form.form_value(), delivery=form.delivery_value(), jp_range=form.jp.data,
        provider=form.provider_value(), upcoming_only=bool(form.jadwal.data), today=today)
    page = db.paginate(stmt, page=page_number(), per_page=current_app.config["PER_PAGE"], error_out=False, count=True)
    ids = [p.id for p in page.items]
    return render_page("catalogue/browse/list.html", "catalogue/browse/_results.html", form=form, page=page,
                       next_dates=services.next_session_dates(ids, today),
                       recommended=services.recommended_programme_ids(current_user.employee, ids),
                       can_manage=current_user.manages_whole_instansi)


def _load_programme(programme_id) -> Programme:
    return db.get_or_404(Programme, programme_id, options=[selectinload(Programme.competencies),
                                                           selectinload(Programme.units)])


@bp.get("/<int:programme_id>")
@allow(AUTHENTICATED)
def show_programme(programme_id):
    programme = _load_programme(programme_id)
    ensure(programme.can_view(current_user))
    employee = current_user.employee
    recommendations = []
    if employee is not None:
        recommendations = [r for r in recommend.recommendations_for(employee.id)
                           if r.programme_id == programme.id]
    return render_template("catalogue/browse/show.html", programme=programme,
                           eligibility=services.eligibility_of(programme, employee),
                           rules_text=services.eligibility_rules(programme),
                           sessions=services.upcoming_sessions(programme), recommendations=recommendations,
                           can_manage=current_user.manages_whole_instansi, confirm=ConfirmForm())


@bp.post("/<int:programme_id>/rencana")
@allow(AUTHENTICATED)
def add_to_plan(programme_id):
    programme = _load_programme(programme_id)
    ensure(programme.can_view(current_user) and current_user.employee is not None)
    url = url_for("catalogue.show_programme", programme_id=programme_id)
    if not ConfirmForm().validate():
        flash(_("Token keamanan formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(url, code=303)
    try:
        item = services.add_to_plan(current_user.employee, programme)
    except CatalogueError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url, code=303)
    db.session.commit()
    flash(_("%(title)s ditambahkan ke rencana pengembangan %(year)s.", title=programme.title, year=item.plan.year),
          "success")
    return redirect(url, code=303)
