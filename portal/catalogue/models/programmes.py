"""The programme catalogue: trainings, leadership programmes and non-classical activities."""
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.models import TimestampMixin, TitledEnum, enum_column
from portal.extensions import db
from portal.people import rules as people_rules


class IdpBucket(TitledEnum):
    """The 70-20-10 split of an individual development plan."""

    EXPERIENCE = ("70", _l("70 % pengalaman kerja"))
    SOCIAL = ("20", _l("20 % belajar dari orang lain"))
    FORMAL = ("10", _l("10 % pembelajaran formal"))


class ProgrammeForm(TitledEnum):
    """The forms of competency development (Peraturan LAN 10/2018), all counting toward JP."""

    # klasikal
    LEADERSHIP = ("pelatihan_kepemimpinan", _l("Pelatihan kepemimpinan"))
    MANAGERIAL = ("pelatihan_manajerial", _l("Pelatihan manajerial"))
    TECHNICAL = ("pelatihan_teknis", _l("Pelatihan teknis"))
    FUNCTIONAL = ("pelatihan_fungsional", _l("Pelatihan fungsional"))
    SOCIOCULTURAL = ("pelatihan_sosial_kultural", _l("Pelatihan sosial kultural"))
    SEMINAR = ("seminar", _l("Seminar / konferensi"))
    WORKSHOP = ("workshop", _l("Workshop / lokakarya"))
    COURSE = ("kursus", _l("Kursus"))
    UPGRADING = ("penataran", _l("Penataran"))
    TECHNICAL_GUIDANCE = ("bimtek", _l("Bimbingan teknis"))
    SOCIALISATION = ("sosialisasi", _l("Sosialisasi"))
    # nonklasikal
    COACHING = ("coaching", _l("Coaching"))
    MENTORING = ("mentoring", _l("Mentoring"))
    E_LEARNING = ("e_learning", _l("E-learning"))
    DISTANCE = ("pjj", _l("Pelatihan jarak jauh"))
    SECONDMENT = ("detasering", _l("Detasering"))
    OUTBOUND = ("outbound", _l("Outbound"))
    BENCHMARKING = ("benchmarking", _l("Benchmarking (patok banding)"))
    EXCHANGE = ("pertukaran", _l("Pertukaran dengan sektor swasta"))
    SELF_STUDY = ("belajar_mandiri", _l("Belajar mandiri"))
    COMMUNITY = ("komunitas_belajar", _l("Komunitas belajar"))
    ON_THE_JOB = ("bimbingan_tempat_kerja", _l("Bimbingan di tempat kerja"))
    INTERNSHIP = ("magang", _l("Magang"))

    @property
    def is_classical(self) -> bool:
        return self in CLASSICAL_FORMS

    @property
    def bucket(self) -> IdpBucket:
        if self in EXPERIENCE_FORMS:
            return IdpBucket.EXPERIENCE
        if self in SOCIAL_FORMS:
            return IdpBucket.SOCIAL
        return IdpBucket.FORMAL


CLASSICAL_FORMS = frozenset({
    ProgrammeForm.LEADERSHIP, ProgrammeForm.MANAGERIAL, ProgrammeForm.TECHNICAL, ProgrammeForm.FUNCTIONAL,
    ProgrammeForm.SOCIOCULTURAL, ProgrammeForm.SEMINAR, ProgrammeForm.WORKSHOP, ProgrammeForm.COURSE,
    ProgrammeForm.UPGRADING, ProgrammeForm.TECHNICAL_GUIDANCE, ProgrammeForm.SOCIALISATION})
# 70: learning by doing the work elsewhere; 20: learning from others; 10: everything taught.
EXPERIENCE_FORMS = frozenset({ProgrammeForm.SECONDMENT, ProgrammeForm.INTERNSHIP, ProgrammeForm.EXCHANGE,
                              ProgrammeForm.BENCHMARKING, ProgrammeForm.ON_THE_JOB})
SOCIAL_FORMS = frozenset({ProgrammeForm.COACHING, ProgrammeForm.MENTORING, ProgrammeForm.COMMUNITY,
                          ProgrammeForm.OUTBOUND})


class Delivery(TitledEnum):
    IN_PERSON = ("tatap_muka", _l("Tatap muka"))
    ONLINE = ("daring", _l("Daring"))
    BLENDED = ("blended", _l("Blended"))


class ProviderKind(TitledEnum):
    BKPSDM = ("bkpsdm", _l("BKPSDM"))
    PROVINCE = ("bpsdm_provinsi", _l("BPSDM Provinsi"))
    LAN = ("lan", _l("LAN"))
    UNIVERSITY = ("universitas", _l("Perguruan tinggi"))
    PARTNER = ("mitra", _l("Mitra profesional"))
    MINISTRY = ("kementerian", _l("Kementerian / lembaga"))


class Leadership(TitledEnum):
    """The LAN leadership programmes; ``target`` says who must take them."""

    LATSAR = ("latsar", _l("Latsar CPNS"))
    PKP = ("pkp", _l("PKP (Pelatihan Kepemimpinan Pengawas)"))
    PKA = ("pka", _l("PKA (Pelatihan Kepemimpinan Administrator)"))
    PKN_II = ("pkn_ii", _l("PKN Tingkat II"))
    PKN_I = ("pkn_i", _l("PKN Tingkat I"))


class ProgrammeStatus(TitledEnum):
    ACTIVE = ("aktif", _l("Aktif"))
    ARCHIVED = ("arsip", _l("Diarsipkan"))


_GOLONGAN = ", ".join(repr(g) for g in people_rules.GOLONGAN_PNS)


class Programme(TimestampMixin, db.Model):
    """A programme of the catalogue. Eligibility: ``position_kinds`` (PositionKind values; empty =
    every kind), a PNS golongan range, PPPK or not, and units (``units``; empty = every unit, else
    the units' subtrees)."""

    __tablename__ = "programme"
    __table_args__ = (
        sa.CheckConstraint("jp > 0 AND jp <= 1000", name="jp_range"),
        sa.CheckConstraint("cost_per_participant >= 0", name="cost_not_negative"),
        sa.CheckConstraint(f"golongan_min IS NULL OR golongan_min IN ({_GOLONGAN})", name="golongan_min_known"),
        sa.CheckConstraint(f"golongan_max IS NULL OR golongan_max IN ({_GOLONGAN})", name="golongan_max_known"),
        sa.CheckConstraint("leadership IS NULL OR form = 'pelatihan_kepemimpinan'", name="leadership_form"),
        sa.Index("ix_programme_status_title", "status", "title"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(30), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    form: Mapped[ProgrammeForm] = mapped_column(enum_column(ProgrammeForm), index=True)
    jp: Mapped[int] = mapped_column()
    provider_kind: Mapped[ProviderKind] = mapped_column(enum_column(ProviderKind))
    provider_name: Mapped[str] = mapped_column(sa.String(150), default="", server_default="")
    delivery: Mapped[Delivery] = mapped_column(enum_column(Delivery))
    cost_per_participant: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2), default=0, server_default="0")
    prerequisites: Mapped[str] = mapped_column(sa.String(1000), default="", server_default="")
    leadership: Mapped[Leadership | None] = mapped_column(enum_column(Leadership))
    position_kinds: Mapped[list] = mapped_column(sa.JSON, default=list)
    golongan_min: Mapped[str | None] = mapped_column(sa.String(8))
    golongan_max: Mapped[str | None] = mapped_column(sa.String(8))
    open_to_pppk: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    status: Mapped[ProgrammeStatus] = mapped_column(enum_column(ProgrammeStatus), default=ProgrammeStatus.ACTIVE)
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")

    competencies = relationship("Competency", secondary="programme_competency", order_by="Competency.name",
                                viewonly=True)
    competency_links = relationship("ProgrammeCompetency", cascade="all, delete-orphan",
                                    back_populates="programme")
    unit_links = relationship("ProgrammeUnit", cascade="all, delete-orphan", back_populates="programme")
    units = relationship("OrgUnit", secondary="programme_unit", viewonly=True, order_by="OrgUnit.name")

    __mapper_args__ = {"version_id_col": lock_version}

    def __str__(self):
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status is ProgrammeStatus.ACTIVE

    @property
    def is_leadership(self) -> bool:
        return self.leadership is not None

    def can_view(self, user) -> bool:
        return user.is_authenticated and (self.is_active or user.manages_whole_instansi)

    def can_edit(self, user) -> bool:
        return user.manages_whole_instansi


class ProgrammeCompetency(db.Model):
    __tablename__ = "programme_competency"
    __table_args__ = (sa.UniqueConstraint("programme_id", "competency_id", name="uq_programme_competency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id", ondelete="CASCADE"))
    competency_id: Mapped[int] = mapped_column(sa.ForeignKey("competency.id", ondelete="CASCADE"), index=True)

    programme = relationship(Programme, back_populates="competency_links")
    competency = relationship("Competency")


class ProgrammeUnit(db.Model):
    """A unit whose subtree may take the programme (none: every unit)."""

    __tablename__ = "programme_unit"
    __table_args__ = (sa.UniqueConstraint("programme_id", "org_unit_id", name="uq_programme_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id", ondelete="CASCADE"))
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id", ondelete="CASCADE"), index=True)

    programme = relationship(Programme, back_populates="unit_links")
    org_unit = relationship("OrgUnit")
