"""Regulation rules for people data: NIP / NI PPPK (BKN), golongan and pangkat.

Pure functions, unit-tested against the official tables.
"""
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

GOLONGAN_PNS = {
    "I/a": "Juru Muda", "I/b": "Juru Muda Tingkat I", "I/c": "Juru", "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda", "II/b": "Pengatur Muda Tingkat I", "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda", "III/b": "Penata Muda Tingkat I", "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina", "IV/b": "Pembina Tingkat I", "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya", "IV/e": "Pembina Utama",
}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
         "XIV", "XV", "XVI", "XVII"]
GOLONGAN_PPPK = ROMAN[:]  # PPPK golongan I–XVII
ALL_GOLONGAN = list(GOLONGAN_PNS) + [g for g in GOLONGAN_PPPK if g not in GOLONGAN_PNS]


class NipError(ValueError):
    """A NIP or NI PPPK that breaks BKN's rules; the message is for the user."""


@dataclass(frozen=True)
class ParsedNip:
    nip: str
    birth_date: date
    gender: str  # "L" or "P"
    serial: int
    tmt_date: date | None = None        # PNS: TMT CPNS (first of the month)
    appointment_year: int | None = None  # PPPK


def normalise_nip(raw) -> str:
    """Strip spaces, dots and dashes that people type or that spreadsheets add."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return "".join(ch for ch in str(raw).strip() if ch not in " .-\u00a0\t")


def _birth_date(nip: str) -> date:
    try:
        return date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise NipError(_l("Tanggal lahir dalam NIP (%(digits)s) bukan tanggal yang sah.",
                          digits=nip[0:8])) from None


def _gender(digit: str) -> str:
    if digit == "1":
        return "L"
    if digit == "2":
        return "P"
    raise NipError(_l("Digit jenis kelamin dalam NIP harus 1 (laki-laki) atau 2 (perempuan)."))


def _eighteenth_birthday(born: date) -> date:
    try:
        return born.replace(year=born.year + 18)
    except ValueError:  # 29 February
        return date(born.year + 18, 3, 1)


def parse_nip(raw, today: date | None = None) -> ParsedNip:
    """Validate a PNS NIP: birth date YYYYMMDD + TMT CPNS YYYYMM + gender + serial."""
    today = today or date.today()
    nip = normalise_nip(raw)
    if not nip:
        raise NipError(_l("NIP wajib diisi."))
    if not nip.isdigit() or len(nip) != 18:
        raise NipError(_l("NIP harus terdiri atas 18 angka."))
    born = _birth_date(nip)
    if born > today:
        raise NipError(_l("Tanggal lahir dalam NIP ada di masa depan."))
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12:
        raise NipError(_l("Bulan TMT CPNS dalam NIP (%(digits)s) tidak sah.", digits=nip[8:14]))
    tmt = date(year, month, 1)
    adult = _eighteenth_birthday(born)
    if (tmt.year, tmt.month) <= (adult.year, adult.month):
        raise NipError(_l("TMT CPNS dalam NIP harus sesudah ulang tahun ke-18."))
    if (tmt.year, tmt.month) > (today.year, today.month):
        raise NipError(_l("TMT CPNS dalam NIP ada di masa depan."))
    gender = _gender(nip[14])
    serial = int(nip[15:18])
    if serial < 1:
        raise NipError(_l("Nomor urut dalam NIP paling kecil 001."))
    return ParsedNip(nip=nip, birth_date=born, gender=gender, serial=serial, tmt_date=tmt)


def parse_ni_pppk(raw, today: date | None = None) -> ParsedNip:
    """Validate an NI PPPK: birth date + appointment year (4) + code (2) + gender + serial."""
    today = today or date.today()
    nip = normalise_nip(raw)
    if not nip:
        raise NipError(_l("NI PPPK wajib diisi."))
    if not nip.isdigit() or len(nip) != 18:
        raise NipError(_l("NI PPPK harus terdiri atas 18 angka."))
    born = _birth_date(nip)
    if born > today:
        raise NipError(_l("Tanggal lahir dalam NI PPPK ada di masa depan."))
    year = int(nip[8:12])
    if year < _eighteenth_birthday(born).year:
        raise NipError(_l("Tahun pengangkatan dalam NI PPPK harus sesudah usia 18 tahun."))
    if year > today.year:
        raise NipError(_l("Tahun pengangkatan dalam NI PPPK ada di masa depan."))
    gender = _gender(nip[14])
    serial = int(nip[15:18])
    if serial < 1:
        raise NipError(_l("Nomor urut dalam NI PPPK paling kecil 001."))
    return ParsedNip(nip=nip, birth_date=born, gender=gender, serial=serial,
                     appointment_year=year)


def parse_identity(raw, kind: str, today: date | None = None) -> ParsedNip:
    """Validate by employee kind: ``"pns"`` → NIP, ``"pppk"`` → NI PPPK."""
    return parse_ni_pppk(raw, today) if kind == "pppk" else parse_nip(raw, today)


def format_nip(nip: str, kind: str = "pns") -> str:
    """Group a NIP as BKN prints it: ``19860926 201505 1 001`` (PPPK: ``19860926 2021 21 1 001``)."""
    if not nip or len(nip) != 18:
        return nip or ""
    if kind == "pppk":
        return f"{nip[0:8]} {nip[8:12]} {nip[12:14]} {nip[14]} {nip[15:18]}"
    return f"{nip[0:8]} {nip[8:14]} {nip[14]} {nip[15:18]}"


def normalise_golongan(raw) -> str | None:
    """Accept ``III/a``, ``iii/A``, ``III a``, ``3a``, ``3/A`` (PNS) or ``IX``/``9`` (PPPK)."""
    if raw is None:
        return None
    text = str(raw).strip().replace(" ", "").replace("-", "/")
    if not text:
        return None
    if text.endswith(".0"):
        text = text[:-2]
    head = text.rstrip("abcdeABCDE").rstrip("/")
    tail = text[len(text.rstrip("abcdeABCDE")):]
    if head.isdigit():
        number = int(head)
        if not 1 <= number <= len(ROMAN):
            return None
        head = ROMAN[number - 1]
    head = head.upper()
    if tail:
        candidate = f"{head}/{tail.lower()}"
        return candidate if candidate in GOLONGAN_PNS else None
    return head if head in GOLONGAN_PPPK else None


def golongan_valid_for(golongan: str | None, kind: str) -> bool:
    if golongan is None:
        return True
    return golongan in (GOLONGAN_PPPK if kind == "pppk" else GOLONGAN_PNS)


def pangkat_of(golongan: str | None) -> str:
    return GOLONGAN_PNS.get(golongan or "", "")


def split_gelar(full_name: str) -> tuple[str, str, str]:
    """Split "Dr. H. Ahmad Fauzi, S.Kom., M.T." into (gelar depan, nama, gelar belakang).

    Gelar belakang follow the first comma; gelar depan are leading tokens ending in a dot.
    """
    text = " ".join((full_name or "").split())
    name, _, back = text.partition(",")
    back = ", ".join(p.strip() for p in back.split(",") if p.strip())
    front = []
    tokens = name.split(" ")
    while len(tokens) > 1 and tokens[0].endswith(".") and len(tokens[0]) <= 6:
        front.append(tokens.pop(0))
    return " ".join(front), " ".join(tokens), back
