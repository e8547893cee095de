"""Recommendations (need → programme) and the thresholds BKPSDM tunes."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.models import TitledEnum, enum_column, utcnow
from portal.extensions import db


class RecommendationSource(TitledEnum):
    RESULT = ("hasil_kerja", _l("Hasil kerja"))
    CORE_VALUE = ("perilaku", _l("Perilaku kerja (BerAKHLAK)"))
    LEADERSHIP = ("kepemimpinan", _l("Pelatihan kepemimpinan jabatan"))
    TALENT = ("talenta", _l("Manajemen talenta (9-box)"))
    LEARNING_HOURS = ("jam_pelajaran", _l("Pemenuhan 20 JP"))
    COACHING = ("coaching", _l("Hasil bimbingan kinerja"))


class Priority(TitledEnum):
    HIGH = ("tinggi", _l("Tinggi"))
    MEDIUM = ("sedang", _l("Sedang"))
    LOW = ("rendah", _l("Rendah"))

    @property
    def rank(self) -> int:
        return {"tinggi": 1, "sedang": 2, "rendah": 3}[self.value]


class RecommendationStatus(TitledEnum):
    OPEN = ("baru", _l("Baru"))
    ACCEPTED = ("diterima", _l("Masuk rencana pengembangan"))
    DISMISSED = ("diabaikan", _l("Diabaikan"))


class Recommendation(db.Model):
    """A programme recommended to an employee, with its reason in plain words.

    The set is recomputed as a whole (``catalogue.recommend``): ``key`` names what produced it
    ("need:123:p:45", "lead:pkp:e:9:p:3", "jp:2026:e:9:p:7"), so a recomputation inserts the new
    ones, refreshes reason and priority of the open ones and removes open ones that no longer
    apply. Accepted and dismissed ones stay as the employee's decisions.
    """

    __tablename__ = "recommendation"
    __table_args__ = (
        sa.CheckConstraint("status <> 'diabaikan' OR dismiss_reason IS NOT NULL", name="dismissal_has_reason"),
        sa.Index("ix_recommendation_employee_status", "employee_id", "status"),
        sa.Index("ix_recommendation_programme_status", "programme_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id", ondelete="CASCADE"))
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column()
    source: Mapped[RecommendationSource] = mapped_column(enum_column(RecommendationSource))
    priority: Mapped[Priority] = mapped_column(enum_column(Priority))
    is_mandatory: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    reason: Mapped[str] = mapped_column(sa.String(500))
    need_id: Mapped[int | None] = mapped_column(sa.ForeignKey("development_need.id", ondelete="SET NULL"))
    competency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("competency.id", ondelete="SET NULL"))
    status: Mapped[RecommendationStatus] = mapped_column(enum_column(RecommendationStatus),
                                                         default=RecommendationStatus.OPEN)
    dismiss_reason: Mapped[str | None] = mapped_column(sa.String(500))
    decided_dt: Mapped[datetime | None] = mapped_column()
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow)

    employee = relationship("Employee")
    programme = relationship("Programme")
    need = relationship("DevelopmentNeed")
    competency = relationship("Competency")

    def _is_owner(self, user) -> bool:
        return user.is_authenticated and user.employee is not None and user.employee.id == self.employee_id

    def can_view(self, user) -> bool:
        if self._is_owner(user) or user.sees_whole_instansi:
            return True
        return self.employee is not None and self.employee.can_view_details(user)

    def can_decide(self, user) -> bool:
        """Only the employee accepts a recommendation into their IDP or dismisses it."""
        return self._is_owner(user) and self.status is RecommendationStatus.OPEN


class CatalogueSettings(db.Model):
    """One row (id 1) of thresholds BKPSDM tunes in the UI."""

    __tablename__ = "catalogue_settings"
    __table_args__ = (
        sa.CheckConstraint("jp_target BETWEEN 1 AND 200", name="jp_target_range"),
        sa.CheckConstraint("short_jp_max BETWEEN 1 AND 200", name="short_jp_max_range"),
        sa.CheckConstraint("per_need BETWEEN 1 AND 10", name="per_need_range"),
        sa.CheckConstraint("jp_suggestions BETWEEN 0 AND 10", name="jp_suggestions_range"),
        sa.CheckConstraint("coaching_jp BETWEEN 0 AND 40 AND mentoring_jp BETWEEN 0 AND 40", name="activity_jp_range"),
        sa.CheckConstraint("coaching_score_max BETWEEN 1 AND 4", name="coaching_score_max_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The yearly learning-hours obligation (20 JP for a PNS).
    jp_target: Mapped[int] = mapped_column(default=20, server_default="20")
    # Programmes of at most this many JP are "short" for the 20-JP shortfall.
    short_jp_max: Mapped[int] = mapped_column(default=8, server_default="8")
    # How many programmes per need, and per JP shortfall.
    per_need: Mapped[int] = mapped_column(default=3, server_default="3")
    jp_suggestions: Mapped[int] = mapped_column(default=2, server_default="2")
    # JP credited per approved coaching or mentoring activity.
    coaching_jp: Mapped[int] = mapped_column(default=2, server_default="2")
    mentoring_jp: Mapped[int] = mapped_column(default=2, server_default="2")
    # B.1.9 scores at or below this produce a recommendation.
    coaching_score_max: Mapped[int] = mapped_column(default=2, server_default="2")
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @staticmethod
    def can_edit(user) -> bool:
        return user.manages_whole_instansi
