"""Learning hours: the JP ledger per employee per year, coaching and mentoring credit, and the
external certificates employees upload and BKPSDM verifies."""
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import joinedload

from portal.catalogue import certificate_storage, recommend
from portal.catalogue.errors import CatalogueError
from portal.catalogue.models import (
    CertificateKind,
    CertificateStatus,
    ExternalCertificate,
    LearningRecord,
    LearningSource,
)
from portal.catalogue.settings_services import current_settings
from portal.core import audit
from portal.core.models import utcnow
from portal.extensions import db
from portal.notifications import services as notifications
from portal.people.models import Employee


def jp_total(employee_id: int, year: int) -> int:
    """The JP credited to the employee in ``year``."""
    return db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(LearningRecord.jp), 0)).where(
        LearningRecord.employee_id == employee_id, LearningRecord.year == year)) or 0


def jp_totals(year: int, employee_ids=None) -> dict[int, int]:
    """JP per employee in ``year`` for the given employees (None: everyone), in one statement
    (employees with nothing credited are absent)."""
    query = (sa.select(LearningRecord.employee_id, sa.func.sum(LearningRecord.jp))
             .where(LearningRecord.year == year).group_by(LearningRecord.employee_id))
    if employee_ids is not None:
        ids = list(employee_ids)
        if not ids:
            return {}
        query = query.where(LearningRecord.employee_id.in_(ids))
    return {employee_id: int(total) for employee_id, total in db.session.execute(query)}


def credit(employee_id: int, *, key: str, source: LearningSource, jp: int, title: str, completed_date: date,
           programme_id=None, session_id=None, certificate_id=None) -> LearningRecord:
    """Add a line to the ledger, or return the existing one with the same ``key`` (crediting the
    same session, certificate or activity twice gives nothing more). Flushes."""
    existing = db.session.scalar(sa.select(LearningRecord).where(LearningRecord.key == key))
    if existing is not None:
        return existing
    record = LearningRecord(key=key, employee_id=employee_id, year=completed_date.year, source=source, jp=jp,
                            title=title[:200], completed_date=completed_date, programme_id=programme_id,
                            session_id=session_id, certificate_id=certificate_id)
    db.session.add(record)
    db.session.flush()
    return record


# ---------------------------------------------------------------- coaching and mentoring
ACTIVITY_SOURCES = {"coaching": LearningSource.COACHING, "mentoring": LearningSource.MENTORING}


def credit_activity(employee_id: int, *, kind: str, ref: str, title: str, completed_date: date):
    """Credit an approved coaching or mentoring activity with the JP the settings give it
    (``coaching_jp`` / ``mentoring_jp``). ``ref`` names the activity in its module ("12" for
    coaching 12); crediting the same activity twice gives nothing more. Returns the ledger line,
    or None when the setting gives such activities no JP. Raises ValueError for another kind. Flushes."""
    if kind not in ACTIVITY_SOURCES:
        raise ValueError(f"unknown activity kind: {kind!r}")
    settings = current_settings()
    jp = settings.coaching_jp if kind == "coaching" else settings.mentoring_jp
    if not jp:
        return None
    return credit(employee_id, key=f"{kind}:{ref}:e:{employee_id}"[:80], source=ACTIVITY_SOURCES[kind], jp=jp,
                  title=title, completed_date=completed_date)


# ---------------------------------------------------------------- the ledger
@dataclass
class Progress:
    """An employee's JP in a year against the target (20 JP unless BKPSDM changed it)."""

    total: int
    target: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.total / self.target)) if self.target else 100

    @property
    def remaining(self) -> int:
        return max(0, self.target - self.total)

    @property
    def is_met(self) -> bool:
        return self.total >= self.target


def progress_of(employee_id: int, year: int) -> Progress:
    """The JP progress of one employee (two statements at most: the total and the settings)."""
    return Progress(total=jp_total(employee_id, year), target=current_settings().jp_target)


def ledger_lines(employee_id: int, year: int) -> list[LearningRecord]:
    return db.session.scalars(
        sa.select(LearningRecord).where(LearningRecord.employee_id == employee_id, LearningRecord.year == year)
        .order_by(LearningRecord.completed_date, LearningRecord.id)).all()


def certificates_of(employee_id: int, year: int) -> list[ExternalCertificate]:
    """The employee's certificates of ``year``, and any not yet verified whatever their year."""
    return db.session.scalars(
        sa.select(ExternalCertificate)
        .where(ExternalCertificate.employee_id == employee_id,
               sa.or_(ExternalCertificate.year == year, ExternalCertificate.status != CertificateStatus.VERIFIED))
        .options(joinedload(ExternalCertificate.programme))
        .order_by(ExternalCertificate.certificate_date.desc(), ExternalCertificate.id.desc())).all()


def ledger_years(employee_id: int, current: int) -> list[int]:
    """The years the ledger page offers: the last five and any year with a line, newest first."""
    years = set(range(current - 4, current + 1))
    years.update(db.session.scalars(sa.select(LearningRecord.year).where(LearningRecord.employee_id == employee_id)
                                    .distinct()))
    return sorted(years, reverse=True)


def verification_queue():
    """Submitted certificates, oldest first (a statement to paginate)."""
    return (sa.select(ExternalCertificate).where(ExternalCertificate.status == CertificateStatus.SUBMITTED)
            .options(joinedload(ExternalCertificate.employee).joinedload(Employee.org_unit))
            .order_by(ExternalCertificate.created_dt, ExternalCertificate.id))


# ---------------------------------------------------------------- external certificates
CERTIFICATE_VERIFIED = notifications.register_kind(
    "catalogue.certificate_verified", title=_l("Sertifikat %(name)s diverifikasi: %(jp)s JP dicatat"))
CERTIFICATE_REJECTED = notifications.register_kind(
    "catalogue.certificate_rejected", title=_l("Sertifikat %(name)s ditolak"))

# What the employee fills in (the SIASN fields), in the order the audit log lists changes.
CERTIFICATE_FIELDS = ("kind", "name", "course_type", "number", "certificate_date", "start_date", "end_date",
                      "year", "jp", "organiser")


def _check_certificate(data: dict):
    kind = data["kind"]
    if kind is CertificateKind.KURSUS and not data.get("course_type"):
        raise CatalogueError(_("Isi jenis kursus."), "course_type")
    if kind is not CertificateKind.KURSUS:
        data["course_type"] = ""
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        raise CatalogueError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."), "end_date")
    if data["certificate_date"] > date.today():
        raise CatalogueError(_("Tanggal sertifikat tidak boleh di masa depan."), "certificate_date")
    if start and start > data["certificate_date"]:
        raise CatalogueError(_("Tanggal mulai tidak boleh setelah tanggal sertifikat."), "start_date")
    if not data.get("year"):
        data["year"] = (end or data["certificate_date"]).year
    if not 1970 <= data["year"] <= date.today().year:
        raise CatalogueError(_("Tahun harus antara 1970 dan %(year)s.", year=date.today().year), "year")
    if not 1 <= data["jp"] <= 1000:
        raise CatalogueError(_("JP harus antara 1 dan 1000."), "jp")


def _store_scan(file_storage):
    try:
        return certificate_storage.store_upload(file_storage)
    except certificate_storage.CertificateFileRejected as exc:
        raise CatalogueError(str(exc), "file") from None


def _attach_scan(certificate, scan):
    certificate.file_name, certificate.stored_name = scan.file_name[:255], scan.stored_name
    certificate.content_type, certificate.sha256 = scan.content_type, scan.sha256


def submit_certificate(employee, data: dict, file_storage) -> ExternalCertificate:
    """Record a certificate the employee uploads, waiting for BKPSDM's verification. ``data`` holds
    CERTIFICATE_FIELDS (``year`` may be None: the year of the end or certificate date). Raises
    CatalogueError (with the field) for a rule or a file that is refused; nothing is kept then. Flushes."""
    data = dict(data)
    _check_certificate(data)
    scan = _store_scan(file_storage)
    certificate = ExternalCertificate(employee_id=employee.id, status=CertificateStatus.SUBMITTED,
                                      **{name: data[name] for name in CERTIFICATE_FIELDS})
    _attach_scan(certificate, scan)
    db.session.add(certificate)
    db.session.flush()
    audit.record("certificate.submitted", certificate, to_state=certificate.status.value,
                 summary=f"{certificate.name} ({certificate.jp} JP)")
    return certificate


def update_certificate(certificate: ExternalCertificate, data: dict, file_storage=None) -> ExternalCertificate:
    """Change a certificate that is not verified (with a new scan when ``file_storage`` has one).
    A rejected certificate goes back to BKPSDM's queue. Raises CatalogueError. Flushes."""
    if certificate.status is CertificateStatus.VERIFIED:
        raise CatalogueError(_("Sertifikat yang sudah diverifikasi tidak dapat diubah."))
    data = dict(data)
    _check_certificate(data)
    changes = {}
    for name in CERTIFICATE_FIELDS:
        old, new = getattr(certificate, name), data[name]
        if old != new:
            changes[name] = [_jsonable(old), _jsonable(new)]
            setattr(certificate, name, new)
    if file_storage is not None and getattr(file_storage, "filename", None):
        scan = _store_scan(file_storage)
        certificate_storage.delete_after_commit(certificate.stored_name)
        changes["file_name"] = [certificate.file_name, scan.file_name]
        _attach_scan(certificate, scan)
    from_state = certificate.status
    if from_state is CertificateStatus.REJECTED:
        certificate.status, certificate.rejection_reason = CertificateStatus.SUBMITTED, None
        certificate.verified_by_id = certificate.verified_dt = None
    db.session.flush()
    audit.record("certificate.updated", certificate, from_state=from_state.value, to_state=certificate.status.value,
                 changes=changes or None, summary=certificate.name)
    return certificate


def delete_certificate(certificate: ExternalCertificate):
    """Remove a certificate that is not verified, and its scan once committed. Raises CatalogueError."""
    if certificate.status is CertificateStatus.VERIFIED:
        raise CatalogueError(_("Sertifikat yang sudah diverifikasi tidak dapat dihapus."))
    audit.record("certificate.deleted", certificate, from_state=certificate.status.value,
                 summary=f"{certificate.name} ({certificate.jp} JP)")
    certificate_storage.delete_after_commit(certificate.stored_name)
    db.session.delete(certificate)
    db.session.flush()


def verify_certificate(certificate: ExternalCertificate, *, programme=None, actor=None) -> LearningRecord:
    """BKPSDM accepts a submitted certificate: the ledger gets its JP once (key ``cert:<id>``),
    optionally as a catalogue programme (a PKP taken elsewhere then counts as PKP), the employee
    is notified and their recommendations are recomputed. Raises CatalogueError when it is not
    waiting for verification. Flushes."""
    if certificate.status is not CertificateStatus.SUBMITTED:
        raise CatalogueError(_("Sertifikat ini tidak sedang menunggu verifikasi."))
    actor = _actor(actor)
    certificate.status = CertificateStatus.VERIFIED
    certificate.programme_id = programme.id if programme is not None else None
    certificate.verified_by_id = actor.id if actor is not None else None
    certificate.verified_dt = utcnow()
    certificate.rejection_reason = None
    db.session.flush()
    record = credit(certificate.employee_id, key=f"cert:{certificate.id}", source=LearningSource.CERTIFICATE,
                    jp=certificate.jp, title=certificate.name, completed_date=certificate.end_date
                    or certificate.certificate_date, programme_id=certificate.programme_id,
                    certificate_id=certificate.id)
    # The ledger year is the certificate's (SIASN's tahun), which the employee may have set apart
    # from the date.
    if record.year != certificate.year:
        record.year = certificate.year
        db.session.flush()
    audit.record("certificate.verified", certificate, from_state=CertificateStatus.SUBMITTED.value,
                 to_state=certificate.status.value, actor=actor,
                 changes={"programme_id": [None, programme.title]} if programme is not None else None,
                 summary=f"{certificate.name} ({certificate.jp} JP)")
    _notify_owner(certificate, CERTIFICATE_VERIFIED.name, {"name": certificate.name, "jp": certificate.jp},
                  _l("Sertifikat Anda sudah diverifikasi BKPSDM dan JP-nya tercatat di jam pelajaran Anda."))
    recommend.recompute_recommendations([certificate.employee_id])
    return record


def reject_certificate(certificate: ExternalCertificate, reason: str, *, actor=None) -> ExternalCertificate:
    """BKPSDM refuses a submitted certificate with a reason the employee reads (they may correct
    it and send it again). Raises CatalogueError. Flushes."""
    reason = (reason or "").strip()
    if certificate.status is not CertificateStatus.SUBMITTED:
        raise CatalogueError(_("Sertifikat ini tidak sedang menunggu verifikasi."))
    if not reason:
        raise CatalogueError(_("Tuliskan alasan penolakan."), "reason")
    actor = _actor(actor)
    certificate.status, certificate.rejection_reason = CertificateStatus.REJECTED, reason[:500]
    certificate.verified_by_id = actor.id if actor is not None else None
    certificate.verified_dt = utcnow()
    db.session.flush()
    audit.record("certificate.rejected", certificate, from_state=CertificateStatus.SUBMITTED.value,
                 to_state=certificate.status.value, actor=actor, summary=reason[:500])
    _notify_owner(certificate, CERTIFICATE_REJECTED.name, {"name": certificate.name}, reason[:300])
    return certificate


def _notify_owner(certificate, kind, title_args, body):
    employee = certificate.employee or db.session.get(Employee, certificate.employee_id)
    account = employee.user if employee is not None else None
    if account is None:
        return
    notifications.notify(account, kind, title_args=title_args, body=body, obj=certificate,
                         url=notifications.path_for("learning.show_certificate", certificate_id=certificate.id))


def _actor(actor):
    if actor is None and has_request_context() and current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return actor


def _jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    return getattr(value, "value", value)
