"""Learning hours: the JP ledger per employee per year."""
from datetime import date

import sqlalchemy as sa

from portal.catalogue.models import LearningRecord, LearningSource
from portal.extensions import db


def jp_total(employee_id: int, year: int) -> int:
    """The JP credited to the employee in ``year``."""
    return db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(LearningRecord.jp), 0)).where(
        LearningRecord.employee_id == employee_id, LearningRecord.year == year)) or 0


def jp_totals(year: int, employee_ids=None) -> dict[int, int]:
    """JP per employee in ``year`` for the given employees (None: everyone), in one statement
    (employees with nothing credited are absent)."""
    query = (sa.select(LearningRecord.employee_id, sa.func.sum(LearningRecord.jp))
             .where(LearningRecord.year == year).group_by(LearningRecord.employee_id))
    if employee_ids is not None:
        ids = list(employee_ids)
        if not ids:
            return {}
        query = query.where(LearningRecord.employee_id.in_(ids))
    return {employee_id: int(total) for employee_id, total in db.session.execute(query)}


def credit(employee_id: int, *, key: str, source: LearningSource, jp: int, title: str, completed_date: date,
           programme_id=None, session_id=None, certificate_id=None) -> LearningRecord:
    """Add a line to the ledger, or return the existing one with the same ``key`` (crediting the
    same session, certificate or activity twice gives nothing more). Flushes."""
    existing = db.session.scalar(sa.select(LearningRecord).where(LearningRecord.key == key))
    if existing is not None:
        return existing
    record = LearningRecord(key=key, employee_id=employee_id, year=completed_date.year, source=source, jp=jp,
                            title=title[:200], completed_date=completed_date, programme_id=programme_id,
                            session_id=session_id, certificate_id=certificate_id)
    db.session.add(record)
    db.session.flush()
    return record
