"""Evaluation workflows: start, rate, finalise, acknowledge, development needs, objections.

Services check the state, change it, audit, notify and flush; callers commit. The evaluation of
a plan for a period is addressed by (plan, period_key): 0 is the year, 1…12 a sub-period.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app, has_request_context
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from portal.core import audit
from portal.core.models import utcnow
from portal.core.signals import needs_changed
from portal.evaluation import rules
from portal.evaluation.models import (
    YEAR_KEY,
    BehaviourRating,
    DevelopmentNeed,
    Evaluation,
    EvaluationStatus,
    IndicatorNote,
    NeedKind,
    Objection,
    ObjectionStatus,
    OrgAssessment,
    Rating,
)
from portal.extensions import db
from portal.notifications import services as notifications
from portal.plans import rules as plan_rules
from portal.plans.models import (
    Aggregation,
    CoreValue,
    Measure,
    PerformancePlan,
    PlanStatus,
    Realisation,
    Subperiod,
)
from portal.plans.progress import plan_progress

# Plans that can be evaluated: the approved one, and one closed early by a transfer.
EVALUABLE = (PlanStatus.APPROVED, PlanStatus.CLOSED)
MAX_TEXT = 2000
MAX_OBJECTION = 2000

FINALISED = notifications.register_kind(
    "evaluations.finalised", title=_l("Evaluasi kinerja %(period)s telah final"), email=True,
    template="evaluation/email/evaluations.finalised.txt")
OBJECTION_FILED = notifications.register_kind(
    "evaluations.objection_filed", title=_l("%(name)s mengajukan keberatan atas predikat %(period)s"),
    email=True, template="evaluation/email/evaluations.objection_filed.txt")
OBJECTION_DECIDED = notifications.register_kind(
    "evaluations.objection_decided", title=_l("Keberatan atas predikat %(period)s telah diputuskan"),
    email=True, template="evaluation/email/evaluations.objection_decided.txt")


class EvaluationError(ValueError):
    """A change that breaks a rule; ``field`` names the input it concerns (or None)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


class StaleEvaluation(EvaluationError):
    def __init__(self):
        super().__init__(_("Evaluasi ini sudah diubah di tab atau perangkat lain sejak halaman ini dibuka. "
                           "Muat ulang halaman, periksa isinya, lalu simpan lagi."))


def _actor(actor=None):
    if actor is not None:
        return actor
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def evaluation_url(evaluation) -> str:
    return notifications.path_for("evaluation.show_evaluation", plan_id=evaluation.plan_id,
                                  period_key=evaluation.period_key)


# ---------------------------------------------------------------- reading
def subperiod_of(plan: PerformancePlan, period_key: int) -> Subperiod | None:
    """The sub-period ``period_key`` addresses in the plan's year (None for the year).

    Raises LookupError when the key is not one of the year's sub-periods or when the plan does
    not cover it (a plan closed by a transfer in May has no evaluation for June).
    """
    if period_key == YEAR_KEY:
        return None
    subperiod = db.session.scalar(sa.select(Subperiod).where(
        Subperiod.period_id == plan.period_id, Subperiod.number == period_key))
    if subperiod is None or subperiod.start_date > plan.end_date or subperiod.end_date < plan.start_date:
        raise LookupError(period_key)
    return subperiod


def evaluation_for(plan: PerformancePlan, period_key: int) -> Evaluation | None:
    return db.session.scalar(sa.select(Evaluation).where(
        Evaluation.plan_id == plan.id, Evaluation.period_key == period_key))


def is_evaluable(plan: PerformancePlan) -> bool:
    return plan.status in EVALUABLE


def can_start(plan: PerformancePlan, user) -> bool:
    """The penilai may start an evaluation of an approved (or transfer-closed) plan."""
    return plan.is_appraiser(user) and is_evaluable(plan)


def head_unit(plan: PerformancePlan):
    """The unit whose head the plan's post is (None for staff)."""
    return plan.position.org_unit if plan.position is not None and plan.position.is_head else None


def org_assessment_for(unit, period_id: int, period_key: int) -> OrgAssessment | None:
    if unit is None:
        return None
    return db.session.scalar(sa.select(OrgAssessment).where(
        OrgAssessment.org_unit_id == unit.id, OrgAssessment.period_id == period_id,
        OrgAssessment.period_key == period_key))


@dataclass
class IndicatorRow:
    """One IKI as the evaluation shows it: target, realisasi of the period, capaian, evidence."""

    progress: object  # plans.progress.IndicatorProgress (cumulative to the end of the period)
    realisations: list = field(default_factory=list)  # Realisation of the period (with evidence, feedback)
    capaian: Decimal | None = None  # percent, against what was due by the end of the period
    note: str = ""  # the penilai's umpan balik on this IKI in this evaluation

    @property
    def indicator(self):
        return self.progress.indicator

    @property
    def result(self):
        return self.progress.result

    @property
    def realisasi_label(self) -> str:
        if self.progress.is_numeric:
            value = self.progress.cumulative
            return "" if value is None else f"{plan_rules.format_number(value)} {self.progress.unit}".strip()
        return "; ".join(r.narrative for r in self.realisations if r.narrative)


def period_capaian(progress, *, annual: bool) -> Decimal | None:
    """Capaian against what was due: for a summed IKI in a sub-period, the year-to-date figure
    against the pro-rata share of the yearly target; otherwise the capaian as computed."""
    if progress.capaian is None:
        return None
    if (not annual and progress.indicator.aggregation is Aggregation.SUM
            and progress.expected_share and progress.expected_share < 1):
        return (progress.capaian / progress.expected_share).quantize(Decimal("0.01"))
    return progress.capaian


def indicator_rows(plan: PerformancePlan, period_key: int, evaluation: Evaluation | None = None
                   ) -> list[IndicatorRow]:
    """Per IKI of the plan: the figures up to the end of the period, the period's realisasi with
    their evidence and feedback thread, and the penilai's note. A fixed number of queries."""
    subperiod = subperiod_of(plan, period_key)
    progress = plan_progress(plan, upto=subperiod if subperiod is not None else None,
                             today=plan.period.end_date)
    query = (sa.select(Realisation).where(Realisation.plan_id == plan.id)
             .options(selectinload(Realisation.evidence), selectinload(Realisation.feedback))
             .order_by(Realisation.subperiod_id))
    if subperiod is not None:
        query = query.where(Realisation.subperiod_id == subperiod.id)
    by_indicator = {}
    for realisation in db.session.scalars(query):
        by_indicator.setdefault(realisation.indicator_id, []).append(realisation)
    notes = {}
    if evaluation is not None and evaluation.id is not None:
        notes = {n.indicator_id: n.body for n in db.session.scalars(
            sa.select(IndicatorNote).where(IndicatorNote.evaluation_id == evaluation.id))}
    return [IndicatorRow(p, by_indicator.get(p.indicator.id, []),
                         period_capaian(p, annual=period_key == YEAR_KEY), notes.get(p.indicator.id, ""))
            for p in progress]


def suggestion(rows: list[IndicatorRow]) -> rules.Suggestion:
    """The suggested rating of hasil kerja from the rows' capaian (numeric IKIs only)."""
    return rules.suggest_hasil_rating({
        f"IKI {row.progress.number} {row.indicator.text}": row.capaian
        for row in rows if row.indicator.measure is Measure.NUMERIC})


def predicate_for(hasil: Rating | None, perilaku: Rating | None):
    return rules.predicate(hasil, perilaku) if hasil is not None and perilaku is not None else None


def new_evaluation(plan: PerformancePlan, period_key: int) -> Evaluation:
    """An unsaved evaluation for display before the penilai's first save (not in the session)."""
    subperiod = subperiod_of(plan, period_key)
    evaluation = Evaluation(plan=plan, employee_id=plan.employee_id, appraiser_id=plan.appraiser_id,
                            org_unit_id=plan.org_unit_id, period_id=plan.period_id, subperiod=subperiod,
                            period_key=period_key, status=EvaluationStatus.DRAFT, hasil_reason="",
                            perilaku_note="")
    evaluation.period = plan.period
    evaluation.employee = plan.employee
    evaluation.appraiser = plan.appraiser
    evaluation.org_unit = plan.org_unit
    _apply_head_rating(evaluation)
    db.session.expunge(evaluation) if evaluation in db.session else None
    return evaluation


def _apply_head_rating(evaluation: Evaluation) -> OrgAssessment | None:
    """For the head of a unit with an organisational capaian for the period: hasil kerja is it."""
    assessment = org_assessment_for(head_unit(evaluation.plan), evaluation.period_id, evaluation.period_key)
    if assessment is None:
        evaluation.hasil_from_org = False
        return None
    evaluation.hasil_from_org = True
    evaluation.hasil_rating = rules.head_hasil_rating(assessment.predicate)
    evaluation.predicate = predicate_for(evaluation.hasil_rating, evaluation.perilaku_rating)
    return assessment


# ---------------------------------------------------------------- writing
def start_evaluation(plan: PerformancePlan, period_key: int, *, actor=None) -> Evaluation:
    """Create the evaluation of ``plan`` for the period (the penilai's first save). Returns the
    existing one if it is there already. Raises EvaluationError for a plan that is not approved
    or has no penilai, LookupError for a period the plan does not cover."""
    existing = evaluation_for(plan, period_key)
    if existing is not None:
        return existing
    if not is_evaluable(plan):
        raise EvaluationError(_("Hanya SKP yang sudah disetujui yang dapat dievaluasi."))
    if plan.appraiser_id is None:
        raise EvaluationError(_("SKP ini belum memiliki pejabat penilai."))
    subperiod = subperiod_of(plan, period_key)
    evaluation = Evaluation(plan=plan, employee_id=plan.employee_id, appraiser_id=plan.appraiser_id,
                            org_unit_id=plan.org_unit_id, period_id=plan.period_id, subperiod=subperiod,
                            period_key=period_key, status=EvaluationStatus.DRAFT)
    for value in CoreValue:
        evaluation.behaviours.append(BehaviourRating(value=value, note=""))
    db.session.add(evaluation)
    _apply_head_rating(evaluation)
    db.session.flush()
    audit.record("start_evaluation", evaluation, to_state=evaluation.status, actor=_actor(actor),
                 summary=f"{plan.employee.display_name} — {evaluation.period_label}")
    return evaluation


def _check_lock(evaluation, lock_version):
    if lock_version is not None and str(lock_version) != str(evaluation.lock_version):
        raise StaleEvaluation()


def _text(value, limit, field_name):
    value = (value or "").strip()
    if len(value) > limit:
        raise EvaluationError(_("Paling banyak %(n)s karakter.", n=limit), field_name)
    return value


RATED_FIELDS = ["hasil_rating", "hasil_reason", "perilaku_rating", "perilaku_note", "predicate"]


def save_evaluation(evaluation: Evaluation, *, hasil_rating=None, hasil_reason="", perilaku_rating=None,
                    perilaku_note="", behaviours: dict | None = None, notes: dict | None = None,
                    suggested: Rating | None = None, lock_version=None, actor=None) -> Evaluation:
    """Save the penilai's draft ratings.

    ``behaviours`` maps CoreValue → (Rating or None, note); ``notes`` maps indicator id → umpan
    balik text (IKIs of the plan only). For the head of a unit with an organisational capaian the
    hasil kerja rating is that capaian's, whatever is passed. Raises EvaluationError (a final
    evaluation, a text too long, an unknown IKI) and StaleEvaluation (another tab saved first).
    """
    if evaluation.status is not EvaluationStatus.DRAFT:
        raise EvaluationError(_("Evaluasi yang sudah final tidak dapat diubah."))
    _check_lock(evaluation, lock_version)
    before = audit.snapshot(evaluation, RATED_FIELDS)
    evaluation.hasil_reason = _text(hasil_reason, MAX_TEXT, "hasil_reason")
    evaluation.perilaku_note = _text(perilaku_note, MAX_TEXT, "perilaku_note")
    evaluation.hasil_rating = Rating.coerce(hasil_rating)
    evaluation.perilaku_rating = Rating.coerce(perilaku_rating)
    evaluation.suggested_rating = Rating.coerce(suggested)
    _apply_head_rating(evaluation)
    evaluation.predicate = predicate_for(evaluation.hasil_rating, evaluation.perilaku_rating)
    for row in evaluation.behaviours:
        if behaviours and row.value in behaviours:
            rating, note = behaviours[row.value]
            row.rating = Rating.coerce(rating)
            row.note = _text(note, MAX_TEXT, f"note_{row.value.value}")
    if notes:
        indicator_ids = {i.id for r in evaluation.plan.results for i in r.indicators}
        existing = {n.indicator_id: n for n in evaluation.notes}
        for indicator_id, body in notes.items():
            if indicator_id not in indicator_ids:
                raise EvaluationError(_("IKI tidak ditemukan pada SKP ini."))
            body = _text(body, MAX_TEXT, f"iki_{indicator_id}")
            if indicator_id in existing:
                existing[indicator_id].body = body
            elif body:
                evaluation.notes.append(IndicatorNote(indicator_id=indicator_id, body=body))
    try:
        db.session.flush()
    except StaleDataError:
        raise StaleEvaluation() from None  # the caller rolls back
    changes = audit.diff(evaluation, RATED_FIELDS, before)
    if changes:
        audit.record("rate_evaluation", evaluation, changes=changes, actor=_actor(actor))
    return evaluation


def _person(employee, unit=None, position=None) -> dict:
    from portal.plans.plan_services import _person as plan_person
    return plan_person(employee, unit, position)


def finalise_evaluation(evaluation: Evaluation, *, actor=None, today: date | None = None) -> Evaluation:
    """Lock the evaluation with its predikat, freeze the people, set the objection deadline,
    record the development needs and tell the pegawai. Raises EvaluationError without both
    ratings or when already final."""
    if evaluation.status is not EvaluationStatus.DRAFT:
        raise EvaluationError(_("Evaluasi ini sudah final."))
    _apply_head_rating(evaluation)
    if evaluation.hasil_rating is None:
        raise EvaluationError(_("Tetapkan rating hasil kerja sebelum memfinalkan evaluasi."), "hasil_rating")
    if evaluation.perilaku_rating is None:
        raise EvaluationError(_("Tetapkan rating perilaku kerja sebelum memfinalkan evaluasi."),
                              "perilaku_rating")
    actor = _actor(actor)
    today = today or date.today()
    plan = evaluation.plan
    evaluation.predicate = rules.predicate(evaluation.hasil_rating, evaluation.perilaku_rating)
    evaluation.status = EvaluationStatus.FINAL
    evaluation.finalised_dt = utcnow()
    evaluation.finalised_by = actor
    evaluation.objection_deadline = today + timedelta(days=current_app.config["OBJECTION_DAYS"])
    snapshot = {"pegawai": _person(plan.employee, plan.org_unit, plan.position),
                "penilai": _person(evaluation.appraiser) if evaluation.appraiser else None}
    assessment = org_assessment_for(evaluation.org_unit, evaluation.period_id, evaluation.period_key)
    if assessment is None and head_unit(plan) is not None:
        assessment = org_assessment_for(head_unit(plan), evaluation.period_id, evaluation.period_key)
    if assessment is not None:
        snapshot["capaian_organisasi"] = assessment.predicate.value
    # Assigned whole: a JSON column does not see changes made inside the dict afterwards.
    evaluation.snapshot = snapshot
    db.session.flush()
    record_development_needs(evaluation)
    needs_changed.send(None, employee_ids=[evaluation.employee_id])
    audit.record("finalise_evaluation", evaluation, from_state=EvaluationStatus.DRAFT, to_state=evaluation.status,
                 summary=f"{evaluation.hasil_rating.value}/{evaluation.perilaku_rating.value} → "
                         f"{evaluation.predicate.value}", actor=actor)
    if plan.employee.user is not None:
        notifications.notify(plan.employee.user, FINALISED.name, obj=evaluation, url=evaluation_url(evaluation),
                             title_args={"period": evaluation.period_label},
                             body=_l("Predikat kinerja: %(predicate)s. Keberatan dapat diajukan sampai "
                                     "%(deadline)s.", predicate=evaluation.predicate.title,
                                     deadline=format_date(evaluation.objection_deadline, "long")))
    return evaluation


def acknowledge_evaluation(evaluation: Evaluation, *, actor=None) -> Evaluation:
    """The pegawai confirms having read the final evaluation. Raises EvaluationError otherwise."""
    if not evaluation.is_final:
        raise EvaluationError(_("Evaluasi ini belum final."))
    if evaluation.acknowledged_dt is not None:
        raise EvaluationError(_("Evaluasi ini sudah Anda terima."))
    evaluation.acknowledged_dt = utcnow()
    db.session.flush()
    audit.record("acknowledge_evaluation", evaluation, actor=_actor(actor))
    return evaluation


# ---------------------------------------------------------------- development needs
def _need(evaluation, kind, reason, *, core_value=None, result=None) -> DevelopmentNeed:
    suffix = core_value.value if core_value is not None else (str(result.id) if result is not None else "")
    return DevelopmentNeed(key=f"{evaluation.id}/{kind.value}/{suffix}", evaluation_id=evaluation.id,
                           employee_id=evaluation.employee_id, period_id=evaluation.period_id,
                           period_key=evaluation.period_key, kind=kind, core_value=core_value,
                           result=result, reason=reason[:500])


def development_needs_of(evaluation: Evaluation, rows: list[IndicatorRow] | None = None) -> list[DevelopmentNeed]:
    """The needs a final evaluation implies (unsaved): hasil kerja Di Bawah Ekspektasi and the RHK
    whose numeric IKIs fell under 90 % of what was due; perilaku Di Bawah Ekspektasi and each
    BerAKHLAK value rated Di Bawah Ekspektasi. Reasons in the instansi's language."""
    period = evaluation.period_label
    needs = []
    if evaluation.hasil_rating is Rating.BELOW:
        rows = rows if rows is not None else indicator_rows(evaluation.plan, evaluation.period_key)
        needs.append(_need(evaluation, NeedKind.RESULT,
                           _("Rating hasil kerja Di Bawah Ekspektasi pada %(period)s", period=period)))
        short = {}
        for row in rows:
            if row.capaian is not None and row.capaian < rules.MEETS_FROM:
                short.setdefault(row.result.id, row.result)
        for result in short.values():
            needs.append(_need(evaluation, NeedKind.RESULT_PLAN,
                               _("RHK \u201c%(rhk)s\u201d belum tercapai pada %(period)s",
                                 rhk=result.text[:300], period=period), result=result))
    if evaluation.perilaku_rating is Rating.BELOW:
        needs.append(_need(evaluation, NeedKind.BEHAVIOUR,
                           _("Rating perilaku kerja Di Bawah Ekspektasi pada %(period)s", period=period)))
    for row in evaluation.behaviours:
        if row.rating is Rating.BELOW:
            needs.append(_need(evaluation, NeedKind.CORE_VALUE,
                               _("Rating perilaku %(value)s Di Bawah Ekspektasi pada %(period)s",
                                 value=row.value.title, period=period), core_value=row.value))
    return needs


def record_development_needs(evaluation: Evaluation, rows=None) -> list[DevelopmentNeed]:
    """Replace the evaluation's development needs with those its final ratings imply."""
    for need in list(evaluation.needs):
        evaluation.needs.remove(need)
    db.session.flush()
    needs = development_needs_of(evaluation, rows)
    evaluation.needs.extend(needs)
    db.session.flush()
    return needs


def open_needs(employee_id: int) -> list[DevelopmentNeed]:
    """The employee's development needs not yet resolved, newest first (for catalogue/coaching)."""
    from portal.evaluation.models import NeedStatus
    return list(db.session.scalars(sa.select(DevelopmentNeed).where(
        DevelopmentNeed.employee_id == employee_id, DevelopmentNeed.status != NeedStatus.RESOLVED)
        .order_by(DevelopmentNeed.created_dt.desc(), DevelopmentNeed.id.desc())))


# ---------------------------------------------------------------- organisational capaian
def sync_head_evaluations(assessment: OrgAssessment) -> int:
    """After a unit's organisational capaian changes: the draft evaluations of its head for that
    period take the new hasil kerja rating. Returns how many changed."""
    from portal.people.models import Position
    evaluations = db.session.scalars(
        sa.select(Evaluation).join(PerformancePlan, PerformancePlan.id == Evaluation.plan_id)
        .join(Position, Position.id == PerformancePlan.position_id)
        .where(Position.org_unit_id == assessment.org_unit_id, Position.is_head.is_(True),
               Evaluation.period_id == assessment.period_id, Evaluation.period_key == assessment.period_key,
               Evaluation.status == EvaluationStatus.DRAFT)).all()
    for evaluation in evaluations:
        _apply_head_rating(evaluation)
    db.session.flush()
    return len(evaluations)


# ---------------------------------------------------------------- objection
def _decider_of(evaluation: Evaluation):
    """The atasan pejabat penilai: the appraiser's supervisor (None: BKPSDM decides)."""
    appraiser = evaluation.appraiser
    return appraiser.supervisor if appraiser is not None else None


def file_objection(evaluation: Evaluation, reason: str, *, actor=None, today: date | None = None) -> Objection:
    """The pegawai objects to a final predikat. Raises EvaluationError after the deadline, for a
    second objection, a draft evaluation or an empty or overlong reason."""
    today = today or date.today()
    if not evaluation.is_final:
        raise EvaluationError(_("Keberatan hanya dapat diajukan atas evaluasi yang sudah final."))
    if evaluation.objection is not None:
        raise EvaluationError(_("Keberatan atas evaluasi ini sudah pernah diajukan."))
    if evaluation.objection_deadline is None or today > evaluation.objection_deadline:
        raise EvaluationError(_("Batas waktu pengajuan keberatan sudah lewat."))
    reason = (reason or "").strip()
    if not reason:
        raise EvaluationError(_("Tuliskan alasan keberatan."), "reason")
    if len(reason) > MAX_OBJECTION:
        raise EvaluationError(_("Paling banyak %(n)s karakter.", n=MAX_OBJECTION), "reason")
    decider = _decider_of(evaluation)
    objection = Objection(evaluation=evaluation, employee_id=evaluation.employee_id,
                          decider_id=decider.id if decider is not None else None, reason=reason,
                          original_hasil=evaluation.hasil_rating, original_perilaku=evaluation.perilaku_rating,
                          original_predicate=evaluation.predicate)
    db.session.add(objection)
    db.session.flush()
    audit.record("file_objection", objection, to_state=objection.status, actor=_actor(actor),
                 summary=f"{evaluation.employee.display_name} — {evaluation.period_label}")
    if decider is not None and decider.user is not None:
        notifications.notify(decider.user, OBJECTION_FILED.name, obj=objection,
                             url=notifications.path_for("objections.show_objection", objection_id=objection.id),
                             title_args={"name": evaluation.employee.display_name,
                                         "period": evaluation.period_label},
                             body=reason[:300])
    return objection


def decide_objection(objection: Objection, *, uphold: bool, reason: str, hasil_rating=None,
                     perilaku_rating=None, actor=None) -> Objection:
    """The atasan pejabat penilai upholds the predikat or changes it (through new ratings, so the
    kuadran still holds), with a reason. A change rewrites the evaluation's ratings and predikat
    and its development needs. Raises EvaluationError for a decided objection, a missing reason,
    or a 'change' that changes nothing."""
    if objection.status is not ObjectionStatus.FILED:
        raise EvaluationError(_("Keberatan ini sudah diputuskan."))
    reason = (reason or "").strip()
    if not reason:
        raise EvaluationError(_("Tuliskan alasan keputusan."), "decision_reason")
    if len(reason) > MAX_OBJECTION:
        raise EvaluationError(_("Paling banyak %(n)s karakter.", n=MAX_OBJECTION), "decision_reason")
    hasil, perilaku = Rating.coerce(hasil_rating), Rating.coerce(perilaku_rating)
    if not uphold:
        if hasil is None or perilaku is None:
            raise EvaluationError(_("Pilih rating hasil kerja dan perilaku kerja yang baru."), "hasil_rating")
        if (hasil, perilaku) == (objection.original_hasil, objection.original_perilaku):
            raise EvaluationError(_("Rating baru sama dengan rating semula. Pilih \u201cPertahankan\u201d "
                                    "bila predikat tidak berubah."), "hasil_rating")
    actor = _actor(actor)
    evaluation = objection.evaluation
    objection.decision_reason = reason
    objection.decided_dt = utcnow()
    objection.decided_by = actor
    if uphold:
        objection.status = ObjectionStatus.UPHELD
        objection.new_predicate = evaluation.predicate
    else:
        before = audit.snapshot(evaluation, RATED_FIELDS)
        evaluation.hasil_rating, evaluation.perilaku_rating = hasil, perilaku
        evaluation.predicate = rules.predicate(hasil, perilaku)
        objection.status = ObjectionStatus.CHANGED
        objection.new_predicate = evaluation.predicate
        db.session.flush()
        audit.record("change_predicate", evaluation, changes=audit.diff(evaluation, RATED_FIELDS, before),
                     summary=reason[:500], actor=actor)
        record_development_needs(evaluation)
        needs_changed.send(None, employee_ids=[evaluation.employee_id])
    db.session.flush()
    audit.record("decide_objection", objection, from_state=ObjectionStatus.FILED, to_state=objection.status,
                 summary=reason[:500], actor=actor)
    if evaluation.employee.user is not None:
        notifications.notify(evaluation.employee.user, OBJECTION_DECIDED.name, obj=objection,
                             url=evaluation_url(evaluation), title_args={"period": evaluation.period_label},
                             body=_l("%(decision)s: %(predicate)s. %(reason)s", decision=objection.status.title,
                                     predicate=evaluation.predicate.title, reason=reason[:300]))
    return objection
