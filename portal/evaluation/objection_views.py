"""Keberatan: the pegawai objects to a final predikat; the atasan pejabat penilai decides."""
import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from portal.audit import reading
from portal.audit import services as audit_services
from portal.core.audit import AuditEntry
from portal.core.forms import page_number
from portal.core.htmx import render_page
from portal.core.permissions import AUTHENTICATED, allow, ensure
from portal.evaluation import rules, services
from portal.evaluation.models import Evaluation, Objection, ObjectionStatus, Rating
from portal.evaluation.objection_forms import (
    ALL_STATUSES,
    CHANGE,
    TAB_ALL,
    TAB_DECIDE,
    TAB_MINE,
    UPHOLD,
    DecisionForm,
    ObjectionFilterForm,
    ObjectionForm,
)
from portal.extensions import db

bp = Blueprint("objections", __name__, template_folder="templates", url_prefix="/keberatan")

TRAIL_LIMIT = 30


def _load_evaluation(evaluation_id) -> Evaluation:
    return db.get_or_404(Evaluation, evaluation_id, options=[
        joinedload(Evaluation.employee), joinedload(Evaluation.appraiser), joinedload(Evaluation.period),
        joinedload(Evaluation.subperiod), joinedload(Evaluation.objection)])


def _load_objection(objection_id) -> Objection:
    return db.get_or_404(Objection, objection_id, options=[
        joinedload(Objection.employee), joinedload(Objection.decider), joinedload(Objection.decided_by),
        joinedload(Objection.evaluation).joinedload(Evaluation.employee),
        joinedload(Objection.evaluation).joinedload(Evaluation.appraiser),
        joinedload(Objection.evaluation).joinedload(Evaluation.period),
        joinedload(Objection.evaluation).joinedload(Evaluation.subperiod)])


def _evaluation_url(evaluation):
    return url_for("evaluation.show_evaluation", plan_id=evaluation.plan_id, period_key=evaluation.period_key)


def _attach_error(form, exc):
    """Put a service error on its field; returns the message when it concerns no field."""
    names = {"reason": "reason", "decision_reason": "reason", "hasil_rating": "hasil_rating",
             "perilaku_rating": "perilaku_rating"}
    target = getattr(form, names.get(exc.field or "", ""), None)
    if target is None:
        return str(exc)
    target.errors = [*target.errors, str(exc)]
    return None


# ---------------------------------------------------------------- list
def _list_query(user, tab, status):
    """Objections on the tab for ``user`` (None: nothing to list), newest first."""
    me = user.employee.id if user.employee is not None else None
    stmt = sa.select(Objection)
    if tab == TAB_DECIDE:
        mine = Objection.decider_id == me if me is not None else sa.false()
        stmt = stmt.where(sa.or_(mine, Objection.decider_id.is_(None)) if user.manages_whole_instansi else mine)
    elif tab == TAB_MINE:
        if me is None:
            return None
        stmt = stmt.where(Objection.employee_id == me)
    if status and status != ALL_STATUSES:
        stmt = stmt.where(Objection.status == ObjectionStatus(status))
    return stmt.options(
        joinedload(Objection.employee), joinedload(Objection.decider),
        joinedload(Objection.evaluation).joinedload(Evaluation.period),
        joinedload(Objection.evaluation).joinedload(Evaluation.subperiod),
    ).order_by(Objection.created_dt.desc(), Objection.id.desc())


def _tabs(user):
    tabs = [(TAB_DECIDE, _("Perlu diputuskan"))]
    if user.employee is not None:
        tabs.append((TAB_MINE, _("Keberatan saya")))
    if user.manages_whole_instansi:
        tabs.append((TAB_ALL, _("Semua keberatan")))
    return tabs


@bp.get("/")
@allow(AUTHENTICATED)
def list_objections():
    filters = ObjectionFilterForm(request.args)
    filters.validate()
    tabs = _tabs(current_user)
    tab = filters.tampil.data if filters.tampil.data in dict(tabs) else tabs[0][0]
    default_status = ObjectionStatus.FILED.value if tab == TAB_DECIDE else ALL_STATUSES
    status = filters.status.data or default_status
    filters.tampil.data, filters.status.data = tab, status
    stmt = _list_query(current_user, tab, status)
    page = None
    if stmt is not None:
        page = db.paginate(stmt, page=page_number(), per_page=current_app.config["PER_PAGE"], error_out=False,
                           count=True)
    return render_page("evaluation/objection/list.html", "evaluation/objection/_results.html",
                       filters=filters, tabs=tabs, tab=tab, page=page, status=status)


# ---------------------------------------------------------------- filing
def _why_not(evaluation):
    """Why the signed-in pegawai cannot object to ``evaluation`` now (None: they can)."""
    if not evaluation.is_final:
        return _("Evaluasi ini belum final. Keberatan dapat diajukan setelah pejabat penilai memfinalkannya.")
    if evaluation.objection is not None:
        return _("Anda sudah mengajukan keberatan atas evaluasi ini.")
    if not evaluation.can_object(current_user):
        return _("Batas waktu pengajuan keberatan sudah lewat.")
    return None


def _render_new(evaluation, form, status=200):
    return render_template("evaluation/objection/new.html", evaluation=evaluation, form=form,
                           why_not=_why_not(evaluation), evaluation_url=_evaluation_url(evaluation),
                           decider=services._decider_of(evaluation), snapshot=evaluation.snapshot or {}), status


@bp.route("/evaluasi/<int:evaluation_id>", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def new_objection(evaluation_id):
    evaluation = _load_evaluation(evaluation_id)
    if request.method == "GET":
        ensure(evaluation.is_owner(current_user))
        return _render_new(evaluation, ObjectionForm(formdata=None))
    ensure(evaluation.can_object(current_user))
    form = ObjectionForm()
    if not form.validate():
        return _render_new(evaluation, form)
    try:
        objection = services.file_objection(evaluation, form.reason.data)
    except services.EvaluationError as exc:
        db.session.rollback()
        message = _attach_error(form, exc)
        if message:
            form.form_errors.append(message)
        return _render_new(_load_evaluation(evaluation_id), form)
    db.session.commit()
    flash(_("Keberatan Anda sudah diajukan. Atasan pejabat penilai akan memutuskannya."), "success")
    return redirect(url_for("objections.show_objection", objection_id=objection.id))


# ---------------------------------------------------------------- reading and deciding
def _trail(objection, user):
    """The audit entries of the objection and of its evaluation, newest first, as ``user`` reads
    them (one statement, plus the names behind ids)."""
    entries = db.session.scalars(
        sa.select(AuditEntry).where(sa.or_(
            sa.and_(AuditEntry.object_type == "Objection", AuditEntry.object_id == objection.id),
            sa.and_(AuditEntry.object_type == "Evaluation", AuditEntry.object_id == objection.evaluation_id)))
        .order_by(AuditEntry.created_dt.desc(), AuditEntry.id.desc()).limit(TRAIL_LIMIT)).all()
    readable = audit_services.can_read_log(user)
    more_url = url_for("audit.list_entries", object_type="Objection", object_id=objection.id) if readable else None
    # Built here rather than with reading.describe(), which looks up a name for every object type
    # that has a model and fails (KeyError) for the tables it has no name query for (evaluation,
    # objection). Both objects are this page's own, so no name or link is needed for them.
    rows = [reading.EntryView(
        entry=e, type_title=reading.object_type_title(e.object_type), object_label="", object_url=None,
        action_title=reading.action_title(e.action), from_title=reading.state_title(e.from_state),
        to_title=reading.state_title(e.to_state), changes=reading._changes(e, {}),
        detail_url=url_for("audit.show_entry", entry_id=e.id) if readable else None) for e in entries]
    return audit_services.Timeline(rows, more_url)


def _rating(value):
    """A Rating from user input; None for anything else."""
    try:
        return Rating.coerce(value or None)
    except (ValueError, TypeError):
        return None


def _arg_rating(name):
    return _rating(request.args.get(name))


def _show_context(objection, form=None, decision_error=None):
    evaluation = objection.evaluation
    can_decide = objection.can_decide(current_user)
    if form is None:
        form = DecisionForm(formdata=None, data={
            "hasil_rating": (_arg_rating("hasil_rating") or objection.original_hasil).value,
            "perilaku_rating": (_arg_rating("perilaku_rating") or objection.original_perilaku).value,
            "decision": request.args.get("decision") if request.args.get("decision") in (UPHOLD, CHANGE)
            else None})
    hasil, perilaku = _rating(form.hasil_rating.data), _rating(form.perilaku_rating.data)
    return dict(
        objection=objection, evaluation=evaluation, form=form, can_decide=can_decide,
        decision_error=decision_error, preview=services.predicate_for(hasil, perilaku),
        kuadran=rules.KUADRAN, ratings=list(Rating), evaluation_url=_evaluation_url(evaluation),
        snapshot=evaluation.snapshot or {}, timeline=_trail(objection, current_user))


@bp.get("/<int:objection_id>")
@allow(AUTHENTICATED)
def show_objection(objection_id):
    objection = _load_objection(objection_id)
    ensure(objection.can_view(current_user))
    return render_page("evaluation/objection/show.html", "evaluation/objection/_decision.html",
                       **_show_context(objection))


@bp.post("/<int:objection_id>/putuskan")
@allow(AUTHENTICATED)
def decide_objection(objection_id):
    objection = _load_objection(objection_id)
    ensure(objection.is_decider(current_user))
    form = DecisionForm()
    if not objection.can_decide(current_user):
        return render_template("evaluation/objection/show.html", **_show_context(
            objection, form, decision_error=_("Keberatan ini sudah diputuskan.")))
    if not form.validate():
        return render_template("evaluation/objection/show.html", **_show_context(objection, form))
    change = form.decision.data == CHANGE
    try:
        services.decide_objection(objection, uphold=not change, reason=form.reason.data,
                                  hasil_rating=form.hasil_rating.data if change else None,
                                  perilaku_rating=form.perilaku_rating.data if change else None)
    except services.EvaluationError as exc:
        db.session.rollback()
        message = _attach_error(form, exc)
        return render_template("evaluation/objection/show.html", **_show_context(
            _load_objection(objection_id), form, decision_error=message))
    db.session.commit()
    if change:
        flash(_("Keberatan diputuskan: predikat diubah menjadi %(predicate)s.",
                predicate=objection.evaluation.predicate.title), "success")
    else:
        flash(_("Keberatan diputuskan: predikat %(predicate)s dipertahankan.",
                predicate=objection.evaluation.predicate.title), "success")
    return redirect(url_for("objections.show_objection", objection_id=objection_id))
