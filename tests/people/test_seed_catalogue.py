"""The career-development seed: dictionary, mapping, catalogue, tags, sessions, JP ledger,
leadership history, certificates, potentials, IDPs and the recommendations they produce."""
from collections import Counter

import pytest
import sqlalchemy as sa

from portal.catalogue import recommend
from portal.catalogue.models import (
    CertificateStatus,
    Competency,
    CompetencyGroup,
    CoreValueCompetency,
    DevelopmentPlan,
    ExternalCertificate,
    IdpStatus,
    Leadership,
    LearningRecord,
    Programme,
    ProgrammeCompetency,
    Recommendation,
    RecommendationSource,
    ResultCompetency,
    TalentAssessment,
)
from portal.extensions import db
from portal.people import seeding
from portal.people.models import Employee, Position, PositionKind
from portal.people.seeding import catalogue_texts as texts
from portal.people.seeding.plans import TODAY
from portal.plans.models import CoreValue
from portal.sessions.models import SessionStatus, TrainingSession
from tests.conftest import count_rows

SUPERVISOR_NIP, PEGAWAI_NIP = "198206052009121003", "199608112020032005"
MANAGERIAL = {"Integritas", "Kerja Sama", "Komunikasi", "Orientasi pada Hasil", "Pelayanan Publik",
              "Pengembangan Diri dan Orang Lain", "Mengelola Perubahan", "Pengambilan Keputusan"}


@pytest.fixture
def demo(app):
    return seeding.build_demo()


def _employee(nip):
    return db.session.scalar(sa.select(Employee).where(Employee.nip == nip))


def test_demo_dictionary_mapping_and_catalogue(demo):
    competencies = db.session.scalars(sa.select(Competency)).all()
    by_group = Counter(c.group for c in competencies)
    assert {c.name for c in competencies if c.group is CompetencyGroup.MANAGERIAL} == MANAGERIAL
    assert [c.name for c in competencies if c.group is CompetencyGroup.SOCIOCULTURAL] == ["Perekat Bangsa"]
    fields = {c.field for c in competencies if c.group is CompetencyGroup.TECHNICAL}
    assert fields >= {"Kesehatan", "Pendidikan", "Perizinan", "Lingkungan Hidup", "Keuangan & Aset", "Digital/TIK",
                      "Administrasi Perkantoran", "Kependudukan"}
    assert by_group[CompetencyGroup.TECHNICAL] >= 20 and demo.catalogue.competencies == len(competencies)
    # Every BerAKHLAK value develops at least one competency; Kolaboratif → kerja sama, komunikasi.
    mapping = {}
    for value, name in db.session.execute(sa.select(CoreValueCompetency.core_value, Competency.name)
                                          .join(Competency)):
        mapping.setdefault(value, set()).add(name)
    assert set(mapping) == set(CoreValue)
    assert mapping[CoreValue.COLLABORATIVE] == {"Kerja Sama", "Komunikasi"}
    assert "Pelayanan Publik" in mapping[CoreValue.SERVICE] and "Integritas" in mapping[CoreValue.ACCOUNTABLE]

    programmes = db.session.scalars(sa.select(Programme)).all()
    assert 40 <= len(programmes) <= 60
    assert demo.catalogue.programmes == len(programmes)
    assert len({p.form for p in programmes}) >= 15
    assert len({p.provider_kind for p in programmes}) == 6 and len({p.delivery for p in programmes}) == 3
    assert {p.leadership for p in programmes if p.leadership} == set(Leadership)
    pkp = next(p for p in programmes if p.leadership is Leadership.PKP)
    assert pkp.position_kinds == [PositionKind.PENGAWAS.value] and not pkp.open_to_pppk
    assert all(p.cost_per_participant >= 0 and 0 < p.jp <= 1000 for p in programmes)
    assert sum(1 for p in programmes if p.jp <= 8) >= 10  # short ones for the 20-JP shortfall
    # Every programme addresses a competency.
    linked = set(db.session.scalars(sa.select(ProgrammeCompetency.programme_id)))
    assert {p.id for p in programmes} == linked


def test_demo_tags_sessions_ledger_and_talent(demo):
    tags = db.session.execute(sa.select(ResultCompetency.result_id, Competency.field).join(Competency)).all()
    assert len(tags) == demo.catalogue.tags > 300
    assert {"Kesehatan", "Pendidikan", "Lingkungan Hidup"} <= {field for _r, field in tags}
    sessions = Counter(db.session.scalars(sa.select(TrainingSession.status)))
    assert sessions[SessionStatus.COMPLETED] >= 40 and sessions[SessionStatus.OPEN] >= 15
    assert set(sessions) <= {SessionStatus.COMPLETED, SessionStatus.RUNNING, SessionStatus.OPEN}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TrainingSession).where(
        TrainingSession.status == SessionStatus.OPEN, TrainingSession.start_date <= TODAY)) == 0
    # The JP ledger: from completed sessions this year, with a realistic spread around 20 JP.
    assert count_rows(LearningRecord) == demo.catalogue.learning_records
    open_session = db.session.scalar(sa.select(sa.func.count()).select_from(LearningRecord).join(TrainingSession)
                                     .where(TrainingSession.status != SessionStatus.COMPLETED))
    assert open_session == 0
    totals = dict(db.session.execute(sa.select(LearningRecord.employee_id, sa.func.sum(LearningRecord.jp))
                                     .where(LearningRecord.year == 2026).group_by(LearningRecord.employee_id)).all())
    employees = count_rows(Employee)
    reached = sum(1 for jp in totals.values() if jp >= 20)
    assert 0.15 * employees < reached < 0.45 * employees
    assert employees - reached > 0.5 * employees
    certificates = Counter(db.session.scalars(sa.select(ExternalCertificate.status)))
    assert certificates[CertificateStatus.SUBMITTED] >= 3 and certificates[CertificateStatus.VERIFIED] >= 1
    pegawai = _employee(PEGAWAI_NIP)
    assert db.session.scalar(sa.select(ExternalCertificate.status).where(
        ExternalCertificate.employee_id == pegawai.id)) is CertificateStatus.SUBMITTED
    # Potential mostly for structural officials.
    kinds = Counter(db.session.scalars(sa.select(Position.kind).join(Employee, Employee.position_id == Position.id)
                                       .join(TalentAssessment, TalentAssessment.employee_id == Employee.id)))
    structural = kinds[PositionKind.PENGAWAS] + kinds[PositionKind.ADMINISTRATOR] + kinds[PositionKind.JPT_PRATAMA]
    assert structural > sum(kinds.values()) / 2
    # IDPs: the pegawai's draft, one waiting for the demo supervisor, approved ones.
    supervisor = _employee(SUPERVISOR_NIP)
    plans = db.session.scalars(sa.select(DevelopmentPlan)).all()
    assert len(plans) == demo.catalogue.idps
    assert any(p.employee_id == pegawai.id and p.status is IdpStatus.DRAFT for p in plans)
    assert any(p.status is IdpStatus.SUBMITTED and p.approver_id == supervisor.id for p in plans)
    assert sum(1 for p in plans if p.status is IdpStatus.APPROVED) >= 2
    assert all(p.items for p in plans)


def test_demo_recommendations_include_mandatory_pkp_and_kolaboratif(demo):
    recommendations = db.session.scalars(sa.select(Recommendation)).all()
    assert len(recommendations) == demo.catalogue.recommendations > 100
    assert {r.source for r in recommendations} >= {RecommendationSource.CORE_VALUE, RecommendationSource.RESULT,
                                                   RecommendationSource.LEADERSHIP, RecommendationSource.TALENT,
                                                   RecommendationSource.LEARNING_HOURS}
    # The demo supervisor is a pengawas without PKP: mandatory, and so are a few others.
    supervisor = _employee(SUPERVISOR_NIP)
    mandatory = [r for r in recommendations if r.employee_id == supervisor.id and r.is_mandatory]
    assert [r.programme.leadership for r in mandatory] == [Leadership.PKP]
    assert "Kepala Puskesmas" in mandatory[0].reason and "PKP" in mandatory[0].reason
    assert sum(1 for r in recommendations if r.is_mandatory) > 1
    # Most structural officials have their programme: few mandatory ones.
    structural = db.session.scalar(sa.select(sa.func.count()).select_from(Employee).join(Position).where(
        Position.kind.in_([PositionKind.PENGAWAS, PositionKind.ADMINISTRATOR, PositionKind.JPT_PRATAMA])))
    assert sum(1 for r in recommendations if r.source is RecommendationSource.LEADERSHIP) < structural / 2
    kolaboratif = [r for r in recommendations if "Rating perilaku Kolaboratif Di Bawah Ekspektasi" in r.reason]
    assert kolaboratif and any(r.programme.code == "MAN-KOL" for r in kolaboratif)
    assert all(r.source is RecommendationSource.CORE_VALUE for r in kolaboratif if r.reason.startswith("Rating"))
    # The demo pegawai can take any of her recommendations into her draft IDP.
    pegawai = _employee(PEGAWAI_NIP)
    mine = recommend.recommendations_for(pegawai.id)
    assert len(mine) >= 3
    for recommendation in mine:
        item = recommend.accept_recommendation(recommendation)
        assert item.plan.status is IdpStatus.DRAFT and item.programme_id == recommendation.programme_id


def test_seeding_the_demo_twice_refuses(demo):
    before = count_rows(Programme), count_rows(Recommendation)
    with pytest.raises(seeding.SeedError):
        seeding.build_demo()
    assert (count_rows(Programme), count_rows(Recommendation)) == before


def test_scale_adds_about_300_generated_programmes_and_recomputes(app):
    result = seeding.build_scale(seeding.MIN_SCALE_EMPLOYEES)
    programmes = count_rows(Programme)
    generated = db.session.scalar(sa.select(sa.func.count()).select_from(Programme)
                                  .where(Programme.code.like("GEN-%")))
    demo_catalogue = len(texts.PROGRAMMES + texts.SELF_STUDY)
    assert 280 <= generated <= 320 and programmes == result.catalogue.programmes == generated + demo_catalogue
    assert count_rows(TrainingSession) == result.catalogue.sessions > generated
    with_records = db.session.scalar(sa.select(sa.func.count(sa.distinct(LearningRecord.employee_id))))
    assert with_records > 0.7 * result.employees
    assert count_rows(ResultCompetency) == result.catalogue.tags > 0
    assert count_rows(Recommendation) == result.catalogue.recommendations > 0
    assert result.catalogue.recompute_seconds >= 0
