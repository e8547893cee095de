"""Who may read the audit trail, and the queries behind the log and the timelines.

The log is keyset-paginated on ``(created_dt, id)`` and never counted: the table holds
millions of rows in a province, so a page costs the same statements however large it is.
Filters stay on indexed columns: ``created_dt``, ``actor_id`` and ``(object_type, object_id)``;
an object id is only used together with its type.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import url_for
from flask_babel import to_utc

from portal.audit import reading
from portal.auth.models import Role, User
from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.people.models import Employee, OrgUnit
from portal.people.rules import normalise_nip

TIMELINE_LIMIT = 20


# ---------------------------------------------------------------- who may read what
def can_read_log(user) -> bool:
    """The whole log, with filters: BKPSDM and superadmin."""
    return bool(user.is_authenticated and user.manages_whole_instansi)


def can_view_history(user, obj) -> bool:
    """May ``user`` see the timeline of ``obj`` on its page?

    Employee: those who manage the employee's unit (admin OPD in scope, BKPSDM, superadmin) and
    pimpinan; not the employee or their supervisors. Unit: its editors (BKPSDM, superadmin) and
    pimpinan. Account: superadmin. Anything else: readers of the log.
    """
    if not user.is_authenticated:
        return False
    if isinstance(obj, Employee):
        return obj.can_view_details(user) and (user.sees_whole_instansi or user.manages_unit(obj.org_unit))
    if isinstance(obj, OrgUnit):
        return obj.can_edit(user) or user.has_role(Role.PIMPINAN)
    if isinstance(obj, User):
        return user.can_manage_accounts()
    return can_read_log(user)


# ---------------------------------------------------------------- queries
@dataclass
class LogFilters:
    actor: str | None = None        # NIP or username
    object_type: str | None = None
    object_id: int | None = None    # only together with object_type (the index is on both)
    action: str | None = None
    date_from: date | None = None   # local dates, both inclusive
    date_to: date | None = None


def _local_day_start(day: date) -> datetime:
    """The start of a local calendar day as naive UTC (how created_dt is stored)."""
    return to_utc(datetime.combine(day, time.min))


def _actor_ids(text: str) -> list[int]:
    """The account ids that a NIP or username names.

    Looked up first (one small statement) rather than as a subquery: with the ids as values the
    database estimates the filter from its statistics, and an unknown name costs nothing.
    """
    digits = normalise_nip(text)
    if digits.isdigit():
        stmt = sa.select(User.id).join(Employee, User.employee_id == Employee.id).where(Employee.nip == digits)
    else:
        stmt = sa.select(User.id).where(User.username == text.strip().lower())
    return list(db.session.scalars(stmt))


def log_query(filters: LogFilters):
    """Audit entries matching ``filters`` (unordered; an actor filter runs its own small lookup)."""
    stmt = sa.select(AuditEntry)
    if filters.actor:
        stmt = stmt.where(AuditEntry.actor_id.in_(_actor_ids(filters.actor)))
    if filters.object_type:
        stmt = stmt.where(AuditEntry.object_type == filters.object_type)
        if filters.object_id is not None:
            stmt = stmt.where(AuditEntry.object_id == filters.object_id)
    if filters.action:
        stmt = stmt.where(AuditEntry.action == filters.action)
    if filters.date_from:
        stmt = stmt.where(AuditEntry.created_dt >= _local_day_start(filters.date_from))
    if filters.date_to:
        stmt = stmt.where(AuditEntry.created_dt < _local_day_start(filters.date_to + timedelta(days=1)))
    return stmt


def encode_cursor(entry: AuditEntry) -> str:
    return f"{entry.created_dt:%Y%m%d%H%M%S%f}.{entry.id}"


def decode_cursor(value) -> tuple[datetime, int] | None:
    """``(created_dt, id)`` from a cursor, or None for anything malformed."""
    try:
        stamp, entry_id = str(value).split(".")
        dt, entry_id = datetime.strptime(stamp, "%Y%m%d%H%M%S%f"), int(entry_id)
    except (TypeError, ValueError):
        return None
    return (dt, entry_id) if 0 <= entry_id < 2**63 else None


def _older_than(cursor):
    dt, entry_id = cursor
    return sa.or_(AuditEntry.created_dt < dt, sa.and_(AuditEntry.created_dt == dt, AuditEntry.id < entry_id))


def _newer_than(cursor):
    dt, entry_id = cursor
    return sa.or_(AuditEntry.created_dt > dt, sa.and_(AuditEntry.created_dt == dt, AuditEntry.id > entry_id))


_NEWEST_FIRST = (AuditEntry.created_dt.desc(), AuditEntry.id.desc())


@dataclass
class LogPage:
    entries: list
    newer: str | None = None  # cursor for the page before this one ("Sebelumnya")
    older: str | None = None  # cursor for the page after this one ("Berikutnya")


def log_page(filters: LogFilters, *, per_page: int, older_than=None, newer_than=None) -> LogPage:
    """One page of the log, newest first, in one statement (``LIMIT per_page + 1``, no COUNT).

    ``older_than``/``newer_than`` are cursors from a previous page; a malformed one is ignored.
    """
    stmt = log_query(filters)
    after = decode_cursor(newer_than) if newer_than else None
    before = decode_cursor(older_than) if older_than and after is None else None
    if after is not None:
        rows = db.session.scalars(stmt.where(_newer_than(after))
                                  .order_by(AuditEntry.created_dt.asc(), AuditEntry.id.asc())
                                  .limit(per_page + 1)).all()
        if rows:
            more = len(rows) > per_page
            entries = list(reversed(rows[:per_page]))
            return LogPage(entries, newer=encode_cursor(entries[0]) if more else None,
                           older=encode_cursor(entries[-1]))
        before = None  # nothing newer (any more): show the first page
    if before is not None:
        stmt = stmt.where(_older_than(before))
    rows = db.session.scalars(stmt.order_by(*_NEWEST_FIRST).limit(per_page + 1)).all()
    entries = rows[:per_page]
    return LogPage(entries,
                   newer=(encode_cursor(entries[0]) if entries else older_than) if before else None,
                   older=encode_cursor(entries[-1]) if len(rows) > per_page else None)


def timeline_for(object_type: str, object_id: int, limit: int = TIMELINE_LIMIT) -> list[AuditEntry]:
    """The latest entries about one object, newest first (one statement)."""
    return db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
        .order_by(*_NEWEST_FIRST).limit(limit)).all()


# ---------------------------------------------------------------- timelines
@dataclass
class Timeline:
    rows: list
    more_url: str | None


def timeline(obj, user, limit: int = TIMELINE_LIMIT) -> Timeline | None:
    """The latest entries about ``obj`` as ``user`` reads them, or None when they may not see them."""
    if not can_view_history(user, obj):
        return None
    object_type = type(obj).__name__
    readable = can_read_log(user)
    rows = reading.describe(timeline_for(object_type, obj.id, limit), user, detail_links=readable)
    more_url = url_for("audit.list_entries", object_type=object_type, object_id=obj.id) if readable else None
    return Timeline(rows, more_url)
