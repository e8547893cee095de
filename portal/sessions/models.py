"""A session (angkatan/kelas) of a programme."""
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.models import TimestampMixin, TitledEnum, enum_column
from portal.extensions import db


class SessionStatus(TitledEnum):
    DRAFT = ("draf", _l("Draf"))
    OPEN = ("dibuka", _l("Pendaftaran dibuka"))
    CLOSED = ("ditutup", _l("Pendaftaran ditutup"))
    RUNNING = ("berjalan", _l("Berlangsung"))
    COMPLETED = ("selesai", _l("Selesai"))
    CANCELLED = ("dibatalkan", _l("Dibatalkan"))


# Sessions a prospective participant can still look forward to.
UPCOMING_STATUSES = (SessionStatus.OPEN, SessionStatus.CLOSED, SessionStatus.RUNNING)


class TrainingSession(TimestampMixin, db.Model):
    __tablename__ = "training_session"
    __table_args__ = (
        sa.CheckConstraint("end_date >= start_date", name="dates_ordered"),
        sa.CheckConstraint("capacity > 0", name="capacity_positive"),
        sa.CheckConstraint("planned_cost >= 0", name="planned_cost_not_negative"),
        sa.Index("ix_training_session_programme_start", "programme_id", "start_date"),
        sa.Index("ix_training_session_status_start", "status", "start_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(150))
    start_date: Mapped[date] = mapped_column()
    end_date: Mapped[date] = mapped_column()
    place: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    online_url: Mapped[str | None] = mapped_column(sa.String(500))
    capacity: Mapped[int] = mapped_column()
    registration_close_date: Mapped[date | None] = mapped_column()
    planned_cost: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2), default=0, server_default="0")
    status: Mapped[SessionStatus] = mapped_column(enum_column(SessionStatus), default=SessionStatus.DRAFT)

    programme = relationship("Programme")

    def __str__(self):
        return f"{self.programme.title} — {self.name}" if self.programme else self.name
