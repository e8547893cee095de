"""Tim kerja: a team (possibly across units) with shared RHK that members' RHK intervene."""
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.models import TimestampMixin
from portal.extensions import db


class Team(TimestampMixin, db.Model):
    __tablename__ = "team"
    __table_args__ = (sa.UniqueConstraint("period_id", "name", name="uq_team_period_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("performance_period.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    leader_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"), index=True)
    # The unit that owns the team (its admin may manage it); members may come from anywhere.
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    period = relationship("PerformancePeriod")
    leader = relationship("Employee")
    org_unit = relationship("OrgUnit")
    members = relationship("TeamMember", back_populates="team", cascade="all, delete-orphan")
    goals = relationship("TeamGoal", back_populates="team", cascade="all, delete-orphan",
                         order_by="TeamGoal.position, TeamGoal.id")

    def __str__(self):
        return self.name

    def is_member(self, user) -> bool:
        me = user.employee if user.is_authenticated else None
        return me is not None and (me.id == self.leader_id
                                   or any(m.employee_id == me.id for m in self.members))

    def can_view(self, user) -> bool:
        return user.is_authenticated

    def can_manage(self, user) -> bool:
        """The leader, the admin of the owning unit, BKPSDM."""
        if not user.is_authenticated:
            return False
        me = user.employee
        return (me is not None and me.id == self.leader_id) or user.manages_unit(self.org_unit)


class TeamMember(db.Model):
    __tablename__ = "team_member"
    __table_args__ = (sa.UniqueConstraint("team_id", "employee_id", name="uq_team_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"), index=True)
    role: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")

    team = relationship(Team, back_populates="members")
    employee = relationship("Employee")


class TeamGoal(db.Model):
    """A shared RHK of a team, with its indicator and target."""

    __tablename__ = "team_goal"
    __table_args__ = (
        sa.CheckConstraint("target_value IS NULL OR target_value > 0", name="target_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.String(1000))
    indicator: Mapped[str] = mapped_column(sa.String(500))
    target_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    target_unit: Mapped[str | None] = mapped_column(sa.String(40))
    position: Mapped[int] = mapped_column(default=0, server_default="0")

    team = relationship(Team, back_populates="goals")

    def __str__(self):
        return self.text
