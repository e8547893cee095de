"""Survei kepuasan masyarakat (IKM): the public form at /feedback/<unit_code>, its QR poster, and
each unit's index, grade and responses."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from portal.auth.models import Role
from portal.core.errors import render_error
from portal.core.forms import ConfirmForm, attach_error, page_number
from portal.core.htmx import render_page
from portal.core.pdf import pdf_response
from portal.core.permissions import AUTHENTICATED, allow, ensure, public
from portal.evaluation import feedback_services as services
from portal.evaluation.feedback_forms import IkmFilterForm, PublicFeedbackForm, ServiceForm
from portal.evaluation.models import UnitService
from portal.extensions import db, htmx, limiter
from portal.people.models import OrgUnit

bp = Blueprint("feedback", __name__, template_folder="templates")

SERVICE_EDITORS = (Role.ADMIN_OPD, Role.BKPSDM, Role.SUPERADMIN)
COMMENTS_PER_PAGE = 10


@bp.app_template_filter("ikm_number")
def ikm_number(value, places=2):
    """An index or a mean as the reader's locale writes it ("87,50"), "–" for none."""
    if value is None:
        return "–"
    return format_decimal(value, "#,##0." + "0" * places)


# ---------------------------------------------------------------- the public form
def _ikm_limit():
    return current_app.config["IKM_RATE_LIMIT"]


def _ikm_key():
    """Responses are limited per client address and unit."""
    code = str((request.view_args or {}).get("unit_code", ""))[:16]
    return f"ikm:{get_remote_address()}:{code}"


def _answered(response):
    """Only answers the visitor sees as accepted count (stored, or a bot's pretended success):
    a form sent back with errors costs nothing."""
    return response.status_code in (302, 303)


def _public_unit(unit_code) -> OrgUnit:
    unit = services.public_unit(unit_code)
    if unit is None:
        abort(404)
    return unit


@bp.errorhandler(429)
def too_many_responses(error):
    """The limit of the public form: a friendly page (the visitor did nothing wrong on purpose)."""
    if request.endpoint != "feedback.public_form":
        return render_error(429)
    unit = services.public_unit(str((request.view_args or {}).get("unit_code", "")))
    return render_template("evaluation/feedback/limited.html", unit=unit), 429


@bp.route("/feedback/<unit_code>", methods=["GET", "POST"])
@public
@limiter.limit(_ikm_limit, key_func=_ikm_key, methods=["POST"], deduct_when=_answered, scope="ikm-form")
def public_form(unit_code):
    unit = _public_unit(unit_code)
    choices = services.unit_services_of(unit, active_only=True)
    form = PublicFeedbackForm()
    form.set_services(choices)
    if request.method == "POST":
        if form.is_bot:  # a filled honeypot: thank the bot, keep nothing
            return redirect(url_for("feedback.thanks", unit_code=unit.public_code), code=303)
        if form.validate():
            service = next((s for s in choices if s.id == form.service.data), None)
            try:
                services.record_response(unit, form.scores, service=service, comment=form.comment.data,
                                         address=get_remote_address())
            except services.FeedbackError as exc:
                attach_error(form, exc)
            else:
                db.session.commit()
                return redirect(url_for("feedback.thanks", unit_code=unit.public_code), code=303)
    return render_template("evaluation/feedback/public_form.html", form=form, unit=unit, has_services=bool(choices))


@bp.get("/feedback/<unit_code>/terima-kasih")
@public
def thanks(unit_code):
    unit = _public_unit(unit_code)
    return render_template("evaluation/feedback/thanks.html", unit=unit)


# ---------------------------------------------------------------- results
def _filters():
    filters = IkmFilterForm(request.args)
    filters.validate()
    period = services.ikm_period(filters.tahun.data, filters.periode.data)
    filters.set_period(period)
    return filters, period


@bp.get("/ikm/")
@allow(AUTHENTICATED)
def list_units():
    filters, period = _filters()
    q = filters.q.data if filters.q.data and not filters.q.errors else None
    page = db.paginate(services.unit_list_query(current_user, period.start, period.end, q), page=page_number(),
                       per_page=current_app.config["PER_PAGE"], error_out=False, count=True)
    summaries = services.ikm_by_unit([u.id for u in page.items], period.start, period.end)
    return render_page("evaluation/feedback/list.html", "evaluation/feedback/_units.html",
                       filters=filters, period=period, q=q, page=page, summaries=summaries)


def _load_unit(unit_id) -> OrgUnit:
    unit = db.get_or_404(OrgUnit, unit_id)
    ensure(services.can_view_ikm(current_user, unit))
    return unit


def _load_service(service_id) -> UnitService:
    service = db.get_or_404(UnitService, service_id)
    ensure(service.can_edit(current_user))
    return service


def _services_context(unit, *, add_form=None, edit_form=None, edited=None, done=None, failed=None):
    return dict(unit=unit, can_manage=current_user.manages_unit(unit),
                services=services.unit_services_of(unit), add_form=add_form or ServiceForm(formdata=None),
                edit_form=edit_form, edited=edited, done=done, failed=failed, confirm=ConfirmForm())


def _show(unit, **service_context):
    filters, period = _filters()
    url = services.public_url(unit)
    comments = db.paginate(services.comments_query(unit, period.start, period.end), page=page_number(),
                           per_page=COMMENTS_PER_PAGE, error_out=False, count=True)
    return render_template(
        "evaluation/feedback/show.html", filters=filters, period=period,
        summary=services.unit_ikm(unit, period.start, period.end), elements=services.ELEMENTS,
        trend=services.monthly_trend(unit, period.year), comments=comments, public_url=url,
        qr=services.qr_data_uri(url) if unit.is_active else None,
        **_services_context(unit, **service_context))


@bp.get("/ikm/unit/<int:unit_id>")
@allow(AUTHENTICATED)
def show_unit(unit_id):
    return _show(_load_unit(unit_id))


@bp.get("/ikm/unit/<int:unit_id>/poster.pdf")
@allow(AUTHENTICATED)
def poster_pdf(unit_id):
    unit = _load_unit(unit_id)
    if not unit.is_active:  # an inactive unit has no public form to point to
        abort(404)
    return pdf_response(services.poster_pdf(unit), f"poster-ikm-{unit.name}.pdf")


# ---------------------------------------------------------------- a unit's services
def _services_answer(unit, message=None, **context):
    """After a change: the services panel for htmx, else back to the page. With errors: the panel
    (htmx) or the whole page, the forms showing what went wrong."""
    if message is not None:
        if htmx:
            return render_template("evaluation/feedback/_services.html", **_services_context(unit, done=message))
        flash(message, "success")
        return redirect(url_for("feedback.show_unit", unit_id=unit.id, _anchor="layanan"), code=303)
    if htmx:
        return render_template("evaluation/feedback/_services.html", **_services_context(unit, **context))
    return _show(unit, **context)


@bp.post("/ikm/unit/<int:unit_id>/layanan")
@allow(*SERVICE_EDITORS)
def add_service(unit_id):
    unit = db.get_or_404(OrgUnit, unit_id)
    ensure(current_user.manages_unit(unit))
    form = ServiceForm()
    if form.validate():
        try:
            service = services.add_unit_service(unit, form.name.data)
        except services.FeedbackError as exc:
            attach_error(form, exc)
        else:
            db.session.commit()
            return _services_answer(unit, _("Layanan %(name)s sudah ditambahkan.", name=service.name))
    return _services_answer(unit, add_form=form)


@bp.post("/ikm/layanan/<int:service_id>")
@allow(*SERVICE_EDITORS)
def edit_service(service_id):
    service = _load_service(service_id)
    form = ServiceForm()
    if form.validate():
        try:
            changed = services.rename_unit_service(service, form.name.data)
        except services.FeedbackError as exc:
            attach_error(form, exc)
        else:
            db.session.commit()
            return _services_answer(service.org_unit, _("Layanan %(name)s sudah disimpan.", name=service.name)
                                    if changed else _("Tidak ada perubahan."))
    return _services_answer(service.org_unit, edit_form=form, edited=service)


@bp.post("/ikm/layanan/<int:service_id>/status")
@allow(*SERVICE_EDITORS)
def toggle_service(service_id):
    service = _load_service(service_id)
    target = request.form.get("aktif")
    if not ConfirmForm().validate() or target not in ("0", "1"):
        return _services_answer(service.org_unit, failed=_("Permintaan tidak valid. Muat ulang halaman lalu coba lagi."))
    services.set_unit_service_active(service, target == "1")
    db.session.commit()
    return _services_answer(service.org_unit, _("Layanan %(name)s sudah ditampilkan kembali di formulir.",
                                                name=service.name) if service.is_active else
                            _("Layanan %(name)s tidak lagi ditampilkan di formulir.", name=service.name))
