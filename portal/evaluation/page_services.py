"""Read-only helpers of the evaluation page and of "Evaluasi saya".

Nothing here writes: the workflows are in ``services``. The page is read in a fixed number of
statements whatever the number of IKIs and realisasi: the plan with its RHK, IKIs and
expectations, the evaluation with its children, the period's rows (``services.indicator_rows``)
and the feedback authors are each one or two queries.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.models import User
from portal.evaluation import rules, services
from portal.evaluation.feedback_services import unit_ikm
from portal.evaluation.models import (
    YEAR_KEY,
    Evaluation,
    EvaluationStatus,
    PeerInputStatus,
    Rating,
)
from portal.extensions import db
from portal.people.models import Employee
from portal.plans import rules as plan_rules
from portal.plans.models import (
    CoreValue,
    PerformancePeriod,
    PerformancePlan,
    ResultKind,
    ResultPlan,
    Subperiod,
    SubperiodLength,
)

# The ratings in the kuadran's order: rows (hasil kerja) and columns (perilaku kerja), and the
# short titles its narrow cells show (the full title is there for screen readers).
RATING_ORDER = [Rating.ABOVE, Rating.MEETS, Rating.BELOW]
SHORT_TITLES = {Rating.ABOVE: _l("Di Atas"), Rating.MEETS: _l("Sesuai"), Rating.BELOW: _l("Di Bawah")}

# The optional numeric view needs a number for perilaku kerja, which the kuadran rules do not
# give. The portal's convention (behind NUMERIC_SCORES_ENABLED, for regions that still pay
# allowances from a score): the rating is read as the nilai capaian of a matching capaian, so
# Di Atas = capaian above 110 % (120), Sesuai = 100 % (109), Di Bawah = 80 % (70).
PERILAKU_SCORES = {Rating.ABOVE: Decimal(120), Rating.MEETS: Decimal(109), Rating.BELOW: Decimal(70)}


# ---------------------------------------------------------------- loading
def load_plan(plan_id: int) -> PerformancePlan | None:
    """The plan with everything the page shows about it (people, RHK, IKIs, expectations)."""
    return db.session.get(PerformancePlan, plan_id, options=[
        joinedload(PerformancePlan.employee).joinedload(Employee.position),
        joinedload(PerformancePlan.employee).joinedload(Employee.org_unit),
        joinedload(PerformancePlan.appraiser).joinedload(Employee.position),
        joinedload(PerformancePlan.appraiser).joinedload(Employee.org_unit),
        joinedload(PerformancePlan.period), joinedload(PerformancePlan.org_unit),
        joinedload(PerformancePlan.position),
        selectinload(PerformancePlan.results).selectinload(ResultPlan.indicators),
        selectinload(PerformancePlan.results).joinedload(ResultPlan.intervened_result),
        selectinload(PerformancePlan.results).joinedload(ResultPlan.org_target),
        selectinload(PerformancePlan.results).joinedload(ResultPlan.team_goal),
        selectinload(PerformancePlan.expectations)])


def load_evaluation(plan: PerformancePlan, period_key: int) -> Evaluation | None:
    """The saved evaluation of the plan for the period, with its children, or None."""
    return db.session.scalar(
        sa.select(Evaluation).where(Evaluation.plan_id == plan.id, Evaluation.period_key == period_key)
        .options(selectinload(Evaluation.behaviours), selectinload(Evaluation.needs),
                 selectinload(Evaluation.objection), selectinload(Evaluation.peer_inputs),
                 joinedload(Evaluation.appraiser).joinedload(Employee.position),
                 joinedload(Evaluation.appraiser).joinedload(Employee.org_unit)))


def load_evaluation_by_id(evaluation_id: int) -> Evaluation | None:
    return db.session.get(Evaluation, evaluation_id, options=[
        joinedload(Evaluation.plan), joinedload(Evaluation.employee), joinedload(Evaluation.org_unit)])


# ---------------------------------------------------------------- the period switcher
@dataclass
class PeriodTab:
    key: int
    label: str        # "November 2026", "Tahunan 2026"
    short: str        # "Nov", "TW IV", "Tahunan"
    status: EvaluationStatus | None
    current: bool


def short_label(period: PerformancePeriod, number: int) -> str:
    if period.subperiod_length is SubperiodLength.MONTHLY:
        return str(plan_rules.MONTHS[number - 1])[:3]
    return _("TW %(n)s", n=["I", "II", "III", "IV"][number - 1])


def period_tabs(plan: PerformancePlan, current_key: int) -> list[PeriodTab]:
    """The sub-periods the plan covers and the year, each with its evaluation's status (two queries)."""
    subperiods = db.session.scalars(sa.select(Subperiod).where(Subperiod.period_id == plan.period_id)
                                    .order_by(Subperiod.number)).all()
    states = dict(db.session.execute(sa.select(Evaluation.period_key, Evaluation.status)
                                     .where(Evaluation.plan_id == plan.id)).all())
    tabs = [PeriodTab(sp.number, sp.label, short_label(plan.period, sp.number), states.get(sp.number),
                      sp.number == current_key)
            for sp in subperiods if sp.start_date <= plan.end_date and sp.end_date >= plan.start_date]
    tabs.append(PeriodTab(YEAR_KEY, _("Tahunan %(year)s", year=plan.period.year), _("Tahunan"),
                          states.get(YEAR_KEY), current_key == YEAR_KEY))
    return tabs


def period_dates(plan: PerformancePlan, subperiod: Subperiod | None) -> tuple[date, date]:
    """First and last day of the evaluated period, within the plan's own dates."""
    if subperiod is None:
        return plan.start_date, plan.end_date
    return max(subperiod.start_date, plan.start_date), min(subperiod.end_date, plan.end_date)


# ---------------------------------------------------------------- people
def people(plan: PerformancePlan, evaluation: Evaluation) -> tuple[dict, dict | None, bool]:
    """(pegawai, penilai, frozen): the snapshot of a final evaluation, else today's data."""
    if evaluation.is_final and evaluation.snapshot:
        return evaluation.snapshot.get("pegawai") or {}, evaluation.snapshot.get("penilai"), True
    appraiser = evaluation.appraiser if evaluation.appraiser_id is not None else plan.appraiser
    return (services._person(plan.employee, plan.org_unit, plan.position),
            services._person(appraiser) if appraiser is not None else None, False)


# ---------------------------------------------------------------- hasil kerja
@dataclass
class ResultGroup:
    """One RHK with its IKI rows (``services.IndicatorRow``)."""

    number: str
    result: ResultPlan
    rows: list = field(default_factory=list)


def grouped_rows(rows) -> list[tuple[str, str, list[ResultGroup]]]:
    """The rows under A. Utama and B. Tambahan, one group per RHK, numbered like the SKP."""
    groups = {ResultKind.MAIN: [], ResultKind.ADDITIONAL: []}
    by_result = {}
    for row in rows:
        group = by_result.get(row.result.id)
        if group is None:
            kind_groups = groups[row.result.kind]
            letter = "A" if row.result.kind is ResultKind.MAIN else "B"
            group = by_result[row.result.id] = ResultGroup(f"{letter}.{len(kind_groups) + 1}", row.result)
            kind_groups.append(group)
        group.rows.append(row)
    return [("A", _("Utama"), groups[ResultKind.MAIN]), ("B", _("Tambahan"), groups[ResultKind.ADDITIONAL])]


def preload_feedback_authors(rows) -> list:
    """Load the accounts (and their employees) who wrote the rows' feedback in one query, so the
    template's ``feedback.author`` comes from the session instead of one query per message.
    Returns them: the caller keeps them referenced while rendering."""
    ids = {f.author_id for row in rows for r in row.realisations for f in r.feedback if f.author_id}
    if not ids:
        return []
    return db.session.scalars(sa.select(User).where(User.id.in_(ids)).options(joinedload(User.employee))).all()


# ---------------------------------------------------------------- perilaku kerja
@dataclass
class BehaviourLine:
    value: CoreValue
    guides: list
    expectation: str
    rating: Rating | None
    note: str


def behaviour_lines(plan: PerformancePlan, evaluation: Evaluation) -> list[BehaviourLine]:
    """The seven BerAKHLAK values in order, with guides, the plan's ekspektasi khusus and the
    evaluation's rating and note (empty before the first save)."""
    expectations = {e.value: e.expectation for e in plan.expectations}
    rated = {b.value: b for b in evaluation.behaviours} if evaluation.id is not None else {}
    return [BehaviourLine(value, plan_rules.GUIDE_BEHAVIOURS[value], expectations.get(value, ""),
                          rated[value].rating if value in rated else None,
                          rated[value].note if value in rated else "")
            for value in CoreValue]


# ---------------------------------------------------------------- predikat
@dataclass
class Kuadran:
    """The 3×3 kuadran with the current cell, for the predikat box."""

    hasil: Rating | None
    perilaku: Rating | None
    predicate: object  # Predicate or None
    rows: list  # [(hasil rating, [(perilaku rating, predicate, is_current), ...]), ...]


def kuadran(hasil: Rating | None, perilaku: Rating | None) -> Kuadran:
    rows = [(h, [(p, rules.KUADRAN[(h, p)], h is hasil and p is perilaku) for p in RATING_ORDER])
            for h in RATING_ORDER]
    return Kuadran(hasil, perilaku, services.predicate_for(hasil, perilaku), rows)


def read_rating(raw) -> Rating | None:
    """A rating from a query string: its value, else None (never an error)."""
    try:
        return Rating.coerce(raw or None)
    except ValueError:
        return None


# ---------------------------------------------------------------- context
@dataclass
class Numeric:
    """The optional numeric scores (PermenPANRB 8/2021), secondary to the kuadran."""

    nilai_skp: Decimal | None
    nilai_perilaku: Decimal | None
    nilai_kinerja: Decimal | None
    band: object
    with_peer_input: bool


def numeric_scores(rows, evaluation: Evaluation, perilaku: Rating | None) -> Numeric | None:
    if not current_app.config.get("NUMERIC_SCORES_ENABLED"):
        return None
    scores = [plan_rules.nilai_capaian(row.capaian) for row in rows if row.capaian is not None]
    nilai_skp = (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.01"), ROUND_HALF_UP) if scores else None
    nilai_perilaku = PERILAKU_SCORES.get(perilaku) if perilaku is not None else None
    with_peer = evaluation.id is not None and any(p.status is PeerInputStatus.GIVEN for p in evaluation.peer_inputs)
    if nilai_skp is None or nilai_perilaku is None:
        return Numeric(nilai_skp, nilai_perilaku, None, None, with_peer)
    total = rules.nilai_kinerja(nilai_skp, nilai_perilaku, with_peer_input=with_peer)
    return Numeric(nilai_skp, nilai_perilaku, total, rules.numeric_predicate(total), with_peer)


def evaluation_page(plan: PerformancePlan, period_key: int, evaluation: Evaluation, subperiod) -> dict:
    """What the page shows besides the form and the permissions: rows, groups, suggestion,
    perilaku lines, organisational capaian, IKM, period tabs, numeric scores."""
    saved = evaluation if evaluation.id is not None else None
    rows = services.indicator_rows(plan, period_key, saved)
    start, end = period_dates(plan, subperiod)
    unit_assessment = services.org_assessment_for(plan.org_unit, plan.period_id, period_key)
    head = services.head_unit(plan)
    head_assessment = None
    if head is not None:
        head_assessment = (unit_assessment if head.id == plan.org_unit_id
                           else services.org_assessment_for(head, plan.period_id, period_key))
    return dict(
        rows=rows, groups=grouped_rows(rows), authors=preload_feedback_authors(rows),
        suggestion=services.suggestion(rows), behaviours=behaviour_lines(plan, evaluation),
        unit_assessment=unit_assessment, head=head, head_assessment=head_assessment,
        ikm=unit_ikm(plan.org_unit, start, end), period_start=start, period_end=end,
        tabs=period_tabs(plan, period_key),
        numeric=numeric_scores(rows, evaluation, evaluation.perilaku_rating))


# ---------------------------------------------------------------- "Evaluasi saya"
def my_evaluations_query(employee: Employee):
    """The employee's evaluations, newest period first (the year after its December)."""
    return (sa.select(Evaluation).join(PerformancePeriod, PerformancePeriod.id == Evaluation.period_id)
            .where(Evaluation.employee_id == employee.id)
            .options(joinedload(Evaluation.period), joinedload(Evaluation.subperiod),
                     selectinload(Evaluation.objection))
            .order_by(PerformancePeriod.year.desc(),
                      sa.case((Evaluation.period_key == YEAR_KEY, 13), else_=Evaluation.period_key).desc(),
                      Evaluation.id.desc()))


def unacknowledged(employee: Employee) -> list[Evaluation]:
    """Final evaluations the employee has not yet confirmed reading (a short list)."""
    return db.session.scalars(
        sa.select(Evaluation).where(Evaluation.employee_id == employee.id,
                                    Evaluation.status == EvaluationStatus.FINAL,
                                    Evaluation.acknowledged_dt.is_(None))
        .options(joinedload(Evaluation.period), joinedload(Evaluation.subperiod))
        .order_by(Evaluation.finalised_dt.desc(), Evaluation.id.desc()).limit(10)).all()


@dataclass
class AppraiserBox:
    drafts: int
    subordinates: int
    latest: list  # the latest draft evaluations (a few)


def appraiser_box(employee: Employee, limit: int = 5) -> AppraiserBox | None:
    """For a penilai: how many of their evaluations are drafts, and the latest few (None for
    someone who rates nobody)."""
    drafts = db.session.scalar(sa.select(sa.func.count(Evaluation.id)).where(
        Evaluation.appraiser_id == employee.id, Evaluation.status == EvaluationStatus.DRAFT))
    subordinates = db.session.scalar(sa.select(sa.func.count(Employee.id)).where(
        Employee.supervisor_id == employee.id, Employee.is_active))
    if not drafts and not subordinates:
        return None
    latest = []
    if drafts:
        latest = db.session.scalars(
            sa.select(Evaluation).where(Evaluation.appraiser_id == employee.id,
                                        Evaluation.status == EvaluationStatus.DRAFT)
            .options(joinedload(Evaluation.employee), joinedload(Evaluation.period),
                     joinedload(Evaluation.subperiod))
            .order_by(Evaluation.updated_dt.desc(), Evaluation.id.desc()).limit(limit)).all()
    return AppraiserBox(drafts, subordinates, latest)
