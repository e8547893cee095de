"""Where imported files are kept: ``STORAGE_ROOT/imports/<random>.<ext>``, with their SHA-256.

The stored copy is what ``commit_import`` re-reads, so a commit writes exactly the previewed file.
"""
import hashlib
import secrets
import shutil
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from portal.people.importing.reading import ImportFailed, extension_of
from portal.people.models import ImportBatch


def storage_dir() -> Path:
    folder = Path(current_app.config["STORAGE_ROOT"]) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stored_path(batch: ImportBatch) -> Path:
    return storage_dir() / Path(batch.stored_name).name


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _check_extension(filename) -> str:
    ext = extension_of(filename)
    if not ext:
        raise ImportFailed(_("Hanya berkas .csv atau .xlsx yang dapat diimpor."))
    return ext


def store_upload(stream, filename) -> Path:
    """Save an uploaded file under ``STORAGE_ROOT/imports/<random>.<ext>``.

    Raises ``ImportFailed`` for a wrong extension or an empty file (nothing is kept then).
    """
    ext = _check_extension(filename)
    target = storage_dir() / f"{secrets.token_hex(16)}.{ext}"
    with target.open("wb") as out:
        shutil.copyfileobj(stream, out, 1 << 20)
    if target.stat().st_size == 0:
        target.unlink()
        raise ImportFailed(_("Berkas kosong."))
    return target


def _store_copy(path: Path, ext: str) -> Path:
    """Files given by path (CLI) are copied into the store; uploads are there already."""
    folder = storage_dir()
    if path.resolve().parent == folder.resolve():
        return path
    target = folder / f"{secrets.token_hex(16)}.{ext}"
    shutil.copyfile(path, target)
    return target
