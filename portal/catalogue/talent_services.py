"""Talent management (PermenPANRB 3/2020): the potential BKPSDM records and the 9-box grid of
kinerja × potensial.

Kinerja is the predikat of the employee's latest final evaluation in the year or the year before
(the yearly evaluation, period_key 0, outranks the year's sub-periods) — the same rule the
recommendation engine uses; potensial is the TalentAssessment of the year. Both are computed in
the database in a fixed number of statements.
"""
import csv
import io
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from portal.catalogue import recommend, rules
from portal.catalogue.errors import CatalogueError
from portal.catalogue.models import Potential, TalentAssessment
from portal.core import audit
from portal.evaluation.models import Evaluation, EvaluationStatus, Predicate
from portal.extensions import db
from portal.people import rules as people_rules
from portal.people.models import Employee, OrgUnit
from portal.people.services import employee_query
from portal.plans.models import PerformancePeriod

KINERJA_ORDER = [rules.KinerjaLevel.ABOVE, rules.KinerjaLevel.MEETS, rules.KinerjaLevel.BELOW]
POTENTIAL_ORDER = [Potential.LOW, Potential.MEDIUM, Potential.HIGH]
# The predikat behind each kinerja level (rules.kinerja_of_predicate, the other way round).
KINERJA_PREDICATES = {
    rules.KinerjaLevel.ABOVE: [Predicate.VERY_GOOD],
    rules.KinerjaLevel.MEETS: [Predicate.GOOD],
    rules.KinerjaLevel.BELOW: [Predicate.NEEDS_IMPROVEMENT, Predicate.POOR, Predicate.VERY_POOR],
}
BOX_OF = {box: (kinerja, Potential(potential)) for (kinerja, potential), box in rules.NINE_BOX.items()}
IMPORT_COLUMNS = ["nip", "potensial", "catatan"]
MAX_IMPORT_ROWS = 5000
MAX_IMPORT_BYTES = 1024 * 1024
NOTE_MAX = 1000


KINERJA_TITLES = {rules.KinerjaLevel.ABOVE: _l("Di Atas Ekspektasi"), rules.KinerjaLevel.MEETS: _l("Sesuai Ekspektasi"),
                  rules.KinerjaLevel.BELOW: _l("Di Bawah Ekspektasi")}


# ---------------------------------------------------------------- kinerja and the grid
def latest_predicates(year: int):
    """Subquery (employee_id, predicate): each employee's latest final evaluation in ``year`` or
    the year before; ties (two plans in one period) take the highest predikat value."""
    rank = PerformancePeriod.year * 100 + sa.case((Evaluation.period_key == 0, 13), else_=Evaluation.period_key)
    ranked = (sa.select(Evaluation.employee_id, rank.label("rank"), Evaluation.predicate)
              .join(PerformancePeriod, PerformancePeriod.id == Evaluation.period_id)
              .where(Evaluation.status == EvaluationStatus.FINAL, PerformancePeriod.year.between(year - 1, year))
              .subquery("ranked"))
    best = (sa.select(ranked.c.employee_id, sa.func.max(ranked.c.rank).label("rank"))
            .group_by(ranked.c.employee_id).subquery("best"))
    return (sa.select(ranked.c.employee_id, sa.func.max(ranked.c.predicate).label("predicate"))
            .join(best, sa.and_(best.c.employee_id == ranked.c.employee_id, best.c.rank == ranked.c.rank))
            .group_by(ranked.c.employee_id).subquery("latest"))


def _assessed(year: int, opd: OrgUnit | None):
    query = (sa.select(TalentAssessment.employee_id)
             .join(Employee, Employee.id == TalentAssessment.employee_id)
             .where(TalentAssessment.year == year, Employee.is_active.is_(True)))
    if opd is not None:
        query = (query.join(OrgUnit, OrgUnit.id == Employee.org_unit_id)
                 .where(OrgUnit.path.startswith(opd.path)))
    return query


@dataclass
class Grid:
    year: int
    counts: dict = field(default_factory=dict)    # box → employees
    unplaced: int = 0                             # potential recorded, no final evaluation

    @property
    def placed(self) -> int:
        return sum(self.counts.values())

    def rows(self):
        """The grid as the table shows it: kinerja from high to low, potensial from low to high."""
        return [(kinerja, [(rules.NINE_BOX[(kinerja, p.value)], p) for p in POTENTIAL_ORDER])
                for kinerja in KINERJA_ORDER]


def nine_box_grid(year: int, opd: OrgUnit | None = None) -> Grid:
    """The number of employees in each box for ``year`` (one statement)."""
    latest = latest_predicates(year)
    query = (_assessed(year, opd)
             .with_only_columns(latest.c.predicate, TalentAssessment.potential, sa.func.count())
             .outerjoin(latest, latest.c.employee_id == TalentAssessment.employee_id)
             .group_by(latest.c.predicate, TalentAssessment.potential))
    grid = Grid(year=year, counts={box: 0 for box in BOX_OF})
    for predicate, potential, count in db.session.execute(query):
        kinerja = rules.kinerja_of_predicate(predicate.value if predicate else None)
        box = rules.nine_box(kinerja, potential.value if potential else None)
        if box is None:
            grid.unplaced += count
        else:
            grid.counts[box] += count
    return grid


def box_members_query(year: int, box: int, opd: OrgUnit | None = None):
    """The employees in ``box`` (a select of Employee, by name), for pagination."""
    kinerja, potential = BOX_OF[box]
    latest = latest_predicates(year)
    ids = (_assessed(year, opd)
           .join(latest, latest.c.employee_id == TalentAssessment.employee_id)
           .where(TalentAssessment.potential == potential, latest.c.predicate.in_(KINERJA_PREDICATES[kinerja])))
    return (sa.select(Employee).where(Employee.id.in_(ids))
            .options(joinedload(Employee.org_unit), joinedload(Employee.position))
            .order_by(Employee.name, Employee.id))


def predicates_of(employee_ids, year: int) -> dict:
    """employee id → the predikat the grid uses (one statement)."""
    if not employee_ids:
        return {}
    latest = latest_predicates(year)
    query = sa.select(latest.c.employee_id, latest.c.predicate).where(latest.c.employee_id.in_(list(employee_ids)))
    return dict(db.session.execute(query).all())


# ---------------------------------------------------------------- recording potential
def potential_list_query(*, q=None, opd: OrgUnit | None = None):
    """Active employees for the recording list (name or NIP search, an OPD's subtree)."""
    return employee_query(q=q, unit=opd).options(joinedload(Employee.org_unit), joinedload(Employee.position))


def assessments_for(employee_ids, year: int) -> dict:
    """employee id → TalentAssessment of ``year`` (one statement)."""
    if not employee_ids:
        return {}
    query = sa.select(TalentAssessment).where(TalentAssessment.year == year,
                                              TalentAssessment.employee_id.in_(list(employee_ids)))
    return {a.employee_id: a for a in db.session.scalars(query)}


def _apply(employee_id: int, year: int, potential: Potential, note: str, existing, actor, summary=None):
    """Create or update one assessment and audit the change; None when nothing changed."""
    note = note or ""
    if existing is not None and existing.potential is potential and existing.note == note:
        return None
    before = {"potential": existing.potential.value, "note": existing.note} if existing else {}
    assessment = existing or TalentAssessment(employee_id=employee_id, year=year)
    if existing is None:
        db.session.add(assessment)
    assessment.potential, assessment.note = potential, note
    assessment.assessed_by_id = getattr(actor, "id", None)
    db.session.flush()
    changes = {}
    for name, value in (("potential", potential.value), ("note", note)):
        if before.get(name) != value:
            changes[name] = [before.get(name), value]
    audit.record("talent.potential_set", assessment, actor=actor, changes=changes,
                 from_state=before.get("potential"), to_state=potential.value, summary=summary)
    return assessment


def set_potential(employee: Employee, year: int, potential: Potential, note: str = "", *, actor=None
                  ) -> TalentAssessment:
    """Record ``employee``'s potential for ``year``, audit it and recompute their recommendations
    (the 9-box source). Raises CatalogueError for an inactive employee. Flushes, never commits."""
    if not employee.is_active:
        raise CatalogueError(_("Pegawai ini tidak aktif."))
    if len(note or "") > NOTE_MAX:
        raise CatalogueError(_("Catatan paling banyak %(max)d karakter.", max=NOTE_MAX), field="note")
    existing = assessments_for([employee.id], year).get(employee.id)
    assessment = _apply(employee.id, year, potential, note, existing, actor)
    db.session.flush()
    if assessment is not None:
        recommend.recompute_recommendations([employee.id])
    return assessment or existing


# ---------------------------------------------------------------- CSV import
@dataclass
class ImportRow:
    line: int
    nip: str
    name: str = ""
    potential: Potential | None = None
    note: str = ""
    errors: list = field(default_factory=list)
    employee_id: int | None = None


@dataclass
class ImportReport:
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)    # about the file as a whole
    written: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.problems) or any(r.errors for r in self.rows)

    @property
    def error_rows(self) -> int:
        return sum(1 for r in self.rows if r.errors)


def template_csv() -> bytes:
    example = ["198504122010031001", "tinggi", "Hasil asesmen 2026"]
    return ("\ufeff" + ",".join(IMPORT_COLUMNS) + "\r\n" + ",".join(example) + "\r\n").encode("utf-8")


def _parse_potential(text: str) -> Potential | None:
    value = " ".join((text or "").split()).lower()
    for potential in Potential:
        if value in (potential.value, str(potential.title).lower()):
            return potential
    return None


def _read_rows(data: bytes, report: ImportReport):
    if len(data) > MAX_IMPORT_BYTES:
        report.problems.append(_("Berkas terlalu besar (paling besar 1 MB)."))
        return []
    if b"\x00" in data or data.startswith(b"PK\x03\x04"):
        report.problems.append(_("Berkas bukan CSV. Simpan sebagai CSV (UTF-8) lalu unggah lagi."))
        return []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        report.problems.append(_("Berkas kosong."))
        return []
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        report.problems.append(_("Berkas CSV rusak: %(detail)s", detail=str(exc)))
        return []
    records = [(n, r) for n, r in enumerate(records, start=1) if any(c.strip() for c in r)]
    header = [c.strip().lower() for c in records[0][1]]
    missing = [c for c in IMPORT_COLUMNS[:2] if c not in header]
    if missing:
        report.problems.append(_("Kolom wajib tidak ada: %(columns)s. Baris pertama harus berisi: %(all)s.",
                                 columns=", ".join(missing), all=", ".join(IMPORT_COLUMNS)))
        return []
    if len(records) - 1 > MAX_IMPORT_ROWS:
        report.problems.append(_("Paling banyak %(max)d baris sekali impor.", max=MAX_IMPORT_ROWS))
        return []
    position = {name: header.index(name) for name in IMPORT_COLUMNS if name in header}

    def cell(record, name):
        index = position.get(name)
        return record[index].strip() if index is not None and index < len(record) else ""

    return [(n, cell(r, "nip"), cell(r, "potensial"), cell(r, "catatan")) for n, r in records[1:]]


def import_potentials(data: bytes, year: int, *, actor=None) -> ImportReport:
    """Read a CSV of (nip, potensial, catatan) and record each row's potential for ``year``.

    Every row is checked first; when any row or the file fails nothing is written and the report
    says why, row by row. Flushes, never commits."""
    report = ImportReport()
    raw = _read_rows(data, report)
    if report.problems:
        return report
    if not raw:
        report.problems.append(_("Berkas tidak berisi baris data."))
        return report
    nips = {people_rules.normalise_nip(nip) for _n, nip, _p, _c in raw}
    employees = {}
    chunk = sorted(n for n in nips if n)
    for start in range(0, len(chunk), 900):
        query = sa.select(Employee.id, Employee.nip, Employee.name, Employee.is_active).where(
            Employee.nip.in_(chunk[start:start + 900]))
        employees.update({row.nip: row for row in db.session.execute(query)})
    seen = {}
    for line, nip_text, potential_text, note in raw:
        nip = people_rules.normalise_nip(nip_text)
        row = ImportRow(line=line, nip=nip or nip_text, note=note)
        employee = employees.get(nip)
        if not nip:
            row.errors.append(_("NIP kosong."))
        elif employee is None:
            row.errors.append(_("Tidak ada pegawai dengan NIP ini."))
        elif not employee.is_active:
            row.errors.append(_("Pegawai ini tidak aktif."))
        else:
            row.name, row.employee_id = employee.name, employee.id
        if nip and nip in seen:
            row.errors.append(_("NIP yang sama sudah ada di baris %(line)d.", line=seen[nip]))
        seen.setdefault(nip, line)
        row.potential = _parse_potential(potential_text)
        if row.potential is None:
            row.errors.append(_("Potensial harus rendah, menengah atau tinggi (tertulis: \"%(text)s\").",
                                text=potential_text[:40]))
        if len(note) > NOTE_MAX:
            row.errors.append(_("Catatan paling banyak %(max)d karakter.", max=NOTE_MAX))
        report.rows.append(row)
    if report.failed:
        return report
    existing = assessments_for([r.employee_id for r in report.rows], year)
    changed = []
    for row in report.rows:
        if _apply(row.employee_id, year, row.potential, row.note, existing.get(row.employee_id), actor,
                  summary=_("Impor CSV potensial")) is not None:
            changed.append(row.employee_id)
    db.session.flush()
    report.written = len(changed)
    if changed:
        recommend.recompute_recommendations(changed)
    return report
