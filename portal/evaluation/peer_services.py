"""Masukan rekan kerja (optional 360): the penilai asks named colleagues of the pegawai for short
structured input on the seven BerAKHLAK values while the evaluation is a draft.

The penilai reads the answers on the evaluation page (``panel``), with the colleagues' names when
the setting PEER_INPUT_NAMED is on and as "Rekan 1", "Rekan 2"… otherwise; the pegawai never sees
them. Services check the state, change it, audit, notify and flush; callers commit.
"""
import hashlib
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal.core import audit
from portal.core.models import utcnow
from portal.evaluation.models import Evaluation, EvaluationStatus, PeerInput, PeerInputStatus, Rating
from portal.evaluation.services import EvaluationError, _actor
from portal.extensions import db
from portal.notifications import services as notifications
from portal.people.models import Employee, OrgUnit
from portal.plans.models import CoreValue

MAX_PEERS = 10  # requests per evaluation (declined ones count: the colleague was asked)
MAX_NOTE = 500
# Colleagues offered in the request form: the pegawai's own unit first, then the rest of the OPD.
CANDIDATE_LIMIT = 300

PEER_REQUESTED = notifications.register_kind(
    "evaluations.peer_requested", title=_l("Permintaan masukan rekan kerja untuk %(name)s (%(period)s)"),
    email=True, template="evaluation/email/evaluations.peer_requested.txt")


class PeerInputError(EvaluationError):
    """A peer-input change that breaks a rule; ``field`` names the input it concerns (or None)."""


# ---------------------------------------------------------------- who may be asked
def opd_of(unit: OrgUnit) -> OrgUnit:
    """The OPD a unit belongs to: its ancestor right below the instansi (the unit itself at the top)."""
    ids = unit.ancestor_ids  # from the instansi down to the unit itself
    if len(ids) <= 2:
        return unit
    return db.session.get(OrgUnit, ids[1])


def candidates(evaluation: Evaluation, limit: int = CANDIDATE_LIMIT) -> list[Employee]:
    """Active employees of the pegawai's OPD who may still be asked: not the pegawai, not the
    penilai, not asked already. The pegawai's own unit first, then by name (one statement)."""
    opd = opd_of(evaluation.org_unit)
    asked = sa.select(PeerInput.peer_id).where(PeerInput.evaluation_id == evaluation.id)
    excluded = [i for i in (evaluation.employee_id, evaluation.appraiser_id) if i is not None]
    own_unit_first = sa.case((Employee.org_unit_id == evaluation.org_unit_id, 0), else_=1)
    return db.session.scalars(
        sa.select(Employee).join(OrgUnit, OrgUnit.id == Employee.org_unit_id)
        .options(joinedload(Employee.org_unit), joinedload(Employee.position))
        .where(OrgUnit.path.like(f"{opd.path}%"), Employee.is_active.is_(True),
               Employee.id.not_in(excluded), Employee.id.not_in(asked))
        .order_by(own_unit_first, Employee.name, Employee.id).limit(limit)).all()


def _check_peer(evaluation, peer):
    if not peer.is_active:
        raise PeerInputError(_("%(name)s tidak lagi aktif.", name=peer.display_name), "peers")
    if peer.id == evaluation.employee_id:
        raise PeerInputError(_("Pegawai yang dievaluasi tidak dapat dimintai masukan tentang dirinya sendiri."),
                             "peers")
    if peer.id == evaluation.appraiser_id:
        raise PeerInputError(_("Pejabat penilai tidak perlu meminta masukan dari dirinya sendiri."), "peers")


# ---------------------------------------------------------------- writing
def request_peer_input(evaluation: Evaluation, peers, *, actor=None) -> list[PeerInput]:
    """Ask ``peers`` (employees) for input on the draft ``evaluation``; notifies each of them.

    Raises PeerInputError for a final evaluation, no peers, the pegawai or the penilai among
    them, an inactive employee, colleagues asked already (named in the message) or more than
    MAX_PEERS requests in all.
    """
    if evaluation.status is not EvaluationStatus.DRAFT:
        raise PeerInputError(_("Masukan rekan hanya dapat diminta selama evaluasi masih draf."))
    peers = list({p.id: p for p in peers}.values())
    if not peers:
        raise PeerInputError(_("Pilih paling sedikit satu rekan kerja."), "peers")
    for peer in peers:
        _check_peer(evaluation, peer)
    existing = {p.peer_id for p in evaluation.peer_inputs}
    already = [p for p in peers if p.id in existing]
    if already:
        raise PeerInputError(_("Sudah dimintai masukan: %(names)s.",
                               names=", ".join(p.display_name for p in already)), "peers")
    if len(existing) + len(peers) > MAX_PEERS:
        raise PeerInputError(_("Paling banyak %(n)s rekan kerja per evaluasi; masih dapat meminta %(left)s lagi.",
                               n=MAX_PEERS, left=max(0, MAX_PEERS - len(existing))), "peers")
    actor = _actor(actor)
    created = []
    try:
        # A savepoint, so that a refused row leaves the caller's transaction usable. The rows name
        # the evaluation by id: attaching them to its collection would flush them before it.
        with db.session.begin_nested():
            created = [PeerInput(evaluation_id=evaluation.id, peer=peer, requested_by=actor) for peer in peers]
            db.session.add_all(created)
    except IntegrityError:
        # Another tab asked one of them in the meantime: the unique constraint refused it.
        db.session.expire(evaluation, ["peer_inputs"])
        asked = set(db.session.scalars(sa.select(PeerInput.peer_id).where(
            PeerInput.evaluation_id == evaluation.id)))
        raise PeerInputError(_("Sudah dimintai masukan: %(names)s.", names=", ".join(
            p.display_name for p in peers if p.id in asked)), "peers") from None
    db.session.expire(evaluation, ["peer_inputs"])
    employee = evaluation.employee
    for peer_input in created:
        audit.record("request_peer_input", peer_input, to_state=peer_input.status, actor=actor,
                     summary=f"{employee.display_name} — {evaluation.period_label}")
        if peer_input.peer.user is not None:
            notifications.notify(
                peer_input.peer.user, PEER_REQUESTED.name, obj=peer_input,
                url=notifications.path_for("peer_input.answer_input", peer_input_id=peer_input.id),
                title_args={"name": employee.display_name, "period": evaluation.period_label},
                body=_l("%(appraiser)s, pejabat penilai, meminta masukan singkat Anda tentang perilaku kerja "
                        "(BerAKHLAK) rekan Anda.", appraiser=actor.display_name if actor is not None else ""))
    return created


def _check_answerable(peer_input):
    if peer_input.status is not PeerInputStatus.REQUESTED:
        raise PeerInputError(_("Permintaan masukan ini sudah %(status)s.", status=str(peer_input.status.title).lower()))
    if peer_input.evaluation.is_final:
        raise PeerInputError(_("Evaluasi ini sudah final; masukan tidak dapat diberikan lagi."))


def answer_peer_input(peer_input: PeerInput, answers: dict, *, actor=None) -> PeerInput:
    """The colleague's input: ``answers`` maps each CoreValue to (Rating, note). All seven
    ratings are required; a note is optional and at most MAX_NOTE characters.

    Raises PeerInputError for a request that is no longer open (answered, declined, the
    evaluation final), a missing or unknown rating (field ``rating_<value>``) or a long note
    (field ``note_<value>``).
    """
    _check_answerable(peer_input)
    stored = {}
    for value in CoreValue:
        rating, note = answers.get(value, (None, ""))
        try:
            rating = Rating.coerce(rating)
        except ValueError:
            rating = None
        if rating is None:
            raise PeerInputError(_("Pilih rating untuk %(value)s.", value=value.title), f"rating_{value.value}")
        note = (note or "").strip()
        if len(note) > MAX_NOTE:
            raise PeerInputError(_("Paling banyak %(n)s karakter.", n=MAX_NOTE), f"note_{value.value}")
        stored[value.value] = {"rating": rating.value, "note": note}
    peer_input.answers = stored
    peer_input.status = PeerInputStatus.GIVEN
    peer_input.answered_dt = utcnow()
    db.session.flush()
    audit.record("give_peer_input", peer_input, from_state=PeerInputStatus.REQUESTED, to_state=peer_input.status,
                 actor=_actor(actor))
    return peer_input


def decline_peer_input(peer_input: PeerInput, reason: str = "", *, actor=None) -> PeerInput:
    """The colleague declines (the reason, if any, goes to the audit entry). Raises PeerInputError
    for a request that is no longer open or a reason over MAX_NOTE characters."""
    _check_answerable(peer_input)
    reason = (reason or "").strip()
    if len(reason) > MAX_NOTE:
        raise PeerInputError(_("Paling banyak %(n)s karakter.", n=MAX_NOTE), "reason")
    peer_input.status = PeerInputStatus.DECLINED
    peer_input.answered_dt = utcnow()
    db.session.flush()
    audit.record("decline_peer_input", peer_input, from_state=PeerInputStatus.REQUESTED,
                 to_state=peer_input.status, summary=reason or None, actor=_actor(actor))
    return peer_input


def cancel_peer_input(peer_input: PeerInput, *, actor=None) -> None:
    """The penilai withdraws a request not yet answered (the row goes; the audit entry stays, and
    the colleague may be asked again). Raises PeerInputError otherwise."""
    if peer_input.status is not PeerInputStatus.REQUESTED:
        raise PeerInputError(_("Hanya permintaan yang belum dijawab yang dapat dibatalkan."))
    if peer_input.evaluation.is_final:
        raise PeerInputError(_("Evaluasi ini sudah final."))
    audit.record("cancel_peer_input", peer_input, from_state=PeerInputStatus.REQUESTED, actor=_actor(actor),
                 summary=peer_input.peer.display_name)
    peer_input.evaluation.peer_inputs.remove(peer_input)
    db.session.delete(peer_input)
    db.session.flush()


# ---------------------------------------------------------------- reading
@dataclass
class GivenAnswer:
    label: str  # the colleague's name, or "Rekan n"
    answers: list  # [(CoreValue, Rating, note)]


@dataclass
class PeerPanel:
    """What the penilai sees about peer input on the evaluation page."""

    evaluation: Evaluation
    named: bool
    pending: list  # PeerInput still requested (cancellable while the evaluation is a draft)
    responded: list  # PeerInput given or declined
    given: list  # GivenAnswer, in an order that does not follow the requests when anonymised
    summary: list  # [(CoreValue, {Rating: count})]
    can_request: bool
    can_cancel: bool
    candidates: list = field(default_factory=list)  # Employee offered in the request form
    left: int = 0  # requests still allowed

    @property
    def declined(self) -> int:
        return sum(1 for p in self.responded if p.status is PeerInputStatus.DECLINED)

    @property
    def is_empty(self) -> bool:
        return not self.pending and not self.responded


def _stored_rating(value) -> Rating | None:
    try:
        return Rating.coerce(value)
    except ValueError:
        return None


def _anonymous_order(evaluation, peer_input) -> str:
    # Stable across page loads but unrelated to who was asked first.
    return hashlib.sha256(f"{evaluation.id}:{peer_input.id}:{peer_input.peer_id}".encode()).hexdigest()


def panel(evaluation, user):
    """What the evaluation page shows about peer input for ``user``: a PeerPanel for the penilai,
    None for everybody else (the pegawai must never see who said what)."""
    if evaluation.id is None or not evaluation.is_appraiser(user):
        return None
    named = bool(current_app.config.get("PEER_INPUT_NAMED"))
    requests = db.session.scalars(
        sa.select(PeerInput).where(PeerInput.evaluation_id == evaluation.id)
        .options(joinedload(PeerInput.peer)).order_by(PeerInput.id)).all()
    pending = [p for p in requests if p.status is PeerInputStatus.REQUESTED]
    responded = [p for p in requests if p.status is not PeerInputStatus.REQUESTED]
    given = [p for p in responded if p.status is PeerInputStatus.GIVEN]
    if not named:
        given.sort(key=lambda p: _anonymous_order(evaluation, p))
    answers, summary = [], {value: {r: 0 for r in Rating} for value in CoreValue}
    for number, peer_input in enumerate(given, start=1):
        rows = []
        for value in CoreValue:
            answer = (peer_input.answers or {}).get(value.value) or {}
            rating = _stored_rating(answer.get("rating"))
            if rating is not None:
                summary[value][rating] += 1
            rows.append((value, rating, answer.get("note") or ""))
        label = peer_input.peer.display_name if named else _("Rekan %(n)s", n=number)
        answers.append(GivenAnswer(label, rows))
    draft = evaluation.status is EvaluationStatus.DRAFT
    can_request = evaluation.can_request_peer_input(user) and len(requests) < MAX_PEERS
    return PeerPanel(
        evaluation=evaluation, named=named, pending=pending, responded=responded, given=answers,
        summary=list(summary.items()), can_request=can_request, can_cancel=draft and evaluation.can_rate(user),
        candidates=candidates(evaluation) if can_request else [], left=max(0, MAX_PEERS - len(requests)))
