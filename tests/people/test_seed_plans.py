"""Plans and realisasi of the demo and scale seeds: complete, consistent, and useful to the demo accounts."""
import random
from collections import Counter, defaultdict
from datetime import date

import pytest
import sqlalchemy as sa

from portal.auth import services as auth_services
from portal.extensions import db
from portal.people import seeding
from portal.people.models import Employee, OrgUnit
from portal.people.seeding.plans import TODAY, PeriodInfo, _plan_year
from portal.plans.models import (
    ActivityEntry,
    BehaviourExpectation,
    Evidence,
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
    Team,
    TeamGoal,
    TeamMember,
)
from tests.conftest import count_rows

SUPERVISOR_NIP, PEGAWAI_NIP = "198206052009121003", "199608112020032005"


def _period(year):
    return db.session.scalar(sa.select(PerformancePeriod).where(PerformancePeriod.year == year))


def _expected_slot(plan):
    if plan.status in (PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.RETURNED):
        return f"{plan.employee_id}/{plan.period_id}/w"
    if plan.status is PlanStatus.APPROVED:
        return f"{plan.employee_id}/{plan.period_id}/a"
    return None


def assert_plans_consistent(period):
    """Slots, targets, the cascade and the denormalised realisasi of every plan of ``period``."""
    employees = {e.id: e for e in db.session.scalars(sa.select(Employee))}
    paths = dict(db.session.execute(sa.select(OrgUnit.id, OrgUnit.path)).all())
    plans = {p.id: p for p in db.session.scalars(sa.select(PerformancePlan)
                                                .where(PerformancePlan.period_id == period.id))}
    results = {r.id: r for r in db.session.scalars(sa.select(ResultPlan).join(PerformancePlan)
                                                   .where(PerformancePlan.period_id == period.id))}
    all_results = dict(db.session.execute(sa.select(ResultPlan.id, ResultPlan.plan_id)).all())
    all_plans = {p.id: p for p in db.session.scalars(sa.select(PerformancePlan))}
    targets = {t.id: t for t in db.session.scalars(sa.select(OrgTarget))}
    for plan in plans.values():
        assert plan.slot == _expected_slot(plan), plan.id
        employee = employees[plan.employee_id]
        assert plan.appraiser_id == employee.supervisor_id and plan.lock_version == 1
        if plan.status in (PlanStatus.APPROVED, PlanStatus.SUPERSEDED):
            assert plan.approved_dt is not None and plan.snapshot["pegawai"]["nip"] == employee.nip
            assert plan.snapshot["penilai"]["nip"] == employees[employee.supervisor_id].nip
    per_plan = defaultdict(Counter)
    for result in results.values():
        plan = plans[result.plan_id]
        per_plan[plan.id][result.kind] += 1
        interventions = [x for x in (result.intervened_result_id, result.org_target_id, result.team_goal_id) if x]
        assert len(interventions) <= 1
        if result.intervened_result_id:
            parent_plan = all_plans[all_results[result.intervened_result_id]]
            assert parent_plan.employee_id == employees[plan.employee_id].supervisor_id, result.text
            assert parent_plan.period_id == period.id
        if result.org_target_id:
            target = targets[result.org_target_id]
            # Those who answer to the top (heads of OPD) intervene their own OPD's Perjanjian Kinerja.
            assert target.period_id == period.id
            assert f"/{target.org_unit_id}/" in paths[employees[plan.employee_id].org_unit_id]
            assert employees[employees[plan.employee_id].supervisor_id].supervisor_id is None
        if result.kind is ResultKind.MAIN and employees[plan.employee_id].supervisor_id:
            assert interventions, f"an RHK utama intervenes nothing: {result.text}"
    for counter in per_plan.values():
        assert 1 <= counter[ResultKind.MAIN] <= 4 and counter[ResultKind.ADDITIONAL] <= 1
    indicators = db.session.scalars(sa.select(Indicator).join(ResultPlan).join(PerformancePlan)
                                    .where(PerformancePlan.period_id == period.id)).all()
    per_result = Counter(i.result_id for i in indicators)
    assert set(per_result) == set(results) and max(per_result.values()) <= 3
    for indicator in indicators:
        if indicator.measure is Measure.NUMERIC:
            assert indicator.target_value > 0 and indicator.target_unit
            assert indicator.direction is not None and indicator.aggregation is not None
        else:
            assert indicator.target_text
    expectations = Counter(db.session.scalars(sa.select(BehaviourExpectation.plan_id).where(
        BehaviourExpectation.plan_id.in_(sa.select(PerformancePlan.id).where(PerformancePlan.period_id == period.id)))))
    assert set(expectations.values()) == {7} and set(expectations) == set(plans)
    # Realisasi: on approved plans only, in the plan's year, plan_id agreeing with the indicator.
    subperiods = dict(db.session.execute(sa.select(Subperiod.id, Subperiod.period_id)).all())
    result_of = {i.id: i.result_id for i in indicators}
    for indicator_id, plan_id, subperiod_id, value in db.session.execute(sa.select(
            Realisation.indicator_id, Realisation.plan_id, Realisation.subperiod_id, Realisation.value)
            .where(Realisation.plan_id.in_(list(plans)))):
        assert results[result_of[indicator_id]].plan_id == plan_id
        assert plans[plan_id].status is PlanStatus.APPROVED and subperiods[subperiod_id] == period.id
        assert value is None or value >= 0
    return plans


@pytest.fixture
def demo(app):
    return seeding.build_demo()


def test_demo_plans_are_complete_and_the_cascade_holds(demo):
    period = _period(2026)
    assert period.status is PeriodStatus.OPEN
    closed = {sp.number for sp in period.subperiods if sp.is_closed}
    assert closed == set(range(1, 10))
    plans = assert_plans_consistent(period)
    with_supervisor = set(db.session.scalars(sa.select(Employee.id).where(Employee.supervisor_id.is_not(None))))
    assert {p.employee_id for p in plans.values()} == with_supervisor
    statuses = Counter(p.status for p in plans.values())
    assert statuses[PlanStatus.APPROVED] >= 0.85 * len(with_supervisor)
    for status in (PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.RETURNED):
        assert 1 <= statuses[status] <= 0.06 * len(with_supervisor), status
    assert all(p.return_reason for p in plans.values() if p.status is PlanStatus.RETURNED)
    # One or two revisions: v1 superseded, v2 approved pointing back to it.
    revised = [p for p in plans.values() if p.version == 2 and p.status is PlanStatus.APPROVED]
    assert 1 <= len(revised) <= 2
    for plan in revised:
        assert plans[plan.previous_id].status is PlanStatus.SUPERSEDED
        assert plans[plan.previous_id].employee_id == plan.employee_id
    # Each OPD has its Perjanjian Kinerja; teams have goals that some RHK intervene.
    assert count_rows(OrgTarget) > 0 and count_rows(Team) == 3 and count_rows(TeamGoal) >= 3
    assert count_rows(TeamMember) >= 12
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ResultPlan)
                             .where(ResultPlan.team_goal_id.is_not(None))) >= 6
    for model in (Evidence, Feedback, PlanComment, ActivityEntry):
        assert count_rows(model) > 0, model
    assert all(TODAY.toordinal() - 16 <= d.toordinal() < TODAY.toordinal()
               for d in db.session.scalars(sa.select(ActivityEntry.entry_date)))


def test_demo_realisasi_tell_a_plausible_story(demo):
    period = _period(2026)
    months = {sp.id: sp.number for sp in period.subperiods}
    by_month = defaultdict(Counter)
    for subperiod_id, status in db.session.execute(sa.select(Realisation.subperiod_id, Realisation.status)
                                                   .join(PerformancePlan).where(PerformancePlan.period_id == period.id)):
        by_month[months[subperiod_id]][status] += 1
    assert set(by_month) == set(range(1, 12))
    for month in range(1, 10):
        assert set(by_month[month]) == {RealisationStatus.VERIFIED}
    november = by_month[11]
    assert november[RealisationStatus.SUBMITTED] and november[RealisationStatus.DRAFT]
    assert november[RealisationStatus.RETURNED] and not november[RealisationStatus.VERIFIED]
    assert all(db.session.scalars(sa.select(Realisation.return_reason)
                                  .where(Realisation.status == RealisationStatus.RETURNED)))
    # Summed IKIs: about a twelfth of the target a month, with some under-performers.
    ratios = []
    for value, target in db.session.execute(
            sa.select(Realisation.value, Indicator.target_value).join(Indicator)
            .where(Indicator.aggregation == "jumlah", Indicator.target_value >= 120)):
        ratios.append(float(value) * 12 / float(target))
    assert 0.85 <= sum(ratios) / len(ratios) <= 1.1 and min(ratios) < 0.8
    # Last year: closed, with approved plans to start from.
    last = _period(2025)
    assert last.status is PeriodStatus.CLOSED and all(sp.is_closed for sp in last.subperiods)
    plans_2025 = assert_plans_consistent(last)
    assert len(plans_2025) > 250 and {p.status for p in plans_2025.values()} == {PlanStatus.APPROVED}


def test_demo_accounts_have_work_to_do(demo):
    period = _period(2026)
    supervisor = auth_services.find_user_for_login(SUPERVISOR_NIP).employee
    pegawai_user = auth_services.find_user_for_login(PEGAWAI_NIP)
    # The supervisor's inbox: submitted realisasi to verify and a submitted plan to approve.
    waiting = db.session.scalar(sa.select(sa.func.count()).select_from(Realisation).join(PerformancePlan).where(
        PerformancePlan.appraiser_id == supervisor.id, Realisation.status == RealisationStatus.SUBMITTED))
    assert waiting >= 10
    submitted_plans = db.session.scalars(sa.select(PerformancePlan).where(
        PerformancePlan.appraiser_id == supervisor.id, PerformancePlan.status == PlanStatus.SUBMITTED)).all()
    assert len(submitted_plans) >= 2 and any(p.version == 2 for p in submitted_plans)
    assert all(p.can_decide(db.session.get(type(pegawai_user), supervisor.user.id)) for p in submitted_plans)
    own = db.session.scalar(sa.select(PerformancePlan).where(PerformancePlan.employee_id == supervisor.id,
                                                            PerformancePlan.period_id == period.id))
    assert own.status is PlanStatus.APPROVED
    # The pegawai: an approved plan, October verified, November still to report.
    plan = db.session.scalar(sa.select(PerformancePlan).where(
        PerformancePlan.employee_id == pegawai_user.employee.id, PerformancePlan.period_id == period.id))
    assert plan.status is PlanStatus.APPROVED and plan.can_report(pegawai_user)
    assert plan.appraiser_id == supervisor.id and plan.snapshot["penilai"]["nip"] == SUPERVISOR_NIP
    november = next(sp for sp in period.subperiods if sp.number == 11)
    assert november.accepts_realisation
    statuses = {sp: Counter() for sp in (10, 11)}
    for number, status in db.session.execute(sa.select(Subperiod.number, Realisation.status).join(Subperiod)
                                             .where(Realisation.plan_id == plan.id, Subperiod.number >= 10)):
        statuses[number][status] += 1
    assert set(statuses[10]) == {RealisationStatus.VERIFIED}
    assert set(statuses[11]) <= {RealisationStatus.DRAFT}
    indicators = db.session.scalar(sa.select(sa.func.count()).select_from(Indicator).join(ResultPlan)
                                   .where(ResultPlan.plan_id == plan.id))
    assert sum(statuses[11].values()) < indicators
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PlanComment)
                             .where(PlanComment.plan_id == plan.id)) >= 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ActivityEntry)
                             .where(ActivityEntry.employee_id == pegawai_user.employee.id)) >= 5


def test_plan_generation_is_deterministic():
    root = seeding.kabupaten_plan("X", seeding.DEMO_DIMENSIONS, random.Random(1))
    slots = seeding.plan_people(root, None, 7)

    def texts(seed):
        period = PeriodInfo(1, 2026, {})
        plans = _plan_year(slots, period, {}, random.Random(seed))
        return [(r.text, [(i.text, i.target_value) for i in r.indicators]) for p in plans.values() for r in p.results]

    assert texts(3) == texts(3) and texts(3) != texts(4)


def test_scale_plans_for_everyone_with_bulk_inserts(app):
    result = seeding.build_scale(300)
    period = _period(2026)
    plans = assert_plans_consistent(period)
    with_supervisor = set(db.session.scalars(sa.select(Employee.id).where(Employee.supervisor_id.is_not(None))))
    assert {p.employee_id for p in plans.values()} == with_supervisor and len(plans) == len(with_supervisor)
    assert {p.status for p in plans.values()} == {PlanStatus.APPROVED}
    indicators = count_rows(Indicator)
    assert indicators == result.plans.indicators and result.plans.plans == len(plans)
    assert count_rows(Realisation) == result.plans.realisations == indicators * 11
    november = next(sp for sp in period.subperiods if sp.number == 11)
    statuses = Counter(db.session.scalars(sa.select(Realisation.status)
                                          .where(Realisation.subperiod_id == november.id)))
    assert set(statuses) == {RealisationStatus.SUBMITTED}
    assert period.start_date == date(2026, 1, 1)
