"""Bukti dukung files: checking an upload and keeping it outside ``static/``.

A file is accepted on what its bytes are (``filetype``), never on its name: PDF, JPEG, PNG,
WebP, Office Open XML (DOCX, XLSX, PPTX), OpenDocument (ODT, ODS, ODP) and legacy Office
(DOC, XLS, PPT). A ZIP file is an office document only when it holds the parts one needs, so an
archive renamed ``.docx`` is refused. Accepted files are stored as
``STORAGE_ROOT/evidence/<random hex>`` (no user-supplied name on disk) with their SHA-256, and
are served only as attachments through a permission-checked route.

Files written during a request are tied to the database session: a rollback deletes what the
request stored, and files of removed evidence are deleted once the removal is committed.
"""
import hashlib
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import gettext as _

from portal.core import file_transactions

# Detected MIME type → (extension used for the download name, what the user is told it is).
ALLOWED_TYPES = {
    "application/pdf": ("pdf", "PDF"),
    "image/jpeg": ("jpg", "JPEG"),
    "image/png": ("png", "PNG"),
    "image/webp": ("webp", "WebP"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx", "Word (DOCX)"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx", "Excel (XLSX)"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("pptx", "PowerPoint (PPTX)"),
    "application/vnd.oasis.opendocument.text": ("odt", "OpenDocument (ODT)"),
    "application/vnd.oasis.opendocument.spreadsheet": ("ods", "OpenDocument (ODS)"),
    "application/vnd.oasis.opendocument.presentation": ("odp", "OpenDocument (ODP)"),
    "application/msword": ("doc", "Word (DOC)"),
    "application/vnd.ms-excel": ("xls", "Excel (XLS)"),
    "application/vnd.ms-powerpoint": ("ppt", "PowerPoint (PPT)"),
}

# The part an Office Open XML package of each type cannot do without.
_OOXML_MAIN_PART = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "word/document.xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xl/workbook.xml",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "ppt/presentation.xml",
}
_ODF_TYPES = {
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
_HEAD_BYTES = 8192
_CHUNK = 1 << 16
_STORED_NAME = re.compile(r"^[0-9a-f]{32}$")


class EvidenceRejected(ValueError):
    """An upload that cannot be a bukti dukung; the message says why, in the user's language."""


@dataclass
class StoredFile:
    stored_name: str
    content_type: str
    size_bytes: int
    sha256: str
    title: str  # the original file name, cleaned, for display and the download name


def allowed_kinds_text() -> str:
    return _("PDF, gambar (JPEG, PNG, WebP), dokumen Word, Excel, PowerPoint atau OpenDocument")


def human_size(n: int) -> str:
    """10485760 → '10 MB', 1536 → '1,5 KB' (Indonesian decimal comma)."""
    for unit, size in (("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            text = f"{n / size:.1f}".rstrip("0").rstrip(".")
            return f"{text.replace('.', ',')} {unit}"
    return f"{n} B"


def max_bytes() -> int:
    return int(current_app.config.get("EVIDENCE_MAX_BYTES") or 10 * 1024 * 1024)


def storage_dir() -> Path:
    folder = Path(current_app.config["STORAGE_ROOT"]) / "evidence"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stored_path(stored_name: str) -> Path:
    """The file behind a stored name (only names this module made are accepted)."""
    if not stored_name or not _STORED_NAME.fullmatch(stored_name):
        raise FileNotFoundError(stored_name)
    return storage_dir() / stored_name


def clean_filename(name: str | None, limit: int = 200) -> str:
    """A display name from the browser's file name: no path, no control characters, bounded."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(name.split()).strip(". ")
    return name[:limit] or _("berkas")


def download_name(title: str, content_type: str) -> str:
    """The name a download gets: the original stem with the extension of what the file is."""
    ext = ALLOWED_TYPES.get(content_type, ("bin", ""))[0]
    stem = clean_filename(title)
    if "." in stem:
        stem = stem.rsplit(".", 1)[0] or stem
    return f"{stem[:150]}.{ext}"


def detect_type(head: bytes, path: Path) -> str | None:
    """The MIME type of the file's content, or None when it is nothing we know.

    ZIP packages are opened: an Office Open XML type needs its main part, an OpenDocument its
    ``mimetype`` entry; a plain ZIP that holds such parts (filetype only reads the first entries)
    is recognised the same way, any other ZIP stays ``application/zip``.
    """
    kind = filetype.guess(head)
    mime = kind.mime if kind is not None else None
    if mime in _OOXML_MAIN_PART or mime in _ODF_TYPES or mime in ("application/zip", "application/epub+zip"):
        return _zip_package_type(path) or "application/zip"
    return mime


def _zip_package_type(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if declared in _ODF_TYPES and "content.xml" in names:
                    return declared
                return None
            if "[Content_Types].xml" in names:
                for mime, part in _OOXML_MAIN_PART.items():
                    if part in names:
                        return mime
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return None
    return None


def _describe(mime: str | None) -> str:
    if mime is None:
        return ""
    if mime in ("application/zip", "application/x-rar-compressed", "application/x-7z-compressed",
                "application/gzip", "application/x-tar", "application/x-bzip2", "application/x-xz",
                "application/zstd", "application/epub+zip"):
        return _("arsip terkompresi")
    if mime in ("application/x-msdownload", "application/x-executable", "application/wasm",
                "application/x-deb", "application/x-rpm", "application/x-google-chrome-extension"):
        return _("program yang dapat dijalankan")
    return mime


def store_upload(file_storage) -> StoredFile:
    """Check an uploaded file (Werkzeug ``FileStorage``) and keep it.

    Raises ``EvidenceRejected`` for no file, an empty file, a file above ``EVIDENCE_MAX_BYTES``
    or a type that is not allowed (nothing is kept then).
    """
    if file_storage is None or not getattr(file_storage, "filename", None):
        raise EvidenceRejected(_("Pilih berkas yang akan diunggah."))
    limit = max_bytes()
    title = clean_filename(file_storage.filename)
    stored_name = secrets.token_hex(16)
    target = storage_dir() / stored_name
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with target.open("xb") as out:
            while True:
                chunk = file_storage.stream.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise EvidenceRejected(_("Berkas %(name)s terlalu besar. Ukuran maksimum bukti dukung "
                                             "adalah %(limit)s.", name=title, limit=human_size(limit)))
                if len(head) < _HEAD_BYTES:
                    head += chunk[:_HEAD_BYTES - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise EvidenceRejected(_("Berkas %(name)s kosong (0 byte).", name=title))
        mime = detect_type(head, target)
        if mime not in ALLOWED_TYPES:
            what = _describe(mime)
            if what:
                raise EvidenceRejected(_("Berkas %(name)s berisi %(what)s, yang tidak diterima sebagai bukti "
                                         "dukung. Unggah %(kinds)s.", name=title, what=what,
                                         kinds=allowed_kinds_text()))
            raise EvidenceRejected(_("Jenis berkas %(name)s tidak dikenali dari isinya (nama atau ekstensi "
                                     "berkas tidak menentukan jenisnya). Unggah %(kinds)s.",
                                     name=title, kinds=allowed_kinds_text()))
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    file_transactions.written(target)
    return StoredFile(stored_name, mime, size, digest.hexdigest(), title)


def delete_after_commit(stored_name: str | None):
    """Delete a stored file once the current transaction commits (kept if it rolls back)."""
    try:
        file_transactions.delete_after_commit(stored_path(stored_name))
    except FileNotFoundError:  # no file, or a name this store never made: nothing to delete
        pass
