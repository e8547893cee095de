"""Recommendations, recomputed as a set.

``recompute_recommendations`` loads everything the rules look at in a fixed number of statements
(employees, open development needs, competency tags, mappings, programmes, learning hours,
leadership completed, talent), computes the set of recommendations that should exist in Python,
and writes the difference in bulk: new ones are inserted, open ones get their reason and
priority refreshed, open ones that no longer apply are removed. Accepted and dismissed ones are
the employee's decisions and stay.

The sources (issue 6):
- hasil kerja Di Bawah Ekspektasi → programmes for the competencies tagged on the RHK (and its
  IKI) that fell short;
- a BerAKHLAK value rated Di Bawah Ekspektasi → programmes for that value's competencies;
- a post that requires a leadership programme the holder has not completed → that programme,
  mandatory;
- the 9-box box, where potential is recorded → the next leadership programme (talent pool) or
  coaching and mentoring programmes (bimbingan kinerja);
- fewer JP than the target so far this year → short programmes.
"""
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.catalogue import rules
from portal.catalogue.errors import CatalogueError
from portal.catalogue.models import (
    CoreValueCompetency,
    IndicatorCompetency,
    Leadership,
    LearningRecord,
    Priority,
    Programme,
    ProgrammeCompetency,
    ProgrammeForm,
    ProgrammeStatus,
    ProgrammeUnit,
    Recommendation,
    RecommendationSource,
    RecommendationStatus,
    ResultCompetency,
    TalentAssessment,
)
from portal.catalogue.settings_services import current_settings
from portal.core import audit
from portal.core.models import utcnow
from portal.evaluation.models import DevelopmentNeed, Evaluation, EvaluationStatus, NeedKind, NeedStatus
from portal.extensions import db
from portal.people.models import CivilStatus, Employee, EmployeeKind, OrgUnit, Position
from portal.plans.models import CoreValue, Indicator, PerformancePeriod, ResultPlan
from portal.sessions.models import UPCOMING_STATUSES, TrainingSession

MAX_REASON = 500
CHUNK = 900  # ids per IN (...) list
COACHING_FORMS = {ProgrammeForm.COACHING, ProgrammeForm.MENTORING, ProgrammeForm.ON_THE_JOB}


# ---------------------------------------------------------------- inputs
@dataclass(frozen=True)
class ProgrammeRow:
    id: int
    title: str
    jp: int
    form: ProgrammeForm
    leadership: Leadership | None
    facts: rules.ProgrammeFacts
    competency_ids: frozenset
    has_upcoming: bool

    @property
    def sort_key(self):
        # Programmes with a session coming up first, then the shorter, then the older.
        return (not self.has_upcoming, self.jp, self.id)


@dataclass(frozen=True)
class EmployeeRow:
    id: int
    name: str
    facts: rules.EmployeeFacts
    civil_status: CivilStatus | None
    position_name: str


@dataclass(frozen=True)
class NeedRow:
    id: int
    employee_id: int
    evaluation_id: int
    kind: NeedKind
    core_value: CoreValue | None
    result_id: int | None
    reason: str
    created_order: int


@dataclass
class Config:
    """What BKPSDM tunes: thresholds and the BerAKHLAK → competency mapping."""

    jp_target: int
    short_jp_max: int
    per_need: int
    jp_suggestions: int
    core_value_map: dict  # CoreValue → frozenset of competency ids

    @classmethod
    def current(cls) -> "Config":
        settings = current_settings()
        mapping = defaultdict(set)
        for value, competency_id in db.session.execute(
                sa.select(CoreValueCompetency.core_value, CoreValueCompetency.competency_id)):
            mapping[value].add(competency_id)
        return cls(jp_target=settings.jp_target, short_jp_max=settings.short_jp_max, per_need=settings.per_need,
                   jp_suggestions=settings.jp_suggestions,
                   core_value_map={v: frozenset(ids) for v, ids in mapping.items()})

    def with_changes(self, **changes) -> "Config":
        return replace(self, **changes)


@dataclass
class Inputs:
    year: int
    today: date
    employees: dict = field(default_factory=dict)          # id → EmployeeRow
    programmes: list = field(default_factory=list)         # ProgrammeRow, active only
    needs: list = field(default_factory=list)              # NeedRow
    result_tags: dict = field(default_factory=dict)        # result_id → frozenset(competency ids)
    plan_result_tags: dict = field(default_factory=dict)   # evaluation_id → frozenset (all RHK of the plan)
    jp: dict = field(default_factory=dict)                 # employee id → JP this year
    leadership_done: dict = field(default_factory=dict)    # employee id → set(Leadership)
    boxes: dict = field(default_factory=dict)              # employee id → (box, kinerja, potential)


def _chunks(ids):
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def _scoped(query, column, employee_ids):
    """Run ``query`` for everyone (None) or for the employees in chunks; yields result rows."""
    if employee_ids is None:
        yield from db.session.execute(query)
        return
    for chunk in _chunks(employee_ids):
        yield from db.session.execute(query.where(column.in_(chunk)))


def load_programmes(today: date) -> list[ProgrammeRow]:
    """The active programmes with their competencies, eligibility and whether a session is coming."""
    competencies = defaultdict(set)
    for programme_id, competency_id in db.session.execute(
            sa.select(ProgrammeCompetency.programme_id, ProgrammeCompetency.competency_id)):
        competencies[programme_id].add(competency_id)
    unit_paths = defaultdict(list)
    for programme_id, path in db.session.execute(
            sa.select(ProgrammeUnit.programme_id, OrgUnit.path).join(OrgUnit, OrgUnit.id == ProgrammeUnit.org_unit_id)):
        unit_paths[programme_id].append(path)
    upcoming = set(db.session.scalars(
        sa.select(TrainingSession.programme_id).where(TrainingSession.status.in_(UPCOMING_STATUSES),
                                                      TrainingSession.end_date >= today).distinct()))
    rows = []
    for p in db.session.execute(
            sa.select(Programme.id, Programme.title, Programme.jp, Programme.form, Programme.leadership,
                      Programme.position_kinds, Programme.golongan_min, Programme.golongan_max,
                      Programme.open_to_pppk)
            .where(Programme.status == ProgrammeStatus.ACTIVE)):
        facts = rules.ProgrammeFacts(position_kinds=tuple(p.position_kinds or ()), golongan_min=p.golongan_min,
                                     golongan_max=p.golongan_max, open_to_pppk=p.open_to_pppk,
                                     unit_paths=tuple(unit_paths.get(p.id, ())))
        rows.append(ProgrammeRow(id=p.id, title=p.title, jp=p.jp, form=p.form, leadership=p.leadership, facts=facts,
                                 competency_ids=frozenset(competencies.get(p.id, ())),
                                 has_upcoming=p.id in upcoming))
    rows.sort(key=lambda r: r.sort_key)
    return rows


def load_inputs(employee_ids=None, *, year: int | None = None, today: date | None = None) -> Inputs:
    """Everything the rules look at, for the given active employees (None: all), in a fixed number
    of statements whatever the number of employees."""
    today = today or date.today()
    year = year or today.year
    inputs = Inputs(year=year, today=today)
    employee_query = (sa.select(Employee.id, Employee.name, Employee.kind, Employee.golongan, Employee.civil_status,
                                Position.kind.label("position_kind"), Position.name.label("position_name"),
                                OrgUnit.path)
                      .join(Position, Position.id == Employee.position_id)
                      .join(OrgUnit, OrgUnit.id == Employee.org_unit_id)
                      .where(Employee.is_active.is_(True)))
    for row in _scoped(employee_query, Employee.id, employee_ids):
        inputs.employees[row.id] = EmployeeRow(
            id=row.id, name=row.name, civil_status=row.civil_status, position_name=row.position_name,
            facts=rules.EmployeeFacts(kind=row.kind or EmployeeKind.PNS, position_kind=row.position_kind,
                                      golongan=row.golongan, unit_path=row.path or ""))
    scope = None if employee_ids is None else list(inputs.employees)
    inputs.programmes = load_programmes(today)

    # Open development needs from this year's and last year's periods (last year's annual
    # evaluation is finalised early this year).
    need_query = (sa.select(DevelopmentNeed.id, DevelopmentNeed.employee_id, DevelopmentNeed.evaluation_id,
                            DevelopmentNeed.kind, DevelopmentNeed.core_value, DevelopmentNeed.result_id,
                            DevelopmentNeed.reason)
                  .join(PerformancePeriod, PerformancePeriod.id == DevelopmentNeed.period_id)
                  .where(DevelopmentNeed.status != NeedStatus.RESOLVED, PerformancePeriod.year >= year - 1)
                  .order_by(DevelopmentNeed.id))
    for order, row in enumerate(_scoped(need_query, DevelopmentNeed.employee_id, scope)):
        if row.employee_id in inputs.employees:
            inputs.needs.append(NeedRow(id=row.id, employee_id=row.employee_id, evaluation_id=row.evaluation_id,
                                        kind=row.kind, core_value=row.core_value, result_id=row.result_id,
                                        reason=row.reason, created_order=order))

    # Competency tags of the RHK that fell short (the RHK's own and its IKIs').
    result_ids = {n.result_id for n in inputs.needs if n.result_id is not None}
    tags = defaultdict(set)
    for chunk in _chunks(result_ids):
        for result_id, competency_id in db.session.execute(
                sa.select(ResultCompetency.result_id, ResultCompetency.competency_id)
                .where(ResultCompetency.result_id.in_(chunk))):
            tags[result_id].add(competency_id)
        for result_id, competency_id in db.session.execute(
                sa.select(Indicator.result_id, IndicatorCompetency.competency_id)
                .join(Indicator, Indicator.id == IndicatorCompetency.indicator_id)
                .where(Indicator.result_id.in_(chunk))):
            tags[result_id].add(competency_id)
    inputs.result_tags = {k: frozenset(v) for k, v in tags.items()}
    # For a hasil kerja need with no RHK singled out: the tags of every RHK of the plan.
    lone = {n.evaluation_id for n in inputs.needs if n.kind is NeedKind.RESULT}
    lone -= {n.evaluation_id for n in inputs.needs if n.kind is NeedKind.RESULT_PLAN}
    plan_tags = defaultdict(set)
    for chunk in _chunks(lone):
        for evaluation_id, competency_id in db.session.execute(
                sa.select(Evaluation.id, ResultCompetency.competency_id)
                .join(ResultPlan, ResultPlan.plan_id == Evaluation.plan_id)
                .join(ResultCompetency, ResultCompetency.result_id == ResultPlan.id)
                .where(Evaluation.id.in_(chunk))):
            plan_tags[evaluation_id].add(competency_id)
        for evaluation_id, competency_id in db.session.execute(
                sa.select(Evaluation.id, IndicatorCompetency.competency_id)
                .join(ResultPlan, ResultPlan.plan_id == Evaluation.plan_id)
                .join(Indicator, Indicator.result_id == ResultPlan.id)
                .join(IndicatorCompetency, IndicatorCompetency.indicator_id == Indicator.id)
                .where(Evaluation.id.in_(chunk))):
            plan_tags[evaluation_id].add(competency_id)
    inputs.plan_result_tags = {k: frozenset(v) for k, v in plan_tags.items()}

    # Learning hours this year.
    jp_query = (sa.select(LearningRecord.employee_id, sa.func.sum(LearningRecord.jp))
                .where(LearningRecord.year == year).group_by(LearningRecord.employee_id))
    inputs.jp = {employee_id: int(total or 0) for employee_id, total in _scoped(jp_query, LearningRecord.employee_id,
                                                                               scope)}
    # Leadership programmes completed in any year.
    done_query = (sa.select(LearningRecord.employee_id, Programme.leadership)
                  .join(Programme, Programme.id == LearningRecord.programme_id)
                  .where(Programme.leadership.is_not(None)).distinct())
    done = defaultdict(set)
    for employee_id, level in _scoped(done_query, LearningRecord.employee_id, scope):
        done[employee_id].add(level)
    inputs.leadership_done = dict(done)

    # 9-box: the latest potential (this year or last) and the latest final evaluation's predikat.
    potentials = {}
    talent_query = (sa.select(TalentAssessment.employee_id, TalentAssessment.year, TalentAssessment.potential)
                    .where(TalentAssessment.year >= year - 1).order_by(TalentAssessment.year))
    for employee_id, _year, potential in _scoped(talent_query, TalentAssessment.employee_id, scope):
        potentials[employee_id] = potential
    if potentials:
        latest = {}
        eval_query = (sa.select(Evaluation.employee_id, Evaluation.predicate, PerformancePeriod.year,
                                Evaluation.period_key)
                      .join(PerformancePeriod, PerformancePeriod.id == Evaluation.period_id)
                      .where(Evaluation.status == EvaluationStatus.FINAL, PerformancePeriod.year >= year - 1))
        for row in _scoped(eval_query, Evaluation.employee_id, list(potentials)):
            # The yearly evaluation (period_key 0) of a year outranks its sub-periods.
            rank = (row.year, 13 if row.period_key == 0 else row.period_key)
            if row.employee_id not in latest or rank > latest[row.employee_id][0]:
                latest[row.employee_id] = (rank, row.predicate)
        for employee_id, potential in potentials.items():
            if employee_id not in latest:
                continue
            predicate = latest[employee_id][1]
            kinerja = rules.kinerja_of_predicate(predicate.value if predicate else None)
            box = rules.nine_box(kinerja, potential.value)
            if box:
                inputs.boxes[employee_id] = (box, kinerja, potential)
    return inputs


# ---------------------------------------------------------------- the rules → desired set
@dataclass
class Wanted:
    key: str
    employee_id: int
    programme_id: int
    source: RecommendationSource
    priority: Priority
    is_mandatory: bool
    reasons: list
    need_id: int | None = None
    competency_id: int | None = None

    @property
    def reason(self) -> str:
        text = "; ".join(dict.fromkeys(self.reasons))
        return text if len(text) <= MAX_REASON else text[:MAX_REASON - 1] + "…"


class _Eligibility:
    """Eligibility per (employee facts, programme), cached: employees share facts widely."""

    def __init__(self):
        self._cache = {}

    def __call__(self, programme: ProgrammeRow, employee: EmployeeRow, *, ignore_position=False) -> bool:
        facts = programme.facts
        if not (facts.position_kinds or facts.golongan_min or facts.golongan_max or facts.unit_paths) \
                and facts.open_to_pppk:
            return True  # most programmes: open to everyone, no need to look at the employee
        if ignore_position and facts.position_kinds:
            facts = replace(facts, position_kinds=())
        key = (programme.id, ignore_position, employee.facts)
        if key not in self._cache:
            self._cache[key] = rules.is_eligible(facts, employee.facts)
        return self._cache[key]


def _by_competency(programmes):
    index = defaultdict(list)
    for programme in programmes:
        for competency_id in programme.competency_ids:
            index[competency_id].append(programme)
    return index


def _best_for(competencies, employee, index, eligible, limit, exclude=()):
    """Up to ``limit`` eligible programmes covering the most of ``competencies`` (then by sort key)."""
    hits = defaultdict(int)
    seen = {}
    for competency_id in competencies:
        for programme in index.get(competency_id, ()):
            if programme.leadership is not None or programme.id in exclude:
                continue
            hits[programme.id] += 1
            seen[programme.id] = programme
    ranked = sorted(seen.values(), key=lambda p: (-hits[p.id],) + p.sort_key)
    out = []
    for programme in ranked:
        if eligible(programme, employee):
            out.append(programme)
            if len(out) == limit:
                break
    return out


def desired(inputs: Inputs, config: Config) -> dict[str, Wanted]:
    """The recommendations that should exist for ``inputs`` under ``config``, by key (one per
    employee, programme and year: several reasons for one programme are joined)."""
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "id")):
        return _desired(inputs, config)


def _desired(inputs: Inputs, config: Config) -> dict[str, Wanted]:
    wanted: dict[str, Wanted] = {}
    year = inputs.year
    eligible = _Eligibility()
    index = _by_competency(inputs.programmes)
    leadership_programmes = defaultdict(list)
    for programme in inputs.programmes:
        if programme.leadership is not None:
            leadership_programmes[programme.leadership].append(programme)
    coaching_programmes = [p for p in inputs.programmes if p.form in COACHING_FORMS]
    short_programmes = [p for p in inputs.programmes if p.jp <= config.short_jp_max and p.leadership is None]
    pool_size = max(config.jp_suggestions * 4, 8)

    def want(employee_id, programme, source, priority, reason, *, mandatory=False, need_id=None,
             competency_id=None):
        key = f"{year}:e{employee_id}:p{programme.id}"
        current = wanted.get(key)
        if current is None:
            wanted[key] = Wanted(key, employee_id, programme.id, source, priority, mandatory, [reason],
                                 need_id, competency_id)
            return
        current.reasons.append(reason)
        current.is_mandatory = current.is_mandatory or mandatory
        if priority.rank < current.priority.rank:
            current.priority, current.source = priority, source
            current.need_id, current.competency_id = need_id or current.need_id, competency_id

    # Development needs from evaluations.
    for need in inputs.needs:
        employee = inputs.employees.get(need.employee_id)
        if employee is None:
            continue
        if need.kind is NeedKind.CORE_VALUE:
            competencies = config.core_value_map.get(need.core_value, frozenset())
            source = RecommendationSource.CORE_VALUE
        elif need.kind is NeedKind.RESULT_PLAN:
            competencies = inputs.result_tags.get(need.result_id, frozenset())
            source = RecommendationSource.RESULT
        elif need.kind is NeedKind.RESULT:
            competencies = inputs.plan_result_tags.get(need.evaluation_id, frozenset())
            source = RecommendationSource.RESULT
        else:
            # The overall perilaku rating: the values rated below carry the specifics.
            continue
        for programme in _best_for(competencies, employee, index, eligible, config.per_need):
            want(employee.id, programme, source, Priority.HIGH, need.reason, need_id=need.id,
                 competency_id=min(programme.competency_ids & competencies, default=None))

    for employee in inputs.employees.values():
        # The leadership programme the post requires.
        required = rules.required_leadership(employee.facts.position_kind, employee.civil_status)
        if required is not None and not rules.has_leadership(inputs.leadership_done.get(employee.id, set()),
                                                             required):
            choices = [p for p in leadership_programmes.get(required, ()) if eligible(p, employee)]
            if choices:
                if required is Leadership.LATSAR:
                    reason = _("Sebagai CPNS wajib mengikuti %(programme)s", programme=required.title)
                else:
                    reason = _("Jabatan %(position)s (%(kind)s) mewajibkan %(programme)s; belum tercatat selesai",
                               position=employee.position_name, kind=employee.facts.position_kind.title,
                               programme=required.title)
                want(employee.id, choices[0], RecommendationSource.LEADERSHIP, Priority.HIGH, reason, mandatory=True)

        # The 9-box.
        if employee.id in inputs.boxes:
            box, kinerja, potential = inputs.boxes[employee.id]
            reason = _("Posisi 9-box: kotak %(box)s (kinerja %(kinerja)s, potensial %(potential)s) — %(action)s",
                       box=box, kinerja=_kinerja_title(kinerja), potential=potential.title,
                       action=rules.BOX_ACTIONS[box])
            if box in rules.TALENT_POOL_BOXES:
                level = rules.NEXT_LEADERSHIP.get(employee.facts.position_kind)
                done = inputs.leadership_done.get(employee.id, set())
                if level is not None and not rules.has_leadership(done, level):
                    for programme in leadership_programmes.get(level, ())[:1]:
                        if eligible(programme, employee, ignore_position=True):
                            want(employee.id, programme, RecommendationSource.TALENT, Priority.MEDIUM, reason)
            if box in rules.COACHING_BOXES:
                picked = [p for p in coaching_programmes if eligible(p, employee)][:1]
                for programme in picked:
                    want(employee.id, programme, RecommendationSource.TALENT, Priority.MEDIUM, reason)

        # Fewer JP than the target so far this year.
        have = inputs.jp.get(employee.id, 0)
        if have < config.jp_target and config.jp_suggestions:
            reason = _("Baru %(have)s dari %(target)s JP pada tahun %(year)s; kurang %(gap)s JP",
                       have=have, target=config.jp_target, year=year, gap=config.jp_target - have)
            # Spread employees over the first fitting programmes rather than send everyone to the
            # same two; only those are checked (eligibility per employee is the costly part).
            pool = []
            for programme in short_programmes:
                if eligible(programme, employee):
                    pool.append(programme)
                    if len(pool) == pool_size:
                        break
            if pool:
                start = employee.id % len(pool)
                for programme in (pool[start:] + pool[:start])[:config.jp_suggestions]:
                    want(employee.id, programme, RecommendationSource.LEARNING_HOURS, Priority.LOW, reason)
    return wanted


def _kinerja_title(kinerja: str) -> str:
    return {rules.KinerjaLevel.ABOVE: _("Di Atas Ekspektasi"), rules.KinerjaLevel.MEETS: _("Sesuai Ekspektasi"),
            rules.KinerjaLevel.BELOW: _("Di Bawah Ekspektasi")}[kinerja]


# ---------------------------------------------------------------- writing the difference
@dataclass
class RecomputeStats:
    employees: int = 0
    inserted: int = 0
    updated: int = 0
    removed: int = 0

    @property
    def changed(self) -> int:
        return self.inserted + self.updated + self.removed


def recompute_recommendations(employee_ids=None, *, year: int | None = None, today: date | None = None,
                              config: Config | None = None) -> RecomputeStats:
    """Bring the recommendations of the given employees (None: every active employee) in line with
    the rules. Flushes, never commits; a fixed number of statements plus one per ~900 rows changed."""
    inputs = load_inputs(employee_ids, year=year, today=today)
    target = desired(inputs, config or Config.current())
    stats = RecomputeStats(employees=len(inputs.employees))
    existing = {}
    query = sa.select(Recommendation.id, Recommendation.key, Recommendation.employee_id, Recommendation.status,
                      Recommendation.reason, Recommendation.priority, Recommendation.is_mandatory,
                      Recommendation.source, Recommendation.need_id)
    scope = None if employee_ids is None else list(inputs.employees) or [0]
    if employee_ids is not None and not list(employee_ids):
        return stats
    for row in _scoped(query, Recommendation.employee_id, scope):
        existing[row.key] = row
    now = utcnow()
    inserts, updates, removals = [], [], []
    for key, w in target.items():
        row = existing.get(key)
        if row is None:
            inserts.append({"key": key, "employee_id": w.employee_id, "programme_id": w.programme_id,
                            "year": inputs.year, "source": w.source, "priority": w.priority,
                            "is_mandatory": w.is_mandatory, "reason": w.reason, "need_id": w.need_id,
                            "competency_id": w.competency_id, "status": RecommendationStatus.OPEN,
                            "created_dt": now, "updated_dt": now})
        elif row.status is RecommendationStatus.OPEN and (
                row.reason != w.reason or row.priority is not w.priority or row.is_mandatory != w.is_mandatory
                or row.source is not w.source or row.need_id != w.need_id):
            updates.append({"id": row.id, "reason": w.reason, "priority": w.priority, "is_mandatory": w.is_mandatory,
                            "source": w.source, "need_id": w.need_id, "competency_id": w.competency_id,
                            "updated_dt": now})
    for key, row in existing.items():
        if key not in target and row.status is RecommendationStatus.OPEN:
            removals.append(row.id)
    if inserts:
        db.session.execute(sa.insert(Recommendation), inserts)
    if updates:
        db.session.execute(sa.update(Recommendation), updates)
    for chunk in _chunks(removals):
        db.session.execute(sa.delete(Recommendation).where(Recommendation.id.in_(chunk)))
    stats.inserted, stats.updated, stats.removed = len(inserts), len(updates), len(removals)
    db.session.flush()
    return stats


def affected_employees(config: Config, *, base: Config | None = None, year: int | None = None,
                       today: date | None = None) -> int:
    """How many employees would gain or lose a recommended programme, or see its priority or
    mandatory mark change, under ``config`` (against the current settings, or ``base``), computed
    without writing anything. Reworded reasons alone do not count."""
    inputs = load_inputs(None, year=year, today=today)
    before = desired(inputs, base or Config.current())
    after = desired(inputs, config)
    per_employee = defaultdict(set)
    for mapping, tag in ((before, "b"), (after, "a")):
        for key, w in mapping.items():
            per_employee[w.employee_id].add((tag, key, w.priority.value, w.is_mandatory))
    changed = 0
    for items in per_employee.values():
        b = {i[1:] for i in items if i[0] == "b"}
        a = {i[1:] for i in items if i[0] == "a"}
        if a != b:
            changed += 1
    return changed


# ---------------------------------------------------------------- the employee's decisions
MAX_DISMISS_REASON = 500


def recommendations_for(employee_id: int, *, statuses=(RecommendationStatus.OPEN,)) -> list[Recommendation]:
    """The employee's recommendations in the given states: mandatory first, then by priority."""
    from sqlalchemy.orm import joinedload
    rows = db.session.scalars(
        sa.select(Recommendation).options(joinedload(Recommendation.programme))
        .where(Recommendation.employee_id == employee_id, Recommendation.status.in_(statuses))).all()
    return sorted(rows, key=lambda r: (not r.is_mandatory, r.priority.rank, r.programme.title if r.programme else ""))


def dismiss_recommendation(recommendation: Recommendation, reason: str) -> Recommendation:
    """The employee sets a recommendation aside, saying why. Raises CatalogueError for an empty or
    overlong reason or a recommendation already decided; a mandatory one cannot be dismissed."""
    if recommendation.status is not RecommendationStatus.OPEN:
        raise CatalogueError(_("Rekomendasi ini sudah diputuskan."))
    if recommendation.is_mandatory:
        raise CatalogueError(_("Pelatihan wajib untuk jabatan Anda tidak dapat diabaikan."))
    reason = (reason or "").strip()
    if not reason:
        raise CatalogueError(_("Tuliskan alasan mengabaikan rekomendasi ini."), "reason")
    if len(reason) > MAX_DISMISS_REASON:
        raise CatalogueError(_("Paling banyak %(n)s karakter.", n=MAX_DISMISS_REASON), "reason")
    recommendation.status = RecommendationStatus.DISMISSED
    recommendation.dismiss_reason = reason
    recommendation.decided_dt = utcnow()
    db.session.flush()
    audit.record("recommendation.dismissed", recommendation, from_state=RecommendationStatus.OPEN.value,
                 to_state=RecommendationStatus.DISMISSED.value, summary=reason[:200])
    return recommendation


def accept_recommendation(recommendation: Recommendation, *, target_date: date | None = None):
    """The employee takes a recommendation into their IDP for its year (created as a draft when
    there is none). Returns the new IDP item. Raises CatalogueError when it is already decided or
    the IDP is waiting for approval."""
    from portal.catalogue import idp_services
    if recommendation.status is not RecommendationStatus.OPEN:
        raise CatalogueError(_("Rekomendasi ini sudah diputuskan."))
    plan = idp_services.plan_for(recommendation.employee, recommendation.year, create=True)
    item = idp_services.add_item(plan, programme=recommendation.programme, target_date=target_date,
                                 recommendation=recommendation, note=recommendation.reason)
    recommendation.status = RecommendationStatus.ACCEPTED
    recommendation.decided_dt = utcnow()
    db.session.flush()
    audit.record("recommendation.accepted", recommendation, from_state=RecommendationStatus.OPEN.value,
                 to_state=RecommendationStatus.ACCEPTED.value, summary=recommendation.programme.title[:200])
    return item


# ---------------------------------------------------------------- triggers
def _on_employees_changed(sender, employee_ids=(), **extra):
    ids = [i for i in employee_ids if i]
    if ids:
        recompute_recommendations(ids)


def connect_signals():
    """Recompute an employee's recommendations when their needs or position change (in the same
    transaction). Catalogue-wide changes queue ``catalogue_recompute`` instead (see jobs)."""
    from portal.core.signals import needs_changed, positions_changed
    needs_changed.connect(_on_employees_changed)
    positions_changed.connect(_on_employees_changed)


# ---------------------------------------------------------------- the whole instansi, off the request path
RECOMPUTE_JOB = "catalogue_recompute"


def queue_recompute(user=None):
    """Queue a recomputation for every employee after a catalogue-wide change (programmes,
    mappings, thresholds). Returns the job, or None when one is already waiting (it will read
    the change when it runs)."""
    from portal.jobs import services as jobs
    settings = current_settings()
    if jobs.active_job(RECOMPUTE_JOB, settings) is not None:
        return None
    return jobs.enqueue(RECOMPUTE_JOB, _("Hitung ulang rekomendasi pelatihan"), object=settings, user=user)


def _register_job():
    from flask_babel import lazy_gettext as _l

    from portal.jobs import services as jobs
    from portal.jobs.registry import job_kind

    @job_kind(RECOMPUTE_JOB, label=_l("Hitung ulang rekomendasi pelatihan"))
    def run_recompute(job):
        jobs.report_progress(job, 10, _("Memuat data pegawai dan katalog…"))
        stats = recompute_recommendations()
        return {"summary": _("Rekomendasi %(n)s pegawai dihitung ulang: %(new)s baru, %(upd)s diperbarui, "
                             "%(gone)s dihapus.", n=stats.employees, new=stats.inserted, upd=stats.updated,
                             gone=stats.removed),
                "inserted": stats.inserted, "updated": stats.updated, "removed": stats.removed}


_register_job()
