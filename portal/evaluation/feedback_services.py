"""Public feedback (IKM): reading a unit's index; the public form's services come with its views.

Services never commit; callers do.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from portal.evaluation import rules
from portal.evaluation.models import IKM_FIELDS, IkmGrade, IkmResponse
from portal.extensions import db
from portal.people.models import OrgUnit


@dataclass
class IkmSummary:
    """A unit's IKM over a date range: index (25–100), grade, how many responses, element means."""

    count: int
    index: Decimal | None
    grade: IkmGrade | None
    element_means: list = field(default_factory=list)  # nine Decimals (1–4), or None each


def _range(date_from: date, date_to: date):
    return datetime.combine(date_from, time.min), datetime.combine(date_to + timedelta(days=1), time.min)


def unit_ikm(unit: OrgUnit, date_from: date, date_to: date, *, subtree: bool = False) -> IkmSummary:
    """The IKM of ``unit`` from responses given between the two dates (inclusive), in one query;
    with ``subtree`` the responses of the units under it count too. IKM = mean of the element
    means × 25 (PermenPANRB 14/2017)."""
    start, end = _range(date_from, date_to)
    query = sa.select(sa.func.count(IkmResponse.id), *[sa.func.avg(getattr(IkmResponse, f)) for f in IKM_FIELDS])
    if subtree:
        query = query.join(OrgUnit, OrgUnit.id == IkmResponse.org_unit_id).where(OrgUnit.path.like(f"{unit.path}%"))
    else:
        query = query.where(IkmResponse.org_unit_id == unit.id)
    row = db.session.execute(query.where(IkmResponse.created_dt >= start, IkmResponse.created_dt < end)).one()
    count = row[0] or 0
    if not count:
        return IkmSummary(0, None, None, [None] * len(IKM_FIELDS))
    raw = [Decimal(str(v)) for v in row[1:]]
    index = rules.ikm_index_from_means(raw)
    return IkmSummary(count, index, rules.ikm_grade(index), [m.quantize(Decimal("0.01")) for m in raw])
