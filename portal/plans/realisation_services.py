"""Realisasi workflows: write per IKI per sub-period, submit a month, verify or return, umpan
balik, bukti dukung. Services check the state, change it, audit, notify and flush; callers commit.
"""
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from portal.core import audit
from portal.core.models import utcnow
from portal.extensions import db
from portal.notifications import services as notifications
from portal.plans import evidence_storage, rules
from portal.plans.models import (
    ActivityEntry,
    Evidence,
    EvidenceKind,
    Feedback,
    Indicator,
    Measure,
    PerformancePlan,
    PlanStatus,
    Realisation,
    RealisationStatus,
    Subperiod,
)

EDITABLE = (RealisationStatus.DRAFT, RealisationStatus.RETURNED)
MAX_VALUE = Decimal("999999999999.99")  # Numeric(14, 2)
MAX_NARRATIVE = 5000
MAX_FEEDBACK = 2000
MAX_REASON = 1000

SUBMITTED = notifications.register_kind(
    "realisations.submitted", title=_l("%(name)s mengajukan realisasi %(month)s"))
RETURNED = notifications.register_kind(
    "realisations.returned", title=_l("Realisasi %(month)s dikembalikan"), email=True,
    template="plans/realisation/email/realisations.returned.txt")
VERIFIED = notifications.register_kind(
    "realisations.verified", title=_l("Realisasi %(month)s diverifikasi"))
FEEDBACK = notifications.register_kind(
    "realisations.feedback", title=_l("Umpan balik baru dari %(name)s pada realisasi %(month)s"))


class RealisationError(ValueError):
    """A change that breaks a rule; ``field`` names the input it concerns (or None)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


class StaleEdit(RealisationError):
    """The realisasi changed since the form was loaded (another tab or device saved it)."""

    def __init__(self, message=None, field=None):
        super().__init__(message or _(
            "Realisasi ini sudah diubah di tab atau perangkat lain sejak halaman ini dibuka. "
            "Muat ulang halaman, periksa isinya, lalu simpan lagi."), field)


class MonthErrors(RealisationError):
    """Several rows of a month form failed: ``errors`` maps indicator id → RealisationError."""

    def __init__(self, errors):
        super().__init__(_("Sebagian isian belum dapat disimpan. Periksa baris yang ditandai."))
        self.errors = errors


def _actor(actor=None):
    if actor is not None:
        return actor
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def _account(employee):
    return getattr(employee, "user", None) if employee is not None else None


def _month(realisation_or_subperiod) -> str:
    sp = getattr(realisation_or_subperiod, "subperiod", realisation_or_subperiod)
    return sp.label


def _url(realisation):
    return notifications.path_for("realisations.show_realisation", realisation_id=realisation.id)


# ---------------------------------------------------------------- values
def parse_value(raw) -> Decimal | None:
    """A realisasi value from a form: '12', '12,5', '1.250', '1.250,75' (Indonesian) or '12.5'.

    Returns None for an empty input. Raises RealisationError for anything that is not a
    number of at most two decimals between 0 and 999.999.999.999,99.
    """
    try:
        value = rules.read_number(raw)
    except ValueError:
        raise RealisationError(_("Realisasi harus berupa angka, misalnya 12 atau 12,5."), "value") from None
    if value is None:
        return None
    if value < 0:
        raise RealisationError(_("Realisasi tidak boleh negatif."), "value")
    if value > MAX_VALUE:
        raise RealisationError(_("Angka realisasi terlalu besar."), "value")
    if value != value.quantize(Decimal("0.01")):
        raise RealisationError(_("Realisasi paling banyak dua angka di belakang koma."), "value")
    return value


# ---------------------------------------------------------------- reading
def realisation_for(indicator: Indicator, subperiod: Subperiod, *, create=False) -> Realisation | None:
    """The realisasi of ``indicator`` in ``subperiod``; with ``create`` a new DRAFT one (flushed)
    when there is none yet."""
    realisation = db.session.scalar(sa.select(Realisation).where(
        Realisation.indicator_id == indicator.id, Realisation.subperiod_id == subperiod.id))
    if realisation is None and create:
        realisation = Realisation(indicator=indicator, subperiod=subperiod,
                                  plan_id=indicator.result.plan_id, status=RealisationStatus.DRAFT,
                                  narrative="")
        db.session.add(realisation)
        db.session.flush()
    return realisation


def month_realisations(plan: PerformancePlan, subperiod: Subperiod) -> dict[int, Realisation]:
    """indicator id → realisasi of ``plan`` in ``subperiod``, with evidence, in one query (+1)."""
    from sqlalchemy.orm import selectinload
    rows = db.session.scalars(
        sa.select(Realisation).where(Realisation.plan_id == plan.id, Realisation.subperiod_id == subperiod.id)
        .options(selectinload(Realisation.evidence), selectinload(Realisation.feedback))).all()
    return {r.indicator_id: r for r in rows}


def month_narrative(employee, subperiod: Subperiod, result) -> str:
    """The month's laporan harian of ``employee`` for the RHK ``result`` as one narrative:
    one line per entry, '2 Nov: description (output)', oldest first."""
    entries = db.session.scalars(
        sa.select(ActivityEntry).where(
            ActivityEntry.employee_id == employee.id, ActivityEntry.result_id == result.id,
            ActivityEntry.entry_date >= subperiod.start_date, ActivityEntry.entry_date <= subperiod.end_date)
        .order_by(ActivityEntry.entry_date, ActivityEntry.id)).all()
    lines = []
    for entry in entries:
        line = f"{format_date(entry.entry_date, 'd MMM')}: {' '.join(entry.description.split())}"
        if entry.output:
            line += f" ({entry.output})"
        lines.append(line)
    return "\n".join(lines)


# ---------------------------------------------------------------- writing
def _check_writable(realisation: Realisation):
    plan = realisation.plan
    if plan.status is not PlanStatus.APPROVED:
        raise RealisationError(_("Realisasi hanya dapat diisi untuk SKP yang sudah disetujui."))
    if not plan.period.is_open:
        raise RealisationError(_("Periode kinerja %(year)s sudah ditutup; realisasi tidak dapat diubah.",
                                 year=plan.period.year))
    if not realisation.subperiod.accepts_realisation:
        raise RealisationError(_("Subperiode %(month)s sudah ditutup; realisasi tidak dapat diubah.",
                                 month=_month(realisation)))
    if realisation.status not in EDITABLE:
        raise RealisationError(_("Realisasi yang sudah %(status)s tidak dapat diubah.",
                                 status=str(realisation.status.title).lower()))


def _check_lock(realisation, lock_version):
    if lock_version is not None and int(lock_version) != realisation.lock_version:
        raise StaleEdit()


def _flush():
    try:
        db.session.flush()
    except StaleDataError:
        raise StaleEdit() from None


def save_realisation(realisation: Realisation, *, value, narrative, lock_version=None) -> dict:
    """Write the value and narrative of a DRAFT or RETURNED realisasi; returns the changes.

    Numeric IKIs need a value (≥ 0, at most two decimals); descriptive IKIs take none.
    Raises RealisationError (closed year or sub-period, wrong plan or realisasi status, bad value)
    or StaleEdit when ``lock_version`` is not the realisasi's current one.
    """
    _check_writable(realisation)
    _check_lock(realisation, lock_version)
    numeric = realisation.indicator.measure is Measure.NUMERIC
    parsed = parse_value(value)
    if numeric and parsed is None:
        raise RealisationError(_("Isi angka realisasi (%(unit)s).", unit=realisation.indicator.target_unit),
                               "value")
    if not numeric and parsed is not None:
        raise RealisationError(_("IKI ini diukur secara deskriptif: tuliskan capaiannya di narasi, "
                                 "tanpa angka."), "value")
    narrative = (narrative or "").strip()
    if len(narrative) > MAX_NARRATIVE:
        raise RealisationError(_("Narasi paling panjang %(n)s karakter.", n=MAX_NARRATIVE), "narrative")
    if not numeric and not narrative:
        raise RealisationError(_("Tuliskan capaian IKI deskriptif ini di narasi."), "narrative")
    # A realisasi that held nothing yet (just made by realisation_for) is being created.
    is_new = realisation.value is None and not realisation.narrative and realisation.lock_version in (None, 1)
    before = audit.snapshot(realisation, ["value", "narrative"])
    realisation.value = parsed
    realisation.narrative = narrative
    changes = audit.diff(realisation, ["value", "narrative"], before)
    if changes:
        _flush()
        audit.record("create" if is_new else "update", realisation, changes=changes,
                     summary=f"{realisation.indicator.text} – {_month(realisation)}")
    return changes


@dataclass
class MonthRow:
    """One IKI of a month form: ``lock_version`` 0 means the form showed no realisasi yet."""

    indicator: Indicator
    value: object
    narrative: str
    lock_version: int | None = None


def save_month(plan: PerformancePlan, subperiod: Subperiod, rows: list[MonthRow]) -> dict[int, Realisation]:
    """Save every row of a month form; empty rows without a realisasi are skipped.

    Returns indicator id → realisasi written. Raises MonthErrors (with every failing row) —
    the caller rolls back then.
    """
    existing = month_realisations(plan, subperiod)
    saved, errors = {}, {}
    for row in rows:
        realisation = existing.get(row.indicator.id)
        try:
            if realisation is None:
                if (row.value in (None, "") or str(row.value).strip() == "") and not (row.narrative or "").strip():
                    continue
                if row.lock_version not in (None, 0):
                    raise StaleEdit()
                realisation = realisation_for(row.indicator, subperiod, create=True)
                lock = None
            else:
                if row.lock_version == 0:
                    raise StaleEdit()  # another tab created it meanwhile
                lock = row.lock_version
            save_realisation(realisation, value=row.value, narrative=row.narrative, lock_version=lock)
            saved[row.indicator.id] = realisation
        except RealisationError as exc:
            errors[row.indicator.id] = exc
    if errors:
        raise MonthErrors(errors)
    return saved


def submit_month(plan: PerformancePlan, subperiod: Subperiod) -> int:
    """Submit every DRAFT and RETURNED realisasi of ``plan`` in ``subperiod``; returns how many.

    Refuses (RealisationError) when the month cannot be written, nothing is left to submit or a
    numeric IKI has no value. Notifies the appraiser once.
    """
    if plan.status is not PlanStatus.APPROVED:
        raise RealisationError(_("Realisasi hanya dapat diajukan untuk SKP yang sudah disetujui."))
    if not subperiod.accepts_realisation:
        raise RealisationError(_("Subperiode %(month)s sudah ditutup; realisasi tidak dapat diajukan.",
                                 month=subperiod.label))
    rows = [r for r in month_realisations(plan, subperiod).values() if r.status in EDITABLE]
    if not rows:
        raise RealisationError(_("Tidak ada realisasi %(month)s yang dapat diajukan. Simpan isian lebih dulu.",
                                 month=subperiod.label))
    missing = [r for r in rows if r.indicator.measure is Measure.NUMERIC and r.value is None]
    if missing:
        raise RealisationError(_("Isi angka realisasi untuk IKI berikut sebelum mengajukan: %(names)s.",
                                 names="; ".join(r.indicator.text for r in missing)), "value")
    now = utcnow()
    for realisation in rows:
        before = realisation.status
        realisation.status = RealisationStatus.SUBMITTED
        realisation.submitted_dt = now
        audit.record("submit_realisation", realisation, from_state=before, to_state=realisation.status,
                     summary=f"{realisation.indicator.text} – {subperiod.label}")
    _flush()
    appraiser = _account(plan.appraiser)
    if appraiser is not None:
        notifications.notify(
            appraiser, SUBMITTED.name, title_args={"name": plan.employee.display_name, "month": subperiod.label},
            body=_l("%(count)s realisasi menunggu verifikasi Anda.", count=len(rows)), obj=plan,
            url=notifications.path_for("realisations.report", plan_id=plan.id, subperiod_id=subperiod.id))
    return len(rows)


def _check_decidable(realisation: Realisation, actor):
    if realisation.status is not RealisationStatus.SUBMITTED:
        raise RealisationError(_("Hanya realisasi yang sedang diajukan yang dapat diverifikasi atau "
                                 "dikembalikan."))
    if actor is not None and not realisation.plan.is_appraiser(actor):
        raise RealisationError(_("Hanya pejabat penilai SKP ini yang dapat memverifikasi realisasinya."))


def verify_realisation(realisation: Realisation, *, actor=None) -> Realisation:
    """SUBMITTED → VERIFIED by the appraiser; notifies the owner. Raises RealisationError."""
    actor = _actor(actor)
    _check_decidable(realisation, actor)
    before = realisation.status
    realisation.status = RealisationStatus.VERIFIED
    realisation.verified_dt = utcnow()
    realisation.verified_by = actor
    realisation.return_reason = None
    _flush()
    audit.record("verify_realisation", realisation, from_state=before, to_state=realisation.status,
                 summary=f"{realisation.indicator.text} – {_month(realisation)}", actor=actor)
    owner = _account(realisation.plan.employee)
    if owner is not None:
        notifications.notify(owner, VERIFIED.name, title_args={"month": _month(realisation)},
                             body=realisation.indicator.text, obj=realisation, url=_url(realisation))
    return realisation


def return_realisation(realisation: Realisation, reason: str, *, actor=None) -> Realisation:
    """SUBMITTED → RETURNED with a reason (required); notifies the owner with it."""
    actor = _actor(actor)
    reason = (reason or "").strip()
    if not reason:
        raise RealisationError(_("Tuliskan alasan pengembalian agar pegawai tahu apa yang harus diperbaiki."),
                               "reason")
    if len(reason) > MAX_REASON:
        raise RealisationError(_("Alasan paling panjang %(n)s karakter.", n=MAX_REASON), "reason")
    _check_decidable(realisation, actor)
    before = realisation.status
    realisation.status = RealisationStatus.RETURNED
    realisation.return_reason = reason
    realisation.verified_dt = None
    realisation.verified_by = None
    _flush()
    audit.record("return_realisation", realisation, from_state=before, to_state=realisation.status,
                 summary=reason, actor=actor)
    owner = _account(realisation.plan.employee)
    if owner is not None:
        notifications.notify(
            owner, RETURNED.name, title_args={"month": _month(realisation)},
            body=_l("%(iki)s. Catatan penilai: %(reason)s", iki=realisation.indicator.text, reason=reason),
            obj=realisation, url=_url(realisation))
    return realisation


# ---------------------------------------------------------------- umpan balik
def add_feedback(realisation: Realisation, body: str, *, author=None) -> Feedback:
    """Add a message to the umpan balik thread (the appraiser and the chain above at any time,
    the pegawai replying); notifies the other side. Raises RealisationError for an empty or
    too long message or an author who is not part of the conversation."""
    author = _actor(author)
    body = (body or "").strip()
    if not body:
        raise RealisationError(_("Tulis umpan balik lebih dulu."), "body")
    if len(body) > MAX_FEEDBACK:
        raise RealisationError(_("Umpan balik paling panjang %(n)s karakter.", n=MAX_FEEDBACK), "body")
    if author is None or not realisation.can_give_feedback(author):
        raise RealisationError(_("Anda tidak dapat memberi umpan balik pada realisasi ini."))
    feedback = Feedback(realisation=realisation, author=author, body=body, created_dt=utcnow())
    db.session.add(feedback)
    db.session.flush()
    plan = realisation.plan
    recipient = _account(plan.appraiser) if plan.is_owner(author) else _account(plan.employee)
    if recipient is not None and recipient.id != author.id:
        notifications.notify(
            recipient, FEEDBACK.name, title_args={"name": author.display_name, "month": _month(realisation)},
            body=body[:300], obj=realisation, url=_url(realisation))
    return feedback


# ---------------------------------------------------------------- bukti dukung
def add_file_evidence(realisation: Realisation, file_storage, *, actor=None) -> Evidence:
    """Check, store and attach an uploaded file. Raises RealisationError (field 'file')."""
    _check_writable(realisation)
    try:
        stored = evidence_storage.store_upload(file_storage)
    except evidence_storage.EvidenceRejected as exc:
        raise RealisationError(str(exc), "file") from None
    evidence = Evidence(realisation=realisation, kind=EvidenceKind.FILE, title=stored.title[:255],
                        stored_name=stored.stored_name, content_type=stored.content_type,
                        size_bytes=stored.size_bytes, sha256=stored.sha256, uploaded_by=_actor(actor),
                        created_dt=utcnow())
    db.session.add(evidence)
    db.session.flush()
    audit.record("add_evidence", realisation, summary=evidence.title,
                 changes={"evidence": [None, evidence.title]}, actor=_actor(actor))
    return evidence


def check_link(url: str) -> str:
    """An http(s) address with a host, or RealisationError (field 'url')."""
    url = (url or "").strip()
    if not url:
        raise RealisationError(_("Isi alamat tautan."), "url")
    if len(url) > 1000:
        raise RealisationError(_("Alamat tautan paling panjang 1000 karakter."), "url")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise RealisationError(_("Alamat tautan tidak boleh berisi spasi."), "url")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise RealisationError(_("Tautan harus berupa alamat web yang diawali http:// atau https://."), "url")
    return url


def add_link_evidence(realisation: Realisation, url: str, title: str = "", *, actor=None) -> Evidence:
    """Attach a link (http/https only). Raises RealisationError (fields 'url', 'title')."""
    _check_writable(realisation)
    url = check_link(url)
    title = " ".join((title or "").split()) or urlsplit(url).hostname
    if len(title) > 255:
        raise RealisationError(_("Judul tautan paling panjang 255 karakter."), "title")
    evidence = Evidence(realisation=realisation, kind=EvidenceKind.LINK, title=title, url=url,
                        uploaded_by=_actor(actor), created_dt=utcnow())
    db.session.add(evidence)
    db.session.flush()
    audit.record("add_evidence", realisation, summary=f"{title} ({url})"[:500],
                 changes={"evidence": [None, title]}, actor=_actor(actor))
    return evidence


def remove_evidence(evidence: Evidence, *, actor=None):
    """Remove a bukti dukung while its realisasi is editable; a stored file is deleted once the
    transaction commits. Raises RealisationError."""
    realisation = evidence.realisation
    _check_writable(realisation)
    title, stored_name = evidence.title, evidence.stored_name
    realisation.evidence.remove(evidence)
    db.session.delete(evidence)
    db.session.flush()
    evidence_storage.delete_after_commit(stored_name)
    audit.record("remove_evidence", realisation, summary=title, changes={"evidence": [title, None]},
                 actor=_actor(actor))

