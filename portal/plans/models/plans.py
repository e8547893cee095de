"""The SKP (PerformancePlan): hasil kerja (RHK → IKI → target), perilaku kerja, lampiran, dialog."""
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.models import TimestampMixin, TitledEnum, enum_column, utcnow
from portal.extensions import db


class PlanStatus(TitledEnum):
    DRAFT = ("draft", _l("Draf"))
    SUBMITTED = ("submitted", _l("Diajukan"))
    RETURNED = ("returned", _l("Dikembalikan"))
    APPROVED = ("approved", _l("Disetujui"))
    # An approved plan replaced by an approved revision: kept, read-only.
    SUPERSEDED = ("superseded", _l("Digantikan revisi"))
    # Ended early (a transfer): kept with its realisasi, read-only.
    CLOSED = ("closed", _l("Ditutup"))


# Statuses in which the pegawai is still writing the plan.
WORKING = (PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.RETURNED)


class PlanApproach(TitledEnum):
    QUANTITATIVE = ("kuantitatif", _l("Kuantitatif"))
    QUALITATIVE = ("kualitatif", _l("Kualitatif"))


class ResultKind(TitledEnum):
    MAIN = ("utama", _l("Utama"))
    ADDITIONAL = ("tambahan", _l("Tambahan"))


class Aspect(TitledEnum):
    QUANTITY = ("kuantitas", _l("Kuantitas"))
    QUALITY = ("kualitas", _l("Kualitas"))
    TIME = ("waktu", _l("Waktu"))
    COST = ("biaya", _l("Biaya"))


class Measure(TitledEnum):
    NUMERIC = ("angka", _l("Angka dengan satuan"))
    DESCRIPTIVE = ("deskriptif", _l("Ukuran keberhasilan deskriptif"))


class Direction(TitledEnum):
    HIGHER = ("naik", _l("Makin tinggi makin baik"))
    LOWER = ("turun", _l("Makin rendah makin baik"))


class Aggregation(TitledEnum):
    """How monthly realisasi add up to the year's figure compared with the yearly target."""

    SUM = ("jumlah", _l("Dijumlahkan"))
    AVERAGE = ("rata_rata", _l("Dirata-rata"))
    LATEST = ("terakhir", _l("Nilai terakhir"))


class CoreValue(TitledEnum):
    """The seven BerAKHLAK core values (guide behaviours in ``rules.GUIDE_BEHAVIOURS``)."""

    SERVICE = ("berorientasi_pelayanan", _l("Berorientasi Pelayanan"))
    ACCOUNTABLE = ("akuntabel", _l("Akuntabel"))
    COMPETENT = ("kompeten", _l("Kompeten"))
    HARMONIOUS = ("harmonis", _l("Harmonis"))
    LOYAL = ("loyal", _l("Loyal"))
    ADAPTIVE = ("adaptif", _l("Adaptif"))
    COLLABORATIVE = ("kolaboratif", _l("Kolaboratif"))


class PerformancePlan(TimestampMixin, db.Model):
    """One SKP of one employee for one post in one year, in one version.

    A revision of an approved plan is a new row (``version`` + 1, ``previous_id``); the approved
    one stays until the revision is approved and then becomes SUPERSEDED. A transfer closes the
    plan (CLOSED, ``end_date``) and the employee starts a new one for the new post. ``slot``
    makes the database refuse a second plan being written, or a second approved plan, for the
    same employee and year (it is derived from the status before every flush).
    """

    __tablename__ = "performance_plan"
    __table_args__ = (
        sa.UniqueConstraint("employee_id", "period_id", "version", name="uq_plan_version"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
        sa.CheckConstraint("end_date >= start_date", name="dates_ordered"),
        sa.CheckConstraint("appraiser_id IS NULL OR appraiser_id <> employee_id",
                           name="not_own_appraiser"),
        sa.Index("ix_performance_plan_appraiser_status", "appraiser_id", "status"),
        sa.Index("ix_performance_plan_employee_period", "employee_id", "period_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("performance_period.id"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    status: Mapped[PlanStatus] = mapped_column(enum_column(PlanStatus), default=PlanStatus.DRAFT)
    slot: Mapped[str | None] = mapped_column(sa.String(40), unique=True)
    approach: Mapped[PlanApproach] = mapped_column(enum_column(PlanApproach),
                                                   default=PlanApproach.QUANTITATIVE)
    # The post the plan is for (a transfer means a new plan for the new post).
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    position_id: Mapped[int] = mapped_column(sa.ForeignKey("position.id"))
    # The pejabat penilai kinerja: the supervisor when the plan was started or last submitted.
    appraiser_id: Mapped[int | None] = mapped_column(sa.ForeignKey("employee.id"))
    start_date: Mapped[date] = mapped_column()
    end_date: Mapped[date] = mapped_column()
    # Lampiran
    resources: Mapped[str] = mapped_column(sa.Text, default="")  # dukungan sumber daya
    accountability: Mapped[str] = mapped_column(sa.Text, default="")  # skema pertanggungjawaban
    consequences: Mapped[str] = mapped_column(sa.Text, default="")  # konsekuensi
    # Names, NIPs, pangkat, jabatan and units of pegawai and penilai, frozen at approval.
    snapshot: Mapped[dict | None] = mapped_column(sa.JSON)
    previous_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("performance_plan.id", ondelete="SET NULL"), index=True)
    submitted_dt: Mapped[datetime | None] = mapped_column()
    approved_dt: Mapped[datetime | None] = mapped_column()
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    return_reason: Mapped[str | None] = mapped_column(sa.String(1000))
    closed_reason: Mapped[str | None] = mapped_column(sa.String(500))
    # Optimistic locking: a save from a stale form (another tab) is refused, not silently lost.
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": lock_version}

    employee = relationship("Employee", foreign_keys=[employee_id])
    appraiser = relationship("Employee", foreign_keys=[appraiser_id])
    period = relationship("PerformancePeriod")
    org_unit = relationship("OrgUnit")
    position = relationship("Position")
    approved_by = relationship("User")
    previous = relationship("PerformancePlan", remote_side=[id])
    results = relationship("ResultPlan", back_populates="plan", cascade="all, delete-orphan",
                           order_by="ResultPlan.kind.desc(), ResultPlan.position, ResultPlan.id")
    expectations = relationship("BehaviourExpectation", back_populates="plan",
                                cascade="all, delete-orphan", order_by="BehaviourExpectation.id")
    comments = relationship("PlanComment", back_populates="plan", cascade="all, delete-orphan",
                            order_by="PlanComment.created_dt, PlanComment.id")

    def __str__(self):
        return f"SKP {self.period.year if self.period else ''} v{self.version}"

    def compute_slot(self) -> str | None:
        if self.status in WORKING:
            return f"{self.employee_id}/{self.period_id}/w"
        if self.status is PlanStatus.APPROVED:
            return f"{self.employee_id}/{self.period_id}/a"
        return None

    @property
    def is_locked(self) -> bool:
        return self.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED)

    # ------------------------------------------------------------ who is who
    def is_owner(self, user) -> bool:
        return user.is_authenticated and user.employee is not None and user.employee.id == self.employee_id

    def is_appraiser(self, user) -> bool:
        return (user.is_authenticated and user.employee is not None
                and self.appraiser_id is not None and user.employee.id == self.appraiser_id
                and user.employee.id != self.employee_id)

    def is_in_chain(self, user) -> bool:
        """The appraiser or anyone above the pegawai in the supervisor chain."""
        if not user.is_authenticated or user.employee is None:
            return False
        return self.is_appraiser(user) or self.employee.is_supervised_by(user.employee)

    # ------------------------------------------------------------ permissions
    def can_view(self, user) -> bool:
        if not user.is_authenticated:
            return False
        if self.is_owner(user) or self.is_in_chain(user):
            return True
        return user.sees_whole_instansi or user.manages_unit(self.org_unit)

    def can_edit(self, user) -> bool:
        return (self.is_owner(user) and self.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)
                and self.period.is_open)

    def can_submit(self, user) -> bool:
        return self.can_edit(user)

    def can_decide(self, user) -> bool:
        """Approve or return: only the plan's own appraiser, only a submitted plan."""
        return self.is_appraiser(user) and self.status is PlanStatus.SUBMITTED and self.period.is_open

    def can_set_expectations(self, user) -> bool:
        """The ekspektasi khusus per BerAKHLAK value are the appraiser's, while the plan is worked on."""
        return self.is_appraiser(user) and self.status in WORKING and self.period.is_open

    def can_comment(self, user) -> bool:
        return (self.is_owner(user) or self.is_in_chain(user)) and self.status is not PlanStatus.SUPERSEDED

    def can_revise(self, user) -> bool:
        return self.is_owner(user) and self.status is PlanStatus.APPROVED and self.period.is_open

    def can_report(self, user) -> bool:
        """Write realisasi against this plan."""
        return self.is_owner(user) and self.status is PlanStatus.APPROVED and self.period.is_open

    def can_download(self, user) -> bool:
        return self.can_view(user)


@event.listens_for(PerformancePlan, "before_insert")
@event.listens_for(PerformancePlan, "before_update")
def _set_plan_slot(mapper, connection, target):
    target.slot = target.compute_slot()


_one_intervention = (
    "(CASE WHEN intervened_result_id IS NULL THEN 0 ELSE 1 END) + "
    "(CASE WHEN org_target_id IS NULL THEN 0 ELSE 1 END) + "
    "(CASE WHEN team_goal_id IS NULL THEN 0 ELSE 1 END) <= 1")


class ResultPlan(db.Model):
    """A rencana hasil kerja (RHK), with what it intervenes: the supervisor's RHK, a unit's
    Perjanjian Kinerja item (for the head of an OPD) or a team goal."""

    __tablename__ = "result_plan"
    # MariaDB refuses CHECKs on columns with ON DELETE SET NULL: the service guards it there.
    __table_args__ = (sa.CheckConstraint(_one_intervention, name="one_intervention")
                      .ddl_if(dialect=("sqlite", "postgresql")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("performance_plan.id", ondelete="CASCADE"),
                                         index=True)
    kind: Mapped[ResultKind] = mapped_column(enum_column(ResultKind), default=ResultKind.MAIN)
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    text: Mapped[str] = mapped_column(sa.String(1000))
    intervened_result_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("result_plan.id", ondelete="SET NULL"), index=True)
    org_target_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("org_target.id", ondelete="SET NULL"), index=True)
    team_goal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("team_goal.id", ondelete="SET NULL"), index=True)
    # The RHK of the previous version this one was copied from by a revision: when the revision
    # is approved, subordinates' RHK and daily entries that pointed at the old one follow it.
    revised_from_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("result_plan.id", ondelete="SET NULL"), index=True)

    plan = relationship(PerformancePlan, back_populates="results")
    intervened_result = relationship("ResultPlan", remote_side=[id], foreign_keys=[intervened_result_id])
    org_target = relationship("OrgTarget")
    team_goal = relationship("TeamGoal")
    indicators = relationship("Indicator", back_populates="result", cascade="all, delete-orphan",
                              order_by="Indicator.id")

    def __str__(self):
        return self.text

    @property
    def intervened_label(self) -> str:
        """What the SKP's first column shows."""
        if self.intervened_result is not None:
            return self.intervened_result.text
        if self.org_target is not None:
            return self.org_target.goal
        if self.team_goal is not None:
            return self.team_goal.text
        return ""


class Indicator(db.Model):
    """An indikator kinerja individu (IKI): one per aspek of an RHK, with its target."""

    __tablename__ = "indicator"
    __table_args__ = (
        sa.UniqueConstraint("result_id", "aspect", name="uq_indicator_aspect"),
        sa.CheckConstraint(
            "(measure = 'angka' AND target_value > 0 AND target_unit IS NOT NULL "
            "AND direction IS NOT NULL AND aggregation IS NOT NULL) OR "
            "(measure = 'deskriptif' AND target_text IS NOT NULL)", name="target_complete"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(sa.ForeignKey("result_plan.id", ondelete="CASCADE"),
                                           index=True)
    aspect: Mapped[Aspect] = mapped_column(enum_column(Aspect))
    text: Mapped[str] = mapped_column(sa.String(1000))
    measure: Mapped[Measure] = mapped_column(enum_column(Measure), default=Measure.NUMERIC)
    target_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    target_unit: Mapped[str | None] = mapped_column(sa.String(40))
    direction: Mapped[Direction | None] = mapped_column(enum_column(Direction))
    aggregation: Mapped[Aggregation | None] = mapped_column(enum_column(Aggregation))
    target_text: Mapped[str | None] = mapped_column(sa.String(1000))
    # The IKI of the previous version this one was copied from by a revision: when the revision
    # is approved, the realisasi reported so far move to the new IKI.
    revised_from_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("indicator.id", ondelete="SET NULL"), index=True)

    result = relationship(ResultPlan, back_populates="indicators")

    def __str__(self):
        return self.text

    @property
    def target_label(self) -> str:
        if self.measure is Measure.DESCRIPTIVE:
            return self.target_text or ""
        from portal.plans import rules
        return f"{rules.format_number(self.target_value)} {self.target_unit}"


class BehaviourExpectation(db.Model):
    """Perilaku kerja: one row per BerAKHLAK value, with the leader's ekspektasi khusus."""

    __tablename__ = "behaviour_expectation"
    __table_args__ = (sa.UniqueConstraint("plan_id", "value", name="uq_expectation_value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("performance_plan.id", ondelete="CASCADE"))
    value: Mapped[CoreValue] = mapped_column(enum_column(CoreValue))
    expectation: Mapped[str] = mapped_column(sa.Text, default="")

    plan = relationship(PerformancePlan, back_populates="expectations")

    @property
    def guide(self):
        from portal.plans import rules
        return rules.GUIDE_BEHAVIOURS[self.value]


class PlanComment(db.Model):
    """A message of the dialog kinerja on a plan."""

    __tablename__ = "plan_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("performance_plan.id", ondelete="CASCADE"),
                                         index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    plan = relationship(PerformancePlan, back_populates="comments")
    author = relationship("User")
