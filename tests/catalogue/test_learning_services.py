"""Learning-hours services: external certificates (submit, change, verify once, reject with a
reason), coaching/mentoring credit from the settings, and the JP progress."""
import io
from datetime import date

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from portal.catalogue import certificate_storage
from portal.catalogue import learning_services as services
from portal.catalogue.errors import CatalogueError
from portal.catalogue.models import (
    CertificateKind,
    CertificateStatus,
    ExternalCertificate,
    LearningRecord,
    LearningSource,
    Recommendation,
)
from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.notifications.models import Notification
from tests.catalogue.sample import sample_catalogue

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
YEAR = date.today().year


@pytest.fixture
def s(world):
    return sample_catalogue(world)


def upload(content=PDF, name="sertifikat.pdf"):
    return FileStorage(stream=io.BytesIO(content), filename=name, content_type="application/pdf")


def data(**changes):
    values = {"kind": CertificateKind.DIKLAT, "name": "Diklat Pengelolaan Arsip", "course_type": "",
              "number": "DK/01/2026", "certificate_date": date(YEAR, 1, 20), "start_date": date(YEAR, 1, 15),
              "end_date": date(YEAR, 1, 19), "year": None, "jp": 24, "organiser": "ANRI"}
    values.update(changes)
    return values


def ledger_lines(employee_id):
    return db.session.scalars(sa.select(LearningRecord).where(LearningRecord.employee_id == employee_id)).all()


def test_submit_stores_the_scan_and_waits_for_verification(s, world):
    certificate = services.submit_certificate(world.staff_a1, data(), upload())
    assert certificate.status is CertificateStatus.SUBMITTED
    assert certificate.year == YEAR  # from the end date
    assert certificate.content_type == "application/pdf" and certificate.file_name == "sertifikat.pdf"
    assert certificate_storage.stored_path(certificate.stored_name).read_bytes() == PDF
    assert db.session.scalar(sa.select(AuditEntry.action).where(
        AuditEntry.object_type == "ExternalCertificate", AuditEntry.object_id == certificate.id)) == "certificate.submitted"


@pytest.mark.parametrize("changes, field", [
    ({"end_date": date(YEAR, 1, 10)}, "end_date"),
    ({"kind": CertificateKind.KURSUS, "course_type": ""}, "course_type"),
    ({"certificate_date": date(YEAR + 1, 1, 1)}, "certificate_date"),
    ({"jp": 0}, "jp"),
])
def test_submit_refuses_bad_data_and_keeps_nothing(s, world, changes, field):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(ExternalCertificate))
    with pytest.raises(CatalogueError) as exc:
        services.submit_certificate(world.staff_a1, data(**changes), upload())
    assert exc.value.field == field
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ExternalCertificate)) == before


@pytest.mark.parametrize("content, name, words", [
    (b"MZ\x90\x00" + b"\x00" * 200, "sertifikat.pdf", "bukan PDF"),   # an executable named .pdf
    (b"just some text", "sertifikat.pdf", "bukan PDF"),
    (b"", "kosong.pdf", "kosong"),
])
def test_the_file_is_judged_on_its_content(s, world, content, name, words):
    before = set(certificate_storage.storage_dir().iterdir())
    with pytest.raises(CatalogueError) as exc:
        services.submit_certificate(world.staff_a1, data(), upload(content, name))
    assert exc.value.field == "file" and words in exc.value.message
    assert set(certificate_storage.storage_dir().iterdir()) == before  # a refused file is not kept


def test_a_file_above_the_limit_is_refused(s, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "CERTIFICATE_MAX_BYTES", 100)
    before = set(certificate_storage.storage_dir().iterdir())
    with pytest.raises(CatalogueError) as exc:
        services.submit_certificate(world.staff_a1, data(), upload(PDF + b"0" * 200))
    assert "terlalu besar" in exc.value.message
    assert set(certificate_storage.storage_dir().iterdir()) == before


def test_verify_credits_the_ledger_once_and_notifies(s, world):
    certificate = s.certificate
    bkpsdm = world.users["bkpsdm"]
    record = services.verify_certificate(certificate, actor=bkpsdm)
    assert certificate.status is CertificateStatus.VERIFIED and certificate.verified_by_id == bkpsdm.id
    assert (record.key, record.jp, record.source, record.certificate_id) == (
        f"cert:{certificate.id}", 12, LearningSource.CERTIFICATE, certificate.id)
    assert services.jp_total(world.staff_a1.id, YEAR) == 6 + 12
    with pytest.raises(CatalogueError):
        services.verify_certificate(certificate, actor=bkpsdm)
    assert [line.key for line in ledger_lines(world.staff_a1.id)].count(f"cert:{certificate.id}") == 1
    note = db.session.scalar(sa.select(Notification).where(Notification.user_id == world.users["pegawai"].id,
                                                           Notification.kind == "catalogue.certificate_verified"))
    assert note is not None and "Kursus Statistik Dasar" in note.title and "12 JP" in note.title


def test_verify_as_a_leadership_programme_counts_for_the_post(s, world, factory):
    # chief_a1 (administrator) needs PKA; a PKA taken elsewhere, once recognised, clears it.
    from portal.catalogue import recommend
    recommend.recompute_recommendations([world.chief_a1.id])
    mandatory = sa.select(Recommendation).where(Recommendation.employee_id == world.chief_a1.id,
                                                Recommendation.programme_id == s.pka.id)
    assert db.session.scalar(mandatory) is not None
    certificate = services.submit_certificate(world.chief_a1, data(name="PKA Angkatan X", jp=400,
                                                                   organiser="BPSDM Provinsi"), upload())
    record = services.verify_certificate(certificate, programme=s.pka, actor=world.users["bkpsdm"])
    assert record.programme_id == s.pka.id and certificate.programme_id == s.pka.id
    assert db.session.scalar(mandatory) is None


def test_the_ledger_year_is_the_certificate_year(s, world):
    certificate = services.submit_certificate(world.staff_a1, data(year=YEAR - 1), upload())
    record = services.verify_certificate(certificate, actor=world.users["bkpsdm"])
    assert record.year == YEAR - 1


def test_reject_needs_a_reason_and_editing_sends_it_back(s, world):
    certificate = s.certificate
    with pytest.raises(CatalogueError) as exc:
        services.reject_certificate(certificate, "   ", actor=world.users["bkpsdm"])
    assert exc.value.field == "reason" and certificate.status is CertificateStatus.SUBMITTED
    services.reject_certificate(certificate, "Pindaian tidak terbaca", actor=world.users["bkpsdm"])
    assert certificate.status is CertificateStatus.REJECTED and certificate.rejection_reason == "Pindaian tidak terbaca"
    assert db.session.scalar(sa.select(Notification.body).where(
        Notification.kind == "catalogue.certificate_rejected")) == "Pindaian tidak terbaca"
    assert ledger_lines(world.staff_a1.id) == [s.record]
    services.update_certificate(certificate, data(name="Kursus Statistik Dasar", kind=CertificateKind.KURSUS,
                                                  course_type="Teknis", jp=12), upload(name="baru.pdf"))
    assert certificate.status is CertificateStatus.SUBMITTED and certificate.rejection_reason is None
    assert certificate.file_name == "baru.pdf"
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "certificate.updated"))
    assert entry.changes["number"] == ["KS/2026/0042", "DK/01/2026"] and "file_name" in entry.changes


def test_a_verified_certificate_cannot_change(s, world):
    services.verify_certificate(s.certificate, actor=world.users["bkpsdm"])
    with pytest.raises(CatalogueError):
        services.update_certificate(s.certificate, data())
    with pytest.raises(CatalogueError):
        services.delete_certificate(s.certificate)


def test_delete_removes_the_scan_after_commit(s, world):
    certificate = services.submit_certificate(world.staff_a1, data(), upload())
    path = certificate_storage.stored_path(certificate.stored_name)
    services.delete_certificate(certificate)
    assert path.exists()  # until the commit
    db.session.commit()
    assert not path.exists()
    assert db.session.get(ExternalCertificate, certificate.id) is None


def test_coaching_and_mentoring_credit_the_settings_jp(s, world):
    s.settings.coaching_jp, s.settings.mentoring_jp = 3, 5
    line = services.credit_activity(world.staff_a1.id, kind="coaching", ref="7", title="Coaching kinerja",
                                    completed_date=date(YEAR, 4, 2))
    assert (line.jp, line.source, line.key) == (3, LearningSource.COACHING, f"coaching:7:e:{world.staff_a1.id}")
    again = services.credit_activity(world.staff_a1.id, kind="coaching", ref="7", title="Coaching kinerja",
                                     completed_date=date(YEAR, 4, 2))
    assert again.id == line.id
    mentoring = services.credit_activity(world.staff_a1.id, kind="mentoring", ref="7", title="Mentoring",
                                         completed_date=date(YEAR, 5, 2))
    assert mentoring.jp == 5 and mentoring.source is LearningSource.MENTORING
    assert services.jp_total(world.staff_a1.id, YEAR) == 6 + 3 + 5
    s.settings.mentoring_jp = 0
    assert services.credit_activity(world.staff_a1.id, kind="mentoring", ref="8", title="Mentoring",
                                    completed_date=date(YEAR, 5, 9)) is None
    with pytest.raises(ValueError):
        services.credit_activity(world.staff_a1.id, kind="magang", ref="1", title="x", completed_date=date(YEAR, 1, 1))


def test_progress_against_the_target(s, world):
    progress = services.progress_of(world.staff_a1.id, YEAR)
    assert (progress.total, progress.target, progress.percent, progress.remaining, progress.is_met) == (6, 20, 30, 14,
                                                                                                       False)
    s.settings.jp_target = 5
    assert services.progress_of(world.staff_a1.id, YEAR).is_met
    assert services.progress_of(world.staff_a1.id, YEAR).percent == 100
