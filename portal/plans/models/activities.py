"""Laporan harian: quick daily entries linked to an RHK, with the supervisor's comments."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.models import utcnow
from portal.extensions import db


class ActivityEntry(db.Model):
    __tablename__ = "activity_entry"
    __table_args__ = (sa.Index("ix_activity_entry_employee_date", "employee_id", "entry_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    entry_date: Mapped[date] = mapped_column()
    result_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("result_plan.id", ondelete="SET NULL"), index=True)
    description: Mapped[str] = mapped_column(sa.String(2000))
    output: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")  # "3 berkas"
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    employee = relationship("Employee")
    result = relationship("ResultPlan")
    comments = relationship("ActivityComment", back_populates="entry", cascade="all, delete-orphan",
                            order_by="ActivityComment.created_dt, ActivityComment.id")

    def is_owner(self, user) -> bool:
        return user.is_authenticated and user.employee is not None and user.employee.id == self.employee_id

    def can_view(self, user) -> bool:
        if not user.is_authenticated:
            return False
        if self.is_owner(user) or user.sees_whole_instansi or user.manages_unit(self.employee.org_unit):
            return True
        return user.employee is not None and self.employee.is_supervised_by(user.employee)

    def can_edit(self, user) -> bool:
        return self.is_owner(user)

    def can_comment(self, user) -> bool:
        return self.is_owner(user) or (
            user.is_authenticated and user.employee is not None
            and self.employee.is_supervised_by(user.employee))


class ActivityComment(db.Model):
    __tablename__ = "activity_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("activity_entry.id", ondelete="CASCADE"),
                                          index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    entry = relationship(ActivityEntry, back_populates="comments")
    author = relationship("User")
