"""Cell values of an import row: dates, gender, NIP, kinds of employee, position and unit.

Each ``parse_*`` function turns one cell into a model value or raises ``ValueError`` with a
message for the user; ``KEEP`` marks an optional cell the file does not carry.
"""
import re
from datetime import date, datetime, timedelta

from flask_babel import gettext as _

from portal.people import rules
from portal.people.models import (
    KEAHLIAN_GRADES,
    CivilStatus,
    EmployeeKind,
    Gender,
    PositionGrade,
    PositionKind,
    UnitKind,
)


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
