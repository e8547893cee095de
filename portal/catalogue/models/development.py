"""Individual development plans (IDP), the learning-hours ledger, external certificates and the
potential axis of the 9-box."""
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.catalogue.models.programmes import ProgrammeForm
from portal.core.models import TimestampMixin, TitledEnum, enum_column, utcnow
from portal.extensions import db


# ---------------------------------------------------------------- IDP
class IdpStatus(TitledEnum):
    DRAFT = ("draf", _l("Draf"))
    SUBMITTED = ("diajukan", _l("Menunggu persetujuan"))
    APPROVED = ("disetujui", _l("Disetujui"))
    RETURNED = ("dikembalikan", _l("Dikembalikan"))


class DevelopmentPlan(TimestampMixin, db.Model):
    """An employee's individual development plan (IDP) for a year, approved by the supervisor."""

    __tablename__ = "development_plan"
    __table_args__ = (
        sa.UniqueConstraint("employee_id", "year", name="uq_development_plan_employee_year"),
        sa.CheckConstraint("status <> 'dikembalikan' OR return_reason IS NOT NULL", name="return_has_reason"),
        sa.CheckConstraint("status <> 'disetujui' OR approved_dt IS NOT NULL", name="approval_dated"),
        sa.Index("ix_development_plan_approver_status", "approver_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column()
    status: Mapped[IdpStatus] = mapped_column(enum_column(IdpStatus), default=IdpStatus.DRAFT)
    # The supervisor who approves (set when submitted).
    approver_id: Mapped[int | None] = mapped_column(sa.ForeignKey("employee.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(sa.String(2000), default="", server_default="")
    submitted_dt: Mapped[datetime | None] = mapped_column()
    approved_dt: Mapped[datetime | None] = mapped_column()
    return_reason: Mapped[str | None] = mapped_column(sa.String(1000))
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")

    employee = relationship("Employee", foreign_keys=[employee_id])
    approver = relationship("Employee", foreign_keys=[approver_id])
    items = relationship("DevelopmentPlanItem", back_populates="plan", cascade="all, delete-orphan",
                         order_by="DevelopmentPlanItem.target_date, DevelopmentPlanItem.id")

    __mapper_args__ = {"version_id_col": lock_version}

    def _is_owner(self, user) -> bool:
        return user.is_authenticated and user.employee is not None and user.employee.id == self.employee_id

    def is_supervisor(self, user) -> bool:
        me = user.employee if user.is_authenticated else None
        return me is not None and self.employee is not None and self.employee.supervisor_id == me.id

    def can_view(self, user) -> bool:
        if self._is_owner(user) or user.sees_whole_instansi:
            return True
        return self.employee is not None and self.employee.can_view_details(user)

    def can_edit(self, user) -> bool:
        """The employee changes a plan that is not waiting for a decision."""
        return self._is_owner(user) and self.status is not IdpStatus.SUBMITTED

    def can_submit(self, user) -> bool:
        return self.can_edit(user) and self.status in (IdpStatus.DRAFT, IdpStatus.RETURNED) and bool(self.items)

    def can_decide(self, user) -> bool:
        """The direct supervisor approves or returns a submitted plan."""
        return self.status is IdpStatus.SUBMITTED and self.is_supervisor(user)


class IdpItemStatus(TitledEnum):
    PLANNED = ("rencana", _l("Direncanakan"))
    DONE = ("selesai", _l("Selesai"))
    DROPPED = ("batal", _l("Dibatalkan"))


class DevelopmentPlanItem(db.Model):
    """A programme of the catalogue or a non-classical activity (coaching, magang …) in an IDP."""

    __tablename__ = "development_plan_item"
    __table_args__ = (
        sa.CheckConstraint("jp_planned >= 0 AND jp_planned <= 1000", name="jp_planned_range"),
        sa.UniqueConstraint("plan_id", "programme_id", name="uq_development_plan_item_programme"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("development_plan.id", ondelete="CASCADE"), index=True)
    programme_id: Mapped[int | None] = mapped_column(sa.ForeignKey("programme.id", ondelete="SET NULL"), index=True)
    form: Mapped[ProgrammeForm] = mapped_column(enum_column(ProgrammeForm))
    title: Mapped[str] = mapped_column(sa.String(200))
    target_date: Mapped[date | None] = mapped_column()
    jp_planned: Mapped[int] = mapped_column(default=0, server_default="0")
    recommendation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("recommendation.id", ondelete="SET NULL"), unique=True)
    status: Mapped[IdpItemStatus] = mapped_column(enum_column(IdpItemStatus), default=IdpItemStatus.PLANNED)
    note: Mapped[str] = mapped_column(sa.String(1000), default="", server_default="")
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    plan = relationship(DevelopmentPlan, back_populates="items")
    programme = relationship("Programme")
    recommendation = relationship("Recommendation")

    @property
    def bucket(self):
        return self.form.bucket


# ---------------------------------------------------------------- learning hours
class LearningSource(TitledEnum):
    SESSION = ("sesi", _l("Pelatihan selesai"))
    COACHING = ("coaching", _l("Coaching"))
    MENTORING = ("mentoring", _l("Mentoring"))
    CERTIFICATE = ("sertifikat", _l("Sertifikat eksternal"))


class LearningRecord(db.Model):
    """One line of an employee's JP ledger. ``key`` names the source ("session:40:e:9",
    "cert:12", "coaching:3:e:9") so crediting twice is refused by the database."""

    __tablename__ = "learning_record"
    __table_args__ = (
        sa.CheckConstraint("jp > 0 AND jp <= 1000", name="jp_range"),
        sa.Index("ix_learning_record_employee_year", "employee_id", "year"),
        sa.Index("ix_learning_record_year_employee", "year", "employee_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column()
    source: Mapped[LearningSource] = mapped_column(enum_column(LearningSource))
    jp: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(sa.String(200))
    completed_date: Mapped[date] = mapped_column()
    programme_id: Mapped[int | None] = mapped_column(sa.ForeignKey("programme.id", ondelete="SET NULL"), index=True)
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("training_session.id", ondelete="SET NULL"))
    certificate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("external_certificate.id", ondelete="CASCADE"))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    employee = relationship("Employee")
    programme = relationship("Programme")


class CertificateKind(TitledEnum):
    """SIASN keeps trainings (riwayat diklat) and courses (riwayat kursus) apart."""

    DIKLAT = ("diklat", _l("Diklat"))
    KURSUS = ("kursus", _l("Kursus"))


class CertificateStatus(TitledEnum):
    SUBMITTED = ("diajukan", _l("Menunggu verifikasi"))
    VERIFIED = ("diverifikasi", _l("Diverifikasi"))
    REJECTED = ("ditolak", _l("Ditolak"))


class ExternalCertificate(TimestampMixin, db.Model):
    """A certificate of learning elsewhere, uploaded by the employee and verified by BKPSDM.
    Fields follow SIASN's riwayat diklat (nomor, tanggal, tahun, jumlah jam, tanggal selesai,
    penyelenggara) and riwayat kursus (jenis, nama, nomor sertifikat, jam, tanggal, penyelenggara)."""

    __tablename__ = "external_certificate"
    __table_args__ = (
        sa.CheckConstraint("jp > 0 AND jp <= 1000", name="jp_range"),
        sa.CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        sa.CheckConstraint("status <> 'ditolak' OR rejection_reason IS NOT NULL", name="rejection_has_reason"),
        sa.Index("ix_external_certificate_status", "status", "created_dt"),
        sa.Index("ix_external_certificate_employee", "employee_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id", ondelete="CASCADE"))
    kind: Mapped[CertificateKind] = mapped_column(enum_column(CertificateKind))
    name: Mapped[str] = mapped_column(sa.String(200))
    course_type: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")
    number: Mapped[str] = mapped_column(sa.String(100))
    certificate_date: Mapped[date] = mapped_column()
    start_date: Mapped[date | None] = mapped_column()
    end_date: Mapped[date | None] = mapped_column()
    year: Mapped[int] = mapped_column()
    jp: Mapped[int] = mapped_column()
    organiser: Mapped[str] = mapped_column(sa.String(200))
    # The catalogue programme this certificate is for, when BKPSDM recognises one (a PKP taken
    # elsewhere counts as PKP for the leadership requirement).
    programme_id: Mapped[int | None] = mapped_column(sa.ForeignKey("programme.id", ondelete="SET NULL"))
    # The uploaded scan (PDF or image), stored under the instance folder.
    file_name: Mapped[str | None] = mapped_column(sa.String(255))
    stored_name: Mapped[str | None] = mapped_column(sa.String(255))
    content_type: Mapped[str | None] = mapped_column(sa.String(100))
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    status: Mapped[CertificateStatus] = mapped_column(enum_column(CertificateStatus),
                                                      default=CertificateStatus.SUBMITTED)
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    verified_dt: Mapped[datetime | None] = mapped_column()
    rejection_reason: Mapped[str | None] = mapped_column(sa.String(500))

    employee = relationship("Employee")
    programme = relationship("Programme")
    verified_by = relationship("User")

    def _is_owner(self, user) -> bool:
        return user.is_authenticated and user.employee is not None and user.employee.id == self.employee_id

    def can_view(self, user) -> bool:
        if self._is_owner(user) or user.manages_whole_instansi:
            return True
        return self.employee is not None and self.employee.can_view_details(user)

    def can_edit(self, user) -> bool:
        return self._is_owner(user) and self.status is not CertificateStatus.VERIFIED

    def can_verify(self, user) -> bool:
        return user.manages_whole_instansi and self.status is CertificateStatus.SUBMITTED


# ---------------------------------------------------------------- talent (9-box)
class Potential(TitledEnum):
    LOW = ("rendah", _l("Rendah"))
    MEDIUM = ("menengah", _l("Menengah"))
    HIGH = ("tinggi", _l("Tinggi"))


class TalentAssessment(TimestampMixin, db.Model):
    """The potential axis of the 9-box for an employee and year, recorded by BKPSDM (from an
    assessment centre or the talent committee). Kinerja comes from the evaluations."""

    __tablename__ = "talent_assessment"
    __table_args__ = (sa.UniqueConstraint("employee_id", "year", name="uq_talent_assessment_employee_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(index=True)
    potential: Mapped[Potential] = mapped_column(enum_column(Potential))
    note: Mapped[str] = mapped_column(sa.String(1000), default="", server_default="")
    assessed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))

    employee = relationship("Employee")

    @staticmethod
    def can_record(user) -> bool:
        return user.manages_whole_instansi
