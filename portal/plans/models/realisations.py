"""Realisasi per IKI per sub-period, its bukti dukung and the umpan balik thread."""
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.models import TimestampMixin, TitledEnum, enum_column, utcnow
from portal.extensions import db


class RealisationStatus(TitledEnum):
    DRAFT = ("draft", _l("Draf"))
    SUBMITTED = ("submitted", _l("Diajukan"))
    RETURNED = ("returned", _l("Dikembalikan"))
    VERIFIED = ("verified", _l("Diverifikasi"))


class Realisation(TimestampMixin, db.Model):
    """What was achieved on one IKI in one sub-period (value for numeric IKIs, narrative always)."""

    __tablename__ = "realisation"
    __table_args__ = (
        sa.UniqueConstraint("indicator_id", "subperiod_id", name="uq_realisation_subperiod"),
        sa.CheckConstraint("value IS NULL OR value >= 0", name="value_not_negative"),
        # A plan's month (the month form, the inbox, "who has not reported"), and a plan by status.
        sa.Index("ix_realisation_plan_subperiod_status", "plan_id", "subperiod_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("indicator.id", ondelete="CASCADE"))
    subperiod_id: Mapped[int] = mapped_column(sa.ForeignKey("performance_subperiod.id"), index=True)
    # Denormalised from indicator → result → plan: the inbox and reports filter by plan.
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("performance_plan.id", ondelete="CASCADE"))
    value: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    narrative: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[RealisationStatus] = mapped_column(enum_column(RealisationStatus),
                                                      default=RealisationStatus.DRAFT)
    submitted_dt: Mapped[datetime | None] = mapped_column()
    verified_dt: Mapped[datetime | None] = mapped_column()
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    return_reason: Mapped[str | None] = mapped_column(sa.String(1000))
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": lock_version}

    indicator = relationship("Indicator")
    subperiod = relationship("Subperiod")
    plan = relationship("PerformancePlan")
    verified_by = relationship("User")
    evidence = relationship("Evidence", back_populates="realisation", cascade="all, delete-orphan",
                            order_by="Evidence.id")
    feedback = relationship("Feedback", back_populates="realisation", cascade="all, delete-orphan",
                            order_by="Feedback.created_dt, Feedback.id")

    def can_view(self, user) -> bool:
        return self.plan.can_view(user)

    def can_edit(self, user) -> bool:
        return (self.plan.can_report(user) and self.subperiod.accepts_realisation
                and self.status in (RealisationStatus.DRAFT, RealisationStatus.RETURNED))

    def can_verify(self, user) -> bool:
        """Verify or return: the plan's appraiser, a submitted realisasi."""
        return self.plan.is_appraiser(user) and self.status is RealisationStatus.SUBMITTED

    def can_give_feedback(self, user) -> bool:
        """Umpan balik berkelanjutan: the appraiser (and chain) at any time; the pegawai replies."""
        return self.plan.is_owner(user) or self.plan.is_in_chain(user)


class EvidenceKind(TitledEnum):
    FILE = ("berkas", _l("Berkas"))
    LINK = ("tautan", _l("Tautan"))


class Evidence(db.Model):
    """A bukti dukung: an uploaded file (stored under a random name outside static/) or a link."""

    __tablename__ = "evidence"
    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'berkas' AND stored_name IS NOT NULL AND size_bytes IS NOT NULL) OR "
            "(kind = 'tautan' AND url IS NOT NULL)", name="file_or_link"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    realisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("realisation.id", ondelete="CASCADE"), index=True)
    kind: Mapped[EvidenceKind] = mapped_column(enum_column(EvidenceKind))
    title: Mapped[str] = mapped_column(sa.String(255))  # the file's original name or the link text
    url: Mapped[str | None] = mapped_column(sa.String(1000))
    stored_name: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    content_type: Mapped[str | None] = mapped_column(sa.String(120))
    size_bytes: Mapped[int | None] = mapped_column()
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    realisation = relationship(Realisation, back_populates="evidence")
    uploaded_by = relationship("User")

    def can_download(self, user) -> bool:
        return self.realisation.can_view(user)


class Feedback(db.Model):
    """A message of the umpan balik berkelanjutan thread on a realisasi."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    realisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("realisation.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    realisation = relationship(Realisation, back_populates="feedback")
    author = relationship("User")
