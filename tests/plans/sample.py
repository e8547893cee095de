"""Plan data built straight from the models, for tests that need it before any service runs.

``sample_plan(world)`` gives staff_a1 an approved 2026 SKP (appraiser chief_a1) with two RHK
(one intervening the supervisor's RHK), numeric and descriptive IKIs, all seven perilaku rows,
a submitted realisasi for November with a link as evidence, a feedback message, a team and a
daily log entry. It is built once per test (cached on the world object).
"""
from datetime import date
from decimal import Decimal

from portal.extensions import db
from portal.plans import rules
from portal.plans.models import (
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


def make_period(year=2026, status=PeriodStatus.OPEN, length=SubperiodLength.MONTHLY):
    period = db.session.scalar(db.select(PerformancePeriod).where(PerformancePeriod.year == year))
    if period is not None:
        return period
    period = PerformancePeriod(year=year, start_date=date(year, 1, 1), end_date=date(year, 12, 31),
                               subperiod_length=length, status=status,
                               plan_deadline=rules.default_plan_deadline(year))
    for number, start, end in rules.subperiod_ranges(year, length.value):
        period.subperiods.append(Subperiod(number=number, start_date=start, end_date=end))
    db.session.add(period)
    db.session.flush()
    return period


def make_plan(employee, period, status=PlanStatus.DRAFT, *, results=(), version=1):
    """A plan for ``employee`` with ``results``: [(text, [(aspect, indicator text, target), ...])].

    A target is a Decimal-able number (unit "dokumen", higher is better, summed) or a string
    (a descriptive target).
    """
    plan = PerformancePlan(
        employee=employee, period=period, version=version, status=status,
        org_unit=employee.org_unit, position=employee.position, appraiser=employee.supervisor,
        start_date=period.start_date, end_date=period.end_date)
    for value in CoreValue:
        plan.expectations.append(BehaviourExpectation(value=value, expectation=""))
    for position, (text, indicators) in enumerate(results):
        result = ResultPlan(kind=ResultKind.MAIN, position=position, text=text)
        for aspect, iki, target in indicators:
            if isinstance(target, str):
                result.indicators.append(Indicator(aspect=aspect, text=iki, measure=Measure.DESCRIPTIVE,
                                                   target_text=target))
            else:
                result.indicators.append(Indicator(
                    aspect=aspect, text=iki, measure=Measure.NUMERIC, target_value=Decimal(target),
                    target_unit="dokumen", direction=Direction.HIGHER, aggregation=Aggregation.SUM))
        plan.results.append(result)
    db.session.add(plan)
    db.session.flush()
    return plan


class Sample:
    pass


def sample_plan(world):
    cached = getattr(world, "_plan_sample", None)
    if cached is not None:
        return cached
    s = Sample()
    s.period = period = make_period(2026)
    s.november = next(sp for sp in period.subperiods if sp.number == 11)
    s.org_target = OrgTarget(org_unit=world.dinas_a, period=period, goal="Meningkatnya kualitas data",
                             indicator="Indeks kualitas data", target="90 %")
    db.session.add(s.org_target)
    s.chief_plan = make_plan(world.chief_a1, period, PlanStatus.APPROVED, results=[
        ("Tersedianya data sektoral yang mutakhir", [(Aspect.QUANTITY, "Jumlah dataset", 24)])])
    s.plan = make_plan(world.staff_a1, period, PlanStatus.APPROVED, results=[
        ("Dataset sektoral tersusun", [(Aspect.QUANTITY, "Jumlah dataset", 12),
                                        (Aspect.QUALITY, "Dataset sesuai standar", "Sesuai standar SDI")]),
        ("Laporan analisis data", [(Aspect.QUANTITY, "Jumlah laporan", 4)]),
    ])
    s.plan.results[0].intervened_result = s.chief_plan.results[0]
    s.result = s.plan.results[0]
    s.indicator = s.result.indicators[0]
    s.realisation = Realisation(indicator=s.indicator, subperiod=s.november, plan=s.plan,
                                value=Decimal(1), narrative="Satu dataset selesai",
                                status=RealisationStatus.SUBMITTED)
    db.session.add(s.realisation)
    s.evidence = Evidence(realisation=s.realisation, kind=EvidenceKind.LINK, title="Portal data",
                          url="https://data.example.go.id/dataset/1")
    s.feedback = Feedback(realisation=s.realisation, author=world.users["supervisor"], body="Bagus.")
    s.comment = PlanComment(plan=s.plan, author=world.users["pegawai"], body="Mohon arahan.")
    s.team = Team(period=period, name="Tim Satu Data", leader=world.chief_a1, org_unit=world.dinas_a)
    s.team.members.append(TeamMember(employee=world.staff_a1))
    s.goal = TeamGoal(team=s.team, text="Satu data daerah", indicator="Dataset terbit",
                      target_value=Decimal(40), target_unit="dataset")
    s.activity = ActivityEntry(employee=world.staff_a1, entry_date=date(2026, 11, 2),
                               result=s.result, description="Membersihkan dataset kesehatan")
    db.session.add_all([s.evidence, s.feedback, s.comment, s.team, s.goal, s.activity])
    db.session.flush()
    world._plan_sample = s
    return s
