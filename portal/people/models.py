"""Organisation tree, positions (jabatan), employees and their assignment history."""
import secrets
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.models import TimestampMixin, TitledEnum, enum_column, utcnow
from portal.extensions import db
from portal.people import rules


def new_public_code() -> str:
    """A short, unguessable, URL-safe code (lowercase letters and digits)."""
    return secrets.token_hex(5)


class UnitKind(TitledEnum):
    INSTANSI = ("instansi", _l("Pemerintah Daerah"))
    SETDA = ("setda", _l("Sekretariat Daerah"))
    SETWAN = ("setwan", _l("Sekretariat DPRD"))
    INSPEKTORAT = ("inspektorat", _l("Inspektorat"))
    DINAS = ("dinas", _l("Dinas"))
    BADAN = ("badan", _l("Badan"))
    KECAMATAN = ("kecamatan", _l("Kecamatan"))
    BAGIAN = ("bagian", _l("Bagian"))
    BIDANG = ("bidang", _l("Bidang"))
    SUBBAGIAN = ("subbagian", _l("Subbagian / Seksi"))
    UPT = ("upt", _l("UPT"))
    KELURAHAN = ("kelurahan", _l("Kelurahan"))
    LAINNYA = ("lainnya", _l("Lainnya"))


# Units that are an OPD (perangkat daerah) in their own right, directly under the instansi.
OPD_KINDS = {UnitKind.SETDA, UnitKind.SETWAN, UnitKind.INSPEKTORAT, UnitKind.DINAS,
             UnitKind.BADAN, UnitKind.KECAMATAN}


class OrgUnit(TimestampMixin, db.Model):
    """A node of the organisation tree, with a materialised path for subtree queries."""

    __tablename__ = "org_unit"
    __table_args__ = (
        sa.UniqueConstraint("parent_id", "name", name="uq_org_unit_parent_name"),
        # MariaDB refuses CHECKs on an AUTO_INCREMENT column: the service guards it there.
        sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent")
        .ddl_if(dialect=("sqlite", "postgresql")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    # "/1/5/23/": the ids from the root down to this unit, for subtree queries.
    path: Mapped[str] = mapped_column(sa.String(255), index=True, default="", server_default="")
    depth: Mapped[int] = mapped_column(default=0, server_default="0")
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # The unguessable code of the unit's public feedback form (/feedback/<code>) and QR poster.
    public_code: Mapped[str | None] = mapped_column(sa.String(16), unique=True, default=new_public_code)

    parent = relationship("OrgUnit", remote_side=[id], back_populates="children")
    children = relationship("OrgUnit", back_populates="parent", order_by="OrgUnit.name")

    def __repr__(self):
        return f"<OrgUnit {self.id} {self.name}>"

    def __str__(self):
        return self.name

    def is_within(self, other: "OrgUnit") -> bool:
        """True when this unit is ``other`` or lies in its subtree."""
        return bool(other.path) and self.path.startswith(other.path)

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p]

    def subtree_ids_query(self):
        return sa.select(OrgUnit.id).where(OrgUnit.path.like(f"{self.path}%"))

    def can_view(self, user) -> bool:
        return user.is_authenticated

    def can_edit(self, user) -> bool:
        return user.manages_whole_instansi


class PositionKind(TitledEnum):
    JPT_UTAMA = ("jpt_utama", _l("JPT Utama"))
    JPT_MADYA = ("jpt_madya", _l("JPT Madya"))
    JPT_PRATAMA = ("jpt_pratama", _l("JPT Pratama"))
    ADMINISTRATOR = ("administrator", _l("Administrator"))
    PENGAWAS = ("pengawas", _l("Pengawas"))
    PELAKSANA = ("pelaksana", _l("Pelaksana"))
    FUNGSIONAL_KEAHLIAN = ("fungsional_keahlian", _l("Fungsional Keahlian"))
    FUNGSIONAL_KETERAMPILAN = ("fungsional_keterampilan", _l("Fungsional Keterampilan"))

    @property
    def is_fungsional(self):
        return self in (PositionKind.FUNGSIONAL_KEAHLIAN, PositionKind.FUNGSIONAL_KETERAMPILAN)

    @property
    def is_structural(self):
        return self in (PositionKind.JPT_UTAMA, PositionKind.JPT_MADYA, PositionKind.JPT_PRATAMA,
                        PositionKind.ADMINISTRATOR, PositionKind.PENGAWAS)


class PositionGrade(TitledEnum):
    AHLI_PERTAMA = ("ahli_pertama", _l("Ahli Pertama"))
    AHLI_MUDA = ("ahli_muda", _l("Ahli Muda"))
    AHLI_MADYA = ("ahli_madya", _l("Ahli Madya"))
    AHLI_UTAMA = ("ahli_utama", _l("Ahli Utama"))
    PEMULA = ("pemula", _l("Pemula"))
    TERAMPIL = ("terampil", _l("Terampil"))
    MAHIR = ("mahir", _l("Mahir"))
    PENYELIA = ("penyelia", _l("Penyelia"))


KEAHLIAN_GRADES = [PositionGrade.AHLI_PERTAMA, PositionGrade.AHLI_MUDA,
                   PositionGrade.AHLI_MADYA, PositionGrade.AHLI_UTAMA]
KETERAMPILAN_GRADES = [PositionGrade.PEMULA, PositionGrade.TERAMPIL,
                       PositionGrade.MAHIR, PositionGrade.PENYELIA]


def grade_fits(kind: PositionKind, grade: PositionGrade | None) -> bool:
    if kind is PositionKind.FUNGSIONAL_KEAHLIAN:
        return grade in KEAHLIAN_GRADES
    if kind is PositionKind.FUNGSIONAL_KETERAMPILAN:
        return grade in KETERAMPILAN_GRADES
    return grade is None


def _in_list(column, values):
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class Position(TimestampMixin, db.Model):
    """A jabatan in a unit. Fungsional and pelaksana positions may have many holders."""

    __tablename__ = "position"
    __table_args__ = (
        sa.UniqueConstraint("org_unit_id", "name", name="uq_position_unit_name"),
        sa.CheckConstraint(
            f"(kind = 'fungsional_keahlian' AND {_in_list('grade', KEAHLIAN_GRADES)}) OR "
            f"(kind = 'fungsional_keterampilan' AND {_in_list('grade', KETERAMPILAN_GRADES)}) OR "
            "(kind NOT IN ('fungsional_keahlian', 'fungsional_keterampilan') AND grade IS NULL)",
            name="grade_matches_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[PositionKind] = mapped_column(enum_column(PositionKind))
    grade: Mapped[PositionGrade | None] = mapped_column(enum_column(PositionGrade))
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    # The head of the unit (kepala): their rating follows the unit's capaian.
    is_head: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    org_unit = relationship(OrgUnit)

    def __str__(self):
        return self.name

    @property
    def kind_label(self):
        return f"{self.kind.title} – {self.grade.title}" if self.grade else str(self.kind.title)


class EmployeeKind(TitledEnum):
    PNS = ("pns", _l("PNS"))
    PPPK = ("pppk", _l("PPPK"))


class Gender(TitledEnum):
    MALE = ("L", _l("Laki-laki"))
    FEMALE = ("P", _l("Perempuan"))


class CivilStatus(TitledEnum):
    CPNS = ("cpns", _l("CPNS"))
    PNS = ("pns", _l("PNS"))


class Employee(TimestampMixin, db.Model):
    __tablename__ = "employee"
    __table_args__ = (
        sa.CheckConstraint("supervisor_id IS NULL OR supervisor_id <> id", name="not_own_supervisor")
        .ddl_if(dialect=("sqlite", "postgresql")),
        sa.CheckConstraint(
            "golongan IS NULL OR golongan IN (%s)" % ", ".join(repr(g) for g in rules.ALL_GOLONGAN),
            name="golongan_known"),
        sa.CheckConstraint("kind = 'pns' OR civil_status IS NULL", name="civil_status_pns_only"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nip: Mapped[str] = mapped_column(sa.String(18), unique=True)
    kind: Mapped[EmployeeKind] = mapped_column(enum_column(EmployeeKind))
    name: Mapped[str] = mapped_column(sa.String(150), index=True)
    gelar_depan: Mapped[str] = mapped_column(sa.String(60), default="", server_default="")
    gelar_belakang: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")
    gender: Mapped[Gender] = mapped_column(enum_column(Gender))
    birth_date: Mapped[date] = mapped_column()
    tmt_date: Mapped[date | None] = mapped_column()
    civil_status: Mapped[CivilStatus | None] = mapped_column(enum_column(CivilStatus))
    golongan: Mapped[str | None] = mapped_column(sa.String(8), index=True)
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    position_id: Mapped[int] = mapped_column(sa.ForeignKey("position.id"), index=True)
    supervisor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("employee.id", ondelete="SET NULL"), index=True)
    email: Mapped[str | None] = mapped_column(sa.String(120))
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    org_unit = relationship(OrgUnit)
    position = relationship(Position)
    supervisor = relationship("Employee", remote_side=[id], back_populates="subordinates")
    subordinates = relationship("Employee", back_populates="supervisor",
                                order_by="Employee.name")
    user = relationship("User", back_populates="employee", uselist=False)
    assignments = relationship("EmployeeAssignment", back_populates="employee",
                               foreign_keys="EmployeeAssignment.employee_id",
                               order_by="EmployeeAssignment.start_date.desc(), "
                                        "EmployeeAssignment.id.desc()",
                               cascade="all, delete-orphan")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        name = f"{self.gelar_depan} {self.name}".strip()
        return f"{name}, {self.gelar_belakang}" if self.gelar_belakang else name

    @property
    def nip_display(self) -> str:
        return rules.format_nip(self.nip, self.kind.value if self.kind else "pns")

    @property
    def pangkat(self) -> str:
        return rules.pangkat_of(self.golongan) if self.kind is EmployeeKind.PNS else ""

    @property
    def golongan_label(self) -> str:
        if not self.golongan:
            return ""
        return f"{self.pangkat} ({self.golongan})" if self.pangkat else self.golongan

    def is_supervised_by(self, employee, max_depth=50) -> bool:
        """True when ``employee`` is somewhere up this employee's supervisor chain."""
        current, steps = self.supervisor, 0
        while current is not None and steps < max_depth:
            if current.id == employee.id:
                return True
            current, steps = current.supervisor, steps + 1
        return False

    # Permission predicates
    def can_view(self, user) -> bool:
        """Basic directory facts (name, NIP, jabatan, unit) are visible to any signed-in user."""
        return user.is_authenticated

    def can_view_details(self, user) -> bool:
        """Personal data and history: self, the supervisor chain, admins in scope, BKPSDM, pimpinan."""
        if not user.is_authenticated:
            return False
        if user.sees_whole_instansi or user.manages_unit(self.org_unit):
            return True
        me = user.employee
        return me is not None and (me.id == self.id or self.is_supervised_by(me))

    def can_edit(self, user) -> bool:
        return user.is_authenticated and user.manages_unit(self.org_unit)


class AssignmentReason(TitledEnum):
    INITIAL = ("awal", _l("Data awal"))
    TRANSFER = ("mutasi", _l("Mutasi"))
    SUPERVISOR = ("ganti_atasan", _l("Ganti atasan"))
    IMPORT = ("impor", _l("Impor SIASN"))


class EmployeeAssignment(db.Model):
    """One period of an employee's unit, position and supervisor; history is never rewritten."""

    __tablename__ = "employee_assignment"
    __table_args__ = (
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        sa.Index("ix_employee_assignment_open", "employee_id", "end_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id", ondelete="CASCADE"))
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"))
    position_id: Mapped[int] = mapped_column(sa.ForeignKey("position.id"))
    supervisor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("employee.id", ondelete="SET NULL"))
    start_date: Mapped[date] = mapped_column()
    end_date: Mapped[date | None] = mapped_column()
    reason: Mapped[AssignmentReason] = mapped_column(enum_column(AssignmentReason))
    note: Mapped[str | None] = mapped_column(sa.String(500))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    employee = relationship(Employee, foreign_keys=[employee_id], back_populates="assignments")
    org_unit = relationship(OrgUnit)
    position = relationship(Position)
    supervisor = relationship(Employee, foreign_keys=[supervisor_id])


class ImportStatus(TitledEnum):
    PREVIEWED = ("previewed", _l("Pratinjau"))
    COMMITTED = ("committed", _l("Disimpan"))
    DISCARDED = ("discarded", _l("Dibatalkan"))
    FAILED = ("failed", _l("Gagal"))


class ImportBatch(TimestampMixin, db.Model):
    """An uploaded SIASN-style file, its preview report and what became of it."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    stored_name: Mapped[str] = mapped_column(sa.String(255))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    parent_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"))
    status: Mapped[ImportStatus] = mapped_column(enum_column(ImportStatus))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    count_new: Mapped[int] = mapped_column(default=0, server_default="0")
    count_changed: Mapped[int] = mapped_column(default=0, server_default="0")
    count_unchanged: Mapped[int] = mapped_column(default=0, server_default="0")
    count_rejected: Mapped[int] = mapped_column(default=0, server_default="0")
    # Row-level problems: [{"row": 12, "column": "nip_baru", "value": "...", "message": "..."}]
    report: Mapped[list | None] = mapped_column(sa.JSON)
    error: Mapped[str | None] = mapped_column(sa.String(1000))
    committed_dt: Mapped[datetime | None] = mapped_column()

    parent_unit = relationship(OrgUnit)
    created_by = relationship("User")

    def can_view(self, user) -> bool:
        return user.is_authenticated and (
            user.manages_whole_instansi or (self.created_by_id == user.id))

    def can_commit(self, user) -> bool:
        return (self.can_view(user) and self.status is ImportStatus.PREVIEWED
                and self.count_rejected == 0)
