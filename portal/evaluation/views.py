"""Evaluasi kinerja: the penilai rates an employee's period or year; the pegawai reads and
acknowledges it.

One page per plan and period (``period_key``: 0 the year, else the sub-period's number) shows
the hasil kerja with realisasi, bukti dukung and umpan balik, the perilaku kerja, and the
predikat from the kuadran; the penilai's form saves a draft (the first save starts the
evaluation), a separate confirmation finalises it. The predikat box follows the radios through
htmx (``preview_predicate``); without JavaScript it shows after saving.
"""
from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.routing import BuildError

from portal.audit import services as audit_services
from portal.core.forms import ConfirmForm, page_number
from portal.core.permissions import AUTHENTICATED, allow, ensure
from portal.evaluation import page_services, peer_services, services
from portal.evaluation.forms import EvaluationForm, indicator_notes, lock_value
from portal.evaluation.models import YEAR_KEY, Evaluation
from portal.extensions import db

bp = Blueprint("evaluation", __name__, template_folder="templates", url_prefix="/evaluasi")

LAST_KEY = 12  # the highest sub-period number (months)


def _optional_url(endpoint, **values):
    """A link to a page another module may not have yet (None then)."""
    if endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


# ---------------------------------------------------------------- loading and permissions
def _load(plan_id, period_key):
    """(plan, sub-period or None, saved evaluation or None); 404 for a plan that does not exist
    or a period it does not cover."""
    if period_key > LAST_KEY:
        abort(404)
    plan = page_services.load_plan(plan_id)
    if plan is None:
        abort(404)
    try:
        subperiod = services.subperiod_of(plan, period_key)
    except LookupError:
        abort(404)
    return plan, subperiod, page_services.load_evaluation(plan, period_key)


def may_view(plan, evaluation, user) -> bool:
    """Read the page: whoever may see the plan, or the evaluation (its own penilai included)."""
    return plan.can_view(user) or (evaluation is not None and evaluation.can_view(user))


def may_post(plan, evaluation, user) -> bool:
    """Act on the page: the penilai (a first save needs an approved plan)."""
    if evaluation is None:
        return services.can_start(plan, user)
    return evaluation.is_appraiser(user)


def _back(plan_id, period_key, message, category="warning"):
    flash(message, category)
    return redirect(url_for("evaluation.show_evaluation", plan_id=plan_id, period_key=period_key), code=303)


# ---------------------------------------------------------------- the page
def _filled_form(evaluation):
    data = {"hasil_rating": evaluation.hasil_rating.value if evaluation.hasil_rating else None,
            "hasil_reason": evaluation.hasil_reason or "",
            "perilaku_rating": evaluation.perilaku_rating.value if evaluation.perilaku_rating else None,
            "perilaku_note": evaluation.perilaku_note or "",
            "lock_version": evaluation.lock_version if evaluation.id is not None else ""}
    for b in evaluation.behaviours:
        data[f"rating_{b.value.value}"] = b.rating.value if b.rating else ""
        data[f"note_{b.value.value}"] = b.note or ""
    return EvaluationForm(formdata=None, data=data)


def _render(plan, subperiod, evaluation, *, form=None, posted_notes=None, note_errors=None, form_error=None):
    """The page for ``evaluation`` (None: not started; an unsaved one is shown)."""
    user = current_user
    period_key = subperiod.number if subperiod is not None else YEAR_KEY
    display = evaluation if evaluation is not None else services.new_evaluation(plan, period_key)
    can_rate = evaluation.can_rate(user) if evaluation is not None else services.can_start(plan, user)
    form = form or _filled_form(display)
    hasil = page_services.read_rating(form.hasil_rating.data) if can_rate else display.hasil_rating
    if display.hasil_from_org:
        hasil = display.hasil_rating
        form.hasil_rating.data = hasil.value
    perilaku = page_services.read_rating(form.perilaku_rating.data) if can_rate else display.perilaku_rating
    context = page_services.evaluation_page(plan, period_key, display, subperiod)
    pegawai, penilai, frozen = page_services.people(plan, display)
    saved = evaluation is not None
    return render_template(
        "evaluation/page/show.html", plan=plan, subperiod=subperiod, period_key=period_key,
        evaluation=display, saved=saved, form=form, can_rate=can_rate,
        can_finalise=saved and evaluation.can_finalise(user),
        can_acknowledge=saved and evaluation.can_acknowledge(user),
        evaluable=services.is_evaluable(plan),
        posted_notes=posted_notes or {}, note_errors=note_errors or {}, form_error=form_error,
        kuadran=page_services.kuadran(hasil, perilaku), saved_predicate=display.predicate,
        ratings=page_services.RATING_ORDER, short_titles=page_services.SHORT_TITLES,
        pegawai=pegawai, penilai=penilai, frozen=frozen,
        confirm_form=ConfirmForm(formdata=None),
        peer_panel=peer_services.panel(evaluation, user) if saved else None,
        timeline=audit_services.timeline(evaluation, user) if saved else None,
        pdf_url=(_optional_url("evaluation_documents.download_evaluation", evaluation_id=evaluation.id)
                 if saved and evaluation.can_download(user) else None),
        objection_url=(_optional_url("objections.new_objection", evaluation_id=evaluation.id)
                       if saved and evaluation.can_object(user) else None),
        objection_status_url=(_optional_url("objections.show_objection", objection_id=evaluation.objection.id)
                              if saved and evaluation.objection is not None else None),
        plan_url=_optional_url("plans.show_plan", plan_id=plan.id),
        objection_days=current_app.config["OBJECTION_DAYS"],
        **context)


@bp.route("/skp/<int:plan_id>/<int:period_key>", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def show_evaluation(plan_id, period_key):
    """The page (GET); the penilai's draft (POST: the first save starts the evaluation)."""
    plan, subperiod, evaluation = _load(plan_id, period_key)
    if request.method == "GET":
        ensure(may_view(plan, evaluation, current_user))
        return _render(plan, subperiod, evaluation)
    ensure(may_post(plan, evaluation, current_user))
    return _save(plan, subperiod, evaluation)


def _save(plan, subperiod, evaluation):
    plan_id, period_key = plan.id, (subperiod.number if subperiod is not None else YEAR_KEY)
    if evaluation is not None and not evaluation.can_rate(current_user):
        return _back(plan_id, period_key, _("Evaluasi yang sudah final tidak dapat diubah."))
    form = EvaluationForm()
    indicator_ids = [i.id for r in plan.results for i in r.indicators]
    notes = indicator_notes(request.form, indicator_ids)
    if not form.validate_on_submit():
        return _render(plan, subperiod, evaluation, form=form, posted_notes=notes)
    lock = lock_value(form.lock_version.data, evaluation is not None)
    try:
        if evaluation is None:
            evaluation = services.start_evaluation(plan, period_key)
        suggested = services.suggestion(services.indicator_rows(plan, period_key, evaluation)).rating
        services.save_evaluation(
            evaluation, hasil_rating=form.hasil_rating.data or None, hasil_reason=form.hasil_reason.data,
            perilaku_rating=form.perilaku_rating.data or None, perilaku_note=form.perilaku_note.data,
            behaviours=form.behaviours(), notes=notes, suggested=suggested, lock_version=lock)
    except services.StaleEvaluation:
        db.session.rollback()
        plan, subperiod, evaluation = _load(plan_id, period_key)
        # What was typed stays on the page with the current version: saving again replaces the
        # other tab's changes knowingly.
        form.lock_version.data = evaluation.lock_version if evaluation is not None else ""
        return _render(plan, subperiod, evaluation, form=form, posted_notes=notes, form_error=_(
            "Evaluasi ini sudah diubah di tab atau perangkat lain sejak halaman ini dibuka. Isian Anda di "
            "bawah belum tersimpan: periksa, lalu simpan lagi untuk menggantikan perubahan itu."))
    except services.EvaluationError as exc:
        db.session.rollback()
        plan, subperiod, evaluation = _load(plan_id, period_key)
        note_errors, form_error = {}, None
        if exc.field and exc.field.startswith("iki_") and exc.field[4:].isdigit():
            note_errors[int(exc.field[4:])] = str(exc)
        elif exc.field and exc.field in form and exc.field != "lock_version":
            form[exc.field].errors = [*form[exc.field].errors, str(exc)]
        else:
            form_error = str(exc)
        return _render(plan, subperiod, evaluation, form=form, posted_notes=notes, note_errors=note_errors,
                       form_error=form_error or _("Evaluasi belum tersimpan. Periksa isian yang ditandai."))
    db.session.commit()
    flash(_("Evaluasi disimpan."), "success")
    return redirect(url_for("evaluation.show_evaluation", plan_id=plan_id, period_key=period_key), code=303)


@bp.get("/skp/<int:plan_id>/<int:period_key>/predikat")
@allow(AUTHENTICATED)
def preview_predicate(plan_id, period_key):
    """The predikat box for the ratings in the query string (htmx; nothing is saved)."""
    plan, _subperiod, evaluation = _load(plan_id, period_key)
    ensure(may_view(plan, evaluation, current_user))
    display = evaluation if evaluation is not None else services.new_evaluation(plan, period_key)
    hasil = page_services.read_rating(request.args.get("hasil_rating"))
    perilaku = page_services.read_rating(request.args.get("perilaku_rating"))
    if display.hasil_from_org:
        hasil = display.hasil_rating
    return render_template("evaluation/page/_predikat.html", kuadran=page_services.kuadran(hasil, perilaku),
                           saved_predicate=display.predicate, evaluation=display,
                           ratings=page_services.RATING_ORDER, short_titles=page_services.SHORT_TITLES)


@bp.post("/skp/<int:plan_id>/<int:period_key>/final")
@allow(AUTHENTICATED)
def finalise_evaluation(plan_id, period_key):
    plan, _subperiod, evaluation = _load(plan_id, period_key)
    ensure(may_post(plan, evaluation, current_user))
    if evaluation is None:
        return _back(plan_id, period_key, _("Simpan evaluasi ini lebih dulu, lalu finalkan."))
    if not ConfirmForm().validate_on_submit():
        return _back(plan_id, period_key, _("Token keamanan formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."),
                     "danger")
    if not evaluation.can_finalise(current_user):
        return _back(plan_id, period_key, _("Evaluasi ini sudah final."))
    try:
        services.finalise_evaluation(evaluation)
    except services.EvaluationError as exc:
        db.session.rollback()
        return _back(plan_id, period_key, str(exc), "danger")
    db.session.commit()
    return _back(plan_id, period_key, _(
        "Evaluasi difinalkan dengan predikat %(predicate)s. Pegawai sudah diberi tahu dan dapat mengajukan "
        "keberatan sampai %(date)s.", predicate=evaluation.predicate.title,
        date=evaluation.objection_deadline.strftime("%d-%m-%Y")), "success")


# ---------------------------------------------------------------- one evaluation by id
def _load_evaluation(evaluation_id) -> Evaluation:
    evaluation = page_services.load_evaluation_by_id(evaluation_id)
    if evaluation is None:
        abort(404)
    return evaluation


@bp.get("/<int:evaluation_id>")
@allow(AUTHENTICATED)
def open_evaluation(evaluation_id):
    evaluation = _load_evaluation(evaluation_id)
    ensure(evaluation.can_view(current_user))
    return redirect(url_for("evaluation.show_evaluation", plan_id=evaluation.plan_id,
                            period_key=evaluation.period_key))


@bp.post("/<int:evaluation_id>/terima")
@allow(AUTHENTICATED)
def acknowledge_evaluation(evaluation_id):
    evaluation = _load_evaluation(evaluation_id)
    ensure(evaluation.is_owner(current_user))
    plan_id, period_key = evaluation.plan_id, evaluation.period_key
    if not ConfirmForm().validate_on_submit():
        return _back(plan_id, period_key, _("Token keamanan formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."),
                     "danger")
    try:
        services.acknowledge_evaluation(evaluation)
    except services.EvaluationError as exc:
        db.session.rollback()
        return _back(plan_id, period_key, str(exc), "info")
    db.session.commit()
    return _back(plan_id, period_key, _("Terima kasih. Evaluasi ini tercatat sudah Anda terima."), "success")


# ---------------------------------------------------------------- "Evaluasi saya"
@bp.get("/")
@allow(AUTHENTICATED)
def list_evaluations():
    me = current_user.employee
    page = pending = box = None
    if me is not None:
        page = db.paginate(page_services.my_evaluations_query(me), page=page_number(),
                           per_page=current_app.config["PER_PAGE"], error_out=False, count=True)
        pending = page_services.unacknowledged(me)
        box = page_services.appraiser_box(me)
    return render_template("evaluation/page/list.html", me=me, page=page, pending=pending, box=box,
                           team_url=_optional_url("team_evaluations.show_team"), today=date.today())
