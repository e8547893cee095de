"""Background jobs: what was asked, how far it got, and how it ended (progress shown to users)."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.models import TitledEnum, enum_column, utcnow
from portal.extensions import db


class JobStatus(TitledEnum):
    QUEUED = ("queued", _l("Menunggu"))
    RUNNING = ("running", _l("Berjalan"))
    SUCCEEDED = ("succeeded", _l("Selesai"))
    FAILED = ("failed", _l("Gagal"))

    @property
    def is_finished(self):
        return self in (JobStatus.SUCCEEDED, JobStatus.FAILED)


class Job(db.Model):
    """One run of long work off the request path (import commit, bulk PDFs, recomputations)."""

    __tablename__ = "job"
    __table_args__ = (
        sa.CheckConstraint("progress >= 0 AND progress <= 100", name="progress_range"),
        sa.Index("ix_job_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(64), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus), default=JobStatus.QUEUED)
    progress: Mapped[int] = mapped_column(default=0, server_default="0")
    message: Mapped[str | None] = mapped_column(sa.String(500))
    params: Mapped[dict | None] = mapped_column(sa.JSON)
    result: Mapped[dict | None] = mapped_column(sa.JSON)
    error: Mapped[str | None] = mapped_column(sa.Text)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    object_type: Mapped[str | None] = mapped_column(sa.String(64))
    object_id: Mapped[int | None] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"),
                                                      index=True)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    started_dt: Mapped[datetime | None] = mapped_column()
    finished_dt: Mapped[datetime | None] = mapped_column()

    created_by = relationship("User")

    def can_view(self, user) -> bool:
        return user.is_authenticated and (user.id == self.created_by_id or user.manages_whole_instansi)

    def can_retry(self, user) -> bool:
        return self.can_view(user) and self.status is JobStatus.FAILED
