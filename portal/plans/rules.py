"""Regulation rules for plans and realisasi, as pure functions (PermenPANRB 6/2022, 8/2021).

Nothing here touches the database: callers pass plain values, so every rule is unit-tested
against the official wording.
"""
import calendar
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l

from portal.plans.models.plans import Aggregation, CoreValue, Direction

# The fixed guide behaviours (panduan perilaku) of each BerAKHLAK core value.
GUIDE_BEHAVIOURS = {
    CoreValue.SERVICE: [
        _l("Memahami dan memenuhi kebutuhan masyarakat"),
        _l("Ramah, cekatan, solutif, dan dapat diandalkan"),
        _l("Melakukan perbaikan tiada henti"),
    ],
    CoreValue.ACCOUNTABLE: [
        _l("Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan berintegritas tinggi"),
        _l("Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan efisien"),
        _l("Tidak menyalahgunakan kewenangan jabatan"),
    ],
    CoreValue.COMPETENT: [
        _l("Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah"),
        _l("Membantu orang lain belajar"),
        _l("Melaksanakan tugas dengan kualitas terbaik"),
    ],
    CoreValue.HARMONIOUS: [
        _l("Menghargai setiap orang apa pun latar belakangnya"),
        _l("Suka menolong orang lain"),
        _l("Membangun lingkungan kerja yang kondusif"),
    ],
    CoreValue.LOYAL: [
        _l("Memegang teguh ideologi Pancasila, UUD 1945, setia kepada NKRI serta pemerintahan yang sah"),
        _l("Menjaga nama baik sesama ASN, pimpinan, instansi, dan negara"),
        _l("Menjaga rahasia jabatan dan negara"),
    ],
    CoreValue.ADAPTIVE: [
        _l("Cepat menyesuaikan diri menghadapi perubahan"),
        _l("Terus berinovasi dan mengembangkan kreativitas"),
        _l("Bertindak proaktif"),
    ],
    CoreValue.COLLABORATIVE: [
        _l("Memberi kesempatan kepada berbagai pihak untuk berkontribusi"),
        _l("Terbuka dalam bekerja sama untuk menghasilkan nilai tambah"),
        _l("Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama"),
    ],
}

MONTHS = [_l("Januari"), _l("Februari"), _l("Maret"), _l("April"), _l("Mei"), _l("Juni"),
          _l("Juli"), _l("Agustus"), _l("September"), _l("Oktober"), _l("November"), _l("Desember")]


# ---------------------------------------------------------------- periods
def subperiod_ranges(year: int, length: str) -> list[tuple[int, date, date]]:
    """(number, first day, last day) of each sub-period of ``year``: 12 months or 4 quarters."""
    step = 1 if length == "bulanan" else 3
    out = []
    for number, month in enumerate(range(1, 13, step), start=1):
        last_month = month + step - 1
        out.append((number, date(year, month, 1),
                    date(year, last_month, calendar.monthrange(year, last_month)[1])))
    return out


def subperiod_label(length: str, number: int, year: int) -> str:
    if length == "bulanan":
        return f"{MONTHS[number - 1]} {year}"
    return str(_l("Triwulan %(n)s %(year)s", n=["I", "II", "III", "IV"][number - 1], year=year))


def default_plan_deadline(year: int) -> date:
    """SKPs are set (ditetapkan) by the end of January."""
    return date(year, 1, 31)


# ---------------------------------------------------------------- numbers
def format_number(value) -> str:
    """Indonesian number format: thousands with '.', decimals with ',' and no trailing zeros."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}".replace(",", ".")
    text = f"{value.quantize(Decimal('0.01')):,.2f}".rstrip("0")
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


_GROUPED = re.compile(r"[-+]?[1-9]\d{0,2}(\.\d{3})+")  # "1.250", "12.000.000": dots group thousands
_PLAIN = re.compile(r"[-+]?\d+(\.\d+)?")


def read_number(raw) -> Decimal | None:
    """A number as Indonesians type it: "12", "12,5", "1.250", "1.250,75", "95 %" (and "12.5").

    None for an empty input; ValueError for anything else that is not a finite number. Range and
    decimals are the caller's rules.
    """
    if raw is None:
        return None
    if isinstance(raw, (int, Decimal)):
        value = Decimal(raw)
    else:
        text = str(raw).replace("\u00a0", "").replace(" ", "").rstrip("%")
        if not text:
            return None
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        elif _GROUPED.fullmatch(text):
            text = text.replace(".", "")
        if not _PLAIN.fullmatch(text):
            raise ValueError(raw)
        value = Decimal(text)
    if not value.is_finite():
        raise ValueError(raw)
    return value


def aggregate(values, aggregation: Aggregation):
    """The year-to-date figure from the sub-period values (None values are skipped)."""
    values = [Decimal(v) for v in values if v is not None]
    if not values:
        return None
    if aggregation is Aggregation.SUM:
        return sum(values, Decimal(0))
    if aggregation is Aggregation.AVERAGE:
        return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return values[-1]


def capaian(realisation, target, direction: Direction):
    """Capaian IKI in percent (PermenPANRB 8/2021), rounded to 0.01, or None without figures.

    Higher is better: realisasi / target × 100 %. Lower is better (e.g. days to process a
    permit): (1 + (1 − realisasi / target)) × 100 %, never below 0 %.
    """
    if realisation is None or target is None or Decimal(target) <= 0:
        return None
    ratio = Decimal(realisation) / Decimal(target)
    if direction is Direction.LOWER:
        ratio = max(Decimal(0), 1 + (1 - ratio))
    return (ratio * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)


def nilai_capaian(percent):
    """The optional numeric score for a capaian (PermenPANRB 8/2021 table), or None."""
    if percent is None:
        return None
    c = Decimal(percent)
    if c > 110:
        return Decimal(120)
    if c > 100:
        return (110 + (c - 101) * 10 / 9).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if c == 100:
        return Decimal(109)
    if c >= 80:
        return (70 + Decimal(89 - 70) / (99 - 80) * (c - 80)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if c >= 60:
        return (50 + Decimal(69 - 50) / (79 - 60) * (c - 60)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return (c / 59 * 49).quantize(Decimal("0.01"), ROUND_HALF_UP)
