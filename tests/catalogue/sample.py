"""Career-development data built straight from the models.

``sample_catalogue(world)`` adds:
- competencies ``kerja_sama`` (manajerial), ``komunikasi`` (manajerial), ``data`` (teknis, Digital),
  ``pelayanan`` (manajerial);
- Kolaboratif → kerja_sama mapping (``mapping``), Berorientasi Pelayanan → pelayanan;
- programmes: ``teamwork`` (Pelatihan Kerja Sama Tim, 16 JP, kerja_sama, an open session next
  month: ``session``), ``analytics`` (Analisis Data, 6 JP, data), ``pkp`` (PKP, for pengawas),
  ``pka`` (PKA), ``archived`` (an archived programme);
- for staff_a1 (2026): a recommendation ``recommendation`` (teamwork, open, from a Kolaboratif
  need), an IDP ``idp`` (draft) with ``item`` (analytics), a learning record ``record`` (6 JP),
  a submitted external certificate ``certificate``, a talent assessment ``assessment`` (menengah);
- settings (defaults).
Built once per test (cached on the world object).
"""
from datetime import date, timedelta
from decimal import Decimal

from portal.catalogue.models import (
    CertificateKind,
    Competency,
    CompetencyGroup,
    CoreValueCompetency,
    Delivery,
    DevelopmentPlan,
    DevelopmentPlanItem,
    ExternalCertificate,
    Leadership,
    LearningRecord,
    LearningSource,
    Potential,
    Priority,
    Programme,
    ProgrammeCompetency,
    ProgrammeForm,
    ProgrammeStatus,
    ProviderKind,
    Recommendation,
    RecommendationSource,
    TalentAssessment,
)
from portal.catalogue.settings_services import current_settings
from portal.extensions import db
from portal.plans.models import CoreValue
from portal.sessions.models import SessionStatus, TrainingSession


class Sample:
    pass


def make_competency(code, name, group=CompetencyGroup.MANAGERIAL, field=None):
    competency = Competency(code=code, name=name, group=group, field=field, description="")
    db.session.add(competency)
    return competency


def make_programme(code, title, *, form=ProgrammeForm.TECHNICAL, jp=8, competencies=(), leadership=None,
                   position_kinds=(), status=ProgrammeStatus.ACTIVE, cost="1500000", delivery=Delivery.IN_PERSON):
    programme = Programme(code=code, title=title, description=f"Deskripsi {title}.", form=form, jp=jp,
                          provider_kind=ProviderKind.BKPSDM, provider_name="BKPSDM Kabupaten Uji",
                          delivery=delivery, cost_per_participant=Decimal(cost), prerequisites="",
                          leadership=leadership, position_kinds=[k.value for k in position_kinds], status=status)
    db.session.add(programme)
    for competency in competencies:
        programme.competency_links.append(ProgrammeCompetency(competency=competency))
    return programme


def sample_catalogue(world):
    cached = getattr(world, "_catalogue_sample", None)
    if cached is not None:
        return cached
    from portal.people.models import PositionKind
    s = Sample()
    s.settings = current_settings()
    s.kerja_sama = make_competency("M-KS", "Kerja Sama")
    s.komunikasi = make_competency("M-KOM", "Komunikasi")
    s.pelayanan = make_competency("M-PP", "Pelayanan Publik")
    s.data = make_competency("T-DIG-01", "Analisis Data", CompetencyGroup.TECHNICAL, "Digital")
    db.session.flush()
    s.mapping = CoreValueCompetency(core_value=CoreValue.COLLABORATIVE, competency=s.kerja_sama)
    db.session.add_all([s.mapping, CoreValueCompetency(core_value=CoreValue.SERVICE, competency=s.pelayanan)])
    s.teamwork = make_programme("PKS-01", "Pelatihan Kerja Sama Tim", form=ProgrammeForm.MANAGERIAL, jp=16,
                                competencies=[s.kerja_sama, s.komunikasi])
    s.analytics = make_programme("DIG-01", "Analisis Data untuk Administrasi", jp=6, competencies=[s.data],
                                 delivery=Delivery.ONLINE)
    s.pkp = make_programme("PKP-01", "Pelatihan Kepemimpinan Pengawas", form=ProgrammeForm.LEADERSHIP, jp=300,
                           leadership=Leadership.PKP, position_kinds=[PositionKind.PENGAWAS], cost="12000000")
    s.pka = make_programme("PKA-01", "Pelatihan Kepemimpinan Administrator", form=ProgrammeForm.LEADERSHIP,
                           jp=400, leadership=Leadership.PKA, position_kinds=[PositionKind.ADMINISTRATOR],
                           cost="25000000")
    s.archived = make_programme("OLD-01", "Pelatihan Lama", jp=4, status=ProgrammeStatus.ARCHIVED)
    db.session.flush()
    start = date.today() + timedelta(days=30)
    s.session = TrainingSession(programme=s.teamwork, name="Angkatan I", start_date=start,
                                end_date=start + timedelta(days=1), place="Aula BKPSDM", capacity=30,
                                registration_close_date=start - timedelta(days=7), status=SessionStatus.OPEN)
    employee = world.staff_a1
    year = date.today().year
    s.recommendation = Recommendation(
        key=f"{year}:e{employee.id}:p{s.teamwork.id}", employee_id=employee.id, programme_id=s.teamwork.id,
        year=year, source=RecommendationSource.CORE_VALUE, priority=Priority.HIGH,
        reason="Rating perilaku Kolaboratif Di Bawah Ekspektasi pada Oktober 2026", competency_id=s.kerja_sama.id)
    s.idp = DevelopmentPlan(employee_id=employee.id, year=year)
    s.item = DevelopmentPlanItem(plan=s.idp, programme=s.analytics, form=s.analytics.form, title=s.analytics.title,
                                 target_date=date(year, 12, 15), jp_planned=6)
    s.certificate = ExternalCertificate(
        employee_id=employee.id, kind=CertificateKind.KURSUS, name="Kursus Statistik Dasar", course_type="Teknis",
        number="KS/2026/0042", certificate_date=date(year, 3, 20), start_date=date(year, 3, 18),
        end_date=date(year, 3, 20), year=year, jp=12, organiser="BPS Provinsi")
    s.record = LearningRecord(key=f"manual:e{employee.id}:1", employee_id=employee.id, year=year,
                              source=LearningSource.SESSION, jp=6, title=s.analytics.title,
                              completed_date=date(year, 2, 10), programme_id=s.analytics.id)
    s.assessment = TalentAssessment(employee_id=employee.id, year=year, potential=Potential.MEDIUM,
                                    assessed_by_id=world.users["bkpsdm"].id)
    db.session.add_all([s.session, s.recommendation, s.idp, s.certificate, s.record, s.assessment])
    db.session.flush()
    world._catalogue_sample = s
    return s
