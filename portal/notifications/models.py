"""In-app notifications and the e-mail outbox."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.models import TitledEnum, enum_column, utcnow
from portal.extensions import db


class Notification(db.Model):
    __tablename__ = "notification"
    __table_args__ = (sa.Index("ix_notification_user_unread", "user_id", "read_dt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(64))
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str | None] = mapped_column(sa.Text)
    url: Mapped[str | None] = mapped_column(sa.String(500))
    object_type: Mapped[str | None] = mapped_column(sa.String(64))
    object_id: Mapped[int | None] = mapped_column()
    created_dt: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_dt: Mapped[datetime | None] = mapped_column()

    user = relationship("User")

    def can_view(self, user) -> bool:
        return user.is_authenticated and user.id == self.user_id


class EmailStatus(TitledEnum):
    STORED = ("stored", _l("Disimpan (tidak dikirim)"))
    QUEUED = ("queued", _l("Antre"))
    SENT = ("sent", _l("Terkirim"))
    FAILED = ("failed", _l("Gagal"))


class OutgoingEmail(db.Model):
    """Every e-mail the portal writes; sent through SMTP when configured, only stored otherwise."""

    __tablename__ = "outgoing_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(sa.String(200))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[EmailStatus] = mapped_column(enum_column(EmailStatus))
    error: Mapped[str | None] = mapped_column(sa.String(1000))
    notification_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("notification.id", ondelete="SET NULL"), index=True)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_dt: Mapped[datetime | None] = mapped_column()
