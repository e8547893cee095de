"""Scans of external certificates: checking an upload and keeping it outside ``static/``.

The same approach as bukti dukung (``portal.plans.evidence_storage``, whose helpers this reuses):
a file is accepted on what its bytes are, never on its name, and only PDF, JPEG and PNG (what a
scanned certificate is); at most ``CERTIFICATE_MAX_BYTES`` (5 MB by default). Files are stored as
``STORAGE_ROOT/certificates/<random hex>`` and served only as attachments through a
permission-checked route. A rollback deletes what the request stored; files of replaced or
removed certificates are deleted once the change is committed.
"""
import hashlib
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from portal.core import file_transactions
from portal.plans.evidence_storage import clean_filename, detect_type, human_size
from portal.plans.evidence_storage import download_name as _download_name

ALLOWED_TYPES = {
    "application/pdf": ("pdf", "PDF"),
    "image/jpeg": ("jpg", "JPEG"),
    "image/png": ("png", "PNG"),
}
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
_HEAD_BYTES = 8192
_CHUNK = 1 << 16
_STORED_NAME = re.compile(r"^[0-9a-f]{32}$")


class CertificateFileRejected(ValueError):
    """An upload that cannot be a certificate scan; the message says why, in the user's language."""


@dataclass
class StoredScan:
    stored_name: str
    content_type: str
    size_bytes: int
    sha256: str
    file_name: str  # the original file name, cleaned, for display and the download name


def max_bytes() -> int:
    return int(current_app.config.get("CERTIFICATE_MAX_BYTES") or DEFAULT_MAX_BYTES)


def max_size_text() -> str:
    return human_size(max_bytes())


def storage_dir() -> Path:
    folder = Path(current_app.config["STORAGE_ROOT"]) / "certificates"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stored_path(stored_name: str | None) -> Path:
    """The file behind a stored name (only names this module made are accepted)."""
    if not stored_name or not _STORED_NAME.fullmatch(stored_name):
        raise FileNotFoundError(stored_name)
    return storage_dir() / stored_name


def download_name(file_name: str, content_type: str) -> str:
    return _download_name(file_name or _("sertifikat"), content_type)


def store_upload(file_storage) -> StoredScan:
    """Check an uploaded scan (Werkzeug ``FileStorage``) and keep it.

    Raises ``CertificateFileRejected`` for no file, an empty or too large file, or content that is
    not PDF, JPEG or PNG (nothing is kept then).
    """
    if file_storage is None or not getattr(file_storage, "filename", None):
        raise CertificateFileRejected(_("Pilih berkas pindaian sertifikat (PDF, JPG atau PNG)."))
    limit = max_bytes()
    file_name = clean_filename(file_storage.filename)
    stored_name = secrets.token_hex(16)
    target = storage_dir() / stored_name
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with target.open("xb") as out:
            while chunk := file_storage.stream.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise CertificateFileRejected(_("Berkas %(name)s terlalu besar. Ukuran maksimum %(limit)s.",
                                                    name=file_name, limit=human_size(limit)))
                if len(head) < _HEAD_BYTES:
                    head += chunk[:_HEAD_BYTES - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise CertificateFileRejected(_("Berkas %(name)s kosong (0 byte).", name=file_name))
        mime = detect_type(head, target)
        if mime not in ALLOWED_TYPES:
            raise CertificateFileRejected(_("Isi berkas %(name)s bukan PDF, JPG atau PNG (nama atau ekstensi berkas "
                                            "tidak menentukan jenisnya).", name=file_name))
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    file_transactions.written(target)
    return StoredScan(stored_name, mime, size, digest.hexdigest(), file_name)


def delete_after_commit(stored_name: str | None):
    """Delete a stored scan once the current transaction commits (kept if it rolls back)."""
    try:
        file_transactions.delete_after_commit(stored_path(stored_name))
    except FileNotFoundError:  # no file, or a name this store never made: nothing to delete
        pass
