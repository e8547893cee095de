"""Capaian kinerja organisasi (SE MenPANRB 3/2023): each unit's predikat per period, set by
pimpinan, and how the predikat of the unit's staff are distributed against the guide it sets.

Services check, change, audit and flush; callers commit. Readers run a fixed number of queries
whatever the number of units or staff: the distribution of a whole page of units is one grouped
query over the materialised paths of the organisation tree.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from portal.core import audit
from portal.evaluation import rules
from portal.evaluation.models import (
    YEAR_KEY,
    Evaluation,
    EvaluationStatus,
    OrgAssessment,
    OrgPredicate,
    Predicate,
)
from portal.evaluation.services import EVALUABLE, EvaluationError, _actor, sync_head_evaluations
from portal.extensions import db
from portal.people.models import OrgUnit
from portal.plans.models import PerformancePeriod, PerformancePlan, PeriodStatus, Subperiod

MAX_NOTE = 500


# ---------------------------------------------------------------- periods
def period_keys(period: PerformancePeriod) -> list[tuple[int, str]]:
    """(period_key, label) of a year: its sub-periods, then the year itself (evaluasi tahunan)."""
    keys = [(sp.number, sp.label) for sp in period.subperiods]
    return keys + [(YEAR_KEY, str(_l("Tahunan %(year)s", year=period.year)))]


def key_label(period: PerformancePeriod, period_key: int) -> str:
    return dict(period_keys(period)).get(period_key, "")


def default_key(period: PerformancePeriod, today: date | None = None) -> int:
    """The latest sub-period that has started (the first one before the year starts, the year
    itself for a period without sub-periods)."""
    today = today or date.today()
    started = [sp.number for sp in period.subperiods if sp.start_date <= today]
    if started:
        return started[-1]
    return period.subperiods[0].number if period.subperiods else YEAR_KEY


def subperiod_for(period: PerformancePeriod, period_key: int) -> Subperiod | None:
    """The sub-period ``period_key`` addresses (None for the year). Raises LookupError for a key
    the period does not have."""
    if period_key == YEAR_KEY:
        return None
    subperiod = next((sp for sp in period.subperiods if sp.number == period_key), None)
    if subperiod is None:
        raise LookupError(period_key)
    return subperiod


def all_periods() -> list[PerformancePeriod]:
    return list(db.session.scalars(sa.select(PerformancePeriod).order_by(PerformancePeriod.year.desc())))


def pick_period(periods, year=None, period_key=None, today: date | None = None):
    """The period and key a page shows: the year asked for (else the current open period, else
    the latest one) and the key asked for when that year has it (else ``default_key``).
    Returns (period or None, key or None)."""
    from portal.plans.plan_services import current_period
    today = today or date.today()
    period = next((p for p in periods if p.year == year), None)
    if period is None:
        current = current_period()
        period = current if current in periods else (periods[0] if periods else None)
    if period is None:
        return None, None
    if period_key not in dict(period_keys(period)):
        period_key = default_key(period, today)
    return period, period_key


def plan_scope(period: PerformancePeriod, period_key: int) -> list:
    """Conditions on PerformancePlan: the plans evaluated for the period (approved, or closed by a
    transfer) whose dates cover the sub-period."""
    conditions = [PerformancePlan.period_id == period.id, PerformancePlan.status.in_(EVALUABLE)]
    subperiod = subperiod_for(period, period_key)
    if subperiod is not None:
        conditions += [PerformancePlan.start_date <= subperiod.end_date,
                       PerformancePlan.end_date >= subperiod.start_date]
    return conditions


def evaluation_join(period_key: int):
    return sa.and_(Evaluation.plan_id == PerformancePlan.id, Evaluation.period_key == period_key)


# ---------------------------------------------------------------- who may see
def can_view_distribution(user, unit: OrgUnit) -> bool:
    """BKPSDM, pimpinan and the superadmin; the admin OPD of the unit's subtree; the head of the
    unit or of one of its ancestors."""
    if not user.is_authenticated:
        return False
    if user.sees_whole_instansi or user.manages_unit(unit):
        return True
    me = user.employee
    position = me.position if me is not None else None
    return (position is not None and position.is_head and position.org_unit is not None
            and unit.is_within(position.org_unit))


# ---------------------------------------------------------------- writing
def set_org_assessment(unit: OrgUnit, period: PerformancePeriod, period_key: int, predicate, note="",
                       *, actor=None) -> OrgAssessment:
    """Set (create or change) the unit's capaian kinerja organisasi for the period, audit it and
    let the draft evaluations of the unit's head follow.

    Raises EvaluationError for an unknown predicate, a period key the year does not have, a
    closed year or an overlong note.
    """
    if period is None:
        raise EvaluationError(_("Periode kinerja tidak ditemukan."), "period_id")
    if period.status is PeriodStatus.CLOSED:
        raise EvaluationError(_("Periode %(year)s sudah ditutup.", year=period.year), "period_id")
    try:
        subperiod = subperiod_for(period, int(period_key))
    except (LookupError, TypeError, ValueError):
        raise EvaluationError(_("Periode penilaian tidak dikenal."), "period_key") from None
    try:
        predicate = OrgPredicate.coerce(predicate)
    except ValueError:
        predicate = None
    if predicate is None:
        raise EvaluationError(_("Pilih salah satu capaian kinerja organisasi."), "predicate")
    note = " ".join((note or "").split())
    if len(note) > MAX_NOTE:
        raise EvaluationError(_("Catatan paling banyak %(n)s karakter.", n=MAX_NOTE), "note")
    actor = _actor(actor)
    assessment = db.session.scalar(sa.select(OrgAssessment).where(
        OrgAssessment.org_unit_id == unit.id, OrgAssessment.period_id == period.id,
        OrgAssessment.period_key == int(period_key)))
    before = None if assessment is None else (assessment.predicate, assessment.note)
    if assessment is None:
        assessment = OrgAssessment(org_unit=unit, period=period, subperiod=subperiod, period_key=int(period_key),
                                   predicate=predicate, note=note)
        db.session.add(assessment)
    else:
        assessment.predicate, assessment.note = predicate, note
    if before == (predicate, note):
        return assessment  # nothing changed: nothing to record
    assessment.set_by = actor
    db.session.flush()
    audit.record("set_org_assessment", assessment, from_state=before[0] if before else None, to_state=predicate,
                 changes={"note": [before[1], note]} if before and before[1] != note else None,
                 summary=f"{unit.name} — {key_label(period, int(period_key))}", actor=actor)
    sync_head_evaluations(assessment)
    return assessment


# ---------------------------------------------------------------- reading
@dataclass
class Tally:
    """Staff predikat of a group of plans for one period: counts per predikat (draft and final),
    how many have none yet, and how many of the rated are still drafts."""

    counts: dict = field(default_factory=lambda: {p: 0 for p in Predicate})
    unrated: int = 0
    drafts: int = 0

    def add(self, status, predicate, n):
        if predicate is None:
            self.unrated += n
            return
        self.counts[Predicate(predicate)] += n
        if status is not EvaluationStatus.FINAL:
            self.drafts += n

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    @property
    def staff(self) -> int:
        return self.rated + self.unrated

    @property
    def is_draft(self) -> bool:
        """Some predikat may still change: a draft, or someone not rated yet."""
        return self.drafts > 0 or self.unrated > 0

    def share(self, predicate) -> Decimal:
        if not self.rated:
            return Decimal(0)
        return (Decimal(100) * self.counts[predicate] / self.rated).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class Distribution(Tally):
    unit: OrgUnit = None
    assessment: OrgAssessment | None = None
    breaches: list = field(default_factory=list)

    @property
    def fits(self) -> bool:
        """The guide is met so far (False without an assessment or without any predikat)."""
        return self.assessment is not None and self.rated > 0 and not self.breaches


def tally(period_key: int, *conditions) -> Tally:
    """One grouped query: the predikat (for ``period_key``) of the plans matching ``conditions``."""
    result = Tally()
    for status, predicate, n in db.session.execute(
            sa.select(Evaluation.status, Evaluation.predicate, sa.func.count(PerformancePlan.id))
            .select_from(PerformancePlan).outerjoin(Evaluation, evaluation_join(period_key))
            .where(*conditions).group_by(Evaluation.status, Evaluation.predicate)):
        result.add(status, predicate, n)
    return result


def assessments_of(unit_ids, period: PerformancePeriod, period_key: int) -> dict:
    if not unit_ids:
        return {}
    return {a.org_unit_id: a for a in db.session.scalars(sa.select(OrgAssessment).where(
        OrgAssessment.org_unit_id.in_(unit_ids), OrgAssessment.period_id == period.id,
        OrgAssessment.period_key == period_key))}


def distributions(units, period: PerformancePeriod, period_key: int) -> dict:
    """{unit id: Distribution} for ``units`` (each over its whole subtree) in two queries: the
    assessments, and one grouped count of staff predikat joined through the units' paths."""
    units = list(units)
    result = {u.id: Distribution(unit=u) for u in units}
    if not units:
        return result
    for unit_id, assessment in assessments_of(list(result), period, period_key).items():
        result[unit_id].assessment = assessment
    scope, member = aliased(OrgUnit), aliased(OrgUnit)
    rows = db.session.execute(
        sa.select(scope.id, Evaluation.status, Evaluation.predicate, sa.func.count(PerformancePlan.id))
        .select_from(PerformancePlan)
        .join(member, member.id == PerformancePlan.org_unit_id)
        .join(scope, member.path.startswith(scope.path))
        .outerjoin(Evaluation, evaluation_join(period_key))
        .where(scope.id.in_(list(result)), *plan_scope(period, period_key))
        .group_by(scope.id, Evaluation.status, Evaluation.predicate))
    for unit_id, status, predicate, n in rows:
        result[unit_id].add(status, predicate, n)
    for item in result.values():
        if item.assessment is not None:
            item.breaches = rules.distribution_breaches(item.assessment.predicate, item.counts)
    return result


def distribution(unit: OrgUnit, period: PerformancePeriod, period_key: int) -> Distribution:
    """The unit's staff predikat (its whole subtree) for the period, with the breaches of the
    guide its organisational capaian sets. Raises LookupError for a key the year does not have."""
    subperiod_for(period, period_key)
    return distributions([unit], period, period_key)[unit.id]


def percent_text(value) -> str:
    """A share as Indonesians write it: "33,3"."""
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def guide_lines(org_predicate) -> list[str]:
    """The distribution guide of an organisational capaian, in words."""
    lines = []
    for bound in rules.GUIDES[OrgPredicate(org_predicate)]:
        names = f" {_('atau')} ".join(str(p.title) for p in bound.predicates)
        if bound.at_least and bound.percent == 0:
            lines.append(_("Harus ada pegawai berpredikat %(names)s.", names=names))
        elif bound.at_least:
            lines.append(_("Paling sedikit %(limit)s %% pegawai berpredikat %(names)s.",
                           limit=bound.percent, names=names))
        elif bound.percent == 0:
            lines.append(_("Tidak boleh ada pegawai berpredikat %(names)s.", names=names))
        else:
            lines.append(_("Paling banyak %(limit)s %% pegawai berpredikat %(names)s.",
                           limit=bound.percent, names=names))
    return lines


# ---------------------------------------------------------------- lists
def unit_query(user, *, q=None):
    """Active units below the instansi the user may read here, OPDs in name order each followed
    by its sub-units (tree order): everything for pimpinan/BKPSDM, an admin OPD's subtrees."""
    opd = aliased(OrgUnit)
    stmt = (sa.select(OrgUnit).join(opd, sa.and_(opd.depth == 1, OrgUnit.path.startswith(opd.path)))
            .where(OrgUnit.is_active, OrgUnit.depth >= 1))
    if not user.sees_whole_instansi:
        scopes = [OrgUnit.path.startswith(s.path) for s in user.admin_units]
        stmt = stmt.where(sa.or_(*scopes) if scopes else sa.false())
    q = " ".join((q or "").split()).lower()
    if q:
        stmt = stmt.where(sa.func.lower(OrgUnit.name).contains(q, autoescape=True))
    return stmt.order_by(opd.name, opd.id, OrgUnit.path)


def staff_query(unit: OrgUnit, period: PerformancePeriod, period_key: int):
    """The evaluated plans of the unit's subtree for the period, by name (for the staff list)."""
    from sqlalchemy.orm import contains_eager, joinedload

    from portal.people.models import Employee
    return (sa.select(PerformancePlan)
            .join(Employee, Employee.id == PerformancePlan.employee_id)
            .join(OrgUnit, OrgUnit.id == PerformancePlan.org_unit_id)
            .where(OrgUnit.path.startswith(unit.path), *plan_scope(period, period_key))
            .options(contains_eager(PerformancePlan.employee), contains_eager(PerformancePlan.org_unit),
                     joinedload(PerformancePlan.position), joinedload(PerformancePlan.appraiser))
            .order_by(Employee.name, PerformancePlan.id))


def evaluations_of(plans, period_key: int) -> dict:
    """{plan id: Evaluation} for a page of plans (one query)."""
    ids = [p.id for p in plans]
    if not ids:
        return {}
    return {e.plan_id: e for e in db.session.scalars(sa.select(Evaluation).where(
        Evaluation.plan_id.in_(ids), Evaluation.period_key == period_key))}
