"""The import services: preview a file, commit a preview, discard a preview.

Each records its state change on the ``ImportBatch`` with one audit entry and flushes; the view
or CLI command commits once. From the web a commit runs as a background job: ``request_commit``
queues it and ``run_commit_job`` is the job; the CLI commits synchronously.
"""
from datetime import date
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from portal.core import audit
from portal.core.models import utcnow
from portal.extensions import db
from portal.jobs import services as jobs
from portal.jobs.models import Job
from portal.jobs.registry import JobLink, job_kind
from portal.notifications import services as notifications
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


def commit_import(batch: ImportBatch, user, *, today: date | None = None, progress=None) -> dict:
    """Write a previewed batch: create units, positions and employees, update changed ones,
    keep placement history. Returns the counts.

    ``progress``, if given, is called as ``progress(percent, message)`` as the work advances
    (after the file is checked, then after each chunk of employees written).

    Raises ``ImportFailed`` when the batch is not a preview without rejected rows, when the
    stored file is gone or changed since the preview (the batch becomes FAILED), or when the
    database changed so that rows are now rejected (the batch gets the fresh report). Nothing
    but the batch has been written when it raises.
    """
    today = today or date.today()
    user = _real(user)
    report = progress or (lambda percent, message: None)
    _check_committable(batch)
    report(2, _("Memeriksa berkas"))
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
    report(10, _("Berkas sudah diperiksa; menyimpan data"))

    def written(done, total):
        # Writing is the rest of the work, from 10 % to 95 %.
        report(10 + 85 * done // max(total, 1), _("Menyimpan pegawai: %(done)d dari %(total)d", done=done, total=total))

    created = _write(plan, batch, today, progress=written)
    _set_counts(batch, counts)
    batch.status = ImportStatus.COMMITTED
    batch.committed_dt = utcnow()
    db.session.flush()
    audit.record("commit_import", batch, from_state=ImportStatus.PREVIEWED, to_state=ImportStatus.COMMITTED,
                 changes={**counts, **created}, summary=batch.filename, actor=user)
    db.session.flush()
    if user is not None:  # nobody to tell when the CLI ran without --user
        notifications.notify(user, "people.import_committed", title_args={"filename": batch.filename}, obj=batch,
                             url=notifications.path_for("imports.show_import", batch_id=batch.id),
                             body=_l("%(new)d pegawai baru, %(changed)d diperbarui, %(unchanged)d tidak berubah.",
                                     **counts))
    return counts


def _check_committable(batch: ImportBatch):
    """Raise ``ImportFailed`` unless the batch is a preview without rejected rows."""
    if batch.status is not ImportStatus.PREVIEWED:
        raise ImportFailed(_("Impor ini berstatus %(status)s dan tidak dapat disimpan lagi.",
                             status=batch.status.title))
    if batch.count_rejected:
        raise ImportFailed(_("Impor tidak dapat disimpan: masih ada %(n)d baris yang ditolak. Perbaiki "
                             "berkas lalu unggah ulang.", n=batch.count_rejected))


COMMIT_JOB = "import_commit"


def request_commit(batch: ImportBatch, user) -> Job:
    """Queue the commit of a previewed batch as a background job (sent when the caller commits).

    Raises ``ImportFailed`` when the batch cannot be committed, or when its commit is already
    queued or running.
    """
    _check_committable(batch)
    if jobs.active_job(COMMIT_JOB, batch) is not None:
        raise ImportFailed(_("Impor ini sedang disimpan. Tunggu sampai selesai."))
    return jobs.enqueue(COMMIT_JOB, _("Simpan impor %(name)s", name=batch.filename), params={"batch_id": batch.id},
                        object=batch, user=user)


def commit_job(batch: ImportBatch) -> Job | None:
    """The latest commit job of the batch, if any."""
    return jobs.latest_job(COMMIT_JOB, batch)


@job_kind(COMMIT_JOB, label=_l("Simpan impor SIASN"),
          link=JobLink("imports.show_import", "batch_id", _l("Lihat hasil impor")))
def run_commit_job(job: Job) -> dict:
    """The commit job: ``commit_import`` with the job's progress. Raises ``JobFailed``."""
    from portal.auth.models import User
    # Locked for the whole commit: a second job for the batch waits, then finds it committed.
    batch = db.session.get(ImportBatch, job.object_id, with_for_update=True, populate_existing=True)
    if batch is None:
        raise jobs.JobFailed(_("Impor ini sudah tidak ada."))
    user = db.session.get(User, job.created_by_id) if job.created_by_id else None
    try:
        counts = commit_import(batch, user, progress=lambda percent, message: jobs.report_progress(job, percent, message))
    except ImportFailed as exc:
        # The batch records why (its status or its fresh report): keep that.
        raise jobs.JobFailed(str(exc), keep_changes=True) from exc
    except IntegrityError as exc:
        raise jobs.JobFailed(_("Data berubah bersamaan dengan impor ini; tidak ada yang disimpan. Buat pratinjau "
                               "ulang.")) from exc
    return {"batch_id": batch.id, "counts": counts,
            "summary": _("Impor tersimpan: %(new)d pegawai baru, %(changed)d diperbarui, %(unchanged)d tidak "
                         "berubah.", **counts)}


def discard_import(batch: ImportBatch, user):
    """Discard a preview and delete its stored file. Raises ``ImportFailed`` if not a preview or
    while its commit job is queued or running."""
    user = _real(user)
    if batch.status is not ImportStatus.PREVIEWED:
        raise ImportFailed(_("Hanya pratinjau yang dapat dibatalkan; impor ini berstatus %(status)s.",
                             status=batch.status.title))
    if jobs.active_job(COMMIT_JOB, batch) is not None:
        raise ImportFailed(_("Impor ini sedang disimpan dan tidak dapat dibatalkan."))
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
