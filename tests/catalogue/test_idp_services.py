"""IDP services: editing, the approval workflow with its optimistic lock, progress from the ledger."""
from datetime import date

import pytest
import sqlalchemy as sa

from portal.catalogue import idp_services, recommend
from portal.catalogue.errors import CatalogueError
from portal.catalogue.models import (
    DevelopmentPlanItem,
    IdpBucket,
    IdpItemStatus,
    IdpStatus,
    LearningRecord,
    LearningSource,
    ProgrammeForm,
    RecommendationStatus,
)
from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.notifications.models import Notification
from tests.catalogue.sample import sample_catalogue
from tests.conftest import count_statements

YEAR = date.today().year


@pytest.fixture
def sample(world):
    return sample_catalogue(world)


def _actions(plan):
    return [(e.action, e.from_state, e.to_state) for e in db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.object_type == "DevelopmentPlan", AuditEntry.object_id == plan.id)
        .order_by(AuditEntry.id))]


def _notifications(user, kind):
    return list(db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id,
                                                                 Notification.kind == kind)))


def _submitted(sample):
    idp_services.submit_plan(sample.idp, lock_version=sample.idp.lock_version)
    return sample.idp


# ---------------------------------------------------------------- submitting
def test_submit_sends_the_plan_to_the_supervisor_and_notifies_them(world, sample):
    plan = _submitted(sample)
    assert plan.status is IdpStatus.SUBMITTED
    assert plan.approver_id == world.chief_a1.id
    assert plan.submitted_dt is not None
    assert ("idp.submitted", "draf", "diajukan") in _actions(plan)
    [note] = _notifications(world.users["supervisor"], "catalogue.idp_submitted")
    assert "Staf Alpha" in note.title and str(YEAR) in note.title
    assert note.url == f"/rencana-pengembangan/{plan.id}"


def test_submit_without_items_is_refused(sample):
    sample.idp.items.clear()
    db.session.flush()
    with pytest.raises(CatalogueError, match="paling sedikit satu kegiatan"):
        idp_services.submit_plan(sample.idp)
    assert sample.idp.status is IdpStatus.DRAFT


def test_submit_with_only_dropped_items_is_refused(sample):
    sample.item.status = IdpItemStatus.DROPPED
    with pytest.raises(CatalogueError, match="paling sedikit satu kegiatan"):
        idp_services.submit_plan(sample.idp)


def test_submit_without_a_supervisor_is_refused(world, sample):
    world.staff_a1.supervisor = None
    db.session.flush()
    with pytest.raises(CatalogueError, match="belum memiliki atasan langsung"):
        idp_services.submit_plan(sample.idp)
    assert sample.idp.status is IdpStatus.DRAFT
    assert sample.idp.approver_id is None


def test_submit_twice_is_refused(sample):
    _submitted(sample)
    with pytest.raises(CatalogueError, match="sudah diajukan"):
        idp_services.submit_plan(sample.idp)


def test_submit_with_a_stale_lock_is_refused(sample):
    stale = sample.idp.lock_version
    sample.idp.note = "diubah di tab lain"
    db.session.flush()
    assert sample.idp.lock_version == stale + 1
    with pytest.raises(idp_services.StalePlan):
        idp_services.submit_plan(sample.idp, lock_version=stale)
    assert sample.idp.status is IdpStatus.DRAFT


# ---------------------------------------------------------------- deciding
def test_approve_sets_status_date_and_notifies_the_employee(world, sample):
    plan = _submitted(sample)
    idp_services.approve_plan(plan, lock_version=plan.lock_version)
    assert plan.status is IdpStatus.APPROVED
    assert plan.approved_dt is not None
    assert ("idp.approved", "diajukan", "disetujui") in _actions(plan)
    [note] = _notifications(world.users["pegawai"], "catalogue.idp_decided")
    assert "Disetujui" in note.title
    assert note.url == f"/rencana-pengembangan/?year={YEAR}"


def test_return_needs_a_reason(sample):
    plan = _submitted(sample)
    with pytest.raises(CatalogueError, match="alasan pengembalian") as info:
        idp_services.return_plan(plan, "   ", lock_version=plan.lock_version)
    assert info.value.field == "reason"
    assert plan.status is IdpStatus.SUBMITTED


def test_return_records_the_reason_and_allows_a_new_submission(world, sample):
    plan = _submitted(sample)
    idp_services.return_plan(plan, "Tambahkan kegiatan magang.", lock_version=plan.lock_version)
    assert plan.status is IdpStatus.RETURNED
    assert plan.return_reason == "Tambahkan kegiatan magang."
    [note] = _notifications(world.users["pegawai"], "catalogue.idp_decided")
    assert note.body == "Tambahkan kegiatan magang."
    idp_services.submit_plan(plan)
    assert plan.status is IdpStatus.SUBMITTED
    assert plan.return_reason is None
    assert [a for a, *_ in _actions(plan)] == ["idp.submitted", "idp.returned", "idp.submitted"]


def test_deciding_a_plan_that_is_not_submitted_is_refused(sample):
    with pytest.raises(CatalogueError, match="tidak sedang menunggu persetujuan"):
        idp_services.approve_plan(sample.idp)
    with pytest.raises(CatalogueError, match="tidak sedang menunggu persetujuan"):
        idp_services.return_plan(sample.idp, "Alasan")


def test_a_stale_decision_is_refused(sample):
    plan = _submitted(sample)
    seen = plan.lock_version
    idp_services.approve_plan(plan, lock_version=seen)  # decided in another tab
    with pytest.raises(idp_services.StalePlan, match="sudah berubah"):
        idp_services.return_plan(plan, "Terlambat", lock_version=seen)
    with pytest.raises(idp_services.StalePlan):
        idp_services.approve_plan(plan, lock_version="junk")
    assert plan.status is IdpStatus.APPROVED


# ---------------------------------------------------------------- editing
def test_items_cannot_change_while_waiting_for_a_decision(sample):
    plan = _submitted(sample)
    with pytest.raises(CatalogueError, match="menunggu persetujuan"):
        idp_services.update_item(sample.item, target_date=None, jp=4)
    with pytest.raises(CatalogueError, match="menunggu persetujuan"):
        idp_services.remove_item(sample.item)
    assert sample.item in plan.items


def test_update_item_checks_the_year_and_records_changes(sample):
    with pytest.raises(CatalogueError) as info:
        idp_services.update_item(sample.item, target_date=date(YEAR + 1, 1, 5), jp=6)
    assert info.value.field == "target_date"
    changes = idp_services.update_item(sample.item, target_date=date(YEAR, 6, 1), jp=8, note="Kelas daring")
    assert changes["jp_planned"] == [6, 8]
    assert changes["target_date"] == [f"{YEAR}-12-15", f"{YEAR}-06-01"]
    assert sample.item.note == "Kelas daring"
    # a catalogue programme keeps its title
    idp_services.update_item(sample.item, target_date=None, jp=8, note="", title="Judul lain")
    assert sample.item.title == sample.analytics.title


def test_changing_an_approved_plan_moves_it_back_to_draft(sample):
    plan = _submitted(sample)
    idp_services.approve_plan(plan)
    idp_services.update_item(sample.item, target_date=None, jp=10)
    assert plan.status is IdpStatus.DRAFT
    assert plan.approved_dt is None
    assert ("idp.reopened", "disetujui", "draf") in _actions(plan)


def test_removing_an_item_reopens_its_recommendation(world, sample):
    item = recommend.accept_recommendation(sample.recommendation)
    assert sample.recommendation.status is RecommendationStatus.ACCEPTED
    idp_services.remove_item(item)
    assert sample.recommendation.status is RecommendationStatus.OPEN
    assert sample.recommendation.decided_dt is None
    assert db.session.get(DevelopmentPlanItem, item.id) is None
    assert "idp.item_removed" in [a for a, *_ in _actions(sample.idp)]


def test_activity_status_is_set_by_hand_but_catalogue_programmes_are_not(sample):
    activity = idp_services.add_item(sample.idp, form=ProgrammeForm.MENTORING, title="Mentoring dengan Kabid",
                                     jp=4)
    idp_services.set_item_status(activity, IdpItemStatus.DONE)
    assert activity.status is IdpItemStatus.DONE
    assert ("idp.item_status", "rencana", "selesai") in _actions(sample.idp)
    with pytest.raises(CatalogueError, match="catatan jam pelajaran"):
        idp_services.set_item_status(sample.item, IdpItemStatus.DONE)


# ---------------------------------------------------------------- progress
def test_progress_counts_ledger_completions_per_bucket_without_writing(sample):
    idp_services.add_item(sample.idp, form=ProgrammeForm.INTERNSHIP, title="Magang di Dinas Kominfo", jp=30)
    idp_services.add_item(sample.idp, form=ProgrammeForm.COACHING, title="Coaching", jp=10)
    dropped = idp_services.add_item(sample.idp, form=ProgrammeForm.MENTORING, title="Mentoring batal", jp=50)
    dropped.status = IdpItemStatus.DROPPED
    db.session.flush()
    with count_statements() as statements:
        progress = idp_services.plan_progress(sample.idp, today=date(YEAR, 1, 1))
    assert len(statements) == 2  # the ledger dates of the plan's programmes and the JP total
    assert not any(s.lstrip().upper().startswith(("INSERT", "UPDATE")) for s in statements)
    buckets = {b.bucket: b for b in progress.buckets}
    assert (buckets[IdpBucket.EXPERIENCE].jp, buckets[IdpBucket.SOCIAL].jp, buckets[IdpBucket.FORMAL].jp) == (30, 10, 6)
    assert buckets[IdpBucket.EXPERIENCE].share == 65 and buckets[IdpBucket.EXPERIENCE].target == 70
    assert buckets[IdpBucket.SOCIAL].count == 1  # the dropped one is not counted
    [analytics] = buckets[IdpBucket.FORMAL].items
    assert analytics.done and analytics.completed_date == sample.record.completed_date
    assert sample.item.status is IdpItemStatus.PLANNED  # computed, not written
    assert (progress.done_items, progress.total_items, progress.jp_recorded) == (1, 3, 6)


def test_sync_items_from_ledger_marks_recorded_programmes_done(world, sample):
    recommend.accept_recommendation(sample.recommendation)  # teamwork: not in the ledger
    assert idp_services.sync_items_from_ledger(world.staff_a1.id, YEAR) == 1
    assert sample.item.status is IdpItemStatus.DONE
    db.session.add(LearningRecord(key="test:teamwork", employee_id=world.staff_a1.id, year=YEAR,
                                  source=LearningSource.SESSION, jp=16, title=sample.teamwork.title,
                                  completed_date=date(YEAR, 3, 1), programme_id=sample.teamwork.id))
    db.session.flush()
    assert idp_services.sync_items_from_ledger(world.staff_a1.id, YEAR) == 1
    assert idp_services.sync_items_from_ledger(world.staff_a1.id, YEAR) == 0
    assert idp_services.sync_items_from_ledger(world.staff_a1.id, YEAR - 1) == 0
