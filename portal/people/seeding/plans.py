"""Plans and realisasi for a seeded instansi: periods, Perjanjian Kinerja, SKPs, realisasi, teams.

``seed_demo_plans`` gives the demo kabupaten a closed 2025 and an open 2026 with plausible SKPs
drawn by unit type (puskesmas, schools, perizinan, kebersihan, administration …), the cascade
(each RHK intervenes one of the supervisor's RHK; heads of OPD intervene their unit's Perjanjian
Kinerja), realisasi for January–November in realistic states, feedback, evidence links, the
dialog kinerja, daily log entries and work teams. ``seed_scale_plans`` gives every employee of a
large instansi an approved 2026 SKP and eleven months of realisasi.

Everything is planned in memory (seeded ``random.Random``) and written with Core bulk inserts in
chunks, so no ORM object is made per row; ``slot`` and ``lock_version`` are therefore computed
here with the formula of ``PerformancePlan.compute_slot``. Nothing here commits.
"""
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

import sqlalchemy as sa

from portal.auth.models import User
from portal.extensions import db
from portal.people import rules as people_rules
from portal.people.models import EmployeeKind, UnitKind
from portal.people.seeding.plan_texts import (
    ACCOUNTABILITY,
    ACCOUNTABILITY_TARGET,
    ACTIVITY_OUTPUTS,
    COMMENTS,
    CONSEQUENCES,
    EXPECTATIONS,
    FEEDBACK_REPLIES,
    FEEDBACK_SUPERVISOR,
    JOB_THEMES,
    LEADER_FACTOR,
    NARRATIVE_ENDINGS,
    ORG_TARGETS,
    PLAN_RETURN_REASONS,
    RESOURCES,
    RETURN_REASONS,
    THEMES,
    Iki,
    Theme,
)
from portal.plans import rules
from portal.plans.models import (
    ActivityComment,
    ActivityEntry,
    Aggregation,
    Aspect,
    BehaviourExpectation,
    CoreValue,
    Direction,
    Evidence,
    EvidenceKind,
    Feedback,
    Indicator,
    Measure,
    OrgTarget,
    PerformancePeriod,
    PerformancePlan,
    PeriodStatus,
    PlanApproach,
    PlanComment,
    PlanStatus,
    Realisation,
    RealisationStatus,
    ResultKind,
    ResultPlan,
    Subperiod,
    SubperiodLength,
    Team,
    TeamGoal,
    TeamMember,
)

# The demo's "today": the data stays the same whatever the calendar says.
TODAY = date(2026, 11, 23)
YEAR = TODAY.year
CHUNK = 5000

UP, DOWN = Direction.HIGHER, Direction.LOWER
SUM, AVG, LAST = Aggregation.SUM, Aggregation.AVERAGE, Aggregation.LATEST


# ---------------------------------------------------------------- the plan in memory
@dataclass(eq=False, slots=True)
class IndicatorSpec:
    aspect: Aspect
    text: str
    measure: Measure
    target_value: Decimal | None
    unit: str | None
    direction: Direction | None
    aggregation: Aggregation | None
    target_text: str | None
    id: int | None = None


@dataclass(eq=False, slots=True)
class ResultSpec:
    kind: ResultKind
    position: int
    text: str
    theme: str
    indicators: list
    intervened: "ResultSpec | None" = None
    org_target_id: int | None = None
    team_goal_id: int | None = None
    activities: tuple = ()
    id: int | None = None


@dataclass(eq=False)
class PlanSpec:
    slot: object
    period: "PeriodInfo"
    version: int = 1
    status: PlanStatus = PlanStatus.APPROVED
    results: list = field(default_factory=list)
    expectations: dict = field(default_factory=dict)
    submitted_dt: datetime | None = None
    approved_dt: datetime | None = None
    return_reason: str | None = None
    perf: float = 1.0
    id: int | None = None


@dataclass
class PeriodInfo:
    id: int
    year: int
    subperiods: dict  # number → id


@dataclass
class PlanCounts:
    periods: int = 0
    org_targets: int = 0
    plans: int = 0
    results: int = 0
    indicators: int = 0
    realisations: int = 0
    feedback: int = 0
    evidence: int = 0
    comments: int = 0
    activities: int = 0
    teams: int = 0
    # Every plan written (both years), for the evaluation seed to rate; not a count.
    specs: list = field(default_factory=list, repr=False)


def _chunks(rows, size=CHUNK):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(model, rows):
    """Core executemany in chunks; ``rows`` may be a generator. Returns the number of rows."""
    count = 0
    for chunk in _chunks(rows):
        db.session.execute(sa.insert(model.__table__), chunk)
        count += len(chunk)
    return count


def _copy(model, rows):
    """Like ``_insert``, through PostgreSQL's COPY where the driver is psycopg (several times faster
    for the hundreds of thousands of realisasi of the scale seed); ``_insert`` elsewhere."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql" or connection.dialect.driver != "psycopg":
        return _insert(model, rows)
    table = model.__table__
    count, columns = 0, None
    with connection.connection.driver_connection.cursor() as cursor:
        for chunk in _chunks(rows):
            if columns is None:
                columns = list(chunk[0])
                copy_sql = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
            with cursor.copy(copy_sql) as copy:
                for row in chunk:
                    copy.write_row([v.value if isinstance(v, Enum) else v for v in row.values()])
            count += len(chunk)
    return count


def _max_id(model):
    return db.session.scalar(sa.select(sa.func.max(model.id))) or 0


def _opd_of(unit):
    while unit.parent is not None and unit.parent.parent is not None:
        unit = unit.parent
    return unit


def domain_of(unit) -> str:
    """The catalogue a unit's people draw their RHK from, by the unit and its OPD."""
    opd = _opd_of(unit)
    name = unit.name
    if opd.kind in (UnitKind.KECAMATAN,):
        return "kewilayahan"
    if name.startswith("Sekretariat") or name.startswith("Subbagian") or name.startswith("Bagian Umum") \
            or name.startswith("Bagian Perencanaan"):
        return "admin"
    if opd.name == "Dinas Kesehatan":
        return "puskesmas" if unit.kind is UnitKind.UPT or unit is not opd and unit.parent.kind is UnitKind.UPT \
            else "dinkes"
    if opd.name.startswith("Dinas Pendidikan"):
        return "sekolah" if unit.kind is UnitKind.UPT else "disdik"
    if "Pelayanan Terpadu" in opd.name:
        return "perizinan"
    if opd.name == "Dinas Lingkungan Hidup":
        return "kebersihan"
    if opd.kind is UnitKind.INSPEKTORAT:
        return "pengawasan"
    if opd.name.startswith("Badan Kepegawaian"):
        return "kepegawaian"
    return "admin"


def _target(iki: Iki, head: bool, rng: random.Random) -> Decimal:
    lo, hi = iki.lo, iki.hi
    if head and iki.aggregation is SUM and iki.unit not in ("laporan",) and hi > 12:
        lo, hi = lo * LEADER_FACTOR, hi * LEADER_FACTOR
    value = rng.uniform(lo, hi)
    if hi > 20:
        step = 10 if hi > 200 else 1
        value = round(value / step) * step
    else:
        value = round(value)
    return Decimal(max(1, int(value)))


def _indicators(theme: Theme, head: bool, count: int, rng: random.Random) -> list:
    pool = list(theme.leader_ikis or theme.ikis) if head else list(theme.ikis)
    chosen = [pool[0]] + rng.sample(pool[1:], min(len(pool) - 1, max(0, count - 1)))
    out = []
    for iki in chosen:
        if iki.target_text is not None:
            out.append(IndicatorSpec(iki.aspect, iki.text, Measure.DESCRIPTIVE, None, None, None, None,
                                     iki.target_text))
        else:
            out.append(IndicatorSpec(iki.aspect, iki.text, Measure.NUMERIC, _target(iki, head, rng), iki.unit,
                                     iki.direction, iki.aggregation, None))
    return out


def _results(slot, supervisor_plan, org_targets, rng, *, mains, iki_counts):
    """The Utama RHK of one plan, each with what it intervenes."""
    themes = THEMES[domain_of(slot.unit)]
    parent_keys = {r.theme: r for r in supervisor_plan.results if r.kind is ResultKind.MAIN} \
        if supervisor_plan else {}
    by_key = {t.key: t for t in themes}
    job = next((keys for prefix, keys in JOB_THEMES if slot.job.name.startswith(prefix)), ())
    own = [by_key[k] for k in job if k in by_key]
    preferred = [t for t in themes if t.key in parent_keys and t not in own]
    others = [t for t in themes if t.key not in parent_keys and t not in own]
    rng.shuffle(preferred)
    rng.shuffle(others)
    if len(own) >= 2:  # a nurse writes nursing RHK, not the pharmacy's
        mains = min(mains, len(own))
    chosen = (own + preferred + others)[:mains]
    parents = [r for r in supervisor_plan.results if r.kind is ResultKind.MAIN] if supervisor_plan else []
    results = []
    for position, theme in enumerate(chosen):
        result = ResultSpec(ResultKind.MAIN, position, theme.leader if slot.is_head else theme.staff, theme.key,
                            _indicators(theme, slot.is_head, iki_counts(), rng), activities=theme.activities)
        if parents:
            result.intervened = parent_keys.get(theme.key) or parents[position % len(parents)]
        elif org_targets:
            result.org_target_id = org_targets[position % len(org_targets)]
        results.append(result)
    return results


def _expectations(rng, share):
    out = {}
    if rng.random() < share:
        for value in rng.sample(list(CoreValue), rng.randint(1, 3)):
            out[value] = rng.choice(EXPECTATIONS[value])
    return out


def _jan(rng, year, first=5, last=30):
    return datetime(year, 1, rng.randint(first, last), rng.randint(8, 15), rng.randint(0, 59))


# ---------------------------------------------------------------- writing
def _write_period(year, status, closed_through):
    period = PerformancePeriod(year=year, start_date=date(year, 1, 1), end_date=date(year, 12, 31),
                               subperiod_length=SubperiodLength.MONTHLY, status=status,
                               plan_deadline=rules.default_plan_deadline(year),
                               opened_dt=datetime(year, 1, 2, 8, 0),
                               closed_dt=datetime(year + 1, 2, 27, 16, 0) if status is PeriodStatus.CLOSED else None)
    for number, start, end in rules.subperiod_ranges(year, SubperiodLength.MONTHLY.value):
        period.subperiods.append(Subperiod(number=number, start_date=start, end_date=end,
                                           is_closed=number <= closed_through))
    db.session.add(period)
    db.session.flush()
    return PeriodInfo(period.id, year, {sp.number: sp.id for sp in period.subperiods})


def _write_org_targets(root, period: PeriodInfo) -> dict:
    """Perjanjian Kinerja items of every OPD; returns OPD unit id → [org target id]."""
    rows = []
    for opd in root.children:
        if opd.kind is UnitKind.SETDA:
            domain = "admin"
        else:
            domain = domain_of(opd)
        items = ORG_TARGETS.get(domain, ORG_TARGETS["admin"]) + [ACCOUNTABILITY_TARGET]
        rows += [dict(org_unit_id=opd.id, period_id=period.id, goal=goal, indicator=indicator, target=target,
                      position=i) for i, (goal, indicator, target) in enumerate(items)]
    before = _max_id(OrgTarget)
    _insert(OrgTarget, rows)
    out = defaultdict(list)
    for target_id, unit_id in db.session.execute(
            sa.select(OrgTarget.id, OrgTarget.org_unit_id).where(OrgTarget.id > before).order_by(OrgTarget.id)):
        out[unit_id].append(target_id)
    return out


def _person_snapshot(slot):
    p = slot.person
    pangkat = people_rules.pangkat_of(p["golongan"]) if p["kind"] is EmployeeKind.PNS else ""
    name = f"{p.get('gelar_depan') or ''} {p['name']}".strip()
    if p.get("gelar_belakang"):
        name = f"{name}, {p['gelar_belakang']}"
    return {"name": name, "nip": p["nip"], "pangkat": f"{pangkat} ({p['golongan']})" if pangkat else p["golongan"],
            "jabatan": slot.job.name, "unit": slot.unit.name}


def _slot_key(slot, period_id, version):
    return f"{slot.id}/{period_id}/{version}"


def _plan_slot(spec: PlanSpec):
    """The value the mapper event would compute (``PerformancePlan.compute_slot``)."""
    if spec.status in (PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.RETURNED):
        return f"{spec.slot.id}/{spec.period.id}/w"
    if spec.status is PlanStatus.APPROVED:
        return f"{spec.slot.id}/{spec.period.id}/a"
    return None


def _write_plans(plans, users, *, bulk=_insert):
    """Plans, then RHK level by level (a supervisor's before their staff's), IKIs and perilaku."""
    previous = {}
    for spec in plans:
        if spec.version > 1:
            previous[spec] = next(p for p in plans if p.slot is spec.slot and p.period is spec.period
                                  and p.version == spec.version - 1)

    def plan_rows():
        for spec in plans:
            slot, sup = spec.slot, spec.slot.supervisor
            decided = spec.status in (PlanStatus.APPROVED, PlanStatus.SUPERSEDED)
            snapshot = ({"pegawai": _person_snapshot(slot), "penilai": _person_snapshot(sup)}
                        if decided and sup is not None else None)
            created = spec.submitted_dt - timedelta(days=3) if spec.submitted_dt else datetime(spec.period.year, 1, 3)
            yield dict(employee_id=slot.id, period_id=spec.period.id, version=spec.version, status=spec.status,
                       slot=_plan_slot(spec), approach=PlanApproach.QUANTITATIVE, org_unit_id=slot.unit.id,
                       position_id=slot.unit.positions[slot.job.name], appraiser_id=sup.id if sup else None,
                       start_date=date(spec.period.year, 1, 1), end_date=date(spec.period.year, 12, 31),
                       resources=RESOURCES.format(unit=_opd_of(slot.unit).name, year=spec.period.year),
                       accountability=ACCOUNTABILITY, consequences=CONSEQUENCES, snapshot=snapshot,
                       previous_id=None, submitted_dt=spec.submitted_dt,
                       approved_dt=spec.approved_dt if decided else None,
                       approved_by_id=users.get(sup.id) if decided and sup else None,
                       return_reason=spec.return_reason, closed_reason=None, lock_version=1,
                       created_dt=created, updated_dt=spec.approved_dt or spec.submitted_dt or created)

    before = _max_id(PerformancePlan)
    _insert(PerformancePlan, plan_rows())
    by_key = {_slot_key(s.slot, s.period.id, s.version): s for s in plans}
    for plan_id, employee_id, period_id, version in db.session.execute(
            sa.select(PerformancePlan.id, PerformancePlan.employee_id, PerformancePlan.period_id,
                      PerformancePlan.version).where(PerformancePlan.id > before)):
        by_key[f"{employee_id}/{period_id}/{version}"].id = plan_id
    if previous:
        db.session.execute(sa.update(PerformancePlan.__table__)
                           .where(PerformancePlan.__table__.c.id == sa.bindparam("pid"))
                           .values(previous_id=sa.bindparam("prev")),
                           [{"pid": spec.id, "prev": prev.id} for spec, prev in previous.items()])

    by_level = defaultdict(list)
    for spec in plans:
        by_level[spec.slot.level].append(spec)
    results = 0
    for level in sorted(by_level):
        level_plans = by_level[level]
        rows = (dict(plan_id=spec.id, kind=r.kind, position=r.position, text=r.text,
                     intervened_result_id=r.intervened.id if r.intervened else None,
                     org_target_id=r.org_target_id, team_goal_id=r.team_goal_id)
                for spec in level_plans for r in spec.results)
        before = _max_id(ResultPlan)
        results += bulk(ResultPlan, rows)
        index = {(spec.id, r.position): r for spec in level_plans for r in spec.results}
        for result_id, plan_id, position in db.session.execute(
                sa.select(ResultPlan.id, ResultPlan.plan_id, ResultPlan.position).where(ResultPlan.id > before)):
            index[(plan_id, position)].id = result_id

    before = _max_id(Indicator)
    indicators = bulk(Indicator, (
        dict(result_id=r.id, aspect=i.aspect, text=i.text, measure=i.measure, target_value=i.target_value,
             target_unit=i.unit, direction=i.direction, aggregation=i.aggregation, target_text=i.target_text)
        for spec in plans for r in spec.results for i in r.indicators))
    index = {(r.id, i.aspect): i for spec in plans for r in spec.results for i in r.indicators}
    for indicator_id, result_id, aspect in db.session.execute(
            sa.select(Indicator.id, Indicator.result_id, Indicator.aspect).where(Indicator.id > before)):
        index[(result_id, aspect)].id = indicator_id

    bulk(BehaviourExpectation, (dict(plan_id=spec.id, value=value, expectation=spec.expectations.get(value, ""))
                                   for spec in plans for value in CoreValue))
    return results, indicators


# ---------------------------------------------------------------- realisasi
def _q(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def monthly_value(ind: IndicatorSpec, month: int, perf: float, rng: random.Random) -> Decimal | None:
    """A plausible realisasi for one month: around target/12 when summed, around target otherwise."""
    if ind.measure is Measure.DESCRIPTIVE:
        return None
    target = float(ind.target_value)
    if ind.aggregation is SUM:
        per_month = target / 12
        if per_month < 3:
            value = int(target * month / 12 + 0.5) - int(target * (month - 1) / 12 + 0.5)
            if perf < 0.9 and value and rng.random() < 0.35:
                value -= 1
            return _q(value)
        value = per_month * perf * rng.uniform(0.85, 1.15)
        return _q(round(value, 1) if ind.unit == "ton" else round(value))
    if ind.aggregation is AVG:
        if ind.direction is DOWN:
            value = target * (2 - perf) * rng.uniform(0.88, 1.08)
        else:
            value = target * perf * rng.uniform(0.97, 1.03)
            if ind.unit == "%":
                value = min(value, 100)
        return _q(max(0.5, round(value, 1)))
    # LATEST: the figure at the end of the month, closing in on the target by December.
    value = target * (0.85 + 0.15 * month / 12) * perf * rng.uniform(0.98, 1.02)
    if ind.unit == "%":
        value = min(value, 100)
    return _q(round(value, 1))


def _narrative(ind, value, month, year, rng):
    label = rules.subperiod_label("bulanan", month, year)
    if value is None:
        return f"{label}: {ind.target_text}. {rng.choice(NARRATIVE_ENDINGS)}"
    return f"{label}: {rules.format_number(value)} {ind.unit}. {rng.choice(NARRATIVE_ENDINGS)}"


def _realisation_rows(plans, period, users, rng, states, *, narratives=True):
    """Rows for every IKI of the approved ``plans``; ``states(spec, month)`` → [(status, reason)] per IKI."""
    for spec in plans:
        if spec.status is not PlanStatus.APPROVED:
            continue
        verifier = users.get(spec.slot.supervisor.id) if spec.slot.supervisor else None
        indicators = [i for r in spec.results for i in r.indicators]
        for month in range(1, 13):
            per_indicator = states(spec, month, len(indicators))
            if per_indicator is None:
                continue
            month_end = date(period.year, month, 28)
            submitted = datetime.combine(month_end + timedelta(days=rng.randint(4, 9)), datetime.min.time()) \
                + timedelta(hours=9)
            if submitted.date() >= TODAY:
                submitted = datetime(TODAY.year, TODAY.month, TODAY.day - 1, 10, 0)
            for ind, (status, reason) in zip(indicators, per_indicator, strict=True):
                if status is None:
                    continue
                value = monthly_value(ind, month, spec.perf, rng)
                verified = submitted + timedelta(days=rng.randint(1, 5)) if status is RealisationStatus.VERIFIED \
                    else None
                yield dict(indicator_id=ind.id, subperiod_id=period.subperiods[month], plan_id=spec.id,
                           value=value,
                           narrative=_narrative(ind, value, month, period.year, rng) if narratives
                           else f"Realisasi bulan ke-{month}.",
                           status=status,
                           submitted_dt=submitted if status is not RealisationStatus.DRAFT else None,
                           verified_dt=verified, verified_by_id=verifier if verified else None,
                           return_reason=reason, lock_version=1, created_dt=submitted - timedelta(days=1),
                           updated_dt=verified or submitted)


# ---------------------------------------------------------------- the demo
def _subordinates(slots):
    out = defaultdict(list)
    for slot in slots:
        if slot.supervisor is not None:
            out[slot.supervisor].append(slot)
    return out


def _plan_year(slots, period, org_targets, rng, *, mains=(2, 4), ikis=(1, 3), extras=0.35, team_for=None,
               expectation_share=0.4, skip=None):
    """One plan per employee with a supervisor, supervisors first; returns {slot: current PlanSpec}."""
    current = {}
    for slot in slots:  # plan_people orders supervisors before their staff
        if slot.supervisor is None or (skip is not None and skip(slot)):
            continue
        spec = PlanSpec(slot, period, perf=rng.uniform(0.95, 1.1) if rng.random() > 0.15 else rng.uniform(0.6, 0.88))
        opd = _opd_of(slot.unit)
        targets = org_targets.get(opd.id, []) if slot.supervisor.supervisor is None else []
        spec.results = _results(slot, current.get(slot.supervisor), targets, rng,
                                mains=rng.randint(*mains), iki_counts=lambda: rng.randint(*ikis))
        team_goal = team_for(slot) if team_for else None
        if team_goal is not None or rng.random() < extras:
            spec.results.append(_additional(slot, team_goal, len(spec.results), rng))
        spec.expectations = _expectations(rng, expectation_share)
        spec.submitted_dt = _jan(rng, period.year, 3, 20)
        spec.approved_dt = spec.submitted_dt + timedelta(days=rng.randint(1, 8))
        current[slot] = spec
    return current


def _additional(slot, team_goal, position, rng):
    if team_goal is not None:
        goal_id, text, iki, unit, lo, hi = team_goal
        return ResultSpec(ResultKind.ADDITIONAL, position, text, "tim", [
            IndicatorSpec(Aspect.QUANTITY, iki, Measure.NUMERIC, Decimal(rng.randint(lo, hi)), unit, UP, SUM, None)],
            team_goal_id=goal_id)
    text, iki, unit = rng.choice([
        ("Terlaksananya tugas sebagai panitia kegiatan hari besar nasional", "Jumlah kegiatan yang dipanitiai",
         "kegiatan"),
        ("Terlaksananya tugas sebagai narasumber internal", "Jumlah sesi sebagai narasumber", "sesi"),
        ("Tersusunnya bahan pemberitaan kegiatan unit kerja", "Jumlah bahan berita tersusun", "berita"),
    ])
    return ResultSpec(ResultKind.ADDITIONAL, position, text, "tambahan", [
        IndicatorSpec(Aspect.QUANTITY, iki, Measure.NUMERIC, Decimal(rng.randint(2, 6)), unit, UP, SUM, None)])


TEAMS = [  # name, description, leader (domain of the leader's unit, is head), goal text, IKI, unit, member range
    ("Tim Percepatan Penurunan Stunting", "Tim lintas perangkat daerah untuk menurunkan prevalensi stunting.",
     "dinkes", "Menurunnya prevalensi balita stunting melalui pendampingan keluarga berisiko",
     "Jumlah keluarga berisiko stunting didampingi", "keluarga", (12, 30),
     ("puskesmas", "dinkes", "kewilayahan")),
    ("Tim Mal Pelayanan Publik", "Tim pengelola layanan terpadu di Mal Pelayanan Publik.",
     "perizinan", "Terselenggaranya layanan terpadu di Mal Pelayanan Publik",
     "Jumlah layanan terpadu diselesaikan di MPP", "layanan", (60, 150), ("perizinan", "kewilayahan", "admin")),
    ("Tim Kabupaten Bersih", "Tim gerakan kebersihan dan pengurangan sampah menuju Adipura.",
     "kebersihan", "Meningkatnya kebersihan kota menuju Adipura", "Jumlah titik rawan sampah ditangani", "titik",
     (6, 18), ("kebersihan", "kewilayahan")),
]


def _plan_teams(slots, period, rng, pegawai_slot):
    """Teams with their goals (written now) and the members whose Tambahan RHK intervenes a goal."""
    member_goal, team_count = {}, 0
    for name, description, leader_domain, goal_text, iki, unit, (lo, hi), member_domains in TEAMS:
        heads = [s for s in slots if s.is_head and s.supervisor is not None and s.supervisor.supervisor is None
                 and domain_of(s.unit) == leader_domain]
        if not heads:
            continue
        leader = heads[0]
        team = Team(period_id=period.id, name=name, description=description, leader_id=leader.id,
                    org_unit_id=_opd_of(leader.unit).id)
        goal = TeamGoal(text=goal_text, indicator=iki, target_value=Decimal(hi * 10), target_unit=unit)
        team.goals.append(goal)
        candidates = [s for s in slots if not s.is_head and s.supervisor is not None
                      and domain_of(s.unit) in member_domains and s not in member_goal]
        members = rng.sample(candidates, min(len(candidates), 6))
        if pegawai_slot is not None and team_count == 0 and pegawai_slot not in members:
            members[0] = pegawai_slot
        for member in members:
            team.members.append(TeamMember(employee_id=member.id, role="Anggota"))
        db.session.add(team)
        db.session.flush()
        staff_text = f"Terlaksananya dukungan tugas anggota pada {name}"
        for member in members:
            member_goal[member] = (goal.id, staff_text, iki, unit, lo, hi)
        member_goal[leader] = (goal.id, f"Terkoordinasinya pelaksanaan {name}", iki, unit, lo * 4, hi * 4)
        team_count += 1
    return member_goal, team_count


def _demo_statuses(current, fixed, subordinates, rng):
    """Mostly approved; a few drafts, submissions, returns and revisions, among staff without staff."""
    extra = []
    supervisor = fixed.get("supervisor")
    leaves = [s for s in current if not subordinates.get(s) and not s.fixed]
    rng.shuffle(leaves)
    team_of_supervisor = [s for s in leaves if s.supervisor is supervisor]
    others = [s for s in leaves if s.supervisor is not supervisor]

    def working(slot, status):
        spec = current[slot]
        spec.status = status
        spec.submitted_dt = None if status is PlanStatus.DRAFT else datetime(YEAR, 11, rng.randint(9, 20), 10)
        spec.approved_dt = None
        spec.expectations = {}
        if status is PlanStatus.RETURNED:
            spec.return_reason = rng.choice(PLAN_RETURN_REASONS)

    # In the demo supervisor's inbox: a new plan to approve, one returned, one revision to decide.
    if len(team_of_supervisor) >= 3:
        working(team_of_supervisor.pop(), PlanStatus.SUBMITTED)
        working(team_of_supervisor.pop(), PlanStatus.RETURNED)
        extra.append(_revision(current[team_of_supervisor.pop()], PlanStatus.SUBMITTED, rng))
    for status, share in ((PlanStatus.DRAFT, 0.03), (PlanStatus.SUBMITTED, 0.03), (PlanStatus.RETURNED, 0.02)):
        for _ in range(max(1, round(share * len(current)))):
            if others:
                working(others.pop(), status)
    # Two plans revised and approved in the spring: v1 superseded, v2 approved.
    for _ in range(2):
        if others:
            extra.append(_revision(current[others.pop()], PlanStatus.APPROVED, rng))
    return extra


def _revision(spec: PlanSpec, status, rng):
    """A second version of an approved plan; v1 becomes SUPERSEDED once v2 is approved."""
    revision = PlanSpec(spec.slot, spec.period, version=2, status=status, perf=spec.perf,
                        expectations=dict(spec.expectations))
    for r in spec.results:
        copy = ResultSpec(r.kind, r.position, r.text, r.theme, [
            IndicatorSpec(i.aspect, i.text, i.measure,
                          (i.target_value * Decimal("1.1")).quantize(Decimal(1)) if i.target_value is not None
                          and i.aggregation is SUM else i.target_value,
                          i.unit, i.direction, i.aggregation, i.target_text) for i in r.indicators],
            intervened=r.intervened, org_target_id=r.org_target_id, team_goal_id=r.team_goal_id,
            activities=r.activities)
        revision.results.append(copy)
    if status is PlanStatus.APPROVED:
        spec.status = PlanStatus.SUPERSEDED
        revision.submitted_dt = datetime(YEAR, 4, rng.randint(1, 10), 9)
        revision.approved_dt = revision.submitted_dt + timedelta(days=2)
    else:
        revision.submitted_dt = datetime(YEAR, 11, rng.randint(12, 20), 9)
    return revision


def seed_demo_plans(slots, root, rng: random.Random | None = None) -> PlanCounts:
    """Periods 2025 (closed) and 2026 (open), Perjanjian Kinerja, SKPs, realisasi, teams, daily log."""
    rng = rng or random.Random(2026)
    counts = PlanCounts()
    users = dict(db.session.execute(sa.select(User.employee_id, User.id).where(User.employee_id.is_not(None))).all())
    fixed = {s.fixed: s for s in slots if s.fixed}
    subordinates = _subordinates(slots)

    # 2025: closed, every month closed, approved plans to copy from (no realisasi).
    last = _write_period(YEAR - 1, PeriodStatus.CLOSED, 12)
    last_targets = _write_org_targets(root, last)
    plans_2025 = _plan_year(slots, last, last_targets, rng, expectation_share=0.2,
                            skip=lambda s: s.person["tmt_date"] > date(YEAR - 1, 6, 30))
    r, i = _write_plans(list(plans_2025.values()), users)
    counts.plans += len(plans_2025)
    counts.results += r
    counts.indicators += i

    # 2026: open; January to September closed.
    period = _write_period(YEAR, PeriodStatus.OPEN, 9)
    targets = _write_org_targets(root, period)
    counts.periods, counts.org_targets = 2, sum(len(v) for v in targets.values()) + sum(
        len(v) for v in last_targets.values())
    member_goal, counts.teams = _plan_teams(slots, period, rng, fixed.get("pegawai"))
    current = _plan_year(slots, period, targets, rng, team_for=member_goal.get)
    revisions = _demo_statuses(current, fixed, subordinates, rng)
    plans = list(current.values()) + revisions
    r, i = _write_plans(plans, users)
    counts.plans += len(plans)
    counts.results += r
    counts.indicators += i

    # Realisasi: the plan that carries the year is the approved one (a revision's v2 when approved).
    carrying = [p for p in plans if p.status is PlanStatus.APPROVED]
    supervisor, pegawai = fixed.get("supervisor"), fixed.get("pegawai")

    def states(spec, month, count):
        if month <= 9:
            return [(RealisationStatus.VERIFIED, None)] * count
        if month == 10:
            status = RealisationStatus.SUBMITTED if rng.random() < 0.08 else RealisationStatus.VERIFIED
            return [(status, None)] * count
        if month > 11:
            return None
        # November, the month being reported.
        if spec.slot is pegawai:
            return [(RealisationStatus.DRAFT, None)] + [(None, None)] * (count - 1)
        roll = rng.random()
        if spec.slot.supervisor is supervisor:
            roll *= 0.6  # the demo supervisor's staff mostly submitted already
        if roll < 0.45:
            out = [(RealisationStatus.SUBMITTED, None)] * count
            if rng.random() < 0.2:
                out[0] = (RealisationStatus.RETURNED, rng.choice(RETURN_REASONS))
            return out
        if roll < 0.8:
            return [(RealisationStatus.DRAFT, None)] * count
        return None

    before = _max_id(Realisation)
    counts.realisations = _insert(Realisation, _realisation_rows(carrying, period, users, rng, states))
    _demo_conversation(carrying, current, period, users, fixed, before, rng, counts)
    _demo_activities(current, users, fixed, rng, counts)
    counts.specs = list(plans_2025.values()) + plans
    return counts


def _demo_conversation(carrying, current, period, users, fixed, before, rng, counts):
    """Feedback, evidence links and the dialog kinerja, written by people who have accounts."""
    by_plan = {p.id: p for p in carrying}
    supervisor, pegawai = fixed.get("supervisor"), fixed.get("pegawai")
    sup_user = users.get(supervisor.id) if supervisor else None
    rows = db.session.execute(
        sa.select(Realisation.id, Realisation.plan_id, Realisation.subperiod_id, Realisation.status)
        .where(Realisation.id > before).order_by(Realisation.id)).all()
    months = {sp_id: number for number, sp_id in period.subperiods.items()}
    evidence, feedback = [], []
    first_of_month = set()
    for realisation_id, plan_id, subperiod_id, status in rows:
        spec = by_plan[plan_id]
        month = months[subperiod_id]
        owner_user = users.get(spec.slot.id)
        if (plan_id, month) not in first_of_month:
            first_of_month.add((plan_id, month))
            if status is not RealisationStatus.DRAFT and (rng.random() < 0.12 or spec.slot is pegawai):
                evidence.append(dict(realisation_id=realisation_id, kind=EvidenceKind.LINK,
                                     title=f"Rekap {rules.subperiod_label('bulanan', month, YEAR)}",
                                     url=f"https://arsip.contohkab.go.id/bukti/{YEAR}/{month:02d}/{realisation_id}",
                                     stored_name=None, content_type=None, size_bytes=None, sha256=None,
                                     uploaded_by_id=owner_user, created_dt=datetime(YEAR, month, 28, 15)))
            if sup_user and spec.slot.supervisor is supervisor and month >= 8 and rng.random() < 0.5:
                when = datetime(YEAR, min(month + 1, 11), 9, 10) if month < 11 else datetime(YEAR, 11, 21, 10)
                feedback.append(dict(realisation_id=realisation_id, author_id=sup_user,
                                     body=rng.choice(FEEDBACK_SUPERVISOR), created_dt=when))
                if owner_user:
                    feedback.append(dict(realisation_id=realisation_id, author_id=owner_user,
                                         body=rng.choice(FEEDBACK_REPLIES), created_dt=when + timedelta(hours=3)))
    counts.evidence = _insert(Evidence, evidence)
    counts.feedback = _insert(Feedback, feedback)

    comments = []
    if supervisor is not None and sup_user:
        for slot, spec in current.items():
            if slot.supervisor is not supervisor:
                continue
            owner = users.get(slot.id)
            if slot is pegawai:
                start = datetime(YEAR, 1, 6, 9)
                for k, (who, body) in enumerate(COMMENTS):
                    comments.append(dict(plan_id=spec.id, author_id=sup_user if who == "supervisor" else owner,
                                         body=body, created_dt=start + timedelta(days=k)))
            elif spec.status is PlanStatus.RETURNED:
                comments.append(dict(plan_id=spec.id, author_id=sup_user, body=spec.return_reason,
                                     created_dt=datetime(YEAR, 11, 21, 9)))
            elif rng.random() < 0.2:
                comments.append(dict(plan_id=spec.id, author_id=sup_user,
                                     body="RHK sudah selaras dengan RHK Kepala Puskesmas. Lanjutkan.",
                                     created_dt=_jan(rng, YEAR, 8, 25)))
    counts.comments = _insert(PlanComment, comments)


def _working_days(end: date, days: int):
    out, day = [], end
    while len(out) < days:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            out.append(day)
    return sorted(out)


def _demo_activities(current, users, fixed, rng, counts):
    """Laporan harian for the last two weeks for part of the staff, with a few comments."""
    supervisor, pegawai = fixed.get("supervisor"), fixed.get("pegawai")
    sup_user = users.get(supervisor.id) if supervisor else None
    days = _working_days(TODAY, 10)
    writers = [s for s, spec in current.items() if spec.status is PlanStatus.APPROVED
               and (s is pegawai or s.supervisor is supervisor or rng.random() < 0.2)]
    rows = []
    for slot in writers:
        spec = current[slot]
        for day in days:
            if slot is not pegawai and rng.random() < 0.25:
                continue
            result = rng.choice(spec.results)
            activities = result.activities or (f"Menyiapkan bahan: {result.text[0].lower()}{result.text[1:]}",
                                               "Koordinasi dengan rekan kerja", "Menyusun laporan kegiatan")
            rows.append(dict(employee_id=slot.id, entry_date=day, result_id=result.id,
                             description=rng.choice(activities), output=rng.choice(ACTIVITY_OUTPUTS),
                             created_dt=datetime.combine(day, datetime.min.time()) + timedelta(hours=15)))
    before = _max_id(ActivityEntry)
    counts.activities = _insert(ActivityEntry, rows)
    if not sup_user:
        return
    entries = db.session.execute(sa.select(ActivityEntry.id, ActivityEntry.employee_id, ActivityEntry.entry_date)
                                 .where(ActivityEntry.id > before).order_by(ActivityEntry.id)).all()
    mine = {s.id for s in writers if s.supervisor is supervisor}
    comments = []
    for entry_id, employee_id, day in entries:
        if employee_id in mine and rng.random() < 0.12:
            at = datetime.combine(day, datetime.min.time()) + timedelta(hours=16)
            comments.append(dict(entry_id=entry_id, author_id=sup_user,
                                 body=rng.choice(["Bagus, lanjutkan.", "Tolong lampirkan rekapnya di realisasi bulan ini.",
                                                  "Koordinasikan dengan bidan koordinator."]), created_dt=at))
            if users.get(employee_id):
                comments.append(dict(entry_id=entry_id, author_id=users[employee_id], body="Baik, siap.",
                                     created_dt=at + timedelta(hours=1)))
    _insert(ActivityComment, comments)


# ---------------------------------------------------------------- the scale seed
def seed_scale_plans(slots, root, rng: random.Random | None = None) -> PlanCounts:
    """An approved 2026 SKP (3 RHK × 2 IKI) for every employee with a supervisor, realisasi for
    January–October verified and November submitted; Core bulk inserts only."""
    rng = rng or random.Random(18)
    counts = PlanCounts()
    users = dict(db.session.execute(sa.select(User.employee_id, User.id).where(User.employee_id.is_not(None))).all())
    period = _write_period(YEAR, PeriodStatus.OPEN, 9)
    targets = _write_org_targets(root, period)
    counts.periods, counts.org_targets = 1, sum(len(v) for v in targets.values())
    current = _plan_year(slots, period, targets, rng, mains=(3, 3), ikis=(2, 2), extras=0, expectation_share=0.1)
    plans = list(current.values())
    counts.results, counts.indicators = _write_plans(plans, users, bulk=_copy)
    counts.plans = len(plans)

    verified = [(RealisationStatus.VERIFIED, None)]
    submitted = [(RealisationStatus.SUBMITTED, None)]

    def states(spec, month, count):
        if month <= 10:
            return verified * count
        if month == 11:
            return submitted * count
        return None

    counts.realisations = _copy(Realisation, _realisation_rows(plans, period, users, rng, states, narratives=False))
    counts.specs = plans
    return counts
