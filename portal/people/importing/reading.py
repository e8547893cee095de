"""Reading an uploaded CSV or XLSX file into a ``Sheet``: header row, data rows, refusals.

CSV files are decoded as UTF-8 (with or without BOM) or cp1252 and split on "," or ";", whichever
the header uses; XLSX files are checked as zip archives before openpyxl opens them. Whatever makes
the file as a whole unusable raises ``ImportFailed``, whose text is shown to the user.
"""
import csv
import io
import logging
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

log = logging.getLogger(__name__)

ALLOWED_EXTENSIONS = ("csv", "xlsx")
REQUIRED_COLUMNS = ["nip_baru", "nama", "tanggal_lahir", "jenis_kelamin", "jenis_pegawai",
                    "jabatan", "jenis_jabatan", "unor_nama"]
# The order of the downloadable template.
TEMPLATE_COLUMNS = ["nip_baru", "nama", "gelar_depan", "gelar_belakang", "tanggal_lahir",
                    "jenis_kelamin", "email_gov", "no_hp", "jenis_pegawai", "status_cpns_pns",
                    "tmt_cpns", "gol_akhir", "jenis_jabatan", "jabatan", "unor_nama", "nip_atasan"]
HEADER_ALIASES = {"atasan_nip": "nip_atasan", "nip_atasan_langsung": "nip_atasan"}
# An XLSX is a zip: refuse archives that would unpack to more than this (zip bombs).
MAX_XLSX_UNPACKED = 400 * 1024 * 1024


class ImportFailed(Exception):
    """The file or the batch cannot be (further) imported; ``str(exc)`` is for the user.

    When raised by ``commit_import`` nothing but the batch itself has been changed, so the
    caller may commit to keep what the batch records (a FAILED status, a fresh report).
    """


@dataclass
class Sheet:
    """The rows of an uploaded file: header positions and (row number, cells) pairs."""
    columns: dict          # canonical column name → index
    labels: dict           # canonical column name → the header as written in the file
    rows: list             # [(row number as the spreadsheet shows it, [cell, ...]), ...]


def canonical_header(text) -> str:
    """``" NIP Atasan-Langsung "`` → ``"nip_atasan"`` (case, spaces, hyphens, aliases)."""
    name = re.sub(r"[\s\-]+", "_", str(text or "").strip().lower())
    name = re.sub(r"_+", "_", name).strip("_")
    return HEADER_ALIASES.get(name, name)


def extension_of(filename) -> str:
    suffix = Path(filename or "").suffix.lower().lstrip(".")
    return suffix if suffix in ALLOWED_EXTENSIONS else ""


def _is_blank(cells) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _decode_csv(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        raise ImportFailed(_("Berkas ini tampaknya berkas XLSX; unggah dengan ekstensi .xlsx."))
    if b"\x00" in data:
        raise ImportFailed(_("Berkas tidak dapat dibaca sebagai CSV: isinya data biner."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportFailed(_("Berkas tidak dapat dibaca sebagai CSV: penyandian karakternya "
                                 "tidak dikenal (simpan sebagai CSV UTF-8).")) from None
    if re.search(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]", text):
        raise ImportFailed(_("Berkas tidak dapat dibaca sebagai CSV: isinya data biner."))
    return text


def _read_csv(path: Path):
    text = _decode_csv(path.read_bytes())
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # Spreadsheets in an Indonesian locale save CSV with ";" (the comma is the decimal mark).
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(number, record) for number, record in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise ImportFailed(_("Berkas CSV rusak: %(detail)s", detail=str(exc))) from None


def _read_xlsx(path: Path):
    import openpyxl

    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise ImportFailed(_("Berkas bukan XLSX yang sah. Simpan ulang dari Excel atau LibreOffice "
                             "sebagai Excel Workbook (.xlsx).")) from None
    if "xl/workbook.xml" not in names:
        raise ImportFailed(_("Berkas bukan XLSX yang sah. Simpan ulang dari Excel atau LibreOffice "
                             "sebagai Excel Workbook (.xlsx)."))
    if unpacked > MAX_XLSX_UNPACKED:
        raise ImportFailed(_("Isi berkas XLSX terlalu besar untuk diimpor."))
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, XML and zip errors) on bad files
        log.info("Unreadable XLSX %s", path, exc_info=True)
        raise ImportFailed(_("Berkas XLSX rusak atau tidak dapat dibaca.")) from None
    try:
        if not workbook.worksheets:
            return []
        sheet = workbook.worksheets[0]
        return [(number, list(row)) for number, row in
                enumerate(sheet.iter_rows(values_only=True), start=1)]
    except Exception:
        log.info("Unreadable XLSX %s", path, exc_info=True)
        raise ImportFailed(_("Berkas XLSX rusak atau tidak dapat dibaca.")) from None
    finally:
        workbook.close()


def read_sheet(path, ext: str) -> Sheet:
    """Read a CSV or XLSX file into a ``Sheet``. Raises ``ImportFailed`` for unusable files."""
    path = Path(path)
    if path.stat().st_size == 0:
        raise ImportFailed(_("Berkas kosong."))
    records = _read_xlsx(path) if ext == "xlsx" else _read_csv(path)
    records = [(number, cells) for number, cells in records if not _is_blank(cells)]
    if not records:
        raise ImportFailed(_("Berkas kosong."))
    (_header_row, header), data = records[0], records[1:]
    columns, labels = {}, {}
    for index, text in enumerate(header):
        name = canonical_header(text)
        if name and name not in columns:
            columns[name] = index
            labels[name] = " ".join(str(text).split())
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ImportFailed(_("Kolom wajib tidak ditemukan: %(columns)s. Baris pertama berkas harus "
                             "berisi judul kolom SIASN (unduh templat untuk contohnya).",
                             columns=", ".join(missing)))
    if not data:
        raise ImportFailed(_("Berkas hanya berisi judul kolom, tanpa baris data."))
    return Sheet(columns=columns, labels=labels, rows=data)
