"""SKP workflows: create, edit, submit, return, approve, revise, close on transfer, dialog kinerja.

Services check the state, change it, write an audit entry, queue notifications and flush; they
never commit (the view, CLI command or job does). Every edit takes the ``lock_version`` the form
was rendered with and raises ``StaleEdit`` when the plan changed in the meantime (another tab).
"""
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.core import audit
from portal.core.models import utcnow
from portal.extensions import db
from portal.notifications import services as notifications
from portal.plans import rules
from portal.plans.models import (
    WORKING,
    Aggregation,
    Aspect,
    BehaviourExpectation,
    CoreValue,
    Direction,
    Indicator,
    Measure,
    OrgTarget,
    PerformancePeriod,
    PerformancePlan,
    PeriodStatus,
    PlanApproach,
    PlanComment,
    PlanStatus,
    ResultKind,
    ResultPlan,
    Team,
    TeamGoal,
    TeamMember,
)

PLAN_SUBMITTED = notifications.register_kind(
    "plans.plan_submitted", title=_l("SKP %(year)s %(name)s menunggu persetujuan Anda"), email=True,
    template="plans/plan/email/plan_submitted.txt")
PLAN_RETURNED = notifications.register_kind(
    "plans.plan_returned", title=_l("SKP %(year)s Anda dikembalikan untuk diperbaiki"), email=True,
    template="plans/plan/email/plan_returned.txt")
PLAN_APPROVED = notifications.register_kind(
    "plans.plan_approved", title=_l("SKP %(year)s Anda disetujui"), email=True,
    template="plans/plan/email/plan_approved.txt")
PLAN_COMMENT = notifications.register_kind(
    "plans.plan_comment", title=_l("Pesan baru pada dialog kinerja SKP %(year)s"))

START_FROM = ("previous_year", "supervisor")
MAX_TARGET = Decimal("999999999999.99")  # Numeric(14, 2)


class PlanError(ValueError):
    """A change that breaks a rule; ``field`` names the form field it concerns (or None)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


class StaleEdit(PlanError):
    """The plan changed since the form was rendered (another tab or another person saved)."""

    def __init__(self, message=None, field=None):
        super().__init__(message or _(
            "SKP ini sudah diubah di jendela atau tab lain sejak formulir ini dibuka. "
            "Muat ulang halaman untuk melihat versi terbaru, lalu ulangi perubahan Anda."), field)


def _actor(actor=None):
    if actor is not None:
        return actor
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def _plan_url(plan):
    return notifications.path_for("plans.show_plan", plan_id=plan.id)


# ---------------------------------------------------------------- reading
def current_period() -> PerformancePeriod | None:
    """The open period whose dates contain today, else the latest open one, else None."""
    today = date.today()
    open_periods = db.session.scalars(sa.select(PerformancePeriod).where(
        PerformancePeriod.status == PeriodStatus.OPEN).order_by(PerformancePeriod.year.desc())).all()
    for period in open_periods:
        if period.start_date <= today <= period.end_date:
            return period
    return open_periods[0] if open_periods else None


def plan_for(employee, period) -> PerformancePlan | None:
    """The plan being written for ``employee`` in ``period`` if there is one, else the approved one."""
    if employee is None or period is None:
        return None
    plans = db.session.scalars(sa.select(PerformancePlan).where(
        PerformancePlan.employee_id == employee.id, PerformancePlan.period_id == period.id,
        PerformancePlan.status.in_([*WORKING, PlanStatus.APPROVED]))
        .order_by(PerformancePlan.version.desc())).all()
    working = [p for p in plans if p.status in WORKING]
    return (working or plans or [None])[0]


def approved_plan(employee, period) -> PerformancePlan | None:
    if employee is None or period is None:
        return None
    return db.session.scalar(sa.select(PerformancePlan).where(
        PerformancePlan.employee_id == employee.id, PerformancePlan.period_id == period.id,
        PerformancePlan.status == PlanStatus.APPROVED))


def supervisor_plan(plan_or_employee, period=None) -> PerformancePlan | None:
    """The supervisor's current approved plan in the period, or (if none) the one being written."""
    employee = getattr(plan_or_employee, "employee", plan_or_employee)
    period = period or plan_or_employee.period
    supervisor = employee.supervisor if employee is not None else None
    if supervisor is None:
        return None
    return approved_plan(supervisor, period) or plan_for(supervisor, period)


def versions_of(plan) -> list[PerformancePlan]:
    """Every plan of the same employee and year, newest version first."""
    return db.session.scalars(sa.select(PerformancePlan).where(
        PerformancePlan.employee_id == plan.employee_id, PerformancePlan.period_id == plan.period_id)
        .order_by(PerformancePlan.version.desc())).all()


def scope_filter(user):
    """A WHERE clause limiting plans to those ``user`` oversees as admin, BKPSDM or pimpinan (None: none)."""
    if user.sees_whole_instansi:
        return sa.true()
    units = user.admin_units
    if not units:
        return None
    from portal.people.models import OrgUnit
    return PerformancePlan.org_unit_id.in_(
        sa.select(OrgUnit.id).where(sa.or_(*[OrgUnit.path.like(f"{u.path}%") for u in units])))


# ---------------------------------------------------------------- what an RHK may intervene
def intervention_key(obj) -> str:
    """The form value of something an RHK may intervene: "r-12", "t-3" or "g-5"."""
    prefix = {ResultPlan: "r", OrgTarget: "t", TeamGoal: "g"}[type(obj)]
    return f"{prefix}-{obj.id}"


def intervention_of(result: ResultPlan | None):
    if result is None:
        return None
    return result.intervened_result or result.org_target or result.team_goal


def intervention_options(plan: PerformancePlan) -> list[tuple[str, list]]:
    """What this plan's RHK may intervene, grouped: [(group label, [(key, label, object)])]."""
    groups = []
    chief_plan = supervisor_plan(plan)
    if chief_plan is not None:
        results = db.session.scalars(sa.select(ResultPlan).where(ResultPlan.plan_id == chief_plan.id)
                                     .order_by(ResultPlan.kind.desc(), ResultPlan.position, ResultPlan.id)).all()
        if results:
            groups.append((_("RHK atasan: %(name)s", name=chief_plan.employee.display_name),
                           [(intervention_key(r), r.text, r) for r in results]))
    employee, unit = plan.employee, plan.org_unit
    if plan.position is not None and plan.position.is_head and unit is not None and unit.depth == 1:
        targets = db.session.scalars(sa.select(OrgTarget).where(
            OrgTarget.org_unit_id == unit.id, OrgTarget.period_id == plan.period_id)
            .order_by(OrgTarget.position, OrgTarget.id)).all()
        if targets:
            groups.append((_("Perjanjian Kinerja %(unit)s", unit=unit.name),
                           [(intervention_key(t), f"{t.goal} – {t.indicator} ({t.target})", t) for t in targets]))
    teams = db.session.scalars(
        sa.select(Team).where(Team.period_id == plan.period_id, Team.is_active, sa.or_(
            Team.leader_id == employee.id,
            Team.id.in_(sa.select(TeamMember.team_id).where(TeamMember.employee_id == employee.id))))
        .options(selectinload(Team.goals)).order_by(Team.name)).all()
    for team in teams:
        if team.goals:
            groups.append((_("Tim %(name)s", name=team.name), [(intervention_key(g), g.text, g) for g in team.goals]))
    return groups


def resolve_intervention(plan: PerformancePlan, key: str | None, current=None):
    """The object behind a form key ("r-12", "t-3", "g-5"), checked against what may be intervened.

    ``current`` (what the RHK intervenes now) stays allowed even if it left the options.
    Raises PlanError(field="intervention") for anything else.
    """
    if not key:
        return None
    if current is not None and intervention_key(current) == key:
        return current
    for _label, options in intervention_options(plan):
        for option_key, _text, obj in options:
            if option_key == key:
                return obj
    raise PlanError(_("Pilihan yang diintervensi tidak tersedia untuk SKP ini."), "intervention")


def _set_intervention(result: ResultPlan, target):
    # At most one link: the CHECK enforces it on SQLite/PostgreSQL, this on MariaDB too.
    result.intervened_result = target if isinstance(target, ResultPlan) else None
    result.org_target = target if isinstance(target, OrgTarget) else None
    result.team_goal = target if isinstance(target, TeamGoal) else None


# ---------------------------------------------------------------- creating
def _behaviour_rows(plan, source=None):
    existing = {e.value: e.expectation for e in (source.expectations if source is not None else [])}
    for value in CoreValue:
        plan.expectations.append(BehaviourExpectation(value=value, expectation=existing.get(value, "")))


def _copy_indicator(indicator: Indicator, *, revision=False) -> Indicator:
    return Indicator(aspect=indicator.aspect, text=indicator.text, measure=indicator.measure,
                     target_value=indicator.target_value, target_unit=indicator.target_unit,
                     direction=indicator.direction, aggregation=indicator.aggregation,
                     target_text=indicator.target_text,
                     revised_from_id=indicator.id if revision else None)


def _copy_results(source: PerformancePlan, target: PerformancePlan, *, keep_links: bool):
    """Copy RHK and IKI; ``keep_links`` (a revision) keeps the interventions and the lineage."""
    for r in source.results:
        copy = ResultPlan(kind=r.kind, position=r.position, text=r.text)
        if keep_links:
            copy.intervened_result_id, copy.org_target_id, copy.team_goal_id = (
                r.intervened_result_id, r.org_target_id, r.team_goal_id)
            copy.revised_from_id = r.id
        copy.indicators = [_copy_indicator(i, revision=keep_links) for i in r.indicators]
        target.results.append(copy)


def _carry_over_revision(plan: PerformancePlan) -> dict:
    """After a revision is approved: the year's realisasi move from the previous version's IKI to
    the IKI copied from them, and subordinates' RHK and daily entries that pointed at an RHK of
    the previous version point at its copy. What the revision removed stays with the old version.

    One UPDATE per IKI and two per RHK of the revision (a plan has a handful; a single correlated
    UPDATE of result_plan from itself is refused by MariaDB). Returns what moved, for the audit.
    """
    from portal.plans.models import ActivityEntry, Realisation
    indicator_pairs = db.session.execute(
        sa.select(Indicator.revised_from_id, Indicator.id).join(ResultPlan, Indicator.result_id == ResultPlan.id)
        .where(ResultPlan.plan_id == plan.id, Indicator.revised_from_id.is_not(None))).all()
    result_pairs = db.session.execute(
        sa.select(ResultPlan.revised_from_id, ResultPlan.id)
        .where(ResultPlan.plan_id == plan.id, ResultPlan.revised_from_id.is_not(None))).all()
    moved = {"realisations": 0, "interventions": 0, "activities": 0}
    for old_id, new_id in indicator_pairs:
        moved["realisations"] += db.session.execute(
            sa.update(Realisation).where(Realisation.indicator_id == old_id)
            .values(indicator_id=new_id, plan_id=plan.id, lock_version=Realisation.lock_version + 1)
            .execution_options(synchronize_session=False)).rowcount
    for old_id, new_id in result_pairs:
        moved["interventions"] += db.session.execute(
            sa.update(ResultPlan).where(ResultPlan.intervened_result_id == old_id)
            .values(intervened_result_id=new_id).execution_options(synchronize_session=False)).rowcount
        moved["activities"] += db.session.execute(
            sa.update(ActivityEntry).where(ActivityEntry.result_id == old_id)
            .values(result_id=new_id).execution_options(synchronize_session=False)).rowcount
    if any(moved.values()):
        db.session.expire_all()
    return moved


def _last_approved_plan(employee, year):
    return db.session.scalar(
        sa.select(PerformancePlan).join(PerformancePeriod, PerformancePlan.period_id == PerformancePeriod.id)
        .where(PerformancePlan.employee_id == employee.id, PerformancePeriod.year == year,
               sa.or_(PerformancePlan.status == PlanStatus.APPROVED, PerformancePlan.approved_dt.is_not(None)))
        .order_by((PerformancePlan.status == PlanStatus.APPROVED).desc(), PerformancePlan.version.desc())
        .limit(1))


def create_plan(employee, period: PerformancePeriod, *, start_from=None) -> PerformancePlan:
    """A new DRAFT SKP for the employee's current post in ``period``.

    ``start_from``: None (empty), "previous_year" (RHK, IKI with targets and lampiran of last
    year's approved plan, without intervention links) or "supervisor" (one RHK per RHK of the
    supervisor's current plan, intervening it, without IKI). Raises PlanError when the period
    is not open, a plan is already being written or approved, or the employee has no supervisor.
    """
    if employee is None:
        raise PlanError(_("Akun ini tidak terhubung dengan data pegawai; SKP hanya untuk pegawai."))
    if period is None or not period.is_open:
        raise PlanError(_("Periode kinerja ini tidak sedang dibuka."), "period")
    if start_from not in (None, "", *START_FROM):
        raise PlanError(_("Pilihan titik awal tidak dikenal."), "start_from")
    existing = plan_for(employee, period)
    if existing is not None:
        if existing.status in WORKING:
            raise PlanError(_("Anda sudah memiliki SKP %(year)s yang sedang disusun (%(status)s).",
                              year=period.year, status=existing.status.title), "period")
        raise PlanError(_("SKP %(year)s Anda sudah disetujui. Untuk mengubahnya, buat revisi dari "
                          "halaman SKP tersebut.", year=period.year), "period")
    if employee.supervisor is None:
        raise PlanError(_("Anda belum memiliki atasan langsung di Capaian, padahal SKP harus disetujui "
                          "pejabat penilai kinerja. Minta admin kepegawaian mencatat atasan Anda lebih dulu."),
                        "period")
    previous = db.session.scalars(sa.select(PerformancePlan).where(
        PerformancePlan.employee_id == employee.id, PerformancePlan.period_id == period.id)).all()
    start = period.start_date
    closed = [p.end_date for p in previous if p.status is PlanStatus.CLOSED]
    if closed:
        # A transfer closed a plan this year: the new post's plan starts where that one ended.
        start = min(max(start, max(closed) + timedelta(days=1)), period.end_date)
    plan = PerformancePlan(
        employee=employee, period=period, version=max([p.version for p in previous], default=0) + 1,
        status=PlanStatus.DRAFT, org_unit=employee.org_unit, position=employee.position,
        appraiser=employee.supervisor, start_date=start, end_date=period.end_date)
    source = None
    if start_from == "previous_year":
        source = _last_approved_plan(employee, period.year - 1)
        if source is None:
            raise PlanError(_("Tidak ada SKP tahun %(year)s yang disetujui untuk disalin.",
                              year=period.year - 1), "start_from")
        _copy_results(source, plan, keep_links=False)
        plan.approach = source.approach
        plan.resources, plan.accountability, plan.consequences = (
            source.resources, source.accountability, source.consequences)
    elif start_from == "supervisor":
        chief_plan = supervisor_plan(employee, period)
        if chief_plan is None or not chief_plan.results:
            raise PlanError(_("Atasan Anda belum memiliki SKP %(year)s dengan RHK untuk diturunkan.",
                              year=period.year), "start_from")
        for position, r in enumerate(chief_plan.results):
            plan.results.append(ResultPlan(kind=ResultKind.MAIN, position=position, text=r.text,
                                           intervened_result=r))
    _behaviour_rows(plan)
    db.session.add(plan)
    db.session.flush()
    audit.record("create_plan", plan, to_state=plan.status,
                 summary=f"{employee.display_name} {period.year} v{plan.version}"
                         + (f" ({start_from})" if start_from else ""))
    return plan


# ---------------------------------------------------------------- editing
def _check_lock(plan, lock_version):
    if lock_version in (None, ""):
        return
    try:
        version = int(lock_version)
    except (TypeError, ValueError):
        raise StaleEdit() from None
    if version != plan.lock_version:
        raise StaleEdit()


def _check_editable(plan, lock_version):
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise PlanError(_("SKP berstatus %(status)s tidak dapat diubah.", status=plan.status.title))
    if not plan.period.is_open:
        raise PlanError(_("Periode %(year)s tidak sedang dibuka; SKP-nya tidak dapat diubah.",
                          year=plan.period.year))
    _check_lock(plan, lock_version)


def _touch(plan):
    # Edits to child rows do not update the plan row; touching it bumps lock_version, so a
    # second tab saving from an older form is refused instead of silently overwriting.
    plan.updated_dt = utcnow()


def _text(value, limit, field, label, required=True):
    value = (value or "").strip()
    if required and not value:
        raise PlanError(_("%(field)s wajib diisi.", field=label), field)
    if len(value) > limit:
        raise PlanError(_("%(field)s paling banyak %(n)s karakter.", field=label, n=limit), field)
    return value




def parse_number(raw, field="target_value", label=None):
    """A positive target from what a user typed ("12", "12,5", "1.250", "95 %"). Raises PlanError."""
    label = label or _("Target")
    try:
        value = rules.read_number(raw)
    except ValueError:
        raise PlanError(_("%(field)s harus berupa angka, misalnya 12 atau 12,5.", field=label), field) from None
    if value is None:
        raise PlanError(_("%(field)s wajib diisi dengan angka.", field=label), field)
    if value <= 0:
        raise PlanError(_("%(field)s harus lebih besar dari nol.", field=label), field)
    if value > MAX_TARGET:
        raise PlanError(_("%(field)s terlalu besar.", field=label), field)
    if value != value.quantize(Decimal("0.01")):
        raise PlanError(_("%(field)s paling banyak dua angka di belakang koma.", field=label), field)
    return value


def update_plan_header(plan, *, approach, lock_version=None):
    _check_editable(plan, lock_version)
    approach = PlanApproach.coerce(approach)
    if approach is None:
        raise PlanError(_("Pilih pendekatan SKP."), "approach")
    before = audit.snapshot(plan, ["approach"])
    plan.approach = approach
    _touch(plan)
    db.session.flush()
    changes = audit.diff(plan, ["approach"], before)
    if changes:
        audit.record("update", plan, changes=changes)
    return changes


def add_result(plan, *, kind, text, intervention=None, lock_version=None) -> ResultPlan:
    """Add an RHK. ``intervention`` is a key from ``intervention_options`` (or None)."""
    _check_editable(plan, lock_version)
    kind = ResultKind.coerce(kind) or ResultKind.MAIN
    text = _text(text, 1000, "text", _("Rencana hasil kerja"))
    target = resolve_intervention(plan, intervention)
    result = ResultPlan(kind=kind, text=text,
                        position=max([r.position for r in plan.results if r.kind is kind], default=-1) + 1)
    _set_intervention(result, target)
    plan.results.append(result)
    _touch(plan)
    db.session.flush()
    audit.record("create", result, summary=f"{plan}: {text}"[:500])
    return result


def update_result(result, *, kind, text, intervention=None, lock_version=None) -> dict:
    plan = result.plan
    _check_editable(plan, lock_version)
    fields = ["kind", "text", "intervened_result_id", "org_target_id", "team_goal_id"]
    before = audit.snapshot(result, fields)
    result.kind = ResultKind.coerce(kind) or result.kind
    result.text = _text(text, 1000, "text", _("Rencana hasil kerja"))
    _set_intervention(result, resolve_intervention(plan, intervention, current=intervention_of(result)))
    _touch(plan)
    db.session.flush()
    changes = audit.diff(result, fields, before)
    if changes:
        audit.record("update", result, changes=changes)
    return changes


def delete_result(result, *, lock_version=None):
    plan = result.plan
    _check_editable(plan, lock_version)
    audit.record("delete", result, summary=f"{plan}: {result.text}"[:500])
    plan.results.remove(result)
    _touch(plan)
    db.session.flush()


def set_indicator(result, aspect, *, text, measure, target_value=None, target_unit=None,
                  direction=None, aggregation=None, target_text=None, lock_version=None) -> Indicator:
    """Create or replace the IKI of ``result`` for ``aspect`` (one per aspek)."""
    plan = result.plan
    _check_editable(plan, lock_version)
    aspect = Aspect.coerce(aspect) if aspect else None
    if aspect is None:
        raise PlanError(_("Pilih aspek."), "aspect")
    measure = Measure.coerce(measure) if measure else None
    if measure is None:
        raise PlanError(_("Pilih jenis ukuran target."), "measure")
    text = _text(text, 1000, "text", _("Indikator kinerja individu"))
    values = {"text": text, "measure": measure, "target_value": None, "target_unit": None,
              "direction": None, "aggregation": None, "target_text": None}
    if measure is Measure.NUMERIC:
        values["target_value"] = parse_number(target_value)
        values["target_unit"] = _text(target_unit, 40, "target_unit", _("Satuan"))
        values["direction"] = Direction.coerce(direction) if direction else Direction.HIGHER
        values["aggregation"] = Aggregation.coerce(aggregation) if aggregation else Aggregation.SUM
    else:
        values["target_text"] = _text(target_text, 1000, "target_text", _("Ukuran keberhasilan"))
    indicator = next((i for i in result.indicators if i.aspect is aspect), None)
    fields = list(values)
    if indicator is None:
        indicator = Indicator(aspect=aspect, **values)
        result.indicators.append(indicator)
        _touch(plan)
        db.session.flush()
        audit.record("create", indicator, summary=f"{aspect.title}: {text}"[:500])
    else:
        before = audit.snapshot(indicator, fields)
        for name, value in values.items():
            setattr(indicator, name, value)
        _touch(plan)
        db.session.flush()
        changes = audit.diff(indicator, fields, before)
        if changes:
            audit.record("update", indicator, changes=changes)
    return indicator


def delete_indicator(indicator, *, lock_version=None):
    result = indicator.result
    plan = result.plan
    _check_editable(plan, lock_version)
    audit.record("delete", indicator, summary=f"{indicator.aspect.title}: {indicator.text}"[:500])
    result.indicators.remove(indicator)
    _touch(plan)
    db.session.flush()


def set_expectations(plan, expectations: dict, *, lock_version=None) -> dict:
    """The appraiser's ekspektasi khusus per BerAKHLAK value ({CoreValue or value: text})."""
    if plan.status not in WORKING or not plan.period.is_open:
        raise PlanError(_("Ekspektasi hanya dapat diisi selama SKP disusun."))
    _check_lock(plan, lock_version)
    changes = {}
    rows = {e.value: e for e in plan.expectations}
    for value in CoreValue:
        if value not in rows:
            rows[value] = BehaviourExpectation(value=value, expectation="")
            plan.expectations.append(rows[value])
    for key, text in expectations.items():
        value = CoreValue.coerce(key)
        text = _text(text, 2000, f"expectation_{value.value}", value.title, required=False)
        if rows[value].expectation != text:
            changes[value.value] = [rows[value].expectation, text]
            rows[value].expectation = text
    _touch(plan)
    db.session.flush()
    if changes:
        audit.record("update", plan, changes={"ekspektasi": changes})
    return changes


def set_attachments(plan, *, resources, accountability, consequences, lock_version=None) -> dict:
    """Lampiran: dukungan sumber daya, skema pertanggungjawaban, konsekuensi."""
    _check_editable(plan, lock_version)
    fields = ["resources", "accountability", "consequences"]
    before = audit.snapshot(plan, fields)
    plan.resources = _text(resources, 5000, "resources", _("Dukungan sumber daya"), required=False)
    plan.accountability = _text(accountability, 5000, "accountability", _("Skema pertanggungjawaban"),
                                required=False)
    plan.consequences = _text(consequences, 5000, "consequences", _("Konsekuensi"), required=False)
    _touch(plan)
    db.session.flush()
    changes = audit.diff(plan, fields, before)
    if changes:
        audit.record("update", plan, changes=changes)
    return changes


# ---------------------------------------------------------------- workflow
def submit_plan(plan, *, lock_version=None):
    """Send the plan to the appraiser (the employee's current supervisor). Raises PlanError."""
    _check_editable(plan, lock_version)
    if not any(r.kind is ResultKind.MAIN for r in plan.results):
        raise PlanError(_("SKP belum dapat diajukan: isi sedikitnya satu RHK utama."))
    empty = [r for r in plan.results if not r.indicators]
    if empty:
        raise PlanError(_("SKP belum dapat diajukan: setiap RHK perlu sedikitnya satu IKI "
                          "(belum ada pada \u201c%(text)s\u201d).", text=empty[0].text[:80]))
    supervisor = plan.employee.supervisor
    if supervisor is None or supervisor.id == plan.employee_id:
        raise PlanError(_("Anda belum memiliki atasan langsung di Capaian, sehingga SKP tidak dapat "
                          "diajukan. Minta admin kepegawaian mencatat atasan Anda."))
    before = plan.status
    plan.appraiser = supervisor
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_dt = utcnow()
    db.session.flush()
    audit.record("submit_plan", plan, from_state=before, to_state=plan.status)
    if supervisor.user is not None:
        notifications.notify(supervisor.user, "plans.plan_submitted", obj=plan, url=_plan_url(plan),
                             title_args={"year": plan.period.year, "name": plan.employee.display_name})


def return_plan(plan, reason: str):
    """Send a submitted plan back to the pegawai with the appraiser's reason (required)."""
    if plan.status is not PlanStatus.SUBMITTED:
        raise PlanError(_("Hanya SKP yang diajukan yang dapat dikembalikan."))
    reason = _text(reason, 1000, "reason", _("Alasan pengembalian"))
    before = plan.status
    plan.status = PlanStatus.RETURNED
    plan.return_reason = reason
    db.session.flush()
    audit.record("return_plan", plan, from_state=before, to_state=plan.status, summary=reason)
    if plan.employee.user is not None:
        notifications.notify(plan.employee.user, "plans.plan_returned", obj=plan, url=_plan_url(plan),
                             title_args={"year": plan.period.year},
                             body=_l("Catatan penilai: %(note)s", note=reason))


def _person(employee, unit=None, position=None) -> dict:
    position = position or employee.position
    unit = unit or employee.org_unit
    return {"name": employee.display_name, "nip": employee.nip_display, "pangkat": employee.golongan_label,
            "jabatan": position.name if position else "", "unit": unit.name if unit else ""}


def approve_plan(plan, *, actor=None):
    """Approve (tetapkan) a submitted plan: snapshot the people, supersede the previous version."""
    if plan.status is not PlanStatus.SUBMITTED:
        raise PlanError(_("Hanya SKP yang diajukan yang dapat disetujui."))
    if not plan.period.is_open:
        raise PlanError(_("Periode %(year)s tidak sedang dibuka.", year=plan.period.year))
    if plan.appraiser is None:
        raise PlanError(_("SKP ini belum memiliki pejabat penilai."))
    actor = _actor(actor)
    previous = plan.previous
    moved = None
    if previous is not None and previous.status is PlanStatus.APPROVED:
        previous.status = PlanStatus.SUPERSEDED
        # The unique slot allows one approved plan per employee and year: free it first.
        db.session.flush()
        moved = _carry_over_revision(plan)
        audit.record("supersede_plan", previous, from_state=PlanStatus.APPROVED, to_state=previous.status,
                     summary=(f"v{previous.version} → v{plan.version}; realisasi {moved['realisations']}, "
                              f"RHK bawahan {moved['interventions']}, laporan harian {moved['activities']}"))
    before = plan.status
    plan.snapshot = {"pegawai": _person(plan.employee, plan.org_unit, plan.position),
                     "penilai": _person(plan.appraiser)}
    plan.status = PlanStatus.APPROVED
    plan.approved_dt = utcnow()
    plan.approved_by = actor
    db.session.flush()
    audit.record("approve_plan", plan, from_state=before, to_state=plan.status)
    if plan.employee.user is not None:
        notifications.notify(plan.employee.user, "plans.plan_approved", obj=plan, url=_plan_url(plan),
                             title_args={"year": plan.period.year},
                             body=_l("Pejabat penilai: %(name)s.", name=plan.appraiser.display_name))


def revise_plan(plan) -> PerformancePlan:
    """A DRAFT copy of an approved plan as the next version; the approved one stays until then."""
    if plan.status is not PlanStatus.APPROVED:
        raise PlanError(_("Hanya SKP yang disetujui yang dapat direvisi."))
    if not plan.period.is_open:
        raise PlanError(_("Periode %(year)s tidak sedang dibuka.", year=plan.period.year))
    working = plan_for(plan.employee, plan.period)
    if working is not None and working.status in WORKING:
        raise PlanError(_("Revisi SKP ini sudah sedang disusun (versi %(v)s).", v=working.version))
    latest = max(p.version for p in versions_of(plan))
    revision = PerformancePlan(
        employee=plan.employee, period=plan.period, version=latest + 1, status=PlanStatus.DRAFT,
        approach=plan.approach, org_unit=plan.org_unit, position=plan.position,
        appraiser=plan.employee.supervisor or plan.appraiser, start_date=plan.start_date,
        end_date=plan.end_date, resources=plan.resources, accountability=plan.accountability,
        consequences=plan.consequences, previous=plan)
    _copy_results(plan, revision, keep_links=True)
    _behaviour_rows(revision, source=plan)
    db.session.add(revision)
    db.session.flush()
    audit.record("revise_plan", revision, to_state=revision.status,
                 summary=f"v{plan.version} → v{revision.version}")
    return revision


def close_plans_for_transfer(employee, on_date: date, reason: str | None):
    """A transfer on ``on_date`` ends every plan being written or approved in that year (CLOSED)."""
    plans = db.session.scalars(
        sa.select(PerformancePlan).join(PerformancePeriod, PerformancePlan.period_id == PerformancePeriod.id)
        .where(PerformancePlan.employee_id == employee.id,
               PerformancePlan.status.in_([*WORKING, PlanStatus.APPROVED]),
               PerformancePeriod.start_date <= on_date, PerformancePeriod.end_date >= on_date)).all()
    reason = (reason or _("Mutasi")).strip()[:500]
    for plan in plans:
        before = plan.status
        plan.status = PlanStatus.CLOSED
        plan.end_date = max(plan.start_date, on_date - timedelta(days=1))
        plan.closed_reason = reason
        db.session.flush()
        audit.record("close_plan", plan, from_state=before, to_state=plan.status, summary=reason)
    return plans


def follow_new_supervisor(employee) -> list[PerformancePlan]:
    """The employee's supervisor changed (same post): the plans of open years still being written
    or approved get the new supervisor as penilai, who from now on approves and verifies. The
    snapshot of an approved plan keeps the penilai who approved it."""
    new_id = employee.supervisor_id
    if new_id is None or new_id == employee.id:
        return []
    plans = db.session.scalars(
        sa.select(PerformancePlan).join(PerformancePeriod, PerformancePlan.period_id == PerformancePeriod.id)
        .where(PerformancePlan.employee_id == employee.id,
               PerformancePlan.status.in_([*WORKING, PlanStatus.APPROVED]),
               PerformancePlan.appraiser_id.is_distinct_from(new_id),
               PerformancePeriod.status == PeriodStatus.OPEN)).all()
    for plan in plans:
        before = audit.snapshot(plan, ["appraiser_id"])
        plan.appraiser_id = new_id
        db.session.flush()
        audit.record("update", plan, changes=audit.diff(plan, ["appraiser_id"], before),
                     summary=str(_l("Pejabat penilai mengikuti atasan baru")))
    return plans


def add_comment(plan, body: str, *, author=None) -> PlanComment:
    """A message of the dialog kinerja; the other party is notified."""
    if plan.status is PlanStatus.SUPERSEDED:
        raise PlanError(_("SKP yang sudah digantikan revisi tidak menerima pesan baru."))
    body = _text(body, 5000, "body", _("Pesan"))
    author = _actor(author)
    comment = PlanComment(plan=plan, author=author, body=body)
    db.session.add(comment)
    db.session.flush()
    author_employee_id = getattr(getattr(author, "employee", None), "id", None)
    if author_employee_id == plan.employee_id:
        recipient = plan.appraiser.user if plan.appraiser is not None else None
    else:
        recipient = plan.employee.user
    if recipient is not None and recipient.id != getattr(author, "id", None):
        notifications.notify(recipient, "plans.plan_comment", obj=plan, url=_plan_url(plan) + "#dialog",
                             title_args={"year": plan.period.year},
                             body=f"{author.display_name if author else ''}: {body[:300]}")
    return comment


def plan_people(plan) -> tuple[dict, dict | None]:
    """(pegawai, penilai) as the SKP header shows them: the snapshot once approved, live data before."""
    if plan.snapshot:
        return plan.snapshot.get("pegawai") or {}, plan.snapshot.get("penilai")
    appraiser = plan.appraiser if plan.status is not PlanStatus.DRAFT else plan.employee.supervisor
    appraiser = appraiser or plan.appraiser
    return (_person(plan.employee, plan.org_unit, plan.position),
            _person(appraiser) if appraiser is not None else None)
