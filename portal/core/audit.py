"""Append-only audit trail written by services for every state change."""
from datetime import datetime

import sqlalchemy as sa
from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.core.models import utcnow
from portal.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"
    __table_args__ = (sa.Index("ix_audit_entry_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    actor_label: Mapped[str] = mapped_column(sa.String(200), default="sistem")
    ip_address: Mapped[str | None] = mapped_column(sa.String(64))
    object_type: Mapped[str] = mapped_column(sa.String(64))
    object_id: Mapped[int | None] = mapped_column()
    action: Mapped[str] = mapped_column(sa.String(64))
    from_state: Mapped[str | None] = mapped_column(sa.String(64))
    to_state: Mapped[str | None] = mapped_column(sa.String(64))
    changes: Mapped[dict | None] = mapped_column(sa.JSON)
    summary: Mapped[str | None] = mapped_column(sa.String(500))


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _audit_is_append_only(mapper, connection, target):
    raise RuntimeError("Audit entries are append-only.")


@event.listens_for(Session, "do_orm_execute")
def _no_bulk_audit_changes(state):
    """Bulk ORM update()/delete() statements bypass the mapper events above: refuse them too."""
    if (state.is_update or state.is_delete) and any(m.class_ is AuditEntry for m in state.all_mappers):
        raise RuntimeError("Audit entries are append-only.")


def _jsonable(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "value"):  # enums
        return value.value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "id"):
        return value.id
    return str(value)


def diff(obj, fields, before: dict) -> dict:
    """Changed fields between a ``snapshot`` taken earlier and the object now."""
    out = {}
    for f in fields:
        old, new = before.get(f), _jsonable(getattr(obj, f))
        if old != new:
            out[f] = [old, new]
    return out


def snapshot(obj, fields) -> dict:
    return {f: _jsonable(getattr(obj, f)) for f in fields}


def record(action, obj=None, *, object_type=None, object_id=None, from_state=None,
           to_state=None, changes=None, summary=None, actor=None):
    """Add an audit entry to the session (the caller's transaction commits it)."""
    if actor is None and has_request_context() and current_user and current_user.is_authenticated:
        actor = current_user._get_current_object()
    if obj is not None:
        db.session.flush([obj]) if obj in db.session.new else None
        object_type = object_type or type(obj).__name__
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_label=(actor.display_name if actor is not None else "sistem")[:200],
        ip_address=request.remote_addr if has_request_context() else None,
        object_type=object_type or "-",
        object_id=object_id,
        action=action,
        from_state=_jsonable(from_state),
        to_state=_jsonable(to_state),
        changes=changes or None,
        summary=(summary or "")[:500] or None,
    )
    db.session.add(entry)
    return entry
