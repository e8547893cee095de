"""Laporan harian: the pegawai's daily entries, linked to an RHK, and the supervisor's comments.

Services check, change, audit, notify and flush; the caller commits.

Editing window: an entry can be changed or deleted by its owner while the realisasi of its
sub-period (month) has not been submitted yet, because the log is the raw material of that
month's narrative; once the month is reported (submitted or verified) the log of that month is
frozen, except for the last ``EDIT_WINDOW_DAYS`` days so that a typo made yesterday can still
be corrected.
"""
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from portal.core import audit
from portal.extensions import db
from portal.notifications import services as notifications
from portal.plans.models import (
    WORKING,
    ActivityComment,
    ActivityEntry,
    PerformancePeriod,
    PerformancePlan,
    PlanStatus,
    Realisation,
    RealisationStatus,
    ResultPlan,
    Subperiod,
)

EDIT_WINDOW_DAYS = 7
DESCRIPTION_MAX = 2000
OUTPUT_MAX = 200
COMMENT_MAX = 2000
ENTRY_FIELDS = ["entry_date", "result_id", "description", "output"]
# Plans whose RHK an entry may be linked to: the approved one, else the one being written.
LINKABLE = (PlanStatus.APPROVED, *WORKING)

COMMENTED = notifications.register_kind(
    "activities.comment", title=_l("%(name)s mengomentari laporan harian Anda"))
REPLIED = notifications.register_kind(
    "activities.reply", title=_l("%(name)s membalas komentar pada laporan hariannya"))


class ActivityError(ValueError):
    """A change that breaks a rule; ``field`` names the form field it concerns."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


# ---------------------------------------------------------------- plans and RHK
def period_on(day: date) -> PerformancePeriod | None:
    return db.session.scalar(sa.select(PerformancePeriod).where(
        PerformancePeriod.start_date <= day, PerformancePeriod.end_date >= day))


def current_plan(employee, day: date | None = None) -> PerformancePlan | None:
    """The employee's plan for the period containing ``day`` (today): the approved one if there
    is one, else the one being written (draft, submitted or returned)."""
    day = day or date.today()
    preference = sa.case((PerformancePlan.status == PlanStatus.APPROVED, 0), else_=1)
    return db.session.scalar(
        sa.select(PerformancePlan)
        .join(PerformancePeriod, PerformancePlan.period_id == PerformancePeriod.id)
        .where(PerformancePlan.employee_id == employee.id, PerformancePlan.status.in_(LINKABLE),
               PerformancePeriod.start_date <= day, PerformancePeriod.end_date >= day)
        .options(selectinload(PerformancePlan.results))
        .order_by(preference, PerformancePlan.version.desc()).limit(1))


def result_choices(employee, day: date | None = None) -> list[ResultPlan]:
    """The RHK an entry of ``day`` may be linked to."""
    plan = current_plan(employee, day)
    return list(plan.results) if plan is not None else []


# ---------------------------------------------------------------- editing window
def reported_ranges(employee) -> list[tuple[date, date]]:
    """The (first, last) days of the sub-periods whose realisasi the employee has submitted."""
    rows = db.session.execute(
        sa.select(Subperiod.start_date, Subperiod.end_date).distinct()
        .join(Realisation, Realisation.subperiod_id == Subperiod.id)
        .join(PerformancePlan, Realisation.plan_id == PerformancePlan.id)
        .where(PerformancePlan.employee_id == employee.id,
               Realisation.status.in_([RealisationStatus.SUBMITTED, RealisationStatus.VERIFIED])))
    return [(r.start_date, r.end_date) for r in rows]


def is_editable(entry: ActivityEntry, *, today: date | None = None, reported=None) -> bool:
    """May the owner still change or delete ``entry`` (see the module docstring)?"""
    today = today or date.today()
    if entry.entry_date >= today - timedelta(days=EDIT_WINDOW_DAYS):
        return True
    if reported is None:
        reported = reported_ranges(entry.employee)
    return not any(start <= entry.entry_date <= end for start, end in reported)


# ---------------------------------------------------------------- entries
def _clean(text) -> str:
    return (text or "").strip()


def _check(employee, entry_date, result, description, output, today):
    if entry_date is None:
        raise ActivityError(_("Tanggal wajib diisi."), "entry_date")
    if entry_date > today:
        raise ActivityError(_("Tanggal kegiatan tidak boleh di masa depan."), "entry_date")
    if entry_date < date(today.year, 1, 1):
        raise ActivityError(_("Tanggal kegiatan tidak boleh sebelum awal tahun %(year)s.", year=today.year),
                            "entry_date")
    if not description:
        raise ActivityError(_("Uraian kegiatan wajib diisi."), "description")
    if len(description) > DESCRIPTION_MAX:
        raise ActivityError(_("Uraian kegiatan paling banyak %(n)d karakter.", n=DESCRIPTION_MAX), "description")
    if len(output) > OUTPUT_MAX:
        raise ActivityError(_("Keluaran paling banyak %(n)d karakter.", n=OUTPUT_MAX), "output")
    if result is not None and result.id not in {r.id for r in result_choices(employee, entry_date)}:
        raise ActivityError(_("Pilih RHK dari SKP Anda sendiri untuk tahun berjalan."), "result")


def add_entry(employee, *, entry_date, result, description, output="", today=None) -> ActivityEntry:
    """Record one activity of ``employee``. Raises ActivityError for bad input."""
    today = today or date.today()
    description, output = _clean(description), _clean(output)
    _check(employee, entry_date, result, description, output, today)
    entry = ActivityEntry(employee=employee, entry_date=entry_date, result=result,
                          description=description, output=output)
    db.session.add(entry)
    db.session.flush()
    audit.record("create", entry, summary=f"{entry_date.isoformat()}: {description[:200]}")
    return entry


def update_entry(entry: ActivityEntry, *, entry_date, result, description, output="", today=None):
    """Change an entry while it is editable. Returns the changes (empty when nothing changed)."""
    today = today or date.today()
    if not is_editable(entry, today=today):
        raise ActivityError(_("Laporan harian bulan ini sudah dilaporkan dalam realisasi; "
                              "kegiatan ini tidak dapat diubah lagi."))
    description, output = _clean(description), _clean(output)
    _check(entry.employee, entry_date, result, description, output, today)
    before = audit.snapshot(entry, ENTRY_FIELDS)
    entry.entry_date, entry.result, entry.description, entry.output = entry_date, result, description, output
    db.session.flush()
    changes = audit.diff(entry, ENTRY_FIELDS, before)
    if changes:
        audit.record("update", entry, changes=changes)
    return changes


def delete_entry(entry: ActivityEntry, *, today=None):
    """Delete an entry (and its comments) while it is editable."""
    if not is_editable(entry, today=today or date.today()):
        raise ActivityError(_("Laporan harian bulan ini sudah dilaporkan dalam realisasi; "
                              "kegiatan ini tidak dapat dihapus lagi."))
    audit.record("delete", entry, summary=f"{entry.entry_date.isoformat()}: {entry.description[:200]}")
    db.session.delete(entry)
    db.session.flush()


def add_comment(entry: ActivityEntry, body, author=None) -> ActivityComment:
    """A comment on an entry by the supervisor chain, or the owner's reply.

    The owner hears of a supervisor's comment; earlier commenters hear of the owner's reply.
    Raises ActivityError for an empty or too long comment.
    """
    author = author if author is not None else current_user._get_current_object()
    body = _clean(body)
    if not body:
        raise ActivityError(_("Komentar wajib diisi."), "body")
    if len(body) > COMMENT_MAX:
        raise ActivityError(_("Komentar paling banyak %(n)d karakter.", n=COMMENT_MAX), "body")
    earlier = {c.author_id: c.author for c in entry.comments if c.author is not None}
    comment = ActivityComment(entry=entry, author=author, body=body)
    db.session.add(comment)
    db.session.flush()
    url = notifications.path_for("activities.show_entry", activity_id=entry.id)
    owner = entry.employee.user
    excerpt = body if len(body) <= 200 else body[:199] + "…"
    if owner is not None and owner.id != author.id:
        notifications.notify(owner, "activities.comment", title_args={"name": author.display_name},
                             body=excerpt, obj=entry, url=url)
    elif owner is not None:
        for user in earlier.values():
            if user.id != owner.id:
                notifications.notify(user, "activities.reply", title_args={"name": author.display_name},
                                     body=excerpt, obj=entry, url=url)
    return comment


# ---------------------------------------------------------------- reading
def _with_details(stmt):
    return stmt.options(joinedload(ActivityEntry.result),
                        selectinload(ActivityEntry.comments).joinedload(ActivityComment.author))


def entry_query(employee, *, start: date | None = None, end: date | None = None):
    """The employee's entries, newest first, optionally between two days (inclusive)."""
    stmt = sa.select(ActivityEntry).where(ActivityEntry.employee_id == employee.id)
    if start is not None:
        stmt = stmt.where(ActivityEntry.entry_date >= start)
    if end is not None:
        stmt = stmt.where(ActivityEntry.entry_date <= end)
    return _with_details(stmt.order_by(ActivityEntry.entry_date.desc(), ActivityEntry.id.desc()))


def direct_subordinates(employee) -> list:
    from portal.people.models import Employee
    return list(db.session.scalars(
        sa.select(Employee).where(Employee.supervisor_id == employee.id, Employee.is_active)
        .order_by(Employee.name, Employee.id)))


def team_entry_query(supervisor, *, start: date, end: date, employee_id=None):
    """Entries of the supervisor's direct subordinates between two days, newest first."""
    from portal.people.models import Employee
    stmt = (sa.select(ActivityEntry).join(Employee, ActivityEntry.employee_id == Employee.id)
            .where(Employee.supervisor_id == supervisor.id,
                   ActivityEntry.entry_date >= start, ActivityEntry.entry_date <= end))
    if employee_id is not None:
        stmt = stmt.where(Employee.id == employee_id)
    stmt = stmt.options(joinedload(ActivityEntry.employee))
    return _with_details(stmt.order_by(ActivityEntry.entry_date.desc(), Employee.name, ActivityEntry.id.desc()))


def entries_for_month(employee, subperiod: Subperiod, result: ResultPlan | None = None) -> list[ActivityEntry]:
    """The employee's entries within ``subperiod`` (a month or a quarter), oldest first,
    optionally only those linked to ``result``: the raw material of the realisasi narrative."""
    stmt = sa.select(ActivityEntry).where(
        ActivityEntry.employee_id == employee.id,
        ActivityEntry.entry_date >= subperiod.start_date, ActivityEntry.entry_date <= subperiod.end_date)
    if result is not None:
        stmt = stmt.where(ActivityEntry.result_id == result.id)
    stmt = stmt.options(joinedload(ActivityEntry.result))
    return list(db.session.scalars(stmt.order_by(ActivityEntry.entry_date, ActivityEntry.id)))
