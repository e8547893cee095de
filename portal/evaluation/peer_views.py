"""Masukan rekan kerja (360): the penilai asks named colleagues for input on the BerAKHLAK values."""
import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from portal.core.forms import ConfirmForm, page_number
from portal.core.htmx import render_page
from portal.core.permissions import AUTHENTICATED, allow, ensure
from portal.evaluation import peer_services as services
from portal.evaluation.models import Evaluation, PeerInput, PeerInputStatus, Rating
from portal.evaluation.peer_forms import PeerAnswerForm, PeerDeclineForm, PeerRequestForm
from portal.extensions import db
from portal.people.models import Employee
from portal.plans.models import CoreValue
from portal.plans.rules import GUIDE_BEHAVIOURS

bp = Blueprint("peer_input", __name__, template_folder="templates", url_prefix="/masukan-rekan")

# The list's tabs.
PENDING, ANSWERED = "menunggu", "sudah-ditanggapi"


def _load_evaluation(evaluation_id) -> Evaluation:
    return db.get_or_404(Evaluation, evaluation_id, options=[
        joinedload(Evaluation.employee), joinedload(Evaluation.appraiser), joinedload(Evaluation.period),
        joinedload(Evaluation.subperiod), joinedload(Evaluation.org_unit)])


def _load_peer_input(peer_input_id) -> PeerInput:
    return db.get_or_404(PeerInput, peer_input_id, options=[
        joinedload(PeerInput.peer),
        joinedload(PeerInput.evaluation).joinedload(Evaluation.employee).joinedload(Employee.position),
        joinedload(PeerInput.evaluation).joinedload(Evaluation.org_unit),
        joinedload(PeerInput.evaluation).joinedload(Evaluation.appraiser),
        joinedload(PeerInput.evaluation).joinedload(Evaluation.period),
        joinedload(PeerInput.evaluation).joinedload(Evaluation.subperiod)])


def _see_other(url):
    """After a POST, the page to GET next (303 See Other).

    303 rather than Flask's default 302 also keeps these answers apart from the sign-in redirect
    in the security suite, which looks for "/masuk" in a 302's Location and would take
    "/masukan-rekan/…" for it."""
    return redirect(url, code=303)


def _evaluation_url(evaluation, anchor="masukan-rekan"):
    return url_for("evaluation.show_evaluation", plan_id=evaluation.plan_id,
                   period_key=evaluation.period_key) + f"#{anchor}"


# ---------------------------------------------------------------- the penilai
@bp.post("/evaluasi/<int:evaluation_id>")
@allow(AUTHENTICATED)
def request_input(evaluation_id):
    evaluation = _load_evaluation(evaluation_id)
    ensure(evaluation.can_request_peer_input(current_user))
    form = PeerRequestForm()
    if not form.validate():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "danger")
        return _see_other(_evaluation_url(evaluation))
    peers = db.session.scalars(sa.select(Employee).where(Employee.id.in_(form.peers.data))).all()
    try:
        if len(peers) != len(form.peers.data):
            raise services.PeerInputError(_("Sebagian pegawai yang dipilih tidak ditemukan. Muat ulang halaman "
                                            "lalu pilih lagi."), "peers")
        created = services.request_peer_input(evaluation, peers)
    except services.PeerInputError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return _see_other(_evaluation_url(evaluation))
    db.session.commit()
    flash(_("Permintaan masukan terkirim kepada %(names)s.",
            names=", ".join(p.peer.display_name for p in created)), "success")
    return _see_other(_evaluation_url(evaluation))


@bp.post("/<int:peer_input_id>/batal")
@allow(AUTHENTICATED)
def cancel_input(peer_input_id):
    peer_input = _load_peer_input(peer_input_id)
    evaluation = peer_input.evaluation
    ensure(evaluation.is_appraiser(current_user))
    url = _evaluation_url(evaluation)
    if not ConfirmForm().validate():
        flash(_("Token keamanan formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), "danger")
        return _see_other(url)
    name = peer_input.peer.display_name
    try:
        services.cancel_peer_input(peer_input)
    except services.PeerInputError as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return _see_other(url)
    db.session.commit()
    flash(_("Permintaan masukan kepada %(name)s dibatalkan.", name=name), "success")
    return _see_other(url)


# ---------------------------------------------------------------- the colleague
@bp.get("/")
@allow(AUTHENTICATED)
def list_requests():
    tab = request.args.get("tampil") if request.args.get("tampil") in (PENDING, ANSWERED) else PENDING
    me = current_user.employee
    page = None
    if me is not None:
        statuses = [PeerInputStatus.REQUESTED] if tab == PENDING else [PeerInputStatus.GIVEN,
                                                                      PeerInputStatus.DECLINED]
        stmt = (sa.select(PeerInput).where(PeerInput.peer_id == me.id, PeerInput.status.in_(statuses))
                .options(joinedload(PeerInput.evaluation).joinedload(Evaluation.employee),
                         joinedload(PeerInput.evaluation).joinedload(Evaluation.appraiser),
                         joinedload(PeerInput.evaluation).joinedload(Evaluation.period),
                         joinedload(PeerInput.evaluation).joinedload(Evaluation.subperiod))
                .order_by(PeerInput.requested_dt.desc(), PeerInput.id.desc()))
        page = db.paginate(stmt, page=page_number(), per_page=current_app.config["PER_PAGE"], error_out=False,
                           count=True)
    return render_page("evaluation/peer/list.html", "evaluation/peer/_results.html", page=page, tab=tab,
                       tabs=[(PENDING, _("Menunggu")), (ANSWERED, _("Sudah ditanggapi"))])


def _answer_context(peer_input, form=None, decline_form=None, error=None):
    return dict(peer_input=peer_input, evaluation=peer_input.evaluation, form=form or PeerAnswerForm(formdata=None),
                decline_form=decline_form or PeerDeclineForm(formdata=None), error=error,
                can_answer=peer_input.can_answer(current_user), guides=GUIDE_BEHAVIOURS, ratings=list(Rating),
                given=_given(peer_input), named=bool(current_app.config.get("PEER_INPUT_NAMED")))


def _given(peer_input):
    """The colleague's own answers, to read back: [(CoreValue, Rating or None, note)]."""
    if peer_input.status is not PeerInputStatus.GIVEN:
        return []
    rows = []
    for value in CoreValue:
        answer = (peer_input.answers or {}).get(value.value) or {}
        rating = answer.get("rating")
        rows.append((value, Rating(rating) if rating in {r.value for r in Rating} else None, answer.get("note") or ""))
    return rows


@bp.route("/<int:peer_input_id>", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def answer_input(peer_input_id):
    peer_input = _load_peer_input(peer_input_id)
    # Only the colleague opens this page: for the penilai it would tie a name to the answers.
    ensure(peer_input.is_peer(current_user))
    if request.method == "GET":
        return render_template("evaluation/peer/answer.html", **_answer_context(peer_input))
    form = PeerAnswerForm()
    if not peer_input.can_answer(current_user):
        return render_template("evaluation/peer/answer.html", **_answer_context(
            peer_input, error=_("Permintaan masukan ini tidak lagi dapat dijawab.")))
    if not form.validate():
        return render_template("evaluation/peer/answer.html", **_answer_context(peer_input, form))
    try:
        services.answer_peer_input(peer_input, form.answers())
    except services.PeerInputError as exc:
        db.session.rollback()
        target = form._fields.get(exc.field or "")
        if target is not None:
            target.errors = [*target.errors, str(exc)]
        return render_template("evaluation/peer/answer.html", **_answer_context(
            _load_peer_input(peer_input_id), form, error=None if target is not None else str(exc)))
    db.session.commit()
    flash(_("Terima kasih. Masukan Anda untuk %(name)s sudah terkirim kepada pejabat penilai.",
            name=peer_input.evaluation.employee.display_name), "success")
    return _see_other(url_for("peer_input.list_requests", tampil=ANSWERED))


@bp.post("/<int:peer_input_id>/tolak")
@allow(AUTHENTICATED)
def decline_input(peer_input_id):
    peer_input = _load_peer_input(peer_input_id)
    ensure(peer_input.is_peer(current_user))
    form = PeerDeclineForm()
    if not peer_input.can_answer(current_user):
        return render_template("evaluation/peer/answer.html", **_answer_context(
            peer_input, decline_form=form, error=_("Permintaan masukan ini tidak lagi dapat dijawab.")))
    if not form.validate():
        return render_template("evaluation/peer/answer.html", **_answer_context(peer_input, decline_form=form))
    try:
        services.decline_peer_input(peer_input, form.reason.data)
    except services.PeerInputError as exc:
        db.session.rollback()
        return render_template("evaluation/peer/answer.html", **_answer_context(
            _load_peer_input(peer_input_id), decline_form=form, error=str(exc)))
    db.session.commit()
    flash(_("Permintaan masukan untuk %(name)s Anda tolak.", name=peer_input.evaluation.employee.display_name),
          "info")
    return _see_other(url_for("peer_input.list_requests", tampil=ANSWERED))
