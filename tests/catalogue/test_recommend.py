"""The recommendation engine: each source, the set recomputation, the employee's decisions."""
from datetime import date

import pytest
import sqlalchemy as sa

from portal.catalogue import recommend
from portal.catalogue.errors import CatalogueError
from portal.catalogue.models import (
    DevelopmentPlanItem,
    LearningRecord,
    LearningSource,
    Potential,
    Priority,
    Recommendation,
    RecommendationSource,
    RecommendationStatus,
    ResultCompetency,
    TalentAssessment,
)
from portal.evaluation.models import DevelopmentNeed, NeedKind, NeedStatus, Predicate
from portal.extensions import db
from portal.people import services as people_services
from portal.people.models import PositionKind
from portal.plans.models import CoreValue
from tests.catalogue.sample import sample_catalogue
from tests.conftest import count_statements
from tests.evaluation.sample import sample_evaluation

YEAR = date.today().year


def _recs(employee, **where):
    query = sa.select(Recommendation).where(Recommendation.employee_id == employee.id)
    for name, value in where.items():
        query = query.where(getattr(Recommendation, name) == value)
    return list(db.session.scalars(query))


def _need(world, kind=NeedKind.CORE_VALUE, core_value=CoreValue.COLLABORATIVE, result=None,
          reason="Rating perilaku Kolaboratif Di Bawah Ekspektasi pada Oktober 2026"):
    evaluation = sample_evaluation(world).final
    need = DevelopmentNeed(key=f"{evaluation.id}/{kind.value}/{core_value.value if core_value else result.id}",
                           evaluation_id=evaluation.id, employee_id=evaluation.employee_id,
                           period_id=evaluation.period_id, period_key=evaluation.period_key, kind=kind,
                           core_value=core_value, result=result, reason=reason)
    db.session.add(need)
    db.session.flush()
    return need


def test_a_behaviour_need_recommends_the_programmes_of_its_value(world):
    s = sample_catalogue(world)
    need = _need(world)
    recommend.recompute_recommendations()
    rec = _recs(world.staff_a1, programme_id=s.teamwork.id)[0]
    assert rec.reason == "Rating perilaku Kolaboratif Di Bawah Ekspektasi pada Oktober 2026"
    assert rec.source is RecommendationSource.CORE_VALUE and rec.priority is Priority.HIGH
    assert rec.need_id == need.id and rec.competency_id == s.kerja_sama.id
    assert not rec.is_mandatory


def test_an_rhk_that_fell_short_recommends_programmes_for_its_tags(world):
    s = sample_catalogue(world)
    result = sample_evaluation(world).plan.results[0]
    db.session.add(ResultCompetency(result_id=result.id, competency_id=s.data.id))
    _need(world, kind=NeedKind.RESULT_PLAN, core_value=None, result=result, reason="RHK belum tercapai pada Oktober")
    recommend.recompute_recommendations([world.staff_a1.id])
    rec = _recs(world.staff_a1, programme_id=s.analytics.id)[0]
    assert rec.source is RecommendationSource.RESULT and rec.priority is Priority.HIGH
    # The same programme answers the JP shortfall too: one recommendation, both reasons.
    assert "RHK belum tercapai" in rec.reason and "JP" in rec.reason


def test_a_post_without_its_leadership_programme_gets_it_as_mandatory(world):
    s = sample_catalogue(world)
    recommend.recompute_recommendations()
    rec = _recs(world.chief_a1, programme_id=s.pka.id)[0]
    assert rec.is_mandatory and rec.source is RecommendationSource.LEADERSHIP
    assert "mewajibkan" in rec.reason and "PKA" in rec.reason
    # Nobody else is sent to PKA (eligibility: administrators only).
    assert not _recs(world.staff_a1, programme_id=s.pka.id)
    # Once completed, the recommendation goes.
    db.session.add(LearningRecord(key="t:pka", employee_id=world.chief_a1.id, year=YEAR - 3, source=LearningSource.SESSION,
                                  jp=400, title="PKA", completed_date=date(YEAR - 3, 5, 1), programme_id=s.pka.id))
    db.session.flush()
    stats = recommend.recompute_recommendations()
    assert stats.removed >= 1 and not _recs(world.chief_a1, programme_id=s.pka.id)


def test_a_newly_appointed_pengawas_sees_pkp_through_the_position_signal(world, factory):
    s = sample_catalogue(world)
    seksi = factory.unit("Seksi Data", parent=world.bidang_a1)
    post = factory.position(seksi, "Kepala Seksi Data", PositionKind.PENGAWAS, is_head=True)
    people_services.transfer_employee(world.staff_a1, org_unit=seksi, position=post, supervisor=world.chief_a1,
                                      start_date=date.today())
    rec = _recs(world.staff_a1, programme_id=s.pkp.id)[0]
    assert rec.is_mandatory and "Kepala Seksi Data" in rec.reason


def test_fewer_jp_than_the_target_recommends_short_programmes(world):
    s = sample_catalogue(world)
    recommend.recompute_recommendations()
    rec = _recs(world.staff_a1, source=RecommendationSource.LEARNING_HOURS)
    assert [r.programme_id for r in rec] == [s.analytics.id]  # the only active programme of ≤ 8 JP
    assert rec[0].priority is Priority.LOW
    assert rec[0].reason == f"Baru 6 dari 20 JP pada tahun {YEAR}; kurang 14 JP"
    # Enough hours: no more shortfall recommendations.
    db.session.add(LearningRecord(key="t:more", employee_id=world.staff_a1.id, year=YEAR, source=LearningSource.SESSION,
                                  jp=14, title="Lain", completed_date=date(YEAR, 3, 1)))
    db.session.flush()
    recommend.recompute_recommendations()
    assert not _recs(world.staff_a1, source=RecommendationSource.LEARNING_HOURS)


def test_a_high_performer_with_high_potential_is_pointed_to_the_next_leadership_level(world):
    s = sample_catalogue(world)
    final = sample_evaluation(world).final
    final.predicate = Predicate.VERY_GOOD
    s.assessment.potential = Potential.HIGH
    db.session.flush()
    recommend.recompute_recommendations([world.staff_a1.id])
    rec = _recs(world.staff_a1, programme_id=s.pkp.id)[0]
    assert rec.source is RecommendationSource.TALENT and not rec.is_mandatory
    assert "kotak 9" in rec.reason


def test_decisions_survive_recomputation_and_stale_open_ones_go(world):
    s = sample_catalogue(world)
    need = _need(world)
    recommend.recompute_recommendations()
    teamwork = _recs(world.staff_a1, programme_id=s.teamwork.id)[0]
    recommend.dismiss_recommendation(teamwork, "Sudah mengikuti pelatihan serupa tahun lalu.")
    need.status = NeedStatus.RESOLVED
    db.session.flush()
    recommend.recompute_recommendations()
    teamwork = _recs(world.staff_a1, programme_id=s.teamwork.id)[0]
    assert teamwork.status is RecommendationStatus.DISMISSED  # kept although the need is gone
    # Resolved need, open recommendation from it: removed.
    need2 = _need(world, core_value=CoreValue.SERVICE, reason="Rating perilaku Berorientasi Pelayanan Di Bawah")
    s.teamwork.competency_links[0].competency_id = s.pelayanan.id
    db.session.flush()
    recommend.recompute_recommendations()
    assert _recs(world.staff_a1, programme_id=s.teamwork.id)[0].status is RecommendationStatus.DISMISSED
    need2.status = NeedStatus.RESOLVED
    db.session.flush()
    stats = recommend.recompute_recommendations()
    assert stats.inserted == 0


def test_accepting_puts_the_programme_into_the_idp(world):
    s = sample_catalogue(world)
    _need(world)
    recommend.recompute_recommendations()
    rec = _recs(world.staff_a1, programme_id=s.teamwork.id)[0]
    item = recommend.accept_recommendation(rec, target_date=date(YEAR, 12, 1))
    assert rec.status is RecommendationStatus.ACCEPTED and rec.decided_dt is not None
    assert item.plan_id == s.idp.id and item.programme_id == s.teamwork.id and item.jp_planned == 16
    assert item.recommendation_id == rec.id
    with pytest.raises(CatalogueError):
        recommend.accept_recommendation(rec)
    recommend.recompute_recommendations()
    assert db.session.get(Recommendation, rec.id).status is RecommendationStatus.ACCEPTED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DevelopmentPlanItem)) == 2


def test_dismissing_needs_a_reason_and_mandatory_ones_stay(world):
    s = sample_catalogue(world)
    recommend.recompute_recommendations()
    shortfall = _recs(world.staff_a1, source=RecommendationSource.LEARNING_HOURS)[0]
    with pytest.raises(CatalogueError) as exc:
        recommend.dismiss_recommendation(shortfall, "  ")
    assert exc.value.field == "reason"
    mandatory = _recs(world.chief_a1, programme_id=s.pka.id)[0]
    with pytest.raises(CatalogueError):
        recommend.dismiss_recommendation(mandatory, "Tidak berminat")
    assert mandatory.status is RecommendationStatus.OPEN


def test_the_preview_counts_employees_whose_recommendations_would_change(world):
    s = sample_catalogue(world)
    _need(world)
    recommend.recompute_recommendations()
    rows = db.session.scalar(sa.select(sa.func.count()).select_from(Recommendation))
    config = recommend.Config.current()
    assert recommend.affected_employees(config) == 0
    # Kolaboratif no longer develops kerja sama: staff_a1 loses the teamwork recommendation.
    changed = dict(config.core_value_map)
    changed[CoreValue.COLLABORATIVE] = frozenset({s.data.id})
    assert recommend.affected_employees(config.with_changes(core_value_map=changed)) == 1
    # A JP target of 6 frees staff_a1 (6 JP) of the shortfall, everyone else (0 JP) keeps it.
    assert recommend.affected_employees(config.with_changes(jp_target=6)) == 1
    # Nothing was written.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Recommendation)) == rows
    assert _recs(world.staff_a1, programme_id=s.teamwork.id)[0].source is RecommendationSource.CORE_VALUE


def test_statements_do_not_grow_with_the_number_of_employees(world, factory):
    sample_catalogue(world)
    _need(world)
    recommend.recompute_recommendations()
    with count_statements() as before:
        recommend.recompute_recommendations()
    for i in range(25):
        factory.employee(unit=world.dinas_b, name=f"Tambahan {i}")
    recommend.recompute_recommendations()
    with count_statements() as after:
        recommend.recompute_recommendations()
    assert len(after) == len(before)


def test_potential_recorded_for_someone_without_final_evaluation_gives_no_box(world):
    sample_catalogue(world)
    db.session.add(TalentAssessment(employee_id=world.staff_b.id, year=YEAR, potential=Potential.HIGH))
    db.session.flush()
    recommend.recompute_recommendations()
    assert not _recs(world.staff_b, source=RecommendationSource.TALENT)
