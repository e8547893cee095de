"""Performance periods (the year) and their evaluation sub-periods (months or quarters)."""
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.models import TimestampMixin, TitledEnum, enum_column
from portal.extensions import db


class SubperiodLength(TitledEnum):
    MONTHLY = ("bulanan", _l("Bulanan"))
    QUARTERLY = ("triwulanan", _l("Triwulanan"))


class PeriodStatus(TitledEnum):
    DRAFT = ("draft", _l("Disiapkan"))
    OPEN = ("open", _l("Dibuka"))
    CLOSED = ("closed", _l("Ditutup"))


class PerformancePeriod(TimestampMixin, db.Model):
    """One performance year (1 January–31 December), opened and closed by BKPSDM."""

    __tablename__ = "performance_period"
    __table_args__ = (
        sa.CheckConstraint("end_date > start_date", name="dates_ordered"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    start_date: Mapped[date] = mapped_column()
    end_date: Mapped[date] = mapped_column()
    subperiod_length: Mapped[SubperiodLength] = mapped_column(enum_column(SubperiodLength))
    status: Mapped[PeriodStatus] = mapped_column(enum_column(PeriodStatus))
    # SKPs are to be set (ditetapkan) by this date: the end of January by default.
    plan_deadline: Mapped[date] = mapped_column()
    opened_dt: Mapped[datetime | None] = mapped_column()
    closed_dt: Mapped[datetime | None] = mapped_column()

    subperiods = relationship("Subperiod", back_populates="period", order_by="Subperiod.number",
                              cascade="all, delete-orphan")

    def __str__(self):
        return str(self.year)

    @property
    def is_open(self) -> bool:
        return self.status is PeriodStatus.OPEN

    def can_manage(self, user) -> bool:
        return user.is_authenticated and user.manages_whole_instansi


class Subperiod(db.Model):
    """An evaluation sub-period of a year (a month by default, or a quarter)."""

    __tablename__ = "performance_subperiod"
    __table_args__ = (
        sa.UniqueConstraint("period_id", "number", name="uq_subperiod_number"),
        sa.CheckConstraint("end_date >= start_date", name="dates_ordered"),
        sa.CheckConstraint("number BETWEEN 1 AND 12", name="number_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("performance_period.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    start_date: Mapped[date] = mapped_column()
    end_date: Mapped[date] = mapped_column()
    # Realisasi can be written only while the sub-period is open (and its year is open).
    is_closed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    period = relationship(PerformancePeriod, back_populates="subperiods")

    @property
    def label(self) -> str:
        from portal.plans import rules
        return rules.subperiod_label(self.period.subperiod_length.value, self.number, self.period.year)

    def __str__(self):
        return self.label

    @property
    def accepts_realisation(self) -> bool:
        return not self.is_closed and self.period.status is PeriodStatus.OPEN


class OrgTarget(TimestampMixin, db.Model):
    """An item of a unit's Perjanjian Kinerja for a year: what the head of the unit intervenes."""

    __tablename__ = "org_target"
    __table_args__ = (sa.Index("ix_org_target_unit_period", "org_unit_id", "period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"))
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("performance_period.id"))
    goal: Mapped[str] = mapped_column(sa.String(500))  # sasaran strategis
    indicator: Mapped[str] = mapped_column(sa.String(500))  # indikator kinerja
    target: Mapped[str] = mapped_column(sa.String(120))  # "95 %", "12 dokumen"
    position: Mapped[int] = mapped_column(default=0, server_default="0")

    org_unit = relationship("OrgUnit")
    period = relationship(PerformancePeriod)

    def __str__(self):
        return self.goal

    def can_edit(self, user) -> bool:
        return user.is_authenticated and user.manages_unit(self.org_unit)
