"""Performance periods, their sub-periods, and the units' Perjanjian Kinerja items.

Services check the state, change it, write an audit entry and flush; the caller commits.
"""
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from portal.core import audit
from portal.core.models import utcnow
from portal.extensions import db
from portal.plans import rules
from portal.plans.models import (
    OrgTarget,
    PerformancePeriod,
    PeriodStatus,
    ResultPlan,
    Subperiod,
    SubperiodLength,
)

TARGET_FIELDS = ["goal", "indicator", "target", "position"]


class PeriodError(ValueError):
    """A change that breaks a rule; ``field`` names the form field it concerns (or None)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


# ---------------------------------------------------------------- periods
def period_query():
    """Every period, newest year first."""
    return sa.select(PerformancePeriod).order_by(PerformancePeriod.year.desc())


def create_period(year: int, subperiod_length) -> PerformancePeriod:
    """A new year in DRAFT with its sub-periods. Raises PeriodError for a bad or taken year."""
    length = SubperiodLength.coerce(subperiod_length)
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise PeriodError(_("Tahun harus antara 2000 dan 2100."), "year")
    if length is None:
        raise PeriodError(_("Pilih panjang sub-periode."), "subperiod_length")
    if db.session.scalar(sa.select(PerformancePeriod.id).where(PerformancePeriod.year == year)):
        raise PeriodError(_("Periode tahun %(year)s sudah ada.", year=year), "year")
    period = PerformancePeriod(
        year=year, start_date=date(year, 1, 1), end_date=date(year, 12, 31), subperiod_length=length,
        status=PeriodStatus.DRAFT, plan_deadline=rules.default_plan_deadline(year))
    for number, start, end in rules.subperiod_ranges(year, length.value):
        period.subperiods.append(Subperiod(number=number, start_date=start, end_date=end))
    db.session.add(period)
    db.session.flush()
    audit.record("create_period", period, to_state=period.status, summary=str(year))
    return period


def open_period(period: PerformancePeriod):
    """Open a prepared (or reopen a closed) year: SKPs and realisasi can be written in it."""
    if period.status is PeriodStatus.OPEN:
        raise PeriodError(_("Periode %(year)s sudah dibuka.", year=period.year))
    before = period.status
    period.status = PeriodStatus.OPEN
    period.opened_dt = utcnow()
    period.closed_dt = None
    db.session.flush()
    audit.record("open_period", period, from_state=before, to_state=period.status, summary=str(period.year))


def close_period(period: PerformancePeriod):
    """Close an open year and every one of its sub-periods: nothing can be written in it any more."""
    if period.status is not PeriodStatus.OPEN:
        raise PeriodError(_("Hanya periode yang sedang dibuka yang dapat ditutup."))
    before = period.status
    period.status = PeriodStatus.CLOSED
    period.closed_dt = utcnow()
    for subperiod in period.subperiods:
        subperiod.is_closed = True
    db.session.flush()
    audit.record("close_period", period, from_state=before, to_state=period.status, summary=str(period.year))


def close_subperiod(subperiod: Subperiod):
    """Close one month (or quarter): its realisasi can no longer be written or changed."""
    if subperiod.is_closed:
        raise PeriodError(_("%(label)s sudah ditutup.", label=subperiod.label))
    subperiod.is_closed = True
    db.session.flush()
    audit.record("close_subperiod", subperiod, from_state="open", to_state="closed", summary=subperiod.label)


def reopen_subperiod(subperiod: Subperiod):
    """Reopen a closed sub-period, only while its year is open."""
    if not subperiod.is_closed:
        raise PeriodError(_("%(label)s masih terbuka.", label=subperiod.label))
    if subperiod.period.status is not PeriodStatus.OPEN:
        raise PeriodError(_("Sub-periode hanya dapat dibuka kembali selama periode tahunannya dibuka."))
    subperiod.is_closed = False
    db.session.flush()
    audit.record("reopen_subperiod", subperiod, from_state="closed", to_state="open", summary=subperiod.label)


# ---------------------------------------------------------------- Perjanjian Kinerja
def _clean(text, limit, field, label):
    text = " ".join((text or "").split())
    if not text:
        raise PeriodError(_("%(field)s wajib diisi.", field=label), field)
    if len(text) > limit:
        raise PeriodError(_("%(field)s paling banyak %(n)s karakter.", field=label, n=limit), field)
    return text


def _check_target_period(period: PerformancePeriod):
    if period.status is PeriodStatus.CLOSED:
        raise PeriodError(_("Periode %(year)s sudah ditutup; Perjanjian Kinerja-nya tidak dapat diubah.",
                            year=period.year))


def target_query(unit, period):
    return (sa.select(OrgTarget).where(OrgTarget.org_unit_id == unit.id, OrgTarget.period_id == period.id)
            .order_by(OrgTarget.position, OrgTarget.id))


def create_target(unit, period: PerformancePeriod, *, goal: str, indicator: str, target: str) -> OrgTarget:
    _check_target_period(period)
    item = OrgTarget(
        org_unit=unit, period=period,
        goal=_clean(goal, 500, "goal", _("Sasaran strategis")),
        indicator=_clean(indicator, 500, "indicator", _("Indikator kinerja")),
        target=_clean(target, 120, "target", _("Target")))
    item.position = (db.session.scalar(
        sa.select(sa.func.max(OrgTarget.position)).where(
            OrgTarget.org_unit_id == unit.id, OrgTarget.period_id == period.id)) or 0) + 1
    db.session.add(item)
    db.session.flush()
    audit.record("create", item, summary=f"{unit.name} {period.year}: {item.goal}")
    return item


def update_target(item: OrgTarget, *, goal: str, indicator: str, target: str) -> dict:
    _check_target_period(item.period)
    before = audit.snapshot(item, TARGET_FIELDS)
    item.goal = _clean(goal, 500, "goal", _("Sasaran strategis"))
    item.indicator = _clean(indicator, 500, "indicator", _("Indikator kinerja"))
    item.target = _clean(target, 120, "target", _("Target"))
    db.session.flush()
    changes = audit.diff(item, TARGET_FIELDS, before)
    if changes:
        audit.record("update", item, changes=changes)
    return changes


def delete_target(item: OrgTarget):
    """Delete an item nobody's RHK intervenes (otherwise the SKPs would lose their cascade)."""
    _check_target_period(item.period)
    used = db.session.scalar(sa.select(sa.func.count()).select_from(ResultPlan)
                             .where(ResultPlan.org_target_id == item.id))
    if used:
        raise PeriodError(_("Butir ini diintervensi oleh %(n)s RHK; ubah RHK tersebut lebih dulu.", n=used))
    audit.record("delete", item, summary=f"{item.org_unit.name} {item.period.year}: {item.goal}")
    db.session.delete(item)
    db.session.flush()
