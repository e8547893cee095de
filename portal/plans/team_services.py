"""Tim kerja: teams (possibly across units), their members, shared goals and goal progress.

Services check, change, audit, notify and flush; the caller commits.

Who may create a team: BKPSDM and the superadmin (any unit), an admin OPD (for the units of
their scope), and a structural official (JPT, administrator, pengawas) for a team they lead
themselves in their own unit. Structural officials are the pejabat penilai who cascade work
and set up cross-cutting teams; a pelaksana or fungsional who is to lead a team gets it from
their admin or superior, which keeps the list of teams to those someone is accountable for.
"""
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from portal.core import audit
from portal.extensions import db
from portal.notifications import services as notifications
from portal.plans import rules
from portal.plans.models import (
    Aspect,
    Direction,
    Measure,
    PerformancePeriod,
    PerformancePlan,
    PeriodStatus,
    PlanStatus,
    Realisation,
    RealisationStatus,
    ResultPlan,
    Subperiod,
    Team,
    TeamGoal,
    TeamMember,
)

TEAM_FIELDS = ["name", "description", "leader_id", "org_unit_id"]
GOAL_FIELDS = ["text", "indicator", "target_value", "target_unit"]
TARGET_MAX = Decimal("999999999999")  # Numeric(14, 2)
# Plans whose realisasi count toward a team goal: the approved one, and the earlier versions
# (superseded by a revision, or closed by a transfer) that keep the realisasi written on them.
COUNTED_PLANS = (PlanStatus.APPROVED, PlanStatus.SUPERSEDED, PlanStatus.CLOSED)
COUNTED_REALISATIONS = (RealisationStatus.SUBMITTED, RealisationStatus.VERIFIED)

MEMBER_ADDED = notifications.register_kind(
    "teams.member_added", title=_l("Anda ditambahkan ke tim kerja %(team)s"), email=True,
    template="plans/team/email_member_added.txt")


class TeamError(ValueError):
    """A change that breaks a rule; ``field`` names the form field it concerns."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


# ---------------------------------------------------------------- who may do what
def is_structural(employee) -> bool:
    return employee is not None and employee.position is not None and employee.position.kind.is_structural


def can_create_team(user) -> bool:
    if not user.is_authenticated:
        return False
    return bool(user.manages_whole_instansi or user.admin_units or is_structural(user.employee))


def may_place(user, leader, org_unit) -> bool:
    """May ``user`` make ``leader`` the leader of a team owned by ``org_unit``?

    Admins of the unit (and BKPSDM) may pick anyone; a structural official only themselves,
    in their own unit.
    """
    if not user.is_authenticated or org_unit is None or leader is None:
        return False
    if user.manages_unit(org_unit):
        return True
    me = user.employee
    return is_structural(me) and leader.id == me.id and org_unit.id == me.org_unit_id


# ---------------------------------------------------------------- periods
def current_period(today=None) -> PerformancePeriod | None:
    """The period containing ``today``, else the latest one."""
    from datetime import date
    today = today or date.today()
    period = db.session.scalar(sa.select(PerformancePeriod).where(
        PerformancePeriod.start_date <= today, PerformancePeriod.end_date >= today))
    return period or db.session.scalar(sa.select(PerformancePeriod).order_by(PerformancePeriod.year.desc()).limit(1))


# ---------------------------------------------------------------- teams
def _name(text) -> str:
    return " ".join((text or "").split())


def _check_team(period, name, leader, org_unit, team=None):
    if period is None:
        raise TeamError(_("Pilih periode kinerja."), "period")
    if period.status is PeriodStatus.CLOSED:
        raise TeamError(_("Periode %(year)s sudah ditutup.", year=period.year), "period")
    if not name:
        raise TeamError(_("Nama tim wajib diisi."), "name")
    if len(name) > 200:
        raise TeamError(_("Nama tim paling banyak 200 karakter."), "name")
    if leader is None:
        raise TeamError(_("Ketua tim wajib dipilih."), "leader_nip")
    if not leader.is_active:
        raise TeamError(_("%(name)s tidak aktif.", name=leader.display_name), "leader_nip")
    if org_unit is None:
        raise TeamError(_("Unit pemilik tim wajib dipilih."), "org_unit")
    clash = sa.select(Team.id).where(Team.period_id == period.id, sa.func.lower(Team.name) == name.lower())
    if team is not None:
        clash = clash.where(Team.id != team.id)
    if db.session.scalar(clash) is not None:
        raise TeamError(_("Sudah ada tim bernama %(name)s pada tahun %(year)s.", name=name, year=period.year),
                        "name")
    if team is not None and any(m.employee_id == leader.id for m in team.members):
        raise TeamError(_("%(name)s sudah menjadi anggota tim; keluarkan dulu dari keanggotaan "
                          "sebelum dijadikan ketua.", name=leader.display_name), "leader_nip")


def create_team(period, *, name, description, leader, org_unit) -> Team:
    """A new active team of ``period``. Raises TeamError for bad input (duplicate name…)."""
    name = _name(name)
    _check_team(period, name, leader, org_unit)
    team = Team(period=period, name=name, description=(description or "").strip(), leader=leader,
                org_unit=org_unit, is_active=True)
    db.session.add(team)
    db.session.flush()
    audit.record("create", team, to_state="active", summary=f"{name} ({period.year})")
    return team


def update_team(team: Team, *, name, description, leader, org_unit) -> dict:
    """Change a team's name, description, leader or owning unit; returns the changes."""
    name = _name(name)
    _check_team(team.period, name, leader, org_unit, team=team)
    before = audit.snapshot(team, TEAM_FIELDS)
    team.name, team.description, team.leader, team.org_unit = name, (description or "").strip(), leader, org_unit
    db.session.flush()
    changes = audit.diff(team, TEAM_FIELDS, before)
    if changes:
        audit.record("update", team, changes=changes)
    return changes


def set_team_active(team: Team, active: bool):
    """Deactivate (or reactivate) a team: an inactive team is kept, read-only."""
    if team.is_active == active:
        raise TeamError(_("Tim ini sudah aktif.") if active else _("Tim ini sudah nonaktif."))
    team.is_active = active
    db.session.flush()
    audit.record("update", team, from_state="inactive" if active else "active",
                 to_state="active" if active else "inactive", changes={"is_active": [not active, active]})


def _editable(team):
    if not team.is_active:
        raise TeamError(_("Tim ini nonaktif; aktifkan kembali untuk mengubahnya."))
    if team.period.status is PeriodStatus.CLOSED:
        raise TeamError(_("Periode %(year)s sudah ditutup.", year=team.period.year))


# ---------------------------------------------------------------- members
def add_member(team: Team, employee, role="") -> TeamMember:
    """Add ``employee`` (from any unit) to the team and tell them. Raises TeamError."""
    _editable(team)
    role = _name(role)
    if len(role) > 100:
        raise TeamError(_("Peran paling banyak 100 karakter."), "role")
    if not employee.is_active:
        raise TeamError(_("%(name)s tidak aktif.", name=employee.display_name), "query")
    if employee.id == team.leader_id:
        raise TeamError(_("%(name)s adalah ketua tim ini.", name=employee.display_name), "query")
    if any(m.employee_id == employee.id for m in team.members):
        raise TeamError(_("%(name)s sudah menjadi anggota tim ini.", name=employee.display_name), "query")
    member = TeamMember(team=team, employee=employee, role=role)
    db.session.add(member)
    db.session.flush()
    audit.record("add_member", team, changes={"employee_id": [None, employee.id]},
                 summary=f"{employee.display_name} ({employee.nip})")
    if employee.user is not None:
        notifications.notify(
            employee.user, "teams.member_added", title_args={"team": team.name}, obj=team,
            url=notifications.path_for("teams.show_team", team_id=team.id),
            body=_l("Ketua tim: %(leader)s. Tahun %(year)s.", leader=team.leader.display_name,
                    year=team.period.year))
    return member


def remove_member(team: Team, employee):
    """Take ``employee`` out of the team (their RHK links to its goals stay). Raises TeamError."""
    _editable(team)
    if employee.id == team.leader_id:
        raise TeamError(_("%(name)s adalah ketua tim; ganti ketua melalui Ubah tim.", name=employee.display_name))
    member = next((m for m in team.members if m.employee_id == employee.id), None)
    if member is None:
        raise TeamError(_("%(name)s bukan anggota tim ini.", name=employee.display_name))
    team.members.remove(member)
    db.session.flush()
    audit.record("remove_member", team, changes={"employee_id": [employee.id, None]},
                 summary=f"{employee.display_name} ({employee.nip})")


# ---------------------------------------------------------------- goals
def _check_goal(text, indicator, target_value, target_unit):
    if not text:
        raise TeamError(_("Sasaran wajib diisi."), "text")
    if len(text) > 1000:
        raise TeamError(_("Sasaran paling banyak 1000 karakter."), "text")
    if len(indicator) > 500:
        raise TeamError(_("Indikator paling banyak 500 karakter."), "indicator")
    if not indicator:
        raise TeamError(_("Indikator wajib diisi."), "indicator")
    if target_value is not None:
        if not target_value.is_finite() or target_value <= 0:
            raise TeamError(_("Target harus lebih besar dari nol."), "target_value")
        if target_value > TARGET_MAX:
            raise TeamError(_("Target terlalu besar."), "target_value")
        if not target_unit:
            raise TeamError(_("Satuan target wajib diisi bila target berupa angka."), "target_unit")
    if target_unit and len(target_unit) > 40:
        raise TeamError(_("Satuan paling banyak 40 karakter."), "target_unit")


def _goal_values(text, indicator, target_value, target_unit):
    text, indicator, target_unit = (text or "").strip(), (indicator or "").strip(), _name(target_unit)
    if target_value is not None:
        target_value = Decimal(target_value)
        if target_value.is_finite() and abs(target_value) <= TARGET_MAX:
            # rounded to the column's two decimals first, so that 0.001 counts as zero
            target_value = target_value.quantize(Decimal("0.01"))
    _check_goal(text, indicator, target_value, target_unit)
    return text, indicator, target_value, (target_unit or None)


def add_goal(team: Team, *, text, indicator, target_value, target_unit) -> TeamGoal:
    """A shared goal (RHK tim) with its indicator and target. Raises TeamError."""
    _editable(team)
    text, indicator, target_value, target_unit = _goal_values(text, indicator, target_value, target_unit)
    position = db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(TeamGoal.position), -1))
                                 .where(TeamGoal.team_id == team.id)) + 1
    goal = TeamGoal(team=team, text=text, indicator=indicator, target_value=target_value,
                    target_unit=target_unit, position=position)
    db.session.add(goal)
    db.session.flush()
    audit.record("create", goal, summary=f"{team.name}: {text[:200]}")
    return goal


def update_goal(goal: TeamGoal, *, text, indicator, target_value, target_unit) -> dict:
    _editable(goal.team)
    text, indicator, target_value, target_unit = _goal_values(text, indicator, target_value, target_unit)
    before = audit.snapshot(goal, GOAL_FIELDS)
    goal.text, goal.indicator, goal.target_value, goal.target_unit = text, indicator, target_value, target_unit
    db.session.flush()
    changes = audit.diff(goal, GOAL_FIELDS, before)
    if changes:
        audit.record("update", goal, changes=changes)
    return changes


def linked_result_count(goal: TeamGoal) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(ResultPlan)
                             .where(ResultPlan.team_goal_id == goal.id))


def delete_goal(goal: TeamGoal):
    """Delete a goal no member's RHK intervenes yet. Raises TeamError otherwise."""
    _editable(goal.team)
    linked = linked_result_count(goal)
    if linked:
        raise TeamError(_("Sasaran ini sudah diintervensi oleh %(n)d RHK anggota; ubah RHK tersebut "
                          "lebih dulu atau ubah sasarannya.", n=linked))
    audit.record("delete", goal, summary=f"{goal.team.name}: {goal.text[:200]}")
    db.session.delete(goal)
    db.session.flush()


# ---------------------------------------------------------------- progress
@dataclass
class Contribution:
    """One member RHK that intervenes a goal, with the figure of its chosen IKI."""

    result: ResultPlan
    indicator: object = None  # the numeric IKI counted (Kuantitas preferred), or None
    total: Decimal | None = None  # year to date, submitted + verified
    verified: Decimal | None = None
    comparable: bool = True  # same unit as the goal's target: counted in the goal's total

    @property
    def plan(self):
        return self.result.plan

    @property
    def employee(self):
        return self.result.plan.employee


@dataclass
class GoalProgress:
    goal: TeamGoal
    contributions: list = field(default_factory=list)
    total: Decimal = Decimal(0)
    verified: Decimal = Decimal(0)

    @property
    def has_target(self) -> bool:
        return self.goal.target_value is not None

    @property
    def percent(self):
        return rules.capaian(self.total, self.goal.target_value, Direction.HIGHER) if self.has_target else None

    @property
    def percent_verified(self):
        return rules.capaian(self.verified, self.goal.target_value, Direction.HIGHER) if self.has_target else None

    @property
    def bar_value(self):
        """The progress bar's value: the capaian capped at 100 %."""
        return min(self.percent or Decimal(0), Decimal(100))

    @property
    def bar_verified(self):
        return min(self.percent_verified or Decimal(0), Decimal(100))


def _counted_indicator(result):
    numeric = [i for i in result.indicators if i.measure is Measure.NUMERIC and i.target_value is not None]
    return next((i for i in numeric if i.aspect is Aspect.QUANTITY), numeric[0] if numeric else None)


def _same_unit(a, b) -> bool:
    return " ".join((a or "").split()).lower() == " ".join((b or "").split()).lower()


def team_progress(team: Team) -> list[GoalProgress]:
    """Each goal's progress from the members' realisasi, in four queries whatever the team's size.

    A goal's figure is the sum over the RHK that intervene it (in approved plans of the team's
    year, and earlier versions that hold realisasi) of the year-to-date realisasi of each RHK's
    numeric IKI (Kuantitas preferred), aggregated as the IKI says (sum, average, latest), from
    submitted and verified realisasi; verified realisasi are also shown on their own. An IKI
    whose unit differs from the goal's is listed but not added to the goal's total.
    """
    goals = list(db.session.scalars(sa.select(TeamGoal).where(TeamGoal.team_id == team.id)
                                    .order_by(TeamGoal.position, TeamGoal.id)))
    if not goals:
        return []
    from portal.people.models import Employee
    results = db.session.scalars(
        sa.select(ResultPlan).join(PerformancePlan, ResultPlan.plan_id == PerformancePlan.id)
        .join(Employee, PerformancePlan.employee_id == Employee.id)
        .where(ResultPlan.team_goal_id.in_([g.id for g in goals]),
               PerformancePlan.period_id == team.period_id, PerformancePlan.status.in_(COUNTED_PLANS))
        .options(contains_eager(ResultPlan.plan).contains_eager(PerformancePlan.employee),
                 selectinload(ResultPlan.indicators))
        .order_by(Employee.name, PerformancePlan.version, ResultPlan.position, ResultPlan.id)).unique().all()
    progress = {g.id: GoalProgress(g) for g in goals}
    contributions = []
    for result in results:
        c = Contribution(result, _counted_indicator(result))
        progress[result.team_goal_id].contributions.append(c)
        contributions.append(c)
    counted = [c.indicator.id for c in contributions if c.indicator is not None]
    values = {}  # indicator id → [(value, verified?)] in sub-period order
    if counted:
        rows = db.session.execute(
            sa.select(Realisation.indicator_id, Realisation.value, Realisation.status)
            .join(Subperiod, Realisation.subperiod_id == Subperiod.id)
            .where(Realisation.indicator_id.in_(counted), Realisation.status.in_(COUNTED_REALISATIONS))
            .order_by(Realisation.indicator_id, Subperiod.number))
        for row in rows:
            values.setdefault(row.indicator_id, []).append((row.value, row.status is RealisationStatus.VERIFIED))
    for goal_progress in progress.values():
        for c in goal_progress.contributions:
            if c.indicator is None:
                continue
            rows = values.get(c.indicator.id, [])
            c.total = rules.aggregate([v for v, _verified in rows], c.indicator.aggregation)
            c.verified = rules.aggregate([v for v, verified in rows if verified], c.indicator.aggregation)
            goal = goal_progress.goal
            c.comparable = not goal.target_unit or _same_unit(c.indicator.target_unit, goal.target_unit)
            if c.comparable:
                goal_progress.total += c.total or 0
                goal_progress.verified += c.verified or 0
    return [progress[g.id] for g in goals]


# ---------------------------------------------------------------- queries
def team_query(user, period, *, q=None):
    """Teams of ``period`` the user leads or belongs to, plus every team in their scope
    (all of them for BKPSDM, pimpinan and the superadmin; the owning units' subtree for an
    admin OPD). No eager loads: callers add what they show."""
    stmt = sa.select(Team).where(Team.period_id == period.id)
    if not user.sees_whole_instansi:
        conditions = []
        me = user.employee
        if me is not None:
            conditions += [Team.leader_id == me.id,
                           Team.id.in_(sa.select(TeamMember.team_id).where(TeamMember.employee_id == me.id))]
        conditions += [Team.org_unit_id.in_(scope.subtree_ids_query()) for scope in user.admin_units]
        stmt = stmt.where(sa.or_(*conditions) if conditions else sa.false())
    if q:
        stmt = stmt.where(sa.func.lower(Team.name).like(f"%{' '.join(q.split()).lower()}%"))
    return stmt.order_by(Team.is_active.desc(), Team.name, Team.id)


def with_list_details(stmt):
    from portal.people.models import Employee
    return stmt.options(joinedload(Team.leader).joinedload(Employee.position), joinedload(Team.org_unit),
                        selectinload(Team.members))


def find_employees(text, *, limit=8):
    """Active employees by NIP (exact, spaces and dots ignored) or by a part of the name."""
    from portal.people import rules as people_rules
    from portal.people.models import Employee
    text = " ".join((text or "").split())
    if not text:
        return []
    digits = people_rules.normalise_nip(text)
    stmt = sa.select(Employee).where(Employee.is_active)
    if digits.isdigit():
        stmt = stmt.where(Employee.nip == digits)
    else:
        stmt = stmt.where(sa.func.lower(Employee.name).like(f"%{text.lower()}%"))
    stmt = stmt.options(joinedload(Employee.position), joinedload(Employee.org_unit))
    return list(db.session.scalars(stmt.order_by(Employee.name, Employee.id).limit(limit)))


def goal_choices(employee, period) -> list[TeamGoal]:
    """The goals of active teams of ``period`` that ``employee`` leads or belongs to: what an
    RHK of their SKP may intervene (for the plan form)."""
    member_of = sa.select(TeamMember.team_id).where(TeamMember.employee_id == employee.id)
    return list(db.session.scalars(
        sa.select(TeamGoal).join(Team, TeamGoal.team_id == Team.id)
        .where(Team.period_id == period.id, Team.is_active,
               sa.or_(Team.leader_id == employee.id, Team.id.in_(member_of)))
        .options(contains_eager(TeamGoal.team))
        .order_by(Team.name, TeamGoal.position, TeamGoal.id)))
