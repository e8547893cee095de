"""The import services: preview a file, commit a preview, discard a preview.

Each records its state change on the ``ImportBatch`` with one audit entry and flushes; the view
or CLI command commits once.
"""
from datetime import date
from pathlib import Path

from flask_babel import gettext as _

from portal.core import audit
from portal.core.models import utcnow
from portal.extensions import db
from portal.people.importing.planning import build_plan
from portal.people.importing.reading import ImportFailed, extension_of, read_sheet
from portal.people.importing.storage import _check_extension, _sha256, _store_copy, stored_path
from portal.people.importing.writing import _write
from portal.people.models import ImportBatch, ImportStatus, OrgUnit


def preview_import(path, filename, parent_unit: OrgUnit, user, *, today: date | None = None) -> ImportBatch:
    """Store the file, validate it and record an ``ImportBatch`` (status PREVIEWED).

    Raises ``ImportFailed`` when the file as a whole is unusable (wrong extension, empty,
    binary, missing columns); the stored copy is removed then.
    """
    ext = _check_extension(filename)
    if parent_unit is None:
        raise ImportFailed(_("Pilih unit induk."))
    user = _real(user)
    stored = _store_copy(Path(path), ext)
    try:
        plan = build_plan(read_sheet(stored, ext), parent_unit, today)
    except ImportFailed:
        stored.unlink(missing_ok=True)
        raise
    counts = plan.counts
    batch = ImportBatch(
        filename=_display_name(filename), stored_name=stored.name, sha256=_sha256(stored),
        parent_unit=parent_unit, status=ImportStatus.PREVIEWED, created_by=user,
        count_new=counts["new"], count_changed=counts["changed"], count_unchanged=counts["unchanged"],
        count_rejected=counts["rejected"], report=plan.sorted_problems())
    db.session.add(batch)
    db.session.flush()
    # The preview's audit entry also keeps what would be created, for the preview page.
    audit.record("preview_import", batch, to_state=ImportStatus.PREVIEWED, summary=batch.filename, actor=user,
                 changes={"counts": counts, "new_units": sorted(u.name for u in plan.new_units.values()),
                          "new_positions": len(plan.new_positions)})
    return batch


def _display_name(filename) -> str:
    """The file's own name (browsers on Windows may send a whole path)."""
    return Path(str(filename).replace("\\", "/")).name[:255] or "berkas"


def commit_import(batch: ImportBatch, user, *, today: date | None = None) -> dict:
    """Write a previewed batch: create units, positions and employees, update changed ones,
    keep placement history. Returns the counts.

    Raises ``ImportFailed`` when the batch is not a preview without rejected rows, when the
    stored file is gone or changed since the preview (the batch becomes FAILED), or when the
    database changed so that rows are now rejected (the batch gets the fresh report). Nothing
    but the batch has been written when it raises.
    """
    today = today or date.today()
    user = _real(user)
    if batch.status is not ImportStatus.PREVIEWED:
        raise ImportFailed(_("Impor ini berstatus %(status)s dan tidak dapat disimpan lagi.",
                             status=batch.status.title))
    if batch.count_rejected:
        raise ImportFailed(_("Impor tidak dapat disimpan: masih ada %(n)d baris yang ditolak. Perbaiki "
                             "berkas lalu unggah ulang.", n=batch.count_rejected))
    path = stored_path(batch)
    if not path.is_file() or _sha256(path) != batch.sha256:
        message = _("Berkas yang diunggah sudah tidak ada atau berubah sejak pratinjau. Unggah ulang berkas.")
        _fail(batch, message, user)
        raise ImportFailed(message)
    ext = extension_of(batch.stored_name)
    try:
        plan = build_plan(read_sheet(path, ext), batch.parent_unit, today)
    except ImportFailed as exc:
        _fail(batch, str(exc), user)
        raise
    counts = plan.counts
    if counts["rejected"]:
        _set_counts(batch, counts)
        batch.report = plan.sorted_problems()
        db.session.flush()
        raise ImportFailed(_("Data di database berubah sejak pratinjau: %(n)d baris kini ditolak. Periksa "
                             "laporan, perbaiki berkas lalu unggah ulang.", n=counts["rejected"]))
    created = _write(plan, batch, today)
    _set_counts(batch, counts)
    batch.status = ImportStatus.COMMITTED
    batch.committed_dt = utcnow()
    db.session.flush()
    audit.record("commit_import", batch, from_state=ImportStatus.PREVIEWED, to_state=ImportStatus.COMMITTED,
                 changes={**counts, **created}, summary=batch.filename, actor=user)
    db.session.flush()
    return counts


def discard_import(batch: ImportBatch, user):
    """Discard a preview and delete its stored file. Raises ``ImportFailed`` if not a preview."""
    user = _real(user)
    if batch.status is not ImportStatus.PREVIEWED:
        raise ImportFailed(_("Hanya pratinjau yang dapat dibatalkan; impor ini berstatus %(status)s.",
                             status=batch.status.title))
    batch.status = ImportStatus.DISCARDED
    stored_path(batch).unlink(missing_ok=True)
    audit.record("discard_import", batch, from_state=ImportStatus.PREVIEWED, to_state=ImportStatus.DISCARDED,
                 summary=batch.filename, actor=user)
    db.session.flush()


def _real(user):
    """The user object behind ``current_user`` (a proxy cannot be stored in a relationship)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user._get_current_object() if hasattr(user, "_get_current_object") else user


def _fail(batch, message, user):
    batch.status = ImportStatus.FAILED
    batch.error = str(message)[:1000]
    audit.record("fail_import", batch, from_state=ImportStatus.PREVIEWED, to_state=ImportStatus.FAILED,
                 summary=str(message), actor=user)
    db.session.flush()


def _set_counts(batch, counts):
    batch.count_new, batch.count_changed = counts["new"], counts["changed"]
    batch.count_unchanged, batch.count_rejected = counts["unchanged"], counts["rejected"]
