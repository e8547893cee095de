"""SIASN-style import of employees from CSV or XLSX: read, validate in memory, preview, commit.

The import is all-or-nothing. ``preview_import`` stores the file, validates every row against
the database as it is and records an ``ImportBatch`` with the counts and the rejected rows.
``commit_import`` is possible only when no row was rejected: it re-reads the stored file
(checking that it is the one previewed), validates again and writes everything with bulk
statements. Services flush and never commit: the view or CLI command commits once.

The work takes a constant number of queries whatever the size of the file: units, positions
and employees are loaded once into dictionaries, rows are checked in memory and the writes are
batched; the batch gets one audit entry, not one per row.
"""
import csv
import hashlib
import io
import logging
import re
import secrets
import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from portal.core import audit
from portal.core.models import utcnow
from portal.extensions import db
from portal.people import rules
from portal.people.models import (
    KEAHLIAN_GRADES,
    AssignmentReason,
    CivilStatus,
    Employee,
    EmployeeAssignment,
    EmployeeKind,
    Gender,
    ImportBatch,
    ImportStatus,
    OrgUnit,
    Position,
    PositionGrade,
    PositionKind,
    UnitKind,
)

log = logging.getLogger(__name__)

ALLOWED_EXTENSIONS = ("csv", "xlsx")
REQUIRED_COLUMNS = ["nip_baru", "nama", "tanggal_lahir", "jenis_kelamin", "jenis_pegawai",
                    "jabatan", "jenis_jabatan", "unor_nama"]
# The order of the downloadable template.
TEMPLATE_COLUMNS = ["nip_baru", "nama", "gelar_depan", "gelar_belakang", "tanggal_lahir",
                    "jenis_kelamin", "email_gov", "no_hp", "jenis_pegawai", "status_cpns_pns",
                    "tmt_cpns", "gol_akhir", "jenis_jabatan", "jabatan", "unor_nama", "nip_atasan"]
HEADER_ALIASES = {"atasan_nip": "nip_atasan", "nip_atasan_langsung": "nip_atasan"}
BATCH_SIZE = 1000
# An XLSX is a zip: refuse archives that would unpack to more than this (zip bombs).
MAX_XLSX_UNPACKED = 400 * 1024 * 1024
REPORT_VALUE_LENGTH = 120


class ImportFailed(Exception):
    """The file or the batch cannot be (further) imported; ``str(exc)`` is for the user.

    When raised by ``commit_import`` nothing but the batch itself has been changed, so the
    caller may commit to keep what the batch records (a FAILED status, a fresh report).
    """


# ---------------------------------------------------------------- reading files
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


# ---------------------------------------------------------------- values
class Keep:
    """Marks an optional value the row does not carry: the employee's current value stays."""

    def __repr__(self):
        return "KEEP"


KEEP = Keep()
EXCEL_EPOCH = date(1899, 12, 30)
_DATE_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), ("d", "m", "y")),
]
GENDERS = {
    "l": Gender.MALE, "m": Gender.MALE, "1": Gender.MALE, "laki laki": Gender.MALE,
    "lakilaki": Gender.MALE, "pria": Gender.MALE, "male": Gender.MALE,
    "p": Gender.FEMALE, "f": Gender.FEMALE, "2": Gender.FEMALE, "perempuan": Gender.FEMALE,
    "wanita": Gender.FEMALE, "female": Gender.FEMALE,
}
POSITION_KINDS = {
    "jpt utama": PositionKind.JPT_UTAMA, "jpt madya": PositionKind.JPT_MADYA,
    "jpt pratama": PositionKind.JPT_PRATAMA,
    "pimpinan tinggi utama": PositionKind.JPT_UTAMA, "pimpinan tinggi madya": PositionKind.JPT_MADYA,
    "pimpinan tinggi pratama": PositionKind.JPT_PRATAMA,
    "administrator": PositionKind.ADMINISTRATOR, "pengawas": PositionKind.PENGAWAS,
    "pelaksana": PositionKind.PELAKSANA, "fungsional umum": PositionKind.PELAKSANA,
    "fungsional keahlian": PositionKind.FUNGSIONAL_KEAHLIAN,
    "fungsional keterampilan": PositionKind.FUNGSIONAL_KETERAMPILAN,
}
# "Fungsional Tertentu" (SIASN) names the family only; the jenjang comes from the jabatan name.
FUNGSIONAL_ANY = {"fungsional tertentu", "fungsional"}
GRADE_WORDS = {
    "ahli pertama": PositionGrade.AHLI_PERTAMA, "ahli muda": PositionGrade.AHLI_MUDA,
    "ahli madya": PositionGrade.AHLI_MADYA, "ahli utama": PositionGrade.AHLI_UTAMA,
    "pemula": PositionGrade.PEMULA, "terampil": PositionGrade.TERAMPIL,
    "mahir": PositionGrade.MAHIR, "penyelia": PositionGrade.PENYELIA,
}
_GRADE_RE = re.compile(r"\b(" + "|".join(GRADE_WORDS) + r")\b")
# Longest prefixes first: "sekretariat daerah" before anything shorter.
UNIT_PREFIXES = [
    ("sekretariat daerah", UnitKind.SETDA), ("sekretariat dprd", UnitKind.SETWAN),
    ("inspektorat", UnitKind.INSPEKTORAT), ("kecamatan", UnitKind.KECAMATAN),
    ("kelurahan", UnitKind.KELURAHAN), ("puskesmas", UnitKind.UPT), ("bidang", UnitKind.BIDANG),
    ("bagian", UnitKind.BAGIAN), ("dinas", UnitKind.DINAS), ("badan", UnitKind.BADAN),
    ("uptd", UnitKind.UPT), ("upt", UnitKind.UPT), ("smp", UnitKind.UPT), ("sd", UnitKind.UPT),
]
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^\+?[0-9 ()-]{6,32}$")


def _text(value) -> str:
    """A cell as single-spaced text (integral numbers without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def _key(text: str) -> str:
    """Case- and space-insensitive key of a name."""
    return " ".join(str(text).split()).lower()


def _words(value) -> str:
    return " ".join(re.sub(r"[_\-]+", " ", _text(value).lower()).split())


def parse_date(value) -> date:
    """A date from ``YYYY-MM-DD``, ``DD-MM-YYYY``, ``DD/MM/YYYY`` or an Excel date.

    Raises ``ValueError`` with a user message.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # An XLSX date cell without a date format arrives as the Excel serial number.
        if 1 <= value < 2958466:
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError(_("Bukan tanggal yang sah."))
    text = _text(value)
    text = re.sub(r"[T ]00:00(:00(\.0+)?)?$", "", text)
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                raise ValueError(_("Tanggal %(value)s tidak ada di kalender.", value=text)) from None
    raise ValueError(_("Format tanggal tidak dikenal; gunakan YYYY-MM-DD, DD-MM-YYYY atau DD/MM/YYYY."))


def parse_gender(value) -> Gender:
    gender = GENDERS.get(_words(value).replace("-", " "))
    if gender is None:
        raise ValueError(_("Jenis kelamin harus L/P, M/F, Laki-laki/Perempuan atau 1/2."))
    return gender


def parse_employee_kind(value) -> EmployeeKind:
    return EmployeeKind.PPPK if "pppk" in _text(value).lower() else EmployeeKind.PNS


def grade_from_name(name: str) -> PositionGrade | None:
    matches = _GRADE_RE.findall(_key(name))
    return GRADE_WORDS[matches[-1]] if matches else None


def parse_position_kind(value, position_name) -> tuple[PositionKind, PositionGrade | None]:
    """Jenis jabatan (ours or SIASN's) → (kind, grade). Raises ``ValueError`` with a user message."""
    words = _words(value)
    words = words[len("jabatan "):] if words.startswith("jabatan ") else words
    if words == "struktural":
        raise ValueError(_("Jenis jabatan \"Struktural\" terlalu umum: tulis JPT Pratama, "
                           "Administrator atau Pengawas."))
    kind = POSITION_KINDS.get(words)
    if kind is None and words not in FUNGSIONAL_ANY:
        raise ValueError(_("Jenis jabatan tidak dikenal. Gunakan JPT Utama/Madya/Pratama, Administrator, "
                           "Pengawas, Pelaksana, Fungsional Keahlian, Fungsional Keterampilan, "
                           "Fungsional Umum atau Fungsional Tertentu."))
    if kind is not None and not kind.is_fungsional:
        return kind, None
    grade = grade_from_name(position_name)
    if grade is None:
        raise ValueError(_("Jenjang jabatan fungsional tidak terbaca dari nama jabatan: nama harus "
                           "diakhiri Ahli Pertama/Muda/Madya/Utama atau Pemula/Terampil/Mahir/Penyelia."))
    family = (PositionKind.FUNGSIONAL_KEAHLIAN if grade in KEAHLIAN_GRADES
              else PositionKind.FUNGSIONAL_KETERAMPILAN)
    if kind is not None and kind is not family:
        raise ValueError(_("Jenjang %(grade)s pada nama jabatan tidak sesuai dengan %(kind)s.",
                           grade=grade.title, kind=kind.title))
    return family, grade


def unit_kind_for(name: str) -> UnitKind:
    """The kind of a new unit, from the first words of its name."""
    text = _key(name)
    for prefix, kind in UNIT_PREFIXES:
        if text == prefix or text.startswith(prefix + " "):
            return kind
    return UnitKind.LAINNYA


def parse_civil_status(value, kind: EmployeeKind):
    text = _text(value).upper().replace(" ", "")
    if not text:
        return KEEP if kind is EmployeeKind.PNS else None
    status = {"CPNS": CivilStatus.CPNS, "C": CivilStatus.CPNS,
              "PNS": CivilStatus.PNS, "P": CivilStatus.PNS}.get(text)
    if kind is EmployeeKind.PPPK:
        if status is not None:
            raise ValueError(_("Status CPNS/PNS hanya berlaku untuk PNS, bukan PPPK."))
        return None
    if status is None:
        raise ValueError(_("Status harus CPNS atau PNS."))
    return status


def _nip_value(value) -> str:
    """The NIP cell as digits; refuses numbers that lost their last digits in a spreadsheet."""
    if isinstance(value, float) and (abs(value) >= 2 ** 53 or not value.is_integer()):
        raise ValueError(_("NIP tersimpan sebagai angka sehingga angka terakhirnya hilang. Format kolom "
                           "NIP sebagai Teks lalu isi ulang."))
    text = _text(value).lstrip("'")
    if re.match(r"^\d(\.\d+)?[eE]\+?\d+$", text):
        raise ValueError(_("NIP tertulis dalam format ilmiah (%(value)s) sehingga angkanya hilang. Format "
                           "kolom NIP sebagai Teks lalu isi ulang.", value=text))
    return rules.normalise_nip(text)


# ---------------------------------------------------------------- the plan
@dataclass(slots=True)
class RowData:
    """One valid row, normalised. ``KEEP`` marks optional values the row does not carry."""
    row: int
    nip: str
    kind: EmployeeKind
    name: str
    gelar_depan: str
    gelar_belakang: str
    birth_date: date
    gender: Gender
    tmt_date: object
    civil_status: object
    golongan: object
    email: object
    phone: object
    unit_key: str
    position_key: tuple
    supervisor_nip: object
    tmt_from_nip: date | None = None  # the default TMT of a new employee
    unit_ref: tuple = ()       # ("id", 5) or ("new", "dinas kesehatan")
    position_ref: tuple = ()   # ("id", 9) or ("new", (unit_ref, "analis data"))


@dataclass
class NewUnit:
    name: str
    kind: UnitKind
    first_row: int


@dataclass
class NewPosition:
    name: str
    kind: PositionKind
    grade: PositionGrade | None
    unit_ref: tuple
    first_row: int


@dataclass
class Plan:
    """What a file would do to the database; built entirely in memory."""
    parent: OrgUnit
    problems: list = field(default_factory=list)
    rows: list = field(default_factory=list)          # valid RowData, in file order
    rejected: set = field(default_factory=set)
    new_units: dict = field(default_factory=dict)     # unit key → NewUnit
    new_positions: dict = field(default_factory=dict)  # (unit_ref, name key) → NewPosition
    existing: dict = field(default_factory=dict)      # nip → employee row (namedtuple-like)
    status: dict = field(default_factory=dict)        # nip → "new" / "changed" / "unchanged"

    def reject(self, row, column, value, message):
        self.problems.append({"row": row, "column": column, "value": _shown(value), "message": str(message)})
        self.rejected.add(row)

    @property
    def counts(self) -> dict:
        values = list(self.status.values())
        return {"new": values.count("new"), "changed": values.count("changed"),
                "unchanged": values.count("unchanged"), "rejected": len(self.rejected)}

    def sorted_problems(self) -> list:
        return sorted(self.problems, key=lambda p: p["row"])


def _shown(value) -> str:
    text = _text(value)
    return text if len(text) <= REPORT_VALUE_LENGTH else text[:REPORT_VALUE_LENGTH - 1] + "…"


_EMPLOYEE_COLUMNS = [Employee.id, Employee.nip, Employee.kind, Employee.name, Employee.gelar_depan,
                     Employee.gelar_belakang, Employee.birth_date, Employee.gender, Employee.tmt_date,
                     Employee.civil_status, Employee.golongan, Employee.email, Employee.phone,
                     Employee.org_unit_id, Employee.position_id, Employee.supervisor_id]
# Fields an import may change, compared to decide "changed" / "unchanged".
PERSONAL_FIELDS = ["name", "gelar_depan", "gelar_belakang", "birth_date", "gender", "kind",
                   "civil_status", "golongan", "email", "phone", "tmt_date"]


def _load_context(parent: OrgUnit):
    """Units and positions under ``parent`` and all employees: three queries, whatever the file."""
    units = db.session.execute(
        sa.select(OrgUnit.id, OrgUnit.name, OrgUnit.is_active)
        .where(OrgUnit.path.like(f"{parent.path}%"))).all()
    units_by_key = {}
    for unit in units:
        units_by_key.setdefault(_key(unit.name), []).append(unit)
    positions = db.session.execute(
        sa.select(Position.id, Position.org_unit_id, Position.name, Position.kind, Position.grade)
        .join(OrgUnit, Position.org_unit_id == OrgUnit.id)
        .where(OrgUnit.path.like(f"{parent.path}%"))).all()
    positions_by_key = {(("id", p.org_unit_id), _key(p.name)): p for p in positions}
    employees = db.session.execute(sa.select(*_EMPLOYEE_COLUMNS)).all()
    return units_by_key, positions_by_key, employees


def _optional_text(row_cells, columns, name):
    if name not in columns:
        return KEEP
    text = _text(_cell(row_cells, columns, name))
    return text or KEEP


def _cell(cells, columns, name):
    index = columns.get(name)
    if index is None or index >= len(cells):
        return None
    return cells[index]


def _parse_row(plan: Plan, sheet: Sheet, number: int, cells: list, today: date) -> RowData | None:
    """Validate one row in isolation; report its problems and return it when valid."""
    cols, labels = sheet.columns, sheet.labels
    problems_before = len(plan.problems)

    def get(name):
        return _cell(cells, cols, name)

    def reject(name, message, value=None):
        plan.reject(number, labels.get(name, name), get(name) if value is None else value, message)

    for name in REQUIRED_COLUMNS:
        if name != "jenis_pegawai" and not _text(get(name)):
            reject(name, _("Kolom %(column)s wajib diisi.", column=labels.get(name, name)))
    kind = parse_employee_kind(get("jenis_pegawai"))

    parsed = None
    if _text(get("nip_baru")):
        try:
            parsed = rules.parse_identity(_nip_value(get("nip_baru")), kind.value, today)
        except ValueError as exc:  # NipError is a ValueError
            reject("nip_baru", str(exc))

    birth_date = gender = None
    if _text(get("tanggal_lahir")):
        try:
            birth_date = parse_date(get("tanggal_lahir"))
        except ValueError as exc:
            reject("tanggal_lahir", str(exc))
        else:
            if birth_date > today:
                reject("tanggal_lahir", _("Tanggal lahir ada di masa depan."))
                birth_date = None
            elif parsed is not None and birth_date != parsed.birth_date:
                reject("tanggal_lahir", _("Tanggal lahir tidak sesuai dengan NIP (%(date)s).",
                                          date=parsed.birth_date.strftime("%d-%m-%Y")))
    if _text(get("jenis_kelamin")):
        try:
            gender = parse_gender(get("jenis_kelamin"))
        except ValueError as exc:
            reject("jenis_kelamin", str(exc))
        else:
            if parsed is not None and gender.value != parsed.gender:
                reject("jenis_kelamin", _("Jenis kelamin tidak sesuai dengan NIP (digit ke-15)."))

    full_name = _text(get("nama"))
    gelar_depan = _text(get("gelar_depan"))
    gelar_belakang = _text(get("gelar_belakang"))
    name = full_name
    if full_name and not gelar_depan and not gelar_belakang:
        gelar_depan, name, gelar_belakang = rules.split_gelar(full_name)
    for column, value, limit in (("nama", name, 150), ("gelar_depan", gelar_depan, 60),
                                 ("gelar_belakang", gelar_belakang, 100)):
        if len(value) > limit:
            reject(column, _("Terlalu panjang (paling banyak %(n)d karakter).", n=limit))

    civil_status = KEEP
    if "status_cpns_pns" in cols:
        try:
            civil_status = parse_civil_status(get("status_cpns_pns"), kind)
        except ValueError as exc:
            reject("status_cpns_pns", str(exc))
    elif kind is EmployeeKind.PPPK:
        civil_status = None

    golongan = KEEP
    if _text(get("gol_akhir")):
        golongan = rules.normalise_golongan(_text(get("gol_akhir")))
        if golongan is None:
            reject("gol_akhir", _("Golongan tidak dikenal (contoh: III/a untuk PNS, IX untuk PPPK)."))
        elif not rules.golongan_valid_for(golongan, kind.value):
            reject("gol_akhir", _("Golongan %(gol)s tidak berlaku untuk %(kind)s.", gol=golongan, kind=kind.title))

    tmt_date = KEEP
    if _text(get("tmt_cpns")):
        try:
            tmt_date = parse_date(get("tmt_cpns"))
        except ValueError as exc:
            reject("tmt_cpns", str(exc))
        else:
            if tmt_date > today:
                reject("tmt_cpns", _("TMT ada di masa depan."))

    email = _optional_text(cells, cols, "email_gov")
    if email is not KEEP:
        email = email.lower()
        if len(email) > 120 or not EMAIL_RE.match(email):
            reject("email_gov", _("Alamat email tidak valid."))
    phone = _optional_text(cells, cols, "no_hp")
    if phone is not KEEP and not PHONE_RE.match(phone):
        reject("no_hp", _("Nomor telepon tidak valid."))

    unit_name = _text(get("unor_nama"))
    if len(unit_name) > 200:
        reject("unor_nama", _("Terlalu panjang (paling banyak %(n)d karakter).", n=200))
    position_name = _text(get("jabatan"))
    if len(position_name) > 200:
        reject("jabatan", _("Terlalu panjang (paling banyak %(n)d karakter).", n=200))
    position_kind = position_grade = None
    if _text(get("jenis_jabatan")) and position_name:
        try:
            position_kind, position_grade = parse_position_kind(get("jenis_jabatan"), position_name)
        except ValueError as exc:
            reject("jenis_jabatan", str(exc))

    supervisor_nip = KEEP
    if "nip_atasan" in cols:
        raw = get("nip_atasan")
        try:
            supervisor_nip = _nip_value(raw) or None
        except ValueError as exc:
            reject("nip_atasan", str(exc))

    if len(plan.problems) > problems_before:
        return None
    return RowData(
        row=number, nip=parsed.nip, kind=kind, name=name, gelar_depan=gelar_depan,
        gelar_belakang=gelar_belakang, birth_date=birth_date, gender=gender, tmt_date=tmt_date,
        civil_status=civil_status, golongan=golongan, email=email, phone=phone,
        unit_key=_key(unit_name), position_key=(_key(position_name), position_name, position_kind, position_grade),
        supervisor_nip=supervisor_nip,
        # The NIP carries the TMT CPNS (PNS) or the appointment year (PPPK).
        tmt_from_nip=parsed.tmt_date or date(parsed.appointment_year, 1, 1))


def _resolve_placement(plan: Plan, sheet: Sheet, data: RowData, cells, units_by_key, positions_by_key) -> bool:
    """Find or plan the unit and position of a row; False (and a report) when impossible."""
    labels = sheet.labels
    unit_name = _text(_cell(cells, sheet.columns, "unor_nama"))
    matches = units_by_key.get(data.unit_key, [])
    if len(matches) > 1:
        plan.reject(data.row, labels["unor_nama"], unit_name,
                    _("Nama unit ambigu: ada %(n)d unit bernama %(name)s di bawah %(parent)s.",
                      n=len(matches), name=unit_name, parent=plan.parent.name))
        return False
    if matches:
        if not matches[0].is_active:
            plan.reject(data.row, labels["unor_nama"], unit_name,
                        _("Unit %(name)s tidak aktif.", name=matches[0].name))
            return False
        unit_ref = ("id", matches[0].id)
    else:
        unit_ref = ("new", data.unit_key)
        plan.new_units.setdefault(data.unit_key, NewUnit(unit_name, unit_kind_for(unit_name), data.row))

    name_key, position_name, kind, grade = data.position_key
    existing = positions_by_key.get((unit_ref, name_key))
    if existing is not None:
        if (existing.kind, existing.grade) != (kind, grade):
            plan.reject(data.row, labels["jenis_jabatan"], _cell(cells, sheet.columns, "jenis_jabatan"),
                        _("Jabatan %(name)s di unit ini tercatat sebagai %(kind)s; jenis jabatan di berkas "
                          "berbeda.", name=existing.name,
                          kind=f"{existing.kind.title}" + (f" {existing.grade.title}" if existing.grade else "")))
            return False
        position_ref = ("id", existing.id)
    else:
        position_ref = ("new", (unit_ref, name_key))
        planned = plan.new_positions.get(position_ref[1])
        if planned is None:
            plan.new_positions[position_ref[1]] = NewPosition(position_name, kind, grade, unit_ref, data.row)
        elif (planned.kind, planned.grade) != (kind, grade):
            plan.reject(data.row, labels["jenis_jabatan"], _cell(cells, sheet.columns, "jenis_jabatan"),
                        _("Jenis jabatan %(name)s berbeda dengan baris %(row)d.",
                          name=position_name, row=planned.first_row))
            return False
    data.unit_ref, data.position_ref = unit_ref, position_ref
    return True


def _check_supervisors(plan: Plan, sheet: Sheet, candidates: list, all_nips: set, id_to_nip: dict):
    """Second pass: supervisors exist (file or database), and no one supervises themselves,
    directly or through a cycle of the file and the database together."""
    column = sheet.labels.get("nip_atasan", "nip_atasan")
    edges = {}  # nip → supervisor nip, the database overridden by the file
    for row in plan.existing.values():
        if row.supervisor_id is not None:
            edges[row.nip] = id_to_nip.get(row.supervisor_id)
    bad = set()
    for data in candidates:
        if data.supervisor_nip is KEEP:
            continue
        target = data.supervisor_nip
        if target is None:
            edges.pop(data.nip, None)
            continue
        if target == data.nip:
            plan.reject(data.row, column, target, _("Pegawai tidak dapat menjadi atasannya sendiri."))
            bad.add(data.row)
            edges.pop(data.nip, None)
        elif target not in all_nips:
            plan.reject(data.row, column, target,
                        _("Atasan di luar instansi: NIP %(nip)s tidak ada di berkas maupun di database.",
                          nip=target))
            bad.add(data.row)
            edges.pop(data.nip, None)
        else:
            edges[data.nip] = target
    # The supervisor relation is a function (one supervisor each): walk each chain once.
    on_cycle, state = set(), {}
    for start in edges:
        if start in state:
            continue
        path, node = [], start
        while node is not None and node not in state:
            state[node] = "walking"
            path.append(node)
            node = edges.get(node)
        if node is not None and state.get(node) == "walking":
            on_cycle.update(path[path.index(node):])
        for visited in path:
            state[visited] = "done"
    if on_cycle:
        for data in candidates:
            if data.nip in on_cycle and data.supervisor_nip is not KEEP and data.row not in bad:
                plan.reject(data.row, column, data.supervisor_nip,
                            _("Hierarki melingkar: %(nip)s adalah bawahan (langsung atau tidak langsung) "
                              "pegawai ini.", nip=data.supervisor_nip))


def _final_values(data: RowData, current) -> dict:
    """The employee's personal fields after the import (``KEEP`` resolved against ``current``)."""
    values = {}
    for name in PERSONAL_FIELDS:
        value = getattr(data, name)
        if value is KEEP:
            value = getattr(current, name) if current is not None else None
        values[name] = value
    if current is None and values["tmt_date"] is None:
        values["tmt_date"] = data.tmt_from_nip
    if data.kind is EmployeeKind.PPPK:
        values["civil_status"] = None
    if values["golongan"] is not None and not rules.golongan_valid_for(values["golongan"], data.kind.value):
        values["golongan"] = None  # a kept golongan that no longer fits the kind
    return values


def _classify(plan: Plan, data: RowData, id_to_nip: dict):
    current = plan.existing.get(data.nip)
    if current is None:
        plan.status[data.nip] = "new"
        return
    values = _final_values(data, current)
    changed = any(values[f] != getattr(current, f) for f in PERSONAL_FIELDS)
    changed = changed or _placement_changed(data, current, id_to_nip)
    plan.status[data.nip] = "changed" if changed else "unchanged"


def _placement_changed(data: RowData, current, id_to_nip: dict) -> bool:
    if data.unit_ref != ("id", current.org_unit_id) or data.position_ref != ("id", current.position_id):
        return True
    if data.supervisor_nip is KEEP:
        return False
    return data.supervisor_nip != (id_to_nip.get(current.supervisor_id) if current.supervisor_id else None)


def build_plan(sheet: Sheet, parent: OrgUnit, today: date | None = None) -> Plan:
    """Validate every row of ``sheet`` against the database; nothing is written."""
    today = today or date.today()
    plan = Plan(parent=parent)
    units_by_key, positions_by_key, employees = _load_context(parent)
    plan.existing = {e.nip: e for e in employees}
    id_to_nip = {e.id: e.nip for e in employees}

    parsed, rows_by_nip = [], {}
    for number, cells in sheet.rows:
        data = _parse_row(plan, sheet, number, cells, today)
        if data is not None:
            parsed.append((data, cells))
        # Every row's NIP counts, even a rejected row's: for duplicates and supervisor look-ups.
        raw = rules.normalise_nip(_text(_cell(cells, sheet.columns, "nip_baru")).lstrip("'"))
        if raw:
            rows_by_nip.setdefault(raw, []).append(number)

    label = sheet.labels["nip_baru"]
    for nip, rows in rows_by_nip.items():
        if len(rows) > 1:
            for row in rows:
                others = ", ".join(str(r) for r in rows if r != row)
                plan.reject(row, label, nip, _("NIP %(nip)s ganda: juga ada di baris %(rows)s.",
                                               nip=nip, rows=others))

    candidates = [data for data, cells in parsed if data.row not in plan.rejected
                  and _resolve_placement(plan, sheet, data, cells, units_by_key, positions_by_key)]
    all_nips = set(plan.existing) | set(rows_by_nip)
    _check_supervisors(plan, sheet, candidates, all_nips, id_to_nip)
    plan.rows = [data for data in candidates if data.row not in plan.rejected]
    for data in plan.rows:
        _classify(plan, data, id_to_nip)
    return plan


# ---------------------------------------------------------------- storage
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


# ---------------------------------------------------------------- workflow
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


def preview_summary(batch: ImportBatch) -> dict:
    """What the preview found besides the counts: ``{"new_units": [...], "new_positions": n}``."""
    changes = db.session.scalar(
        sa.select(audit.AuditEntry.changes).where(
            audit.AuditEntry.object_type == "ImportBatch", audit.AuditEntry.object_id == batch.id,
            audit.AuditEntry.action == "preview_import").order_by(audit.AuditEntry.id.desc()).limit(1)) or {}
    return {"new_units": changes.get("new_units", []), "new_positions": changes.get("new_positions", 0)}


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


def _chunks(items, size=BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _write(plan: Plan, batch: ImportBatch, today: date) -> dict:
    """Apply a plan without rejected rows with bulk statements; returns what was created."""
    parent = plan.parent
    note = f"Impor #{batch.id}: {batch.filename}"[:500]
    now = utcnow()
    # Units: inserted in bulk, read back by name for their ids, then given their paths.
    unit_ids = {}
    if plan.new_units:
        db.session.execute(sa.insert(OrgUnit), [
            {"name": u.name, "kind": u.kind, "parent_id": parent.id, "depth": parent.depth + 1, "path": "",
             "is_active": True, "created_dt": now, "updated_dt": now} for u in plan.new_units.values()])
        ids_by_name = dict(db.session.execute(sa.select(OrgUnit.name, OrgUnit.id).where(
            OrgUnit.parent_id == parent.id, OrgUnit.name.in_([u.name for u in plan.new_units.values()]))).all())
        unit_ids = {key: ids_by_name[u.name] for key, u in plan.new_units.items()}
        db.session.execute(sa.update(OrgUnit), [
            {"id": unit, "path": f"{parent.path}{unit}/"} for unit in unit_ids.values()])

    def unit_id(ref):
        return ref[1] if ref[0] == "id" else unit_ids[ref[1]]

    position_ids = {}
    if plan.new_positions:
        placed = {key: unit_id(p.unit_ref) for key, p in plan.new_positions.items()}
        db.session.execute(sa.insert(Position), [
            {"name": p.name, "kind": p.kind, "grade": p.grade, "org_unit_id": placed[key], "is_head": False,
             "created_dt": now, "updated_dt": now} for key, p in plan.new_positions.items()])
        found = {(r.org_unit_id, r.name): r.id for r in db.session.execute(
            sa.select(Position.id, Position.org_unit_id, Position.name)
            .join(OrgUnit, Position.org_unit_id == OrgUnit.id).where(OrgUnit.path.like(f"{parent.path}%")))}
        position_ids = {key: found[(placed[key], p.name)] for key, p in plan.new_positions.items()}

    def position_id(ref):
        return ref[1] if ref[0] == "id" else position_ids[ref[1]]

    new_rows, changed_rows = [], []
    for data in plan.rows:
        status = plan.status[data.nip]
        if status == "new":
            values = _final_values(data, None)
            new_rows.append({**values, "nip": data.nip, "org_unit_id": unit_id(data.unit_ref),
                             "position_id": position_id(data.position_ref), "supervisor_id": None,
                             "gelar_depan": values["gelar_depan"] or "", "gelar_belakang": values["gelar_belakang"] or "",
                             "is_active": True, "created_dt": now, "updated_dt": now})
        elif status == "changed":
            changed_rows.append(data)
    for chunk in _chunks(new_rows):
        db.session.execute(sa.insert(Employee), chunk)

    ids = dict(db.session.execute(sa.select(Employee.nip, Employee.id)).all())
    id_to_nip = {v: k for k, v in ids.items()}

    def supervisor_id(data, current):
        if data.supervisor_nip is KEEP:
            return current.supervisor_id if current is not None else None
        return ids[data.supervisor_nip] if data.supervisor_nip else None

    updates, moved = [], []
    for data in changed_rows:
        current = plan.existing[data.nip]
        values = _final_values(data, current)
        updates.append({**values, "id": current.id, "org_unit_id": unit_id(data.unit_ref),
                        "position_id": position_id(data.position_ref),
                        "supervisor_id": supervisor_id(data, current), "updated_dt": now})
        if _placement_changed(data, current, id_to_nip):
            moved.append(updates[-1])
    supervisors = [{"id": ids[data.nip], "supervisor_id": ids[data.supervisor_nip]}
                   for data in plan.rows if plan.status[data.nip] == "new"
                   and data.supervisor_nip is not KEEP and data.supervisor_nip]
    for chunk in _chunks(updates):
        db.session.execute(sa.update(Employee), chunk)
    for chunk in _chunks(supervisors):
        db.session.execute(sa.update(Employee), chunk)

    # Placement history: close the open period of each moved employee, open a new one.
    moved_ids = {row["id"] for row in moved}
    open_periods = db.session.execute(
        sa.select(EmployeeAssignment.id, EmployeeAssignment.employee_id, EmployeeAssignment.start_date)
        .where(EmployeeAssignment.end_date.is_(None))).all() if moved_ids else []
    closing, starts = [], {}
    for period in open_periods:
        if period.employee_id in moved_ids:
            end = max(today, period.start_date)
            closing.append({"id": period.id, "end_date": end})
            starts[period.employee_id] = max(end, starts.get(period.employee_id, end))
    for chunk in _chunks(closing):
        db.session.execute(sa.update(EmployeeAssignment), chunk)
    opening = [{"employee_id": row["id"], "org_unit_id": row["org_unit_id"], "position_id": row["position_id"],
                "supervisor_id": row["supervisor_id"], "start_date": starts.get(row["id"], today),
                "reason": AssignmentReason.IMPORT, "note": note, "created_dt": now} for row in moved]
    new_supervisor = {row["id"]: row["supervisor_id"] for row in supervisors}
    for row in new_rows:
        employee_id = ids[row["nip"]]
        opening.append({"employee_id": employee_id, "org_unit_id": row["org_unit_id"],
                        "position_id": row["position_id"], "supervisor_id": new_supervisor.get(employee_id),
                        "start_date": today, "reason": AssignmentReason.IMPORT, "note": note, "created_dt": now})
    for chunk in _chunks(opening):
        db.session.execute(sa.insert(EmployeeAssignment), chunk)
    db.session.flush()
    # Bulk statements bypass the identity map: objects loaded earlier must be read again.
    db.session.expire_all()
    return {"units_created": len(unit_ids), "positions_created": len(position_ids),
            "assignments_opened": len(opening)}


# ---------------------------------------------------------------- queries and report
def batch_query(user):
    """Recent batches the user may see, newest first."""
    stmt = sa.select(ImportBatch).order_by(ImportBatch.created_dt.desc(), ImportBatch.id.desc())
    if not user.manages_whole_instansi:
        stmt = stmt.where(ImportBatch.created_by_id == user.id)
    return stmt


def _csv_safe(value):
    """Keep spreadsheet programs from running user-supplied text as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def report_csv(batch: ImportBatch) -> str:
    """The row report as CSV text (with a BOM so that Excel reads UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("baris"), _("kolom"), _("nilai"), _("pesan")])
    for problem in batch.report or []:
        writer.writerow([problem.get("row"), _csv_safe(problem.get("column")),
                         _csv_safe(problem.get("value")), _csv_safe(problem.get("message"))])
    return "\ufeff" + out.getvalue()


def template_csv() -> str:
    out = io.StringIO()
    csv.writer(out).writerow(TEMPLATE_COLUMNS)
    return "\ufeff" + out.getvalue()
