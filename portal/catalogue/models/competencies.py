"""The competency dictionary (PermenPANRB 38/2017) and what is tagged with it."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.models import TimestampMixin, TitledEnum, enum_column
from portal.extensions import db
from portal.plans.models import CoreValue


class CompetencyGroup(TitledEnum):
    TECHNICAL = ("teknis", _l("Teknis"))
    MANAGERIAL = ("manajerial", _l("Manajerial"))
    SOCIOCULTURAL = ("sosial_kultural", _l("Sosial Kultural"))


class Competency(TimestampMixin, db.Model):
    """One competency. Teknis competencies belong to a field (``field``: "Kesehatan", "Digital" …);
    manajerial and sosial kultural ones have none."""

    __tablename__ = "competency"
    __table_args__ = (
        sa.UniqueConstraint("competency_group", "name", name="uq_competency_group_name"),
        sa.CheckConstraint("competency_group = 'teknis' OR field IS NULL", name="field_for_technical_only"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A short stable code used in CSV imports ("M-KOM", "T-KES-01").
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(150))
    # "group" is an SQL keyword: the column has a longer name.
    group: Mapped[CompetencyGroup] = mapped_column("competency_group", enum_column(CompetencyGroup), index=True)
    field: Mapped[str | None] = mapped_column(sa.String(80))
    description: Mapped[str] = mapped_column(sa.String(1000), default="", server_default="")
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        return f"{self.name} ({self.field})" if self.field else self.name

    def can_edit(self, user) -> bool:
        return user.manages_whole_instansi


class CoreValueCompetency(db.Model):
    """A BerAKHLAK value and a competency that develops it (edited by BKPSDM)."""

    __tablename__ = "core_value_competency"
    __table_args__ = (sa.UniqueConstraint("core_value", "competency_id", name="uq_core_value_competency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    core_value: Mapped[CoreValue] = mapped_column(enum_column(CoreValue))
    competency_id: Mapped[int] = mapped_column(sa.ForeignKey("competency.id", ondelete="CASCADE"), index=True)

    competency = relationship(Competency)


class ResultCompetency(db.Model):
    """A competency an RHK exercises (tagged on the SKP; feeds hasil kerja recommendations)."""

    __tablename__ = "result_competency"
    __table_args__ = (sa.UniqueConstraint("result_id", "competency_id", name="uq_result_competency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(sa.ForeignKey("result_plan.id", ondelete="CASCADE"))
    competency_id: Mapped[int] = mapped_column(sa.ForeignKey("competency.id", ondelete="CASCADE"), index=True)

    competency = relationship(Competency)


class IndicatorCompetency(db.Model):
    """A competency an IKI exercises; counts for its RHK."""

    __tablename__ = "indicator_competency"
    __table_args__ = (sa.UniqueConstraint("indicator_id", "competency_id", name="uq_indicator_competency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("indicator.id", ondelete="CASCADE"))
    competency_id: Mapped[int] = mapped_column(sa.ForeignKey("competency.id", ondelete="CASCADE"), index=True)

    competency = relationship(Competency)
