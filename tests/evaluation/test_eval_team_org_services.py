"""Organisational capaian and team services: setting a unit's capaian (audit, head sync), the
distribution of staff predikat over a unit's subtree and its breaches, who sees it, the unit
list's scope and order, and the team rows of a penilai."""
from datetime import date

import pytest
import sqlalchemy as sa

from portal.core.audit import AuditEntry
from portal.evaluation import org_services, services, team_services
from portal.evaluation.models import (
    EvaluationStatus,
    OrgAssessment,
    OrgPredicate,
    Predicate,
    Rating,
)
from portal.extensions import db
from portal.people.models import PositionKind, UnitKind
from portal.plans.models import PeriodStatus, PlanStatus
from tests.conftest import count_statements
from tests.evaluation.sample import make_evaluation
from tests.plans.sample import make_period, make_plan, sample_plan

RATINGS = {
    Predicate.VERY_GOOD: (Rating.ABOVE, Rating.ABOVE),
    Predicate.GOOD: (Rating.MEETS, Rating.MEETS),
    Predicate.NEEDS_IMPROVEMENT: (Rating.BELOW, Rating.MEETS),
    Predicate.POOR: (Rating.MEETS, Rating.BELOW),
    Predicate.VERY_POOR: (Rating.BELOW, Rating.BELOW),
}


def staff_with(factory, world, unit, predicates, *, key=11, status=EvaluationStatus.DRAFT, supervisor=None):
    """One approved 2026 plan per entry of ``predicates`` (None: no evaluation) in ``unit``."""
    period = make_period(2026)
    position = factory.position(unit)
    plans = []
    for predicate in predicates:
        employee = factory.employee(position=position, supervisor=supervisor or world.chief_a1)
        plan = make_plan(employee, period, PlanStatus.APPROVED)
        if predicate is not None:
            hasil, perilaku = RATINGS[predicate]
            make_evaluation(plan, key, status=status, hasil=hasil, perilaku=perilaku, predicate=predicate)
        plans.append(plan)
    return plans


@pytest.fixture
def period(world):
    return make_period(2026)


def _audits(action):
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)
                              .order_by(AuditEntry.id)).all()


# ---------------------------------------------------------------- set_org_assessment
def test_set_creates_then_updates_with_audit(world, period):
    actor = world.users["pimpinan"]
    assessment = org_services.set_org_assessment(world.dinas_b, period, 9, "baik", " Target  PAD tercapai ",
                                                 actor=actor)
    assert assessment.id is not None and assessment.predicate is OrgPredicate.GOOD
    assert assessment.subperiod.number == 9 and assessment.note == "Target PAD tercapai"
    assert assessment.set_by is actor
    entry = _audits("set_org_assessment")[-1]
    assert (entry.from_state, entry.to_state) == (None, "baik")
    assert entry.summary == "Dinas Beta — September 2026"
    assert entry.actor_id == actor.id

    again = org_services.set_org_assessment(world.dinas_b, period, 9, OrgPredicate.NEEDS_IMPROVEMENT, "",
                                            actor=actor)
    assert again is assessment and assessment.predicate is OrgPredicate.NEEDS_IMPROVEMENT
    entry = _audits("set_org_assessment")[-1]
    assert (entry.from_state, entry.to_state) == ("baik", "butuh_perbaikan")
    assert entry.changes == {"note": ["Target PAD tercapai", ""]}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OrgAssessment).where(
        OrgAssessment.org_unit_id == world.dinas_b.id)) == 1

    before = len(_audits("set_org_assessment"))
    org_services.set_org_assessment(world.dinas_b, period, 9, "butuh_perbaikan", "", actor=actor)
    assert len(_audits("set_org_assessment")) == before  # nothing changed, nothing recorded


def test_year_key_has_no_subperiod(world, period):
    assessment = org_services.set_org_assessment(world.dinas_b, period, 0, "istimewa", "")
    assert assessment.subperiod_id is None and assessment.period_key == 0
    assert _audits("set_org_assessment")[-1].summary == "Dinas Beta — Tahunan 2026"


@pytest.mark.parametrize("key, predicate, note, field", [
    (13, "baik", "", "period_key"),
    ("x", "baik", "", "period_key"),
    (9, "sangat_baik", "", "predicate"),  # a staff predikat, not an organisational one
    (9, "", "", "predicate"),
    (9, "baik", "x" * 501, "note"),
])
def test_bad_input_is_refused(world, period, key, predicate, note, field):
    with pytest.raises(services.EvaluationError) as error:
        org_services.set_org_assessment(world.dinas_b, period, key, predicate, note)
    assert error.value.field == field
    assert not _audits("set_org_assessment")


def test_closed_period_is_refused(world, period):
    period.status = PeriodStatus.CLOSED
    with pytest.raises(services.EvaluationError, match="sudah ditutup"):
        org_services.set_org_assessment(world.dinas_b, period, 9, "baik", "")


def test_head_draft_evaluations_follow_the_capaian(world, period):
    """The kepala dinas's draft hasil kerja becomes the unit's capaian, their final one stays."""
    head_plan = make_plan(world.head_a, period, PlanStatus.APPROVED)
    head_plan.appraiser = world.staff_b  # any appraiser other than the head
    db.session.flush()
    draft = services.start_evaluation(head_plan, 9)
    services.save_evaluation(draft, hasil_rating=Rating.ABOVE, perilaku_rating=Rating.MEETS)
    assert draft.predicate is Predicate.GOOD and not draft.hasil_from_org
    final = make_evaluation(head_plan, 8, status=EvaluationStatus.FINAL, hasil=Rating.ABOVE,
                            perilaku=Rating.MEETS, predicate=Predicate.GOOD)

    org_services.set_org_assessment(world.dinas_a, period, 9, "butuh_perbaikan", "")
    org_services.set_org_assessment(world.dinas_a, period, 8, "kurang", "")
    assert draft.hasil_from_org and draft.hasil_rating is Rating.BELOW
    assert draft.predicate is Predicate.NEEDS_IMPROVEMENT
    assert final.hasil_rating is Rating.ABOVE and final.predicate is Predicate.GOOD


# ---------------------------------------------------------------- distribution
def test_distribution_counts_the_whole_subtree_draft_and_final(factory, world, period):
    staff_with(factory, world, world.bidang_a1, [Predicate.GOOD, Predicate.GOOD, None])
    staff_with(factory, world, world.dinas_a, [Predicate.NEEDS_IMPROVEMENT], status=EvaluationStatus.FINAL)
    staff_with(factory, world, world.dinas_b, [Predicate.VERY_GOOD], supervisor=world.staff_b)  # elsewhere
    staff_with(factory, world, world.bidang_a1, [Predicate.VERY_POOR], key=10)  # another month
    draft_plan = make_plan(factory.employee(unit=world.bidang_a1), period, PlanStatus.DRAFT)  # not approved
    make_evaluation(draft_plan, 11, hasil=Rating.ABOVE, perilaku=Rating.ABOVE, predicate=Predicate.VERY_GOOD)

    with count_statements() as statements:
        dist = org_services.distribution(world.dinas_a, period, 11)
    assert len(statements) == 2  # the assessment and one grouped count
    assert dist.counts == {Predicate.VERY_GOOD: 0, Predicate.GOOD: 2, Predicate.NEEDS_IMPROVEMENT: 1,
                           Predicate.POOR: 0, Predicate.VERY_POOR: 0}
    # the unrated: one plan without evaluation and the month-10-only plan
    assert (dist.rated, dist.unrated, dist.drafts) == (3, 2, 2)
    assert dist.is_draft and dist.assessment is None and dist.breaches == [] and not dist.fits
    assert org_services.distribution(world.bidang_a1, period, 11).rated == 2
    assert org_services.distribution(world.dinas_b, period, 11).counts[Predicate.VERY_GOOD] == 1


def test_plans_not_covering_the_month_are_left_out(factory, world, period):
    (plan,) = staff_with(factory, world, world.bidang_a1, [None])
    plan.end_date = date(2026, 5, 31)
    plan.status = PlanStatus.CLOSED
    db.session.flush()
    assert org_services.distribution(world.bidang_a1, period, 11).staff == 0
    assert org_services.distribution(world.bidang_a1, period, 5).staff == 1
    assert org_services.distribution(world.bidang_a1, period, 0).staff == 1


def test_breaches_of_the_guide(factory, world, period):
    staff_with(factory, world, world.bidang_a1, [Predicate.GOOD] * 4 + [Predicate.VERY_GOOD])
    org_services.set_org_assessment(world.dinas_a, period, 11, "butuh_perbaikan", "")
    dist = org_services.distribution(world.dinas_a, period, 11)
    assert [str(b) for b in dist.breaches] == [
        "Butuh Perbaikan 0 % (paling sedikit 60 %)", "Sangat Baik 20 % (paling banyak 10 %)"]
    assert dist.share(Predicate.GOOD) == 80
    org_services.set_org_assessment(world.dinas_a, period, 11, "istimewa", "")
    dist = org_services.distribution(world.dinas_a, period, 11)
    assert dist.breaches == [] and dist.fits


def test_distributions_for_a_page_of_units_is_two_queries(factory, world, period):
    staff_with(factory, world, world.bidang_a1, [Predicate.GOOD, Predicate.POOR])
    staff_with(factory, world, world.dinas_b, [Predicate.VERY_GOOD], supervisor=world.staff_b)
    org_services.set_org_assessment(world.dinas_b, period, 11, "sangat_kurang", "")
    units = [world.root, world.dinas_a, world.bidang_a1, world.dinas_b]
    with count_statements() as statements:
        result = org_services.distributions(units, period, 11)
    assert len(statements) == 2
    assert [result[u.id].rated for u in units] == [3, 2, 2, 1]
    assert result[world.dinas_b.id].assessment.predicate is OrgPredicate.VERY_POOR
    assert "Sangat Baik 100 % (tidak boleh ada)" in [str(b) for b in result[world.dinas_b.id].breaches]


def test_unknown_key_is_a_lookup_error(world, period):
    with pytest.raises(LookupError):
        org_services.distribution(world.dinas_a, period, 13)


def test_guide_in_words():
    assert org_services.guide_lines(OrgPredicate.GOOD) == [
        "Paling banyak 70 % pegawai berpredikat Baik.",
        "Harus ada pegawai berpredikat Butuh Perbaikan atau Kurang/Misconduct."]
    assert org_services.guide_lines(OrgPredicate.VERY_POOR)[-1] == "Tidak boleh ada pegawai berpredikat Sangat Baik."


def test_who_sees_a_distribution(factory, world):
    users = world.users
    assert org_services.can_view_distribution(users["pimpinan"], world.dinas_b)
    assert org_services.can_view_distribution(users["bkpsdm"], world.dinas_a)
    assert org_services.can_view_distribution(users["admin_opd"], world.bidang_a1)
    assert not org_services.can_view_distribution(users["admin_opd"], world.dinas_b)
    # the supervisor is head of Bidang Alpha Satu: that unit, not its parent
    assert org_services.can_view_distribution(users["supervisor"], world.bidang_a1)
    assert not org_services.can_view_distribution(users["supervisor"], world.dinas_a)
    assert not org_services.can_view_distribution(users["pegawai"], world.bidang_a1)
    head = factory.user(world.head_a)  # kepala Dinas Alpha: the dinas and everything below it
    assert org_services.can_view_distribution(head, world.bidang_a1)
    assert not org_services.can_view_distribution(head, world.dinas_b)


def test_period_picking(world, period):
    periods = org_services.all_periods()
    assert org_services.pick_period(periods, 2026, 0) == (period, 0)
    assert org_services.pick_period(periods, 2026, 13, today=date(2026, 11, 23)) == (period, 11)
    assert org_services.pick_period(periods, 1999, None, today=date(2026, 3, 2)) == (period, 3)
    assert org_services.default_key(period, today=date(2025, 6, 1)) == 1
    assert org_services.period_keys(period)[-1] == (0, "Tahunan 2026")


# ---------------------------------------------------------------- unit list
def test_unit_list_scope_and_order(factory, world):
    upt = factory.unit("UPT Alpha", UnitKind.UPT, world.bidang_a1)
    assert upt is not None
    everyone = db.session.scalars(org_services.unit_query(world.users["pimpinan"])).all()
    assert [u.name for u in everyone] == ["Dinas Alpha", "Bidang Alpha Satu", "UPT Alpha", "Dinas Beta"]
    admin = db.session.scalars(org_services.unit_query(world.users["admin_opd"])).all()
    assert [u.name for u in admin] == ["Dinas Alpha", "Bidang Alpha Satu", "UPT Alpha"]
    assert db.session.scalars(org_services.unit_query(world.users["pegawai"])).all() == []
    found = db.session.scalars(org_services.unit_query(world.users["bkpsdm"], q="  alpha   SATU")).all()
    assert [u.name for u in found] == ["Bidang Alpha Satu"]
    assert db.session.scalars(org_services.unit_query(world.users["bkpsdm"], q="100%")).all() == []


# ---------------------------------------------------------------- team rows
def test_team_page_rows_and_tally(factory, world, period):
    sample = sample_plan(world)
    others = staff_with(factory, world, world.bidang_a1, [Predicate.GOOD, None])
    staff_with(factory, world, world.dinas_b, [Predicate.GOOD], supervisor=world.staff_b)  # someone else's
    head_of_upt = factory.employee(position=factory.position(factory.unit("UPT Alpha", UnitKind.UPT, world.bidang_a1),
                                                             "Kepala UPT", PositionKind.PENGAWAS, is_head=True),
                                   supervisor=world.chief_a1, name="Kepala UPT")
    head_plan = make_plan(head_of_upt, period, PlanStatus.APPROVED)
    org_services.set_org_assessment(head_of_upt.org_unit, period, 11, "istimewa", "")

    page, tally = team_services.team_page(world.chief_a1, period, 11)
    plans = [row.plan for row in page.items]
    assert set(plans) == {sample.plan, head_plan, *others}
    assert page.total == 4
    assert tally.counts[Predicate.GOOD] == 1 and tally.unrated == 3
    head_row = next(r for r in page.items if r.plan is head_plan)
    assert head_row.hasil_fixed and head_row.hasil_rating is Rating.ABOVE and head_row.evaluation is None
    user = world.users["supervisor"]
    assert all(r.can_rate(user) for r in page.items)
    assert not any(r.can_rate(world.users["pegawai"]) for r in page.items)

    empty, tally = team_services.team_page(world.staff_a1, period, 11)
    assert empty.total == 0 and tally.staff == 0
