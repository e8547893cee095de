"""Individual development plans: one per employee per year, approved by the supervisor."""
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from portal.catalogue import rules
from portal.catalogue.errors import CatalogueError
from portal.catalogue.models import (
    DevelopmentPlan,
    DevelopmentPlanItem,
    IdpBucket,
    IdpItemStatus,
    IdpStatus,
    LearningRecord,
    Programme,
    ProgrammeForm,
    Recommendation,
    RecommendationStatus,
)
from portal.core import audit
from portal.core.models import utcnow
from portal.extensions import db
from portal.notifications import services as notifications

MAX_TITLE = 200


def plan_for(employee, year: int, *, create: bool = False) -> DevelopmentPlan | None:
    """The employee's IDP for ``year``; a new draft (flushed) when there is none and ``create``."""
    plan = db.session.scalar(sa.select(DevelopmentPlan).where(
        DevelopmentPlan.employee_id == employee.id, DevelopmentPlan.year == year))
    if plan is None and create:
        plan = DevelopmentPlan(employee_id=employee.id, employee=employee, year=year, status=IdpStatus.DRAFT)
        db.session.add(plan)
        db.session.flush()
        audit.record("idp.created", plan, to_state=IdpStatus.DRAFT.value,
                     summary=f"{employee.name} {year}")
    return plan


def add_item(plan: DevelopmentPlan, *, programme: Programme | None = None, form: ProgrammeForm | None = None,
             title: str = "", target_date: date | None = None, jp: int | None = None,
             recommendation: Recommendation | None = None, note: str = "") -> DevelopmentPlanItem:
    """Add a catalogue programme or a non-classical activity to the plan. Raises CatalogueError for a
    plan waiting for approval, a programme already in it, or an activity without form or title.
    An approved plan that changes goes back to draft (the supervisor approves it again)."""
    if plan.status is IdpStatus.SUBMITTED:
        raise CatalogueError(_("Rencana sedang menunggu persetujuan atasan; tunggu keputusannya dulu."))
    title = (title or "").strip()
    if programme is not None:
        if any(item.programme_id == programme.id for item in plan.items):
            raise CatalogueError(_("Program ini sudah ada dalam rencana pengembangan %(year)s.", year=plan.year))
        form = programme.form
        title = title or programme.title
        jp = programme.jp if jp is None else jp
    if form is None:
        raise CatalogueError(_("Pilih bentuk kegiatan."), "form")
    if not title:
        raise CatalogueError(_("Tuliskan nama kegiatan."), "title")
    if len(title) > MAX_TITLE:
        raise CatalogueError(_("Paling banyak %(n)s karakter.", n=MAX_TITLE), "title")
    if target_date is not None and target_date.year != plan.year:
        raise CatalogueError(_("Tanggal target harus dalam tahun %(year)s.", year=plan.year), "target_date")
    item = DevelopmentPlanItem(plan=plan, programme=programme, form=form, title=title, target_date=target_date,
                               jp_planned=jp or 0, recommendation=recommendation, note=(note or "").strip()[:1000])
    db.session.add(item)
    reopened = plan.status is IdpStatus.APPROVED
    if reopened:
        plan.status = IdpStatus.DRAFT
        plan.approved_dt = None
    db.session.flush()
    audit.record("idp.item_added", plan, summary=title)
    if reopened:
        audit.record("idp.reopened", plan, from_state=IdpStatus.APPROVED.value, to_state=IdpStatus.DRAFT.value)
    return item


# ---------------------------------------------------------------- editing (the employee)
# Audit actions of this section have titles in audit_titles.py ("IDP" section).
SUBMITTED_KIND = notifications.register_kind(
    "catalogue.idp_submitted", title=_l("%(name)s mengajukan rencana pengembangan %(year)s"))
DECIDED_KIND = notifications.register_kind(
    "catalogue.idp_decided", title=_l("Rencana pengembangan %(year)s: %(status)s"))

MAX_NOTE = 1000
MAX_RETURN_REASON = 1000
MAX_JP = 1000


class StalePlan(CatalogueError):
    """The plan changed since the form was opened (another decision, another tab)."""

    def __init__(self):
        super().__init__(_("Rencana ini sudah berubah sejak halaman dibuka (misalnya sudah diputuskan). "
                           "Muat ulang halaman, periksa lagi, lalu ulangi."))


def _check_lock(plan: DevelopmentPlan, lock_version) -> None:
    if lock_version is None:
        return
    try:
        expected = int(lock_version)
    except (TypeError, ValueError):
        raise StalePlan() from None
    if expected != plan.lock_version:
        raise StalePlan()


def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError:
        raise StalePlan() from None


def _check_editable(plan: DevelopmentPlan) -> None:
    if plan.status is IdpStatus.SUBMITTED:
        raise CatalogueError(_("Rencana sedang menunggu persetujuan atasan; tunggu keputusannya dulu."))


def _reopen_if_approved(plan: DevelopmentPlan) -> None:
    """A change to an approved plan sends it back to draft: the supervisor approves it again."""
    if plan.status is IdpStatus.APPROVED:
        plan.status = IdpStatus.DRAFT
        plan.approved_dt = None
        audit.record("idp.reopened", plan, from_state=IdpStatus.APPROVED.value, to_state=IdpStatus.DRAFT.value)


def update_item(item: DevelopmentPlanItem, *, target_date: date | None, jp: int | None, note: str = "",
                title: str | None = None) -> dict:
    """Change an item's target date, planned JP, note and (activities only) title; returns the
    changes. Raises CatalogueError for a plan waiting for approval, a date outside the plan's
    year, JP out of range or an empty or overlong title."""
    plan = item.plan
    _check_editable(plan)
    if target_date is not None and target_date.year != plan.year:
        raise CatalogueError(_("Tanggal target harus dalam tahun %(year)s.", year=plan.year), "target_date")
    jp = jp or 0
    if not 0 <= jp <= MAX_JP:
        raise CatalogueError(_("JP antara 0 dan %(n)s.", n=MAX_JP), "jp_planned")
    new = {"target_date": target_date, "jp_planned": jp, "note": (note or "").strip()[:MAX_NOTE]}
    if title is not None and item.programme_id is None:
        title = title.strip()
        if not title:
            raise CatalogueError(_("Tuliskan nama kegiatan."), "title")
        if len(title) > MAX_TITLE:
            raise CatalogueError(_("Paling banyak %(n)s karakter.", n=MAX_TITLE), "title")
        new["title"] = title
    changes = {name: [_jsonable(getattr(item, name)), _jsonable(value)]
               for name, value in new.items() if getattr(item, name) != value}
    if not changes:
        return {}
    for name, value in new.items():
        setattr(item, name, value)
    _reopen_if_approved(plan)
    _flush()
    audit.record("idp.item_changed", plan, summary=item.title, changes=changes)
    return changes


def remove_item(item: DevelopmentPlanItem) -> None:
    """Take an item out of the plan. A recommendation it came from is open again (status baru), so
    the employee sees it among their recommendations. Raises CatalogueError for a plan waiting
    for approval."""
    plan = item.plan
    _check_editable(plan)
    recommendation = item.recommendation
    if recommendation is not None and recommendation.status is RecommendationStatus.ACCEPTED:
        recommendation.status = RecommendationStatus.OPEN
        recommendation.decided_dt = None
        audit.record("recommendation.reopened", recommendation, from_state=RecommendationStatus.ACCEPTED.value,
                     to_state=RecommendationStatus.OPEN.value, summary=item.title)
    title = item.title
    plan.items.remove(item)
    _reopen_if_approved(plan)
    _flush()
    audit.record("idp.item_removed", plan, summary=title)


def set_item_status(item: DevelopmentPlanItem, status: IdpItemStatus) -> None:
    """Mark an activity outside the catalogue done, dropped or planned again (catalogue programmes
    are done when the ledger records them). Raises CatalogueError for a catalogue programme or a
    plan waiting for approval."""
    if item.programme_id is not None:
        raise CatalogueError(_("Program katalog dinyatakan selesai dari catatan jam pelajaran, bukan secara manual."))
    _check_editable(item.plan)
    if item.status is status:
        return
    before = item.status
    item.status = status
    _flush()
    audit.record("idp.item_status", item.plan, from_state=before.value, to_state=status.value, summary=item.title)


# ---------------------------------------------------------------- approval
def submit_plan(plan: DevelopmentPlan, *, lock_version=None) -> DevelopmentPlan:
    """Send a draft or returned plan to the employee's direct supervisor and notify them.
    Raises CatalogueError when the plan has no (live) items, the employee has no supervisor, the
    plan is not a draft or returned, or StalePlan when it changed since the form was opened."""
    _check_lock(plan, lock_version)
    if plan.status not in (IdpStatus.DRAFT, IdpStatus.RETURNED):
        raise CatalogueError(_("Rencana ini sudah diajukan atau disetujui."))
    if not any(item.status is not IdpItemStatus.DROPPED for item in plan.items):
        raise CatalogueError(_("Tambahkan paling sedikit satu kegiatan sebelum mengajukan rencana."))
    supervisor = plan.employee.supervisor
    if supervisor is None:
        raise CatalogueError(_("Anda belum memiliki atasan langsung dalam data kepegawaian, jadi rencana belum "
                               "dapat diajukan. Minta admin OPD melengkapi atasan Anda."))
    before = plan.status
    plan.status = IdpStatus.SUBMITTED
    plan.approver_id = supervisor.id
    plan.submitted_dt = utcnow()
    plan.return_reason = None
    _flush()
    audit.record("idp.submitted", plan, from_state=before.value, to_state=IdpStatus.SUBMITTED.value,
                 summary=f"{plan.employee.display_name} {plan.year} → {supervisor.display_name}")
    if supervisor.user is not None:
        notifications.notify(supervisor.user, SUBMITTED_KIND.name, obj=plan,
                             url=notifications.path_for("idp.show_plan", idp_id=plan.id),
                             title_args={"name": plan.employee.display_name, "year": plan.year},
                             body=_l("%(count)s kegiatan menunggu persetujuan Anda.", count=len(plan.items)))
    return plan


def _decide(plan, lock_version):
    _check_lock(plan, lock_version)
    if plan.status is not IdpStatus.SUBMITTED:
        raise CatalogueError(_("Rencana ini tidak sedang menunggu persetujuan (statusnya %(status)s).",
                               status=str(plan.status.title).lower()))


def _notify_decision(plan, body):
    if plan.employee.user is not None:
        notifications.notify(plan.employee.user, DECIDED_KIND.name, obj=plan,
                             url=notifications.path_for("idp.my_plan", year=plan.year),
                             title_args={"year": plan.year, "status": plan.status.title}, body=body)


def approve_plan(plan: DevelopmentPlan, *, lock_version=None) -> DevelopmentPlan:
    """The supervisor approves a submitted plan. Raises CatalogueError when it is not waiting for
    approval, StalePlan when it changed since the form was opened."""
    _decide(plan, lock_version)
    plan.status = IdpStatus.APPROVED
    plan.approved_dt = utcnow()
    plan.return_reason = None
    _flush()
    audit.record("idp.approved", plan, from_state=IdpStatus.SUBMITTED.value, to_state=IdpStatus.APPROVED.value,
                 summary=f"{plan.employee.display_name} {plan.year}")
    _notify_decision(plan, _l("Atasan Anda menyetujui rencana pengembangan Anda."))
    return plan


def return_plan(plan: DevelopmentPlan, reason: str, *, lock_version=None) -> DevelopmentPlan:
    """The supervisor returns a submitted plan with a reason the employee reads. Raises
    CatalogueError for an empty or overlong reason or a plan not waiting for approval, StalePlan
    when it changed since the form was opened."""
    reason = (reason or "").strip()
    if not reason:
        raise CatalogueError(_("Tuliskan alasan pengembalian agar pegawai tahu apa yang perlu diperbaiki."), "reason")
    if len(reason) > MAX_RETURN_REASON:
        raise CatalogueError(_("Paling banyak %(n)s karakter.", n=MAX_RETURN_REASON), "reason")
    _decide(plan, lock_version)
    plan.status = IdpStatus.RETURNED
    plan.return_reason = reason
    plan.approved_dt = None
    _flush()
    audit.record("idp.returned", plan, from_state=IdpStatus.SUBMITTED.value, to_state=IdpStatus.RETURNED.value,
                 summary=reason[:500])
    _notify_decision(plan, reason[:300])
    return plan


# ---------------------------------------------------------------- progress
def completion_dates(plan: DevelopmentPlan) -> dict[int, date]:
    """Programme id → the first date the employee's ledger records it in the plan's year, for the
    programmes of the plan (one statement)."""
    ids = [item.programme_id for item in plan.items if item.programme_id is not None]
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(LearningRecord.programme_id, sa.func.min(LearningRecord.completed_date))
        .where(LearningRecord.employee_id == plan.employee_id, LearningRecord.year == plan.year,
               LearningRecord.programme_id.in_(ids))
        .group_by(LearningRecord.programme_id))
    return {programme_id: completed for programme_id, completed in rows}


def sync_items_from_ledger(employee_id: int, year: int) -> int:
    """Mark planned catalogue items of the employee's IDP for ``year`` done when the ledger
    records their programme (called when a session is completed). Returns how many changed.
    Pages compute the same status on the fly (see ``plan_progress``) and never write."""
    recorded = (sa.select(LearningRecord.programme_id)
                .where(LearningRecord.employee_id == employee_id, LearningRecord.year == year,
                       LearningRecord.programme_id.is_not(None)))
    items = db.session.scalars(
        sa.select(DevelopmentPlanItem).join(DevelopmentPlanItem.plan)
        .where(DevelopmentPlan.employee_id == employee_id, DevelopmentPlan.year == year,
               DevelopmentPlanItem.status == IdpItemStatus.PLANNED,
               DevelopmentPlanItem.programme_id.in_(recorded))).all()
    for item in items:
        item.status = IdpItemStatus.DONE
    if items:
        db.session.flush()
        audit.record("idp.items_synced", items[0].plan, summary=", ".join(i.title for i in items)[:500])
    return len(items)


@dataclass
class ItemView:
    item: DevelopmentPlanItem
    done: bool
    dropped: bool
    completed_date: date | None  # from the ledger (catalogue programmes)
    overdue: bool


@dataclass
class BucketView:
    bucket: IdpBucket
    items: list
    count: int
    jp: int
    share: int    # of the planned JP, whole percent
    target: int   # the 70-20-10 target share


@dataclass
class PlanProgress:
    buckets: list
    total_items: int
    done_items: int
    jp_planned: int
    jp_recorded: int


def plan_progress(plan: DevelopmentPlan, *, today: date | None = None) -> PlanProgress:
    """The plan read for display: items per 70-20-10 bucket with planned JP and share, and done
    counts where catalogue programmes are done when the ledger records them (two statements;
    nothing written). Dropped items count in no total."""
    from portal.catalogue import learning_services  # it credits sessions, which sync this module's items
    today = today or date.today()
    completed = completion_dates(plan)
    views = []
    for item in plan.items:
        ledger_date = completed.get(item.programme_id) if item.programme_id is not None else None
        dropped = item.status is IdpItemStatus.DROPPED
        done = not dropped and (item.status is IdpItemStatus.DONE or ledger_date is not None)
        overdue = not done and not dropped and item.target_date is not None and item.target_date < today
        views.append(ItemView(item, done, dropped, ledger_date, overdue))
    live = [v for v in views if not v.dropped]
    jp_by_bucket = {b: sum(v.item.jp_planned for v in live if v.item.bucket is b) for b in IdpBucket}
    shares = rules.bucket_shares(jp_by_bucket)
    buckets = [BucketView(b, [v for v in views if v.item.bucket is b], sum(1 for v in live if v.item.bucket is b),
                          jp_by_bucket[b], shares[b], rules.IDP_TARGET_SHARES[b]) for b in IdpBucket]
    return PlanProgress(buckets=buckets, total_items=len(live), done_items=sum(1 for v in live if v.done),
                        jp_planned=sum(jp_by_bucket.values()),
                        jp_recorded=learning_services.jp_total(plan.employee_id, plan.year))


def _jsonable(value):
    return value.isoformat() if isinstance(value, date) else value
