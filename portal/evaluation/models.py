"""Evaluation (issue 5): the penilai's ratings per employee per sub-period and for the year, the
predikat from the kuadran, organisational capaian, development needs, objections, peer input and
the public's IKM responses.

A period is addressed by ``period_key``: 0 for the year (evaluasi tahunan), otherwise the number
of the sub-period (evaluasi periodik). ``subperiod_id`` is set exactly when ``period_key`` > 0.
"""
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.models import TimestampMixin, TitledEnum, enum_column, utcnow
from portal.extensions import db
from portal.plans.models import CoreValue

YEAR_KEY = 0  # period_key of the yearly evaluation

_SCOPE = ("(period_key = 0 AND subperiod_id IS NULL) OR "
          "(period_key BETWEEN 1 AND 12 AND subperiod_id IS NOT NULL)")


class Rating(TitledEnum):
    """The rating of hasil kerja and of perilaku kerja (PermenPANRB 6/2022)."""

    ABOVE = ("di_atas", _l("Di Atas Ekspektasi"))
    MEETS = ("sesuai", _l("Sesuai Ekspektasi"))
    BELOW = ("di_bawah", _l("Di Bawah Ekspektasi"))


class Predicate(TitledEnum):
    """The predikat kinerja pegawai, from the kuadran of the two ratings."""

    VERY_GOOD = ("sangat_baik", _l("Sangat Baik"))
    GOOD = ("baik", _l("Baik"))
    NEEDS_IMPROVEMENT = ("butuh_perbaikan", _l("Butuh Perbaikan"))
    POOR = ("kurang", _l("Kurang/Misconduct"))
    VERY_POOR = ("sangat_kurang", _l("Sangat Kurang"))


class OrgPredicate(TitledEnum):
    """A unit's organisational capaian (SE MenPANRB 3/2023)."""

    OUTSTANDING = ("istimewa", _l("Istimewa"))
    GOOD = ("baik", _l("Baik"))
    NEEDS_IMPROVEMENT = ("butuh_perbaikan", _l("Butuh Perbaikan"))
    POOR = ("kurang", _l("Kurang"))
    VERY_POOR = ("sangat_kurang", _l("Sangat Kurang"))


class IkmGrade(TitledEnum):
    """Mutu pelayanan from the IKM index (PermenPANRB 14/2017)."""

    A = ("A", _l("Sangat Baik"))
    B = ("B", _l("Baik"))
    C = ("C", _l("Kurang Baik"))
    D = ("D", _l("Tidak Baik"))


class EvaluationStatus(TitledEnum):
    DRAFT = ("draft", _l("Draf"))
    FINAL = ("final", _l("Final"))


# ---------------------------------------------------------------- evaluation
class Evaluation(TimestampMixin, db.Model):
    """The evaluasi kinerja of one plan for one sub-period (``period_key`` ≥ 1) or the year (0).

    The row is created by the penilai's first save; until then the page shows an empty form.
    ``employee_id``, ``org_unit_id`` and ``period_id`` are copied from the plan so that team and
    unit views aggregate in the database; ``predicate`` is stored (derived from the two ratings by
    the kuadran in ``rules.predicate``) for the same reason.
    """

    __tablename__ = "evaluation"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "period_key", name="uq_evaluation_plan_period"),
        sa.CheckConstraint(_SCOPE, name="scope_consistent"),
        sa.CheckConstraint("status <> 'final' OR (hasil_rating IS NOT NULL AND perilaku_rating IS NOT NULL "
                           "AND predicate IS NOT NULL)", name="final_complete"),
        sa.CheckConstraint("appraiser_id IS NULL OR appraiser_id <> employee_id", name="not_own_appraiser"),
        sa.Index("ix_evaluation_unit_period", "org_unit_id", "period_id", "period_key", "status"),
        sa.Index("ix_evaluation_appraiser_period", "appraiser_id", "period_id", "period_key"),
        sa.Index("ix_evaluation_employee_period", "employee_id", "period_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("performance_plan.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    # The pejabat penilai kinerja who rates (the plan's appraiser when the evaluation started).
    appraiser_id: Mapped[int | None] = mapped_column(sa.ForeignKey("employee.id"))
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"))
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("performance_period.id"))
    subperiod_id: Mapped[int | None] = mapped_column(sa.ForeignKey("performance_subperiod.id"))
    period_key: Mapped[int] = mapped_column()
    status: Mapped[EvaluationStatus] = mapped_column(enum_column(EvaluationStatus),
                                                     default=EvaluationStatus.DRAFT)
    hasil_rating: Mapped[Rating | None] = mapped_column(enum_column(Rating, name="hasil_rating"))
    hasil_reason: Mapped[str] = mapped_column(sa.Text, default="")
    # What the portal suggested from the capaian figures when the penilai last saved.
    suggested_rating: Mapped[Rating | None] = mapped_column(enum_column(Rating, name="suggested_rating"))
    # Head of a unit: hasil kerja is the unit's organisational capaian, not the penilai's choice.
    hasil_from_org: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    perilaku_rating: Mapped[Rating | None] = mapped_column(enum_column(Rating, name="perilaku_rating"))
    perilaku_note: Mapped[str] = mapped_column(sa.Text, default="")
    predicate: Mapped[Predicate | None] = mapped_column(enum_column(Predicate))
    finalised_dt: Mapped[datetime | None] = mapped_column()
    finalised_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    acknowledged_dt: Mapped[datetime | None] = mapped_column()
    # The last day a keberatan may be filed (finalisation date + OBJECTION_DAYS).
    objection_deadline: Mapped[date | None] = mapped_column()
    # Pegawai and penilai (name, NIP, pangkat, jabatan, unit) frozen at finalisation.
    snapshot: Mapped[dict | None] = mapped_column(sa.JSON)
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": lock_version}

    plan = relationship("PerformancePlan")
    employee = relationship("Employee", foreign_keys=[employee_id])
    appraiser = relationship("Employee", foreign_keys=[appraiser_id])
    org_unit = relationship("OrgUnit")
    period = relationship("PerformancePeriod")
    subperiod = relationship("Subperiod")
    finalised_by = relationship("User")
    behaviours = relationship("BehaviourRating", back_populates="evaluation", cascade="all, delete-orphan",
                              order_by="BehaviourRating.id")
    notes = relationship("IndicatorNote", back_populates="evaluation", cascade="all, delete-orphan",
                         order_by="IndicatorNote.id")
    needs = relationship("DevelopmentNeed", back_populates="evaluation", cascade="all, delete-orphan",
                         order_by="DevelopmentNeed.id")
    objection = relationship("Objection", back_populates="evaluation", uselist=False,
                             cascade="all, delete-orphan")
    peer_inputs = relationship("PeerInput", back_populates="evaluation", cascade="all, delete-orphan",
                               order_by="PeerInput.id")

    def __str__(self):
        return f"{_l('Evaluasi')} {self.period_label}"

    @property
    def is_annual(self) -> bool:
        return self.period_key == YEAR_KEY

    @property
    def period_label(self) -> str:
        if self.is_annual:
            return str(_l("Tahunan %(year)s", year=self.period.year))
        return self.subperiod.label

    @property
    def is_final(self) -> bool:
        return self.status is EvaluationStatus.FINAL

    # ------------------------------------------------------------ who is who
    def is_owner(self, user) -> bool:
        return user.is_authenticated and user.employee is not None and user.employee.id == self.employee_id

    def is_appraiser(self, user) -> bool:
        return (user.is_authenticated and user.employee is not None and self.appraiser_id is not None
                and user.employee.id == self.appraiser_id and user.employee.id != self.employee_id)

    def is_appraisers_superior(self, user) -> bool:
        """The atasan pejabat penilai: the appraiser's own supervisor (who decides objections)."""
        return (user.is_authenticated and user.employee is not None and self.appraiser is not None
                and self.appraiser.supervisor_id == user.employee.id)

    # ------------------------------------------------------------ permissions
    def can_view(self, user) -> bool:
        if not user.is_authenticated:
            return False
        if self.is_owner(user) or self.is_appraiser(user) or self.is_appraisers_superior(user):
            return True
        if user.employee is not None and self.employee.is_supervised_by(user.employee):
            return True
        return user.sees_whole_instansi or user.manages_unit(self.org_unit)

    def can_rate(self, user) -> bool:
        """Set ratings, notes and feedback: the appraiser, while the evaluation is a draft."""
        return self.is_appraiser(user) and self.status is EvaluationStatus.DRAFT

    def can_finalise(self, user) -> bool:
        return self.can_rate(user)

    def can_acknowledge(self, user) -> bool:
        return self.is_owner(user) and self.is_final and self.acknowledged_dt is None

    def can_object(self, user, today: date | None = None) -> bool:
        """File a keberatan: the pegawai, once, on a final evaluation, until the deadline."""
        today = today or date.today()
        return (self.is_owner(user) and self.is_final and self.objection is None
                and self.objection_deadline is not None and today <= self.objection_deadline)

    def can_request_peer_input(self, user) -> bool:
        return self.can_rate(user)

    def can_download(self, user) -> bool:
        return self.can_view(user)


class BehaviourRating(db.Model):
    """Perilaku kerja per BerAKHLAK value: the penilai's note and (optionally) a rating."""

    __tablename__ = "behaviour_rating"
    __table_args__ = (sa.UniqueConstraint("evaluation_id", "value", name="uq_behaviour_rating_value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(sa.ForeignKey("evaluation.id", ondelete="CASCADE"))
    value: Mapped[CoreValue] = mapped_column(enum_column(CoreValue))
    rating: Mapped[Rating | None] = mapped_column(enum_column(Rating))
    note: Mapped[str] = mapped_column(sa.Text, default="")

    evaluation = relationship(Evaluation, back_populates="behaviours")


class IndicatorNote(db.Model):
    """The penilai's umpan balik on one IKI in an evaluation (the document's third column)."""

    __tablename__ = "indicator_note"
    __table_args__ = (sa.UniqueConstraint("evaluation_id", "indicator_id", name="uq_indicator_note"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(sa.ForeignKey("evaluation.id", ondelete="CASCADE"))
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(sa.Text, default="")

    evaluation = relationship(Evaluation, back_populates="notes")
    indicator = relationship("Indicator")


# ---------------------------------------------------------------- organisational capaian
class OrgAssessment(TimestampMixin, db.Model):
    """A unit's capaian kinerja organisasi for a period, set by pimpinan (or BKPSDM for them)."""

    __tablename__ = "org_assessment"
    __table_args__ = (
        sa.UniqueConstraint("org_unit_id", "period_id", "period_key", name="uq_org_assessment_period"),
        sa.CheckConstraint(_SCOPE, name="scope_consistent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"))
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("performance_period.id"))
    subperiod_id: Mapped[int | None] = mapped_column(sa.ForeignKey("performance_subperiod.id"))
    period_key: Mapped[int] = mapped_column()
    predicate: Mapped[OrgPredicate] = mapped_column(enum_column(OrgPredicate))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    set_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    org_unit = relationship("OrgUnit")
    period = relationship("PerformancePeriod")
    subperiod = relationship("Subperiod")
    set_by = relationship("User")


def can_set_org_assessment(user) -> bool:
    """Pimpinan set organisational capaian; BKPSDM (and superadmin) may enter it on their behalf."""
    return user.is_authenticated and user.sees_whole_instansi


# ---------------------------------------------------------------- development needs
class NeedKind(TitledEnum):
    RESULT = ("hasil_kerja", _l("Hasil kerja di bawah ekspektasi"))
    RESULT_PLAN = ("rhk", _l("RHK belum tercapai"))
    BEHAVIOUR = ("perilaku", _l("Perilaku kerja di bawah ekspektasi"))
    CORE_VALUE = ("nilai_berakhlak", _l("Nilai BerAKHLAK di bawah ekspektasi"))


class NeedStatus(TitledEnum):
    OPEN = ("terbuka", _l("Terbuka"))
    ADDRESSED = ("ditangani", _l("Sedang ditangani"))
    RESOLVED = ("selesai", _l("Selesai"))


class DevelopmentNeed(db.Model):
    """A development need from a final evaluation, for the catalogue's recommendations and for
    coaching to consume.

    One row per thing that fell short: the hasil kerja rating (RESULT) and each RHK whose IKIs
    fell short (RESULT_PLAN, ``result_id``); the perilaku rating (BEHAVIOUR) and each BerAKHLAK
    value rated Di Bawah Ekspektasi (CORE_VALUE, ``core_value``). ``reason`` says it in plain
    words ("Rating perilaku Kolaboratif Di Bawah Ekspektasi pada Triwulan III 2026"). ``key`` keeps
    one row per evaluation and thing even where NULLs would slip through a composite unique.
    Rows are replaced when an objection changes the evaluation; later modules move ``status`` on
    and say what addressed the need (``addressed_by``: "coaching:12", "session:40").
    """

    __tablename__ = "development_need"
    __table_args__ = (
        sa.Index("ix_development_need_employee_status", "employee_id", "status"),
        sa.Index("ix_development_need_period_kind", "period_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    evaluation_id: Mapped[int] = mapped_column(sa.ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("performance_period.id"))
    period_key: Mapped[int] = mapped_column()
    kind: Mapped[NeedKind] = mapped_column(enum_column(NeedKind))
    core_value: Mapped[CoreValue | None] = mapped_column(enum_column(CoreValue))
    result_id: Mapped[int | None] = mapped_column(sa.ForeignKey("result_plan.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(sa.String(500))
    status: Mapped[NeedStatus] = mapped_column(enum_column(NeedStatus), default=NeedStatus.OPEN)
    addressed_by: Mapped[str | None] = mapped_column(sa.String(80))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    evaluation = relationship(Evaluation, back_populates="needs")
    employee = relationship("Employee")
    result = relationship("ResultPlan")


# ---------------------------------------------------------------- objection
class ObjectionStatus(TitledEnum):
    FILED = ("diajukan", _l("Diajukan"))
    UPHELD = ("dipertahankan", _l("Predikat dipertahankan"))
    CHANGED = ("diubah", _l("Predikat diubah"))


class Objection(TimestampMixin, db.Model):
    """A keberatan against a final evaluation's predikat, decided by the atasan pejabat penilai."""

    __tablename__ = "objection"
    __table_args__ = (
        sa.CheckConstraint("status = 'diajukan' OR (decided_dt IS NOT NULL AND decision_reason IS NOT NULL)",
                           name="decision_complete"),
        sa.Index("ix_objection_decider_status", "decider_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # One objection per evaluation: the database refuses a second one.
    evaluation_id: Mapped[int] = mapped_column(sa.ForeignKey("evaluation.id", ondelete="CASCADE"),
                                               unique=True)
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    # The atasan pejabat penilai when the objection was filed (None: BKPSDM decides).
    decider_id: Mapped[int | None] = mapped_column(sa.ForeignKey("employee.id"))
    reason: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[ObjectionStatus] = mapped_column(enum_column(ObjectionStatus),
                                                    default=ObjectionStatus.FILED)
    original_hasil: Mapped[Rating] = mapped_column(enum_column(Rating, name="original_hasil"))
    original_perilaku: Mapped[Rating] = mapped_column(enum_column(Rating, name="original_perilaku"))
    original_predicate: Mapped[Predicate] = mapped_column(enum_column(Predicate, name="original_predicate"))
    new_predicate: Mapped[Predicate | None] = mapped_column(enum_column(Predicate, name="new_predicate"))
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
    decided_dt: Mapped[datetime | None] = mapped_column()
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    evaluation = relationship(Evaluation, back_populates="objection")
    employee = relationship("Employee", foreign_keys=[employee_id])
    decider = relationship("Employee", foreign_keys=[decider_id])
    decided_by = relationship("User")

    def is_decider(self, user) -> bool:
        if not user.is_authenticated:
            return False
        if self.decider_id is None:
            return user.manages_whole_instansi
        return user.employee is not None and user.employee.id == self.decider_id

    def can_view(self, user) -> bool:
        return self.is_decider(user) or self.evaluation.can_view(user)

    def can_decide(self, user) -> bool:
        return self.status is ObjectionStatus.FILED and self.is_decider(user)


# ---------------------------------------------------------------- peer input (360)
class PeerInputStatus(TitledEnum):
    REQUESTED = ("diminta", _l("Diminta"))
    GIVEN = ("diberikan", _l("Diberikan"))
    DECLINED = ("ditolak", _l("Ditolak"))


class PeerInput(db.Model):
    """Short structured input from a named colleague on the BerAKHLAK values, asked for by the
    penilai. ``answers`` is {core value: {"rating": Rating value, "note": str}}; the penilai sees
    it named or anonymised (setting PEER_INPUT_NAMED)."""

    __tablename__ = "peer_input"
    __table_args__ = (
        sa.UniqueConstraint("evaluation_id", "peer_id", name="uq_peer_input_peer"),
        sa.CheckConstraint("status <> 'diberikan' OR (answers IS NOT NULL AND answered_dt IS NOT NULL)",
                           name="answer_complete"),
        sa.Index("ix_peer_input_peer_status", "peer_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(sa.ForeignKey("evaluation.id", ondelete="CASCADE"))
    peer_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    status: Mapped[PeerInputStatus] = mapped_column(enum_column(PeerInputStatus),
                                                    default=PeerInputStatus.REQUESTED)
    answers: Mapped[dict | None] = mapped_column(sa.JSON)
    requested_dt: Mapped[datetime] = mapped_column(default=utcnow)
    answered_dt: Mapped[datetime | None] = mapped_column()

    evaluation = relationship(Evaluation, back_populates="peer_inputs")
    peer = relationship("Employee")
    requested_by = relationship("User")

    def is_peer(self, user) -> bool:
        return user.is_authenticated and user.employee is not None and user.employee.id == self.peer_id

    def can_view(self, user) -> bool:
        return self.is_peer(user) or self.evaluation.is_appraiser(user)

    def can_answer(self, user) -> bool:
        return (self.is_peer(user) and self.status is PeerInputStatus.REQUESTED
                and not self.evaluation.is_final)

    def can_cancel(self, user) -> bool:
        return self.evaluation.can_rate(user) and self.status is PeerInputStatus.REQUESTED


# ---------------------------------------------------------------- public feedback (IKM)
class UnitService(TimestampMixin, db.Model):
    """A service a unit lists for its public feedback form (e.g. "Pembuatan KTP")."""

    __tablename__ = "unit_service"
    __table_args__ = (sa.UniqueConstraint("org_unit_id", "name", name="uq_unit_service_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    org_unit = relationship("OrgUnit")

    def __str__(self):
        return self.name

    def can_edit(self, user) -> bool:
        return user.is_authenticated and user.manages_unit(self.org_unit)


IKM_FIELDS = [f"u{n}" for n in range(1, 10)]  # the nine elements, in PermenPANRB 14/2017 order


class IkmResponse(db.Model):
    """One anonymous survey response (one visit) on a unit's service: nine elements scored 1–4.

    No personal data is stored: ``source_hash`` is a keyed hash of the address and the day, used
    only to limit floods.
    """

    __tablename__ = "ikm_response"
    __table_args__ = (
        *(sa.CheckConstraint(f"{f} BETWEEN 1 AND 4", name=f"{f}_range") for f in IKM_FIELDS),
        sa.Index("ix_ikm_response_unit_created", "org_unit_id", "created_dt"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"))
    service_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit_service.id", ondelete="SET NULL"),
                                                   index=True)
    u1: Mapped[int] = mapped_column(sa.SmallInteger)
    u2: Mapped[int] = mapped_column(sa.SmallInteger)
    u3: Mapped[int] = mapped_column(sa.SmallInteger)
    u4: Mapped[int] = mapped_column(sa.SmallInteger)
    u5: Mapped[int] = mapped_column(sa.SmallInteger)
    u6: Mapped[int] = mapped_column(sa.SmallInteger)
    u7: Mapped[int] = mapped_column(sa.SmallInteger)
    u8: Mapped[int] = mapped_column(sa.SmallInteger)
    u9: Mapped[int] = mapped_column(sa.SmallInteger)
    comment: Mapped[str | None] = mapped_column(sa.Text)
    source_hash: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    org_unit = relationship("OrgUnit")
    service = relationship(UnitService)

    @property
    def scores(self) -> list[int]:
        return [getattr(self, f) for f in IKM_FIELDS]
