"""Training needs analysis for BKPSDM: demand per programme and competency per OPD, and the cost.

BKPSDM, the superadmin and pimpinan see the whole instansi; an admin OPD sees the employees of
their own subtree only."""
from flask import Blueprint, Response, request
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.models import Role
from portal.catalogue import tna_services as services
from portal.catalogue.models import Programme
from portal.catalogue.tna_forms import analysis_filters
from portal.core.htmx import render_page
from portal.core.permissions import allow, ensure
from portal.extensions import db
from portal.plans.rules import format_number

bp = Blueprint("training_needs", __name__, template_folder="templates", url_prefix="/analisis-kebutuhan")

ROLES = (Role.BKPSDM, Role.SUPERADMIN, Role.PIMPINAN, Role.ADMIN_OPD)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.app_template_filter("tna_number")
def tna_number(value) -> str:
    return format_number(value) if value not in (None, "") else "–"


def _context(form, filters):
    view = form.lihat.data
    context = dict(form=form, filters=filters, view=view, views=services.VIEWS, analysis=None, groups=[])
    if view == "program":
        context["analysis"] = services.programme_demand(filters, current_user)
    elif view == "opd":
        context["groups"] = services.opd_demand(filters, current_user)
    else:
        context["groups"] = services.competency_demand(filters, current_user)
    return context


@bp.get("/")
@allow(*ROLES)
def show_analysis():
    ensure(services.can_view_analysis(current_user))
    form, filters = analysis_filters(request.args, current_user)
    return render_page("catalogue/tna/show.html", "catalogue/tna/_results.html", **_context(form, filters))


@bp.get("/program/<int:programme_id>")
@allow(*ROLES)
def show_programme(programme_id):
    programme = db.get_or_404(Programme, programme_id)
    ensure(programme.can_view(current_user) and services.can_view_analysis(current_user))
    form, filters = analysis_filters(request.args, current_user)
    rows = services.opd_demand(filters, current_user, programme_id=programme.id)
    return render_page("catalogue/tna/programme.html", "catalogue/tna/_programme.html",
                       programme=programme, form=form, filters=filters, rows=rows)


def _export(kind):
    ensure(services.can_view_analysis(current_user))
    form, filters = analysis_filters(request.args, current_user)
    header, rows = services.export_table(form.lihat.data, filters, current_user)
    name = f"analisis-kebutuhan-{filters.year}-{form.lihat.data}"
    if kind == "xlsx":
        body, mimetype = services.to_xlsx(header, rows, _("Analisis kebutuhan")), XLSX_TYPE
    else:
        body, mimetype = services.to_csv(header, rows), "text/csv; charset=utf-8"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'})


@bp.get("/unduh.csv")
@allow(*ROLES)
def export_csv():
    return _export("csv")


@bp.get("/unduh.xlsx")
@allow(*ROLES)
def export_xlsx():
    return _export("xlsx")
