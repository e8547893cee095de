"""The in-memory ``Plan`` of an import and the checks of one row in isolation.

``_parse_row`` validates every cell of a row, reports each problem on the plan and returns the
normalised ``RowData`` when the row is valid. Checks that need other rows or the database
(duplicates, placement, supervisors) are in ``planning``.
"""
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from portal.people import rules
from portal.people.importing.reading import REQUIRED_COLUMNS, Sheet
from portal.people.importing.values import (
    EMAIL_RE,
    KEEP,
    PHONE_RE,
    _key,
    _nip_value,
    _text,
    parse_civil_status,
    parse_date,
    parse_employee_kind,
    parse_gender,
    parse_position_kind,
)
from portal.people.models import EmployeeKind, Gender, OrgUnit, PositionGrade, PositionKind, UnitKind

REPORT_VALUE_LENGTH = 120


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
