"""SKP workflow services: states, audit entries, notifications, refusals."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.notifications.models import Notification
from portal.plans import plan_services as ps
from portal.plans.models import Aspect, Measure, PeriodStatus, PlanStatus, ResultKind
from tests.plans.sample import make_period, make_plan, sample_plan


def _actions(obj):
    return list(db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.object_type == type(obj).__name__, AuditEntry.object_id == obj.id).order_by(AuditEntry.id)))


def _kinds(user):
    return [n.kind for n in db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id))]


def _ready_plan(world, year=2027):
    period = make_period(year)
    plan = ps.create_plan(world.staff_a1, period)
    result = ps.add_result(plan, kind="utama", text="Dataset tersusun")
    ps.set_indicator(result, "kuantitas", text="Jumlah dataset", measure="angka", target_value="12",
                     target_unit="dataset")
    return plan


def test_create_plan_fills_header_and_behaviours(world):
    period = make_period(2027)
    plan = ps.create_plan(world.staff_a1, period)
    assert plan.status is PlanStatus.DRAFT and plan.version == 1
    assert plan.appraiser_id == world.chief_a1.id and plan.org_unit_id == world.bidang_a1.id
    assert (plan.start_date, plan.end_date) == (period.start_date, period.end_date)
    assert len(plan.expectations) == 7
    assert _actions(plan) == ["create_plan"]
    assert ps.plan_for(world.staff_a1, period) is plan


def test_create_plan_refusals(world, factory):
    period = make_period(2027)
    ps.create_plan(world.staff_a1, period)
    with pytest.raises(ps.PlanError, match="sudah memiliki SKP"):
        ps.create_plan(world.staff_a1, period)
    with pytest.raises(ps.PlanError, match="atasan langsung"):
        ps.create_plan(world.head_a, period)  # no supervisor: no penilai
    closed = make_period(2028, status=PeriodStatus.DRAFT)
    with pytest.raises(ps.PlanError, match="tidak sedang dibuka"):
        ps.create_plan(world.chief_a1, closed)


def test_create_plan_from_previous_year_and_from_supervisor(world):
    s = sample_plan(world)  # approved 2026 plans for chief_a1 and staff_a1
    period = make_period(2027)
    copy = ps.create_plan(world.staff_a1, period, start_from="previous_year")
    assert [r.text for r in copy.results] == [r.text for r in s.plan.results]
    assert copy.results[0].indicators[0].target_value == Decimal(12)
    assert all(r.intervened_result_id is None for r in copy.results)
    chief = ps.create_plan(world.chief_a1, period)
    ps.add_result(chief, kind="utama", text="Data sektoral 2027")
    # staff_a1's supervisor (chief_a1) has a working 2027 plan: derive from it
    db.session.delete(copy)
    db.session.flush()
    from_chief = ps.create_plan(world.staff_a1, period, start_from="supervisor")
    assert [(r.text, r.intervened_result_id, r.indicators) for r in from_chief.results] == [
        ("Data sektoral 2027", chief.results[0].id, [])]


def test_indicator_targets_are_validated(world):
    plan = ps.create_plan(world.staff_a1, make_period(2027))
    result = ps.add_result(plan, kind="utama", text="Laporan")
    for bad, message in [("0", "lebih besar dari nol"), ("-3", "lebih besar dari nol"),
                         ("dua belas", "harus berupa angka"), ("NaN", "harus berupa angka"),
                         ("1e9", "harus berupa angka"), ("", "wajib diisi")]:
        with pytest.raises(ps.PlanError, match=message) as exc:
            ps.set_indicator(result, "kuantitas", text="Jumlah", measure="angka", target_value=bad,
                             target_unit="laporan")
        assert exc.value.field == "target_value"
    ok = ps.set_indicator(result, "kuantitas", text="Jumlah", measure="angka", target_value="1.250,5",
                          target_unit="laporan")
    assert ok.target_value == Decimal("1250.5")
    desc = ps.set_indicator(result, "kualitas", text="Mutu", measure="deskriptif", target_text="Sesuai SOP")
    assert desc.measure is Measure.DESCRIPTIVE and desc.target_value is None
    again = ps.set_indicator(result, "kuantitas", text="Jumlah laporan", measure="angka", target_value="4",
                             target_unit="laporan")
    assert again.id == ok.id and len(result.indicators) == 2  # one IKI per aspek


def test_submit_return_approve_cycle(world):
    plan = ps.create_plan(world.staff_a1, make_period(2027))
    with pytest.raises(ps.PlanError, match="RHK utama"):
        ps.submit_plan(plan)
    result = ps.add_result(plan, kind="utama", text="Dataset tersusun")
    with pytest.raises(ps.PlanError, match="IKI"):
        ps.submit_plan(plan)
    ps.set_indicator(result, "kuantitas", text="Jumlah dataset", measure="angka", target_value="12",
                     target_unit="dataset")
    ps.submit_plan(plan)
    assert plan.status is PlanStatus.SUBMITTED and plan.submitted_dt is not None
    assert "plans.plan_submitted" in _kinds(world.users["supervisor"])
    with pytest.raises(ps.PlanError):
        ps.add_result(plan, kind="utama", text="Terlambat")  # locked while submitted
    with pytest.raises(ps.PlanError, match="wajib diisi"):
        ps.return_plan(plan, "  ")
    ps.return_plan(plan, "Target terlalu rendah")
    assert plan.status is PlanStatus.RETURNED and plan.return_reason == "Target terlalu rendah"
    note = db.session.scalar(sa.select(Notification).where(Notification.kind == "plans.plan_returned"))
    assert note.user_id == world.users["pegawai"].id and "Target terlalu rendah" in note.body
    ps.submit_plan(plan)
    ps.approve_plan(plan, actor=world.users["supervisor"])
    assert plan.status is PlanStatus.APPROVED and plan.approved_by_id == world.users["supervisor"].id
    assert plan.snapshot["pegawai"]["name"] == world.staff_a1.display_name
    assert plan.snapshot["penilai"]["nip"] == world.chief_a1.nip_display
    assert plan.snapshot["penilai"]["jabatan"] == "Kepala Bidang Alpha Satu"
    assert "plans.plan_approved" in _kinds(world.users["pegawai"])
    assert _actions(plan) == ["create_plan", "submit_plan", "return_plan", "submit_plan", "approve_plan"]


def test_snapshot_survives_a_later_rename(world):
    plan = _ready_plan(world)
    ps.submit_plan(plan)
    ps.approve_plan(plan, actor=world.users["supervisor"])
    world.chief_a1.name = "Nama Baru"
    db.session.flush()
    assert ps.plan_people(plan)[1]["name"] != world.chief_a1.display_name


def test_revision_supersedes_on_approval(world):
    plan = _ready_plan(world)
    ps.submit_plan(plan)
    ps.approve_plan(plan, actor=world.users["supervisor"])
    revision = ps.revise_plan(plan)
    assert (revision.version, revision.status, revision.previous_id) == (2, PlanStatus.DRAFT, plan.id)
    assert [i.target_value for r in revision.results for i in r.indicators] == [Decimal(12)]
    with pytest.raises(ps.PlanError, match="sudah sedang disusun"):
        ps.revise_plan(plan)
    assert ps.plan_for(world.staff_a1, plan.period) is revision
    ps.submit_plan(revision)
    ps.approve_plan(revision, actor=world.users["supervisor"])
    assert plan.status is PlanStatus.SUPERSEDED and revision.status is PlanStatus.APPROVED
    assert "supersede_plan" in _actions(plan) and "revise_plan" in _actions(revision)


def test_stale_edit_is_refused(world):
    plan = ps.create_plan(world.staff_a1, make_period(2027))
    db.session.flush()
    seen = plan.lock_version  # both tabs rendered their forms now
    ps.add_result(plan, kind="utama", text="Tab pertama", lock_version=seen)
    db.session.flush()
    assert plan.lock_version == seen + 1  # a child edit bumps the plan's version
    with pytest.raises(ps.StaleEdit, match="jendela atau tab lain"):
        ps.add_result(plan, kind="utama", text="Tab kedua", lock_version=seen)
    with pytest.raises(ps.StaleEdit):
        ps.set_attachments(plan, resources="x", accountability="", consequences="", lock_version=seen)
    assert [r.text for r in plan.results] == ["Tab pertama"]


def test_intervention_options_and_single_link(world):
    s = sample_plan(world)
    plan = make_plan(world.staff_a1, s.period, PlanStatus.DRAFT, version=2)
    groups = dict(ps.intervention_options(plan))
    keys = [k for options in groups.values() for k, _t, _o in options]
    assert f"r-{s.chief_plan.results[0].id}" in keys and f"g-{s.goal.id}" in keys
    assert f"t-{s.org_target.id}" not in keys  # only the head of the OPD intervenes its PK
    result = ps.add_result(plan, kind="tambahan", text="Dukung tim", intervention=f"g-{s.goal.id}")
    assert result.team_goal_id == s.goal.id and result.intervened_result_id is None
    ps.update_result(result, kind="tambahan", text="Dukung atasan",
                     intervention=f"r-{s.chief_plan.results[0].id}")
    assert result.team_goal_id is None and result.intervened_result_id == s.chief_plan.results[0].id
    with pytest.raises(ps.PlanError) as exc:
        ps.add_result(plan, kind="utama", text="Asal", intervention=f"t-{s.org_target.id}")
    assert exc.value.field == "intervention"
    head_plan = make_plan(world.head_a, s.period)
    head_keys = [k for _l, options in ps.intervention_options(head_plan) for k, _t, _o in options]
    assert head_keys == [f"t-{s.org_target.id}"]


def test_transfer_closes_plans(world, factory):
    from portal.people import services as people
    plan = _ready_plan(world, year=date.today().year)
    on = max(date.today(), plan.period.start_date + timedelta(days=40))
    people.transfer_employee(world.staff_a1, org_unit=world.dinas_b,
                             position=factory.position(world.dinas_b, "Analis Baru"), supervisor=world.head_a,
                             start_date=on, note="SK 1/2026")
    assert plan.status is PlanStatus.CLOSED and plan.end_date == on - timedelta(days=1)
    assert plan.closed_reason == "SK 1/2026" and "close_plan" in _actions(plan)
    new = ps.create_plan(world.staff_a1, plan.period)
    assert new.version == 2 and new.start_date == on and new.org_unit_id == world.dinas_b.id
    assert new.appraiser_id == world.head_a.id


def test_comment_notifies_the_other_party(world):
    s = sample_plan(world)
    ps.add_comment(s.plan, "Mohon arahan target", author=world.users["pegawai"])
    assert "plans.plan_comment" in _kinds(world.users["supervisor"])
    ps.add_comment(s.plan, "Naikkan targetnya", author=world.users["supervisor"])
    assert "plans.plan_comment" in _kinds(world.users["pegawai"])
    with pytest.raises(ps.PlanError):
        ps.add_comment(s.plan, "   ", author=world.users["pegawai"])


def test_current_period_prefers_today(world):
    assert ps.current_period() is None
    make_period(2001)
    this = make_period(date.today().year)
    assert ps.current_period() is this


def test_expectations_are_the_appraisers(world):
    plan = ps.create_plan(world.staff_a1, make_period(2027))
    ps.set_expectations(plan, {"akuntabel": "Laporan tepat waktu"})
    assert {e.value.value: e.expectation for e in plan.expectations}["akuntabel"] == "Laporan tepat waktu"
    assert plan.can_set_expectations(world.users["supervisor"])
    assert not plan.can_set_expectations(world.users["pegawai"])
    assert ResultKind.MAIN and Aspect.QUANTITY  # enums used by the forms


def test_approving_a_revision_carries_realisations_interventions_and_daily_entries_over(world):
    """Realisasi reported against v1 move to v2's copies of the IKI; subordinates' RHK that
    intervened the supervisor's v1 RHK, and daily entries on it, follow to v2."""
    from decimal import Decimal

    from portal.core.audit import AuditEntry
    from portal.plans import plan_services
    from portal.plans.models import ActivityEntry, PlanStatus, Realisation, ResultPlan
    from tests.plans.sample import make_plan, sample_plan

    s = sample_plan(world)
    # staff_a1's v1 has a realisasi; a subordinate of staff_a1 intervenes v1's first RHK
    grandchild_plan = make_plan(world.staff_b, s.period, PlanStatus.DRAFT, results=[("Turunan", [])])
    grandchild_plan.results[0].intervened_result = s.result
    v1_indicator_id, v1_result_id = s.indicator.id, s.result.id
    revision = plan_services.revise_plan(s.plan)
    revision.status = PlanStatus.SUBMITTED
    db.session.flush()
    plan_services.approve_plan(revision, actor=world.users["supervisor"])
    db.session.flush()

    realisation = db.session.get(Realisation, s.realisation.id)
    new_indicator = realisation.indicator
    assert new_indicator.id != v1_indicator_id and new_indicator.revised_from_id == v1_indicator_id
    assert realisation.plan_id == revision.id and realisation.value == Decimal(1)
    new_result_id = new_indicator.result_id
    assert db.session.get(ResultPlan, grandchild_plan.results[0].id).intervened_result_id == new_result_id
    assert db.session.get(ActivityEntry, s.activity.id).result_id == new_result_id
    assert db.session.get(ResultPlan, v1_result_id).plan.status is PlanStatus.SUPERSEDED
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "supersede_plan")).one()
    assert "realisasi 1" in entry.summary and "RHK bawahan 1" in entry.summary


def test_a_new_supervisor_becomes_the_penilai_of_open_plans(world, factory):
    """Changing only the supervisor keeps the SKP (same post) and moves its penilai; the approval
    snapshot keeps who approved it."""
    from portal.people import services as people
    s = sample_plan(world)
    s.plan.snapshot = {"penilai": {"name": "Kabid Alpha"}}
    new_boss = factory.employee(position=factory.position(world.bidang_a1, "Kabid Pengganti"),
                                supervisor=world.head_a, name="Kabid Pengganti")
    people.change_supervisor(world.staff_a1, new_boss, date.today())
    db.session.flush()
    assert s.plan.status is PlanStatus.APPROVED and s.plan.appraiser_id == new_boss.id
    assert s.plan.snapshot["penilai"]["name"] == "Kabid Alpha"
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.object_type == "PerformancePlan", AuditEntry.action == "update")).one()
    assert entry.changes == {"appraiser_id": [world.chief_a1.id, new_boss.id]}


def test_a_transfer_that_keeps_the_post_does_not_close_the_plan(world, factory):
    from portal.people import services as people
    s = sample_plan(world)
    new_boss = factory.employee(position=factory.position(world.bidang_a1, "Kabid Baru"),
                                supervisor=world.head_a, name="Kabid Baru")
    people.transfer_employee(world.staff_a1, org_unit=world.staff_a1.org_unit,
                             position=world.staff_a1.position, supervisor=new_boss,
                             start_date=date.today())
    db.session.flush()
    assert s.plan.status is PlanStatus.APPROVED and s.plan.appraiser_id == new_boss.id
