"""The evaluation workflow services: start, rate, finalise, development needs, objections."""
from datetime import date, timedelta

import pytest

from portal.evaluation import services
from portal.evaluation.models import (
    EvaluationStatus,
    NeedKind,
    ObjectionStatus,
    OrgAssessment,
    OrgPredicate,
    Predicate,
    Rating,
)
from portal.extensions import db
from portal.plans.models import CoreValue, PlanStatus
from tests.plans.sample import sample_plan


@pytest.fixture
def plan(world):
    return sample_plan(world).plan


def test_start_creates_one_draft_with_seven_values(plan, world):
    evaluation = services.start_evaluation(plan, 11)
    assert evaluation.status is EvaluationStatus.DRAFT
    assert evaluation.appraiser_id == world.chief_a1.id
    assert [b.value for b in evaluation.behaviours] == list(CoreValue)
    assert services.start_evaluation(plan, 11) is evaluation
    assert evaluation.period_label.startswith("November")


def test_unknown_period_and_unapproved_plan_are_refused(plan):
    with pytest.raises(LookupError):
        services.start_evaluation(plan, 13)
    plan.status = PlanStatus.DRAFT
    with pytest.raises(services.EvaluationError):
        services.start_evaluation(plan, 11)


def test_finalise_needs_both_ratings_then_locks_with_kuadran_predicate(plan, world):
    evaluation = services.start_evaluation(plan, 11)
    services.save_evaluation(evaluation, hasil_rating=Rating.BELOW)
    with pytest.raises(services.EvaluationError) as error:
        services.finalise_evaluation(evaluation)
    assert error.value.field == "perilaku_rating"
    services.save_evaluation(evaluation, hasil_rating=Rating.BELOW, perilaku_rating=Rating.MEETS,
                             behaviours={CoreValue.COLLABORATIVE: (Rating.BELOW, "Jarang berbagi data")})
    assert evaluation.predicate is Predicate.NEEDS_IMPROVEMENT
    services.finalise_evaluation(evaluation, today=date(2026, 12, 1))
    assert evaluation.status is EvaluationStatus.FINAL
    assert evaluation.objection_deadline == date(2026, 12, 15)
    assert evaluation.snapshot["pegawai"]["name"] == world.staff_a1.display_name
    kinds = {(n.kind, n.core_value) for n in evaluation.needs}
    assert (NeedKind.RESULT, None) in kinds
    assert (NeedKind.CORE_VALUE, CoreValue.COLLABORATIVE) in kinds
    assert any(n.kind is NeedKind.RESULT_PLAN for n in evaluation.needs)  # 1 of 12 datasets by November
    assert "Kolaboratif Di Bawah Ekspektasi pada November 2026" in next(
        n.reason for n in evaluation.needs if n.kind is NeedKind.CORE_VALUE)
    with pytest.raises(services.EvaluationError):
        services.save_evaluation(evaluation, hasil_rating=Rating.ABOVE, perilaku_rating=Rating.ABOVE)


def test_stale_form_is_refused(plan):
    evaluation = services.start_evaluation(plan, 11)
    version = evaluation.lock_version
    services.save_evaluation(evaluation, hasil_rating=Rating.MEETS, lock_version=version)
    with pytest.raises(services.StaleEvaluation):
        services.save_evaluation(evaluation, hasil_rating=Rating.ABOVE, lock_version=version)


def test_head_of_unit_takes_the_org_capaian(world):
    s = sample_plan(world)
    assessment = OrgAssessment(org_unit=world.bidang_a1, period=s.period, subperiod=s.november, period_key=11,
                               predicate=OrgPredicate.OUTSTANDING)
    db.session.add(assessment)
    db.session.flush()
    evaluation = services.start_evaluation(s.chief_plan, 11)
    assert evaluation.hasil_from_org and evaluation.hasil_rating is Rating.ABOVE
    services.save_evaluation(evaluation, hasil_rating=Rating.BELOW, perilaku_rating=Rating.ABOVE)
    assert evaluation.hasil_rating is Rating.ABOVE and evaluation.predicate is Predicate.VERY_GOOD
    assessment.predicate = OrgPredicate.POOR
    assert services.sync_head_evaluations(assessment) == 1
    assert evaluation.hasil_rating is Rating.BELOW


def _final(plan, hasil=Rating.MEETS, perilaku=Rating.MEETS):
    evaluation = services.start_evaluation(plan, 11)
    services.save_evaluation(evaluation, hasil_rating=hasil, perilaku_rating=perilaku)
    services.finalise_evaluation(evaluation, today=date(2026, 12, 1))
    return evaluation


def test_objection_once_before_deadline_decided_by_the_appraisers_supervisor(plan, world):
    evaluation = _final(plan)
    with pytest.raises(services.EvaluationError):
        services.file_objection(evaluation, "Terlambat", today=date(2026, 12, 16))
    with pytest.raises(services.EvaluationError):
        services.file_objection(evaluation, "  ", today=date(2026, 12, 2))
    objection = services.file_objection(evaluation, "Bukti dukung belum dibaca", today=date(2026, 12, 2))
    assert objection.decider_id == world.head_a.id
    with pytest.raises(services.EvaluationError):
        services.file_objection(evaluation, "Lagi", today=date(2026, 12, 3))
    with pytest.raises(services.EvaluationError):
        services.decide_objection(objection, uphold=False, reason="Sama", hasil_rating=Rating.MEETS,
                                  perilaku_rating=Rating.MEETS)
    services.decide_objection(objection, uphold=False, reason="Bukti dukung cukup", hasil_rating=Rating.ABOVE,
                              perilaku_rating=Rating.ABOVE)
    assert objection.status is ObjectionStatus.CHANGED
    assert evaluation.predicate is Predicate.VERY_GOOD and objection.original_predicate is Predicate.GOOD
    with pytest.raises(services.EvaluationError):
        services.decide_objection(objection, uphold=True, reason="Lagi")


def test_upheld_objection_keeps_the_predicate_and_needs(plan):
    evaluation = _final(plan, Rating.BELOW, Rating.BELOW)
    needs = {n.key for n in evaluation.needs}
    objection = services.file_objection(evaluation, "Tidak adil", today=date(2026, 12, 2))
    services.decide_objection(objection, uphold=True, reason="Sesuai bukti")
    assert objection.status is ObjectionStatus.UPHELD and objection.new_predicate is Predicate.VERY_POOR
    assert {n.key for n in evaluation.needs} == needs


def test_deadline_follows_the_setting(plan, app, monkeypatch):
    monkeypatch.setitem(app.config, "OBJECTION_DAYS", 3)
    evaluation = _final(plan)
    assert evaluation.objection_deadline == date(2026, 12, 1) + timedelta(days=3)
