"""Evaluations of the demo and scale seeds: the kuadran holds, the spread is realistic, the guide
of each OPD's capaian holds except where the demo wants a flag, and the demo accounts have work."""
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.auth import services as auth_services
from portal.evaluation import rules
from portal.evaluation.models import (
    IKM_FIELDS,
    BehaviourRating,
    DevelopmentNeed,
    Evaluation,
    EvaluationStatus,
    IkmResponse,
    NeedKind,
    Objection,
    ObjectionStatus,
    OrgAssessment,
    OrgPredicate,
    PeerInput,
    PeerInputStatus,
    Predicate,
    Rating,
    UnitService,
)
from portal.extensions import db
from portal.people import seeding
from portal.people.models import Employee, OrgUnit, Position
from portal.people.seeding.plans import TODAY
from portal.plans.models import (
    Aggregation,
    CoreValue,
    Indicator,
    PerformancePeriod,
    PerformancePlan,
    PlanStatus,
    Realisation,
)
from tests.conftest import count_rows

SUPERVISOR_NIP, PEGAWAI_NIP, PIMPINAN_NIP = "198206052009121003", "199608112020032005", "196903141994031002"
SPREAD = {  # predikat → (lowest %, highest %) over every evaluation with a predikat
    Predicate.VERY_GOOD: (10, 15), Predicate.GOOD: (70, 75), Predicate.NEEDS_IMPROVEMENT: (8, 12),
    Predicate.POOR: (2, 3), Predicate.VERY_POOR: (0, 1),
}


@pytest.fixture
def demo(app):
    return seeding.build_demo()


def _period(year):
    return db.session.scalar(sa.select(PerformancePeriod).where(PerformancePeriod.year == year))


def _opd_of_units():
    """Unit id → its OPD's id (the depth-1 unit on its path)."""
    return {unit_id: int(path.strip("/").split("/")[1]) for unit_id, path in
            db.session.execute(sa.select(OrgUnit.id, OrgUnit.path).where(OrgUnit.depth >= 1))}


def _distributions():
    """(OPD id, period id, key) → Counter of predikat, over drafts and finals (as the unit view counts)."""
    opd_of = _opd_of_units()
    out = defaultdict(Counter)
    for unit_id, period_id, key, predicate in db.session.execute(sa.select(
            Evaluation.org_unit_id, Evaluation.period_id, Evaluation.period_key, Evaluation.predicate)
            .where(Evaluation.predicate.is_not(None))):
        out[(opd_of[unit_id], period_id, key)][predicate] += 1
    return out


def test_demo_predikat_follow_the_kuadran_with_a_realistic_spread(demo):
    assert demo.evaluations.evaluations == count_rows(Evaluation)
    evaluations = db.session.scalars(sa.select(Evaluation)).all()
    last, current = _period(2025), _period(2026)
    by_period = Counter((e.period_id, e.period_key, e.status) for e in evaluations)
    # 2025: one final annual evaluation per plan; 2026: January–September final, October mostly drafts.
    plans_2025 = db.session.scalar(sa.select(sa.func.count()).select_from(PerformancePlan)
                                   .where(PerformancePlan.period_id == last.id))
    assert by_period[(last.id, 0, EvaluationStatus.FINAL)] == plans_2025
    approved = db.session.scalar(sa.select(sa.func.count()).select_from(PerformancePlan).where(
        PerformancePlan.period_id == current.id, PerformancePlan.status == PlanStatus.APPROVED))
    for month in range(1, 10):
        assert by_period[(current.id, month, EvaluationStatus.FINAL)] == approved
    october_final = by_period[(current.id, 10, EvaluationStatus.FINAL)]
    october_draft = by_period[(current.id, 10, EvaluationStatus.DRAFT)]
    assert october_final + october_draft == approved and 3 <= october_final < 0.25 * approved
    assert not any(e.period_key > 10 for e in evaluations if e.period_id == current.id)

    rated = [e for e in evaluations if e.predicate is not None]
    for e in evaluations:
        assert e.predicate == (rules.predicate(e.hasil_rating, e.perilaku_rating)
                               if e.hasil_rating and e.perilaku_rating else None), e.id
    spread = Counter(e.predicate for e in rated)
    for predicate, (low, high) in SPREAD.items():
        share = 100 * spread[predicate] / len(rated)
        assert low <= share <= high, (predicate, round(share, 1))
    # Drafts the penilai has not finished have no predikat yet.
    assert any(e.predicate is None for e in evaluations if e.status is EvaluationStatus.DRAFT)

    # Hasil kerja follows performance: those often rated Di Bawah realised less of their summed IKIs.
    below = Counter(e.plan_id for e in evaluations if e.hasil_rating is Rating.BELOW and e.period_id == current.id)
    ratios = defaultdict(list)
    for plan_id, value, target in db.session.execute(
            sa.select(Realisation.plan_id, Realisation.value, Indicator.target_value).join(Indicator)
            .where(Indicator.aggregation == Aggregation.SUM, Indicator.target_value >= 120)):
        ratios[plan_id].append(float(value) * 12 / float(target))
    mean = {plan_id: sum(r) / len(r) for plan_id, r in ratios.items()}
    weak = [m for plan_id, m in mean.items() if below[plan_id] >= 5]
    strong = [m for plan_id, m in mean.items() if not below[plan_id]]
    assert weak and sum(weak) / len(weak) < sum(strong) / len(strong) - 0.1
    # Finals: frozen people, a deadline 14 days after finalisation, most acknowledged.
    employees = {e.id: e for e in db.session.scalars(sa.select(Employee))}
    finals = [e for e in evaluations if e.status is EvaluationStatus.FINAL]
    for e in finals:
        assert e.finalised_dt is not None and e.finalised_dt.date() < TODAY
        assert e.objection_deadline == e.finalised_dt.date() + timedelta(days=14)
        assert e.snapshot["pegawai"]["nip"] == employees[e.employee_id].nip_display
        assert e.snapshot["penilai"]["name"] == employees[e.appraiser_id].display_name
        assert set(e.snapshot["pegawai"]) == {"name", "nip", "pangkat", "jabatan", "unit"}
        assert e.acknowledged_dt is None or e.finalised_dt < e.acknowledged_dt
        assert e.appraiser_id == employees[e.employee_id].supervisor_id
    assert sum(1 for e in finals if e.acknowledged_dt) >= 0.8 * len(finals)
    assert all(e.snapshot is None and e.finalised_dt is None for e in evaluations if not e.is_final)

    # Seven BerAKHLAK rows per evaluation, most without a rating; Di Bawah only where perilaku is low.
    behaviours = db.session.execute(sa.select(BehaviourRating.evaluation_id, BehaviourRating.value,
                                              BehaviourRating.rating, BehaviourRating.note)).all()
    assert set(Counter(b.evaluation_id for b in behaviours).values()) == {7}
    assert len(behaviours) == 7 * len(evaluations) == demo.evaluations.behaviours
    assert sum(1 for b in behaviours if b.rating is None) > 0.9 * len(behaviours)
    assert any(b.note for b in behaviours if b.rating is None)
    by_id = {e.id: e for e in evaluations}
    objected = {o.evaluation_id: o for o in db.session.scalars(sa.select(Objection))}
    low_values = defaultdict(set)
    for b in behaviours:
        if b.rating is Rating.BELOW:
            # (an objection that changed the predikat leaves the penilai's per-value ratings as they were)
            perilaku = objected[b.evaluation_id].original_perilaku if b.evaluation_id in objected \
                else by_id[b.evaluation_id].perilaku_rating
            assert perilaku is Rating.BELOW and b.note
            low_values[b.evaluation_id].add(b.value)
    assert low_values

    # Development needs: exactly those a final evaluation's ratings imply.
    needs = defaultdict(list)
    for need in db.session.scalars(sa.select(DevelopmentNeed)):
        needs[need.evaluation_id].append(need)
        suffix = need.core_value.value if need.core_value else str(need.result_id or "")
        assert need.key == f"{need.evaluation_id}/{need.kind.value}/{suffix}" and need.reason
    assert set(needs) <= {e.id for e in finals}
    for e in finals:
        kinds = Counter(n.kind for n in needs.get(e.id, []))
        below = e.hasil_rating is Rating.BELOW
        assert kinds[NeedKind.RESULT] == kinds[NeedKind.RESULT_PLAN] == int(below), e.id
        assert kinds[NeedKind.BEHAVIOUR] == int(e.perilaku_rating is Rating.BELOW)
        assert {n.core_value for n in needs.get(e.id, []) if n.kind is NeedKind.CORE_VALUE} == low_values[e.id]
    result_need = next(n for ns in needs.values() for n in ns if n.kind is NeedKind.RESULT_PLAN)
    assert result_need.result.plan_id == by_id[result_need.evaluation_id].plan_id


def test_demo_org_capaian_fits_the_guide_except_one_october_draft(demo):
    last, current = _period(2025), _period(2026)
    opds = set(db.session.scalars(sa.select(OrgUnit.id).where(OrgUnit.depth == 1)))
    assessments = {(a.org_unit_id, a.period_id, a.period_key): a for a in db.session.scalars(sa.select(OrgAssessment))}
    expected = {(o, last.id, 0) for o in opds} | {(o, current.id, m) for o in opds for m in range(1, 11)}
    assert set(assessments) == expected
    predicates = Counter(a.predicate for a in assessments.values())
    assert predicates[OrgPredicate.GOOD] > len(assessments) / 2 and predicates[OrgPredicate.OUTSTANDING] > 0
    assert 1 <= predicates[OrgPredicate.NEEDS_IMPROVEMENT] <= 2
    pimpinan = auth_services.find_user_for_login(PIMPINAN_NIP)
    assert {a.set_by_id for a in assessments.values()} == {pimpinan.id}

    breaking = []
    for key, counts in _distributions().items():
        if rules.distribution_breaches(assessments[key].predicate, counts):
            breaking.append(key)
    assert len(breaking) == 1
    opd_id, period_id, period_key = breaking[0]
    assert (period_id, period_key) == (current.id, 10)
    assert db.session.get(OrgUnit, opd_id).name == "Dinas Kesehatan"  # the admin OPD account sees the flag

    # The head of an OPD takes hasil kerja from the OPD's capaian.
    heads = db.session.execute(sa.select(Evaluation, Position.org_unit_id).join(
        PerformancePlan, PerformancePlan.id == Evaluation.plan_id).join(
        Position, Position.id == PerformancePlan.position_id).where(Position.is_head, Position.org_unit_id.in_(opds)))
    checked = 0
    for evaluation, unit_id in heads:
        assessment = assessments[(unit_id, evaluation.period_id, evaluation.period_key)]
        assert evaluation.hasil_from_org and evaluation.hasil_rating is rules.head_hasil_rating(assessment.predicate)
        if evaluation.is_final:
            assert evaluation.snapshot["capaian_organisasi"] == assessment.predicate.value
        checked += 1
    assert checked >= 8 * 10


def test_demo_objections_peer_input_and_public_feedback(demo):
    supervisor = auth_services.find_user_for_login(SUPERVISOR_NIP)
    pegawai = auth_services.find_user_for_login(PEGAWAI_NIP)
    pimpinan = auth_services.find_user_for_login(PIMPINAN_NIP)
    objections = db.session.scalars(sa.select(Objection)).all()
    statuses = Counter(o.status for o in objections)
    assert 4 <= len(objections) <= 8 and statuses[ObjectionStatus.FILED] == 1
    assert statuses[ObjectionStatus.UPHELD] and statuses[ObjectionStatus.CHANGED]
    for o in objections:
        e = o.evaluation
        assert e.is_final and o.created_dt.date() <= e.objection_deadline and o.created_dt.date() < TODAY
        assert o.decider_id == e.appraiser.supervisor_id and o.employee_id == e.employee_id
        assert o.original_predicate is rules.predicate(o.original_hasil, o.original_perilaku)
        if o.status is ObjectionStatus.CHANGED:
            assert o.new_predicate is e.predicate is not o.original_predicate
        elif o.status is ObjectionStatus.UPHELD:
            assert o.new_predicate is e.predicate is o.original_predicate
        if o.status is not ObjectionStatus.FILED:
            assert o.decided_dt > o.created_dt and o.decision_reason
    # The open one waits for the pimpinan; one decided objection is from the demo supervisor's team.
    filed = next(o for o in objections if o.status is ObjectionStatus.FILED)
    assert filed.can_decide(pimpinan)
    assert any(o.evaluation.appraiser_id == supervisor.employee.id for o in objections)

    # Peer input on the supervisor's October drafts: given, declined, some waiting for the pegawai.
    inputs = db.session.scalars(sa.select(PeerInput)).all()
    assert Counter(i.status for i in inputs)[PeerInputStatus.GIVEN] >= 3
    waiting = [i for i in inputs if i.status is PeerInputStatus.REQUESTED]
    assert waiting and {i.peer_id for i in waiting} == {pegawai.employee.id}
    assert all(i.can_answer(pegawai) for i in waiting)
    for given in (i for i in inputs if i.status is PeerInputStatus.GIVEN):
        assert set(given.answers) == {v.value for v in CoreValue}
        assert all(Rating(a["rating"]) for a in given.answers.values())
    # The pegawai's own October evaluation is final and waits for her.
    own = db.session.scalar(sa.select(Evaluation).where(Evaluation.employee_id == pegawai.employee.id,
                                                        Evaluation.period_key == 10))
    assert own.is_final and own.can_acknowledge(pegawai) and own.can_object(pegawai, today=TODAY)

    # Services and IKM: two to four services per service unit, responses scored 1–4 across the year.
    services = Counter(db.session.scalars(sa.select(UnitService.org_unit_id)))
    assert len(services) >= 8 and set(services.values()) <= {2, 3, 4}
    names = dict(db.session.execute(sa.select(OrgUnit.id, OrgUnit.name)).all())
    assert any(names[u].startswith("UPT Puskesmas") for u in services)
    responses = db.session.execute(sa.select(IkmResponse)).scalars().all()
    assert 1500 <= len(responses) <= 5000
    scores = Counter(s for r in responses for s in r.scores)
    assert set(scores) <= {1, 2, 3, 4} and scores[3] + scores[4] > 0.8 * sum(scores.values()) and scores[1]
    assert {r.created_dt.month for r in responses} == set(range(1, 12))
    assert all(r.created_dt.date() < TODAY and r.source_hash is None for r in responses)
    assert any(r.comment for r in responses) and sum(1 for r in responses if r.comment) < 0.15 * len(responses)
    per_unit = Counter(r.org_unit_id for r in responses)
    assert min(per_unit[u] for u in services) > max(n for u, n in per_unit.items() if u not in services)
    index = rules.ikm_index([[getattr(r, f) for f in IKM_FIELDS] for r in responses])
    assert 70 < index < 90


def test_scale_evaluations_for_everyone_with_detail_where_pages_read_it(app):
    result = seeding.build_scale(300)
    period = _period(2026)
    plans = db.session.scalar(sa.select(sa.func.count()).select_from(PerformancePlan).where(
        PerformancePlan.period_id == period.id, PerformancePlan.status == PlanStatus.APPROVED))
    per_key = Counter(db.session.execute(sa.select(Evaluation.period_key, Evaluation.status)).all())
    for month in range(1, 11):
        assert per_key[(month, EvaluationStatus.FINAL)] == plans
    november = per_key[(11, EvaluationStatus.DRAFT)]
    assert 0.4 * plans < november < 0.8 * plans
    assert result.evaluations.evaluations == 10 * plans + november == count_rows(Evaluation)
    pegawai = auth_services.find_user_for_login(PEGAWAI_NIP)
    assert db.session.scalar(sa.select(Evaluation.status).where(
        Evaluation.employee_id == pegawai.employee.id, Evaluation.period_key == 11)) is EvaluationStatus.DRAFT
    # Behaviour rows for October and November only; every predikat the kuadran's; guides hold.
    keys = Counter(db.session.scalars(sa.select(Evaluation.period_key).join(BehaviourRating)))
    assert set(keys) == {10, 11} and keys[10] == 7 * plans
    for hasil, perilaku, predicate in db.session.execute(
            sa.select(Evaluation.hasil_rating, Evaluation.perilaku_rating, Evaluation.predicate)):
        assert predicate == (rules.predicate(hasil, perilaku) if hasil and perilaku else None)
    assessments = {(a.org_unit_id, a.period_id, a.period_key): a.predicate
                   for a in db.session.scalars(sa.select(OrgAssessment))}
    assert len(assessments) == 10 * db.session.scalar(sa.select(sa.func.count()).select_from(OrgUnit)
                                                      .where(OrgUnit.depth == 1))
    for key, counts in _distributions().items():
        if key in assessments:
            assert not rules.distribution_breaches(assessments[key], counts), key
    assert count_rows(DevelopmentNeed) == result.evaluations.needs > 0
    assert count_rows(IkmResponse) == result.evaluations.ikm_responses > 0
