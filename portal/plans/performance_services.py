"""The employee's performance home and the supervisor's inbox: what to read, and the inbox's
own actions (verify a whole month, remind a subordinate).

Every reader here runs a fixed number of queries, whatever the number of subordinates, plans,
IKIs or realisasi. Approving and returning plans and realisasi are the plan and realisation
services' (``plan_services``, ``realisation_services``); this module never commits.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.models import User
from portal.extensions import db
from portal.notifications import services as notifications
from portal.notifications.models import Notification
from portal.people.models import Employee
from portal.plans import plan_services, progress, realisation_services
from portal.plans.models import (
    Feedback,
    Indicator,
    PerformancePeriod,
    PerformancePlan,
    PlanComment,
    PlanStatus,
    Realisation,
    RealisationStatus,
    ResultPlan,
    Subperiod,
)

REMINDER = notifications.register_kind(
    "performance.reminder", title=_l("Pengingat: realisasi %(month)s belum diajukan"), email=True,
    template="plans/performance/email/performance.reminder.txt")

# How many messages the home page shows.
LATEST_MESSAGES = 6
DONE = (RealisationStatus.SUBMITTED, RealisationStatus.VERIFIED)


class PerformanceError(ValueError):
    """An inbox action that cannot be done (nothing to verify, a reminder already sent…)."""


def _today(today=None) -> date:
    return today or date.today()


def local_day_start_utc() -> datetime:
    """The start of today in the instansi's time zone, as naive UTC (as ``created_dt`` is stored):
    "once a day" follows the local calendar day, not UTC's."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    local_midnight = datetime.now(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    return local_midnight.astimezone(timezone.utc).replace(tzinfo=None)


def subperiod_on(period: PerformancePeriod | None, day: date) -> Subperiod | None:
    """The sub-period of ``period`` that contains ``day`` (None outside the period)."""
    if period is None:
        return None
    return next((sp for sp in period.subperiods if sp.start_date <= day <= sp.end_date), None)


def period_of_year(year: int) -> PerformancePeriod | None:
    return db.session.scalar(sa.select(PerformancePeriod).where(PerformancePeriod.year == year))


# ---------------------------------------------------------------- the employee's home
@dataclass
class MonthStatus:
    """Where the pegawai stands with the sub-period's realisasi, per IKI of the approved plan."""
    subperiod: Subperiod
    indicators: int = 0
    counts: dict = field(default_factory=dict)  # RealisationStatus → how many IKIs

    @property
    def missing(self) -> int:
        return self.indicators - sum(self.counts.values())

    @property
    def draft(self) -> int:
        return self.counts.get(RealisationStatus.DRAFT, 0)

    @property
    def submitted(self) -> int:
        return self.counts.get(RealisationStatus.SUBMITTED, 0)

    @property
    def verified(self) -> int:
        return self.counts.get(RealisationStatus.VERIFIED, 0)

    @property
    def returned(self) -> int:
        return self.counts.get(RealisationStatus.RETURNED, 0)

    @property
    def is_complete(self) -> bool:
        return self.indicators > 0 and self.submitted + self.verified == self.indicators


@dataclass
class Message:
    """A line of umpan balik (on a realisasi) or of the dialog kinerja (on the plan)."""
    author: object
    body: str
    created_dt: datetime
    about: str
    endpoint: str
    args: dict


@dataclass
class Home:
    employee: Employee | None
    period: PerformancePeriod | None = None
    plan: PerformancePlan | None = None          # the plan being written, else the approved one
    approved: PerformancePlan | None = None      # what realisasi is reported against
    subperiod: Subperiod | None = None
    month: MonthStatus | None = None
    progress: list = field(default_factory=list)
    chart: str = ""
    messages: list = field(default_factory=list)
    today: date = field(default_factory=date.today)

    @property
    def supervisor(self):
        return self.employee.supervisor if self.employee is not None else None

    @property
    def period_is_open(self) -> bool:
        return self.period is not None and self.period.is_open

    @property
    def deadline_passed(self) -> bool:
        return (self.period is not None and self.approved is None
                and self.today > self.period.plan_deadline)

    @property
    def days_to_deadline(self) -> int | None:
        if self.period is None:
            return None
        return (self.period.plan_deadline - self.today).days


def _month_status(plan: PerformancePlan, subperiod: Subperiod) -> MonthStatus:
    indicators = db.session.scalar(
        sa.select(sa.func.count(Indicator.id)).join(ResultPlan, Indicator.result_id == ResultPlan.id)
        .where(ResultPlan.plan_id == plan.id)) or 0
    rows = db.session.execute(
        sa.select(Realisation.status, sa.func.count(Realisation.id))
        .where(Realisation.plan_id == plan.id, Realisation.subperiod_id == subperiod.id)
        .group_by(Realisation.status)).all()
    return MonthStatus(subperiod, indicators, {status: n for status, n in rows})


def latest_messages(employee: Employee, user, *, limit=LATEST_MESSAGES) -> list[Message]:
    """Umpan balik on the employee's realisasi and dialog messages on their plans written by
    others, newest first (two queries)."""
    feedback = db.session.scalars(
        sa.select(Feedback).join(Realisation, Feedback.realisation_id == Realisation.id)
        .join(PerformancePlan, Realisation.plan_id == PerformancePlan.id)
        .where(PerformancePlan.employee_id == employee.id,
               sa.or_(Feedback.author_id.is_(None), Feedback.author_id != user.id))
        .options(joinedload(Feedback.author).lazyload(User.roles),
                 joinedload(Feedback.realisation).joinedload(Realisation.indicator),
                 joinedload(Feedback.realisation).joinedload(Realisation.subperiod)
                 .joinedload(Subperiod.period))
        .order_by(Feedback.created_dt.desc(), Feedback.id.desc()).limit(limit)).unique().all()
    comments = db.session.scalars(
        sa.select(PlanComment).join(PerformancePlan, PlanComment.plan_id == PerformancePlan.id)
        .where(PerformancePlan.employee_id == employee.id,
               sa.or_(PlanComment.author_id.is_(None), PlanComment.author_id != user.id))
        .options(joinedload(PlanComment.author).lazyload(User.roles),
                 joinedload(PlanComment.plan).joinedload(PerformancePlan.period))
        .order_by(PlanComment.created_dt.desc(), PlanComment.id.desc()).limit(limit)).unique().all()
    messages = [Message(f.author, f.body, f.created_dt,
                        f"{f.realisation.indicator.text} · {f.realisation.subperiod.label}",
                        "realisations.show_realisation", {"realisation_id": f.realisation_id})
                for f in feedback]
    messages += [Message(c.author, c.body, c.created_dt,
                         _("Dialog kinerja SKP %(year)s", year=c.plan.period.year),
                         "plans.show_plan", {"plan_id": c.plan_id}) for c in comments]
    messages.sort(key=lambda m: m.created_dt, reverse=True)
    return messages[:limit]


def home(user, *, today=None) -> Home:
    """What the pegawai's performance home shows for this year (a fixed number of queries)."""
    today = _today(today)
    employee = user.employee
    result = Home(employee=employee, today=today)
    if employee is None:
        return result
    result.period = plan_services.current_period() or period_of_year(today.year)
    if result.period is not None:
        result.plan = plan_services.plan_for(employee, result.period)
        result.approved = (result.plan if result.plan is not None and result.plan.status is PlanStatus.APPROVED
                           else plan_services.approved_plan(employee, result.period))
        result.subperiod = subperiod_on(result.period, today)
    if result.approved is not None:
        if result.subperiod is not None:
            result.month = _month_status(result.approved, result.subperiod)
        result.progress = progress.plan_progress(result.approved, today=today)
        result.chart = progress.capaian_chart_svg(result.progress)
    result.messages = latest_messages(employee, user)
    return result


# ---------------------------------------------------------------- the supervisor's inbox
# Subordinate-months of waiting realisasi shown per inbox page.
GROUPS_PER_PAGE = 10

@dataclass
class MonthGroup:
    """Submitted realisasi of one subordinate's plan in one sub-period."""
    plan: PerformancePlan
    subperiod: Subperiod
    realisations: list = field(default_factory=list)

    @property
    def employee(self):
        return self.plan.employee

    @property
    def key(self) -> str:
        return f"{self.plan.id}-{self.subperiod.id}"


@dataclass
class Straggler:
    """A subordinate with an approved plan who has submitted nothing for the sub-period."""
    plan: PerformancePlan
    reminded_today: bool = False

    @property
    def employee(self):
        return self.plan.employee


@dataclass
class Inbox:
    me: Employee | None
    subordinates: int = 0
    plans: list = field(default_factory=list)        # SUBMITTED plans, oldest first
    groups: list = field(default_factory=list)       # MonthGroup, by name then month
    period: PerformancePeriod | None = None
    subperiod: Subperiod | None = None
    stragglers: list = field(default_factory=list)   # Straggler, by name
    group_total: int = 0        # subordinate-months waiting, all pages
    realisation_total: int = 0  # realisasi waiting, all pages
    page: int = 1

    @property
    def realisation_count(self) -> int:
        return self.realisation_total

    @property
    def pages(self) -> int:
        return max(1, -(-self.group_total // GROUPS_PER_PAGE))

    @property
    def is_empty(self) -> bool:
        return not (self.plans or self.groups or self.stragglers)


def waiting_plans(me: Employee) -> list[PerformancePlan]:
    """Plans submitted to ``me`` for approval, oldest submission first."""
    return db.session.scalars(
        sa.select(PerformancePlan)
        .where(PerformancePlan.appraiser_id == me.id, PerformancePlan.status == PlanStatus.SUBMITTED)
        .options(joinedload(PerformancePlan.employee).joinedload(Employee.position),
                 joinedload(PerformancePlan.period),
                 selectinload(PerformancePlan.results).selectinload(ResultPlan.indicators))
        .order_by(PerformancePlan.submitted_dt, PerformancePlan.id)).all()


def _waiting_filter(me: Employee):
    return sa.and_(PerformancePlan.appraiser_id == me.id, Realisation.status == RealisationStatus.SUBMITTED)


def waiting_keys(me: Employee, *, page=1, per_page=GROUPS_PER_PAGE):
    """(total groups, total realisasi, [(plan_id, subperiod_id)] of the page's groups), in two
    queries: the inbox shows a page of subordinate-months however much is waiting."""
    keyed = (sa.select(Realisation.plan_id, Realisation.subperiod_id, sa.func.count().label("n"))
             .join(PerformancePlan, Realisation.plan_id == PerformancePlan.id)
             .where(_waiting_filter(me)).group_by(Realisation.plan_id, Realisation.subperiod_id)
             .subquery())
    totals = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(keyed.c.n), 0))).one()
    keys = db.session.execute(
        sa.select(Realisation.plan_id, Realisation.subperiod_id)
        .join(PerformancePlan, Realisation.plan_id == PerformancePlan.id)
        .join(Employee, PerformancePlan.employee_id == Employee.id)
        .join(Subperiod, Realisation.subperiod_id == Subperiod.id)
        .where(_waiting_filter(me))
        .group_by(Realisation.plan_id, Realisation.subperiod_id, Employee.name, Employee.id,
                  Subperiod.start_date)
        .order_by(Employee.name, Employee.id, Subperiod.start_date)
        .limit(per_page).offset((max(page, 1) - 1) * per_page)).all()
    return totals[0], int(totals[1]), [tuple(k) for k in keys]


def waiting_groups(me: Employee, *, plan: PerformancePlan | None = None,
                   subperiod: Subperiod | None = None, keys=None) -> list[MonthGroup]:
    """Submitted realisasi on plans ``me`` appraises, grouped by plan (subordinate) and month;
    only the groups in ``keys`` ([(plan_id, subperiod_id)]) when given."""
    stmt = (sa.select(Realisation)
            .join(PerformancePlan, Realisation.plan_id == PerformancePlan.id)
            .join(Employee, PerformancePlan.employee_id == Employee.id)
            .join(Subperiod, Realisation.subperiod_id == Subperiod.id)
            .where(PerformancePlan.appraiser_id == me.id, Realisation.status == RealisationStatus.SUBMITTED)
            .options(joinedload(Realisation.plan).joinedload(PerformancePlan.employee),
                     joinedload(Realisation.plan).joinedload(PerformancePlan.period),
                     joinedload(Realisation.subperiod).joinedload(Subperiod.period),
                     joinedload(Realisation.indicator).joinedload(Indicator.result),
                     selectinload(Realisation.evidence))
            .order_by(Employee.name, Employee.id, Subperiod.start_date, Realisation.id))
    if plan is not None:
        stmt = stmt.where(Realisation.plan_id == plan.id)
    if subperiod is not None:
        stmt = stmt.where(Realisation.subperiod_id == subperiod.id)
    if keys is not None:
        if not keys:
            return []
        # By plan only (the (plan_id, status) index); the page's months are picked below. A
        # sub-period filter here made the database walk the whole month's realisasi instead.
        stmt = stmt.where(Realisation.plan_id.in_({k[0] for k in keys}))
    groups: dict[tuple, MonthGroup] = {}
    for realisation in db.session.scalars(stmt).unique():
        key = (realisation.plan_id, realisation.subperiod_id)
        if keys is not None and key not in keys:
            continue
        if key not in groups:
            groups[key] = MonthGroup(realisation.plan, realisation.subperiod)
        groups[key].realisations.append(realisation)
    return list(groups.values())


def stragglers(me: Employee, subperiod: Subperiod) -> list[Straggler]:
    """Direct subordinates with an approved plan in the sub-period's year and no realisasi
    submitted (or verified) for it, each with whether they were reminded today (two queries)."""
    # Correlated per plan (the (plan_id, status) index), not "NOT IN all of the month's realisasi".
    done = sa.exists().where(Realisation.plan_id == PerformancePlan.id,
                             Realisation.subperiod_id == subperiod.id, Realisation.status.in_(DONE))
    plans = db.session.scalars(
        sa.select(PerformancePlan).join(Employee, PerformancePlan.employee_id == Employee.id)
        .where(PerformancePlan.employee_id.in_(  # from the team (few) to their plans, not the reverse
                   sa.select(Employee.id).where(Employee.supervisor_id == me.id, Employee.is_active)),
               PerformancePlan.period_id == subperiod.period_id,
               PerformancePlan.status == PlanStatus.APPROVED, ~done)
        .options(joinedload(PerformancePlan.employee).joinedload(Employee.user),
                 joinedload(PerformancePlan.employee).joinedload(Employee.position))
        .order_by(Employee.name, Employee.id)).unique().all()
    user_ids = [p.employee.user.id for p in plans if p.employee.user is not None]
    reminded = set()
    if user_ids:
        reminded = set(db.session.scalars(
            sa.select(Notification.user_id).where(
                Notification.user_id.in_(user_ids), Notification.kind == REMINDER.name,
                Notification.created_dt >= local_day_start_utc())))
    return [Straggler(p, p.employee.user is not None and p.employee.user.id in reminded) for p in plans]


def inbox(user, *, today=None, page=1) -> Inbox:
    """The supervisor's inbox (a fixed number of queries, whatever the team's size)."""
    today = _today(today)
    me = user.employee
    result = Inbox(me=me)
    if me is None:
        return result
    result.subordinates = db.session.scalar(
        sa.select(sa.func.count(Employee.id)).where(Employee.supervisor_id == me.id, Employee.is_active)) or 0
    result.plans = waiting_plans(me)
    result.group_total, result.realisation_total, keys = waiting_keys(me, page=page)
    result.page = page
    result.groups = waiting_groups(me, keys=keys)
    result.period = plan_services.current_period()
    result.subperiod = subperiod_on(result.period, today)
    if result.subperiod is not None and result.subordinates:
        result.stragglers = stragglers(me, result.subperiod)
    return result


# ---------------------------------------------------------------- inbox actions
def verify_month(plan: PerformancePlan, subperiod: Subperiod, *, actor=None) -> list[Realisation]:
    """Verify every submitted realisasi of ``plan`` in ``subperiod`` (the appraiser's
    "verify all of this month"); returns them. Raises PerformanceError when none is waiting and
    RealisationError (from ``verify_realisation``) when one cannot be verified."""
    waiting = db.session.scalars(
        sa.select(Realisation).where(Realisation.plan_id == plan.id, Realisation.subperiod_id == subperiod.id,
                                     Realisation.status == RealisationStatus.SUBMITTED)
        .options(joinedload(Realisation.indicator), joinedload(Realisation.subperiod))
        .order_by(Realisation.id)).all()
    if not waiting:
        raise PerformanceError(_("Tidak ada realisasi %(month)s yang menunggu verifikasi.", month=subperiod.label))
    for realisation in waiting:
        realisation_services.verify_realisation(realisation, actor=actor)
    return waiting


def send_reminder(plan: PerformancePlan, subperiod: Subperiod) -> Notification:
    """Remind the owner of ``plan`` to submit the sub-period's realisasi (at most once a day).

    Raises PerformanceError when the plan is not approved, the sub-period does not accept
    realisasi, something was already submitted, the pegawai has no account, or a reminder
    went out today (the local calendar day) already.
    """
    if plan.status is not PlanStatus.APPROVED or subperiod.period_id != plan.period_id:
        raise PerformanceError(_("Pengingat hanya untuk SKP yang sudah disetujui pada periode ini."))
    if not subperiod.accepts_realisation:
        raise PerformanceError(_("Subperiode %(month)s sudah ditutup.", month=subperiod.label))
    submitted = db.session.scalar(
        sa.select(sa.func.count(Realisation.id)).where(
            Realisation.plan_id == plan.id, Realisation.subperiod_id == subperiod.id,
            Realisation.status.in_(DONE)))
    if submitted:
        raise PerformanceError(_("%(name)s sudah mengajukan realisasi %(month)s.",
                                 name=plan.employee.display_name, month=subperiod.label))
    account = plan.employee.user
    if account is None:
        raise PerformanceError(_("%(name)s belum memiliki akun Capaian.", name=plan.employee.display_name))
    already = db.session.scalar(
        sa.select(sa.func.count(Notification.id)).where(
            Notification.user_id == account.id, Notification.kind == REMINDER.name,
            Notification.created_dt >= local_day_start_utc()))
    if already:
        raise PerformanceError(_("Pengingat untuk %(name)s sudah dikirim hari ini.",
                                 name=plan.employee.display_name))
    appraiser = plan.appraiser.display_name if plan.appraiser is not None else ""
    return notifications.notify(
        account, REMINDER.name, title_args={"month": subperiod.label}, obj=plan,
        body=_l("%(name)s, pejabat penilai Anda, mengingatkan agar realisasi %(month)s segera diisi dan diajukan.",
                name=appraiser, month=subperiod.label),
        url=notifications.path_for("realisations.report", plan_id=plan.id, subperiod_id=subperiod.id))

