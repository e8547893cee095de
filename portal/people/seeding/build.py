"""Writing a planned seed with bulk inserts, the demo accounts and a single audit entry.

``build_demo`` and ``build_scale`` plan, check and write a whole instansi into an empty database
and flush; ``reset_database`` empties it. Nothing here commits: the commands do.
"""
import random
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from portal.auth import services as auth_services
from portal.auth.models import Role, User
from portal.core import audit
from portal.extensions import db
from portal.people.models import (
    AssignmentReason,
    Employee,
    EmployeeAssignment,
    EmployeeKind,
    OrgUnit,
    Position,
    UnitKind,
)
from portal.people.seeding.catalogue import CatalogueCounts, seed_demo_catalogue, seed_scale_catalogue
from portal.people.seeding.evaluations import EvaluationCounts, seed_demo_evaluations, seed_scale_evaluations
from portal.people.seeding.jobs import SeedError
from portal.people.seeding.organisation import DEMO_DIMENSIONS, dimensions_for, kabupaten_plan
from portal.people.seeding.plans import PlanCounts, seed_demo_plans, seed_scale_plans
from portal.people.seeding.staffing import Slot, _check, plan_people
from portal.people.seeding.units import UnitPlan, _unit_jobs

DEMO_PASSWORD = "Capaian#2026"
DEMO_SEED = 2026
SCALE_SEED = 18
MIN_SCALE_EMPLOYEES = 200
CHUNK = 1000


@dataclass
class DemoAccount:
    """One demo sign-in; the texts stay lazy so that building works outside a request."""

    role: object
    login: str
    password: object
    name: str
    who: str
    sees: object


@dataclass
class SeedResult:
    units: int
    positions: int
    employees: int
    pppk: int
    accounts: list
    plans: PlanCounts | None = None
    evaluations: EvaluationCounts | None = None
    catalogue: CatalogueCounts | None = None


def _chunks(rows, size=CHUNK):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _write_units(root: UnitPlan):
    level, depth = [root], 0
    while level:
        objects = [OrgUnit(name=u.name, kind=u.kind, parent_id=u.parent.id if u.parent else None, depth=depth)
                   for u in level]
        db.session.add_all(objects)
        db.session.flush()
        for plan, unit in zip(level, objects, strict=True):
            plan.id = unit.id
            plan.path = unit.path = f"{plan.parent.path if plan.parent else '/'}{unit.id}/"
        db.session.flush()
        level, depth = [child for u in level for child in u.children], depth + 1


def _write_positions(root: UnitPlan) -> int:
    rows = []
    for unit in root.walk():
        rows += [dict(name=job.name, kind=job.kind, grade=job.grade, org_unit_id=unit.id,
                      is_head=job is unit.head) for job in _unit_jobs(unit)]
    for chunk in _chunks(rows):
        db.session.execute(sa.insert(Position), chunk)
    ids = {(unit_id, name): pid for pid, unit_id, name in db.session.execute(
        sa.select(Position.id, Position.org_unit_id, Position.name))}
    for unit in root.walk():
        unit.positions = {job.name: ids[(unit.id, job.name)] for job in _unit_jobs(unit)}
    return len(rows)


def _write_employees(slots: list[Slot]):
    """Level by level down the hierarchy, so every supervisor already has an id."""
    for level in range(max(s.level for s in slots) + 1):
        batch = [s for s in slots if s.level == level]
        rows = [dict(s.person, org_unit_id=s.unit.id, position_id=s.unit.positions[s.job.name],
                     supervisor_id=s.supervisor.id if s.supervisor else None) for s in batch]
        for chunk in _chunks(rows):
            db.session.execute(sa.insert(Employee), chunk)
        ids = dict(db.session.execute(sa.select(Employee.nip, Employee.id)).all())
        for slot in batch:
            slot.id = ids[slot.person["nip"]]
    this_year = date(date.today().year, 1, 1)
    rows = [dict(employee_id=s.id, org_unit_id=s.unit.id, position_id=s.unit.positions[s.job.name],
                 supervisor_id=s.supervisor.id if s.supervisor else None,
                 start_date=max(this_year, s.person["tmt_date"]), reason=AssignmentReason.INITIAL)
            for s in slots]
    for chunk in _chunks(rows):
        db.session.execute(sa.insert(EmployeeAssignment), chunk)


SHORT_NAMES = {"Badan Kepegawaian dan Pengembangan Sumber Daya Manusia": "BKPSDM",
               "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu": "DPMPTSP"}
ACCOUNT_ORDER = ["superadmin", "bkpsdm", "pimpinan", "admin_opd", "supervisor", "pegawai"]
ACCOUNT_ROLES = {"bkpsdm": Role.BKPSDM, "pimpinan": Role.PIMPINAN, "admin_opd": Role.ADMIN_OPD}
ACCOUNT_LABELS = {"supervisor": _l("Atasan (pegawai)"), "pegawai": _l("Pegawai")}
ACCOUNT_SEES = {
    "superadmin": _l("Semua menu, termasuk Akun & peran; tidak punya data pegawai sendiri"),
    "bkpsdm": _l("Seluruh pegawai dan unit kerja instansi; impor SIASN"),
    "pimpinan": _l("Seluruh pegawai dan unit kerja (baca); semua pegawai ada di bawah rantai atasannya"),
    "admin_opd": _l("Pegawai dan struktur Dinas Kesehatan beserta Puskesmas-nya"),
    "supervisor": _l("Data sendiri dan bawahan langsungnya di Puskesmas (pejabat penilai kinerja)"),
    "pegawai": _l("Data sendiri; atasannya adalah akun Atasan"),
}


def _workplace(unit: UnitPlan) -> str:
    """The OPD (or UPT) a unit belongs to, by its usual short name."""
    while unit.kind is not UnitKind.UPT and unit.parent is not None and unit.parent.parent is not None:
        unit = unit.parent
    return SHORT_NAMES.get(unit.name, unit.name)


def _write_accounts(slots: list[Slot], root: UnitPlan) -> list[DemoAccount]:
    accounts = {}
    existing = db.session.scalar(sa.select(User).where(User.username == "superadmin"))
    if existing is None:
        auth_services.create_admin_user("superadmin", "Administrator Sistem", DEMO_PASSWORD)
    accounts["superadmin"] = DemoAccount(
        Role.SUPERADMIN.title, "superadmin", DEMO_PASSWORD if existing is None else _l("(tidak diubah)"),
        "Administrator Sistem", _l("Pengelola aplikasi (bukan ASN)"), ACCOUNT_SEES["superadmin"])
    units = {u.key: u for u in root.walk() if u.key}
    for slot in slots:
        if not slot.fixed:
            continue
        employee = db.session.get(Employee, slot.id)
        user = auth_services.account_for(employee)
        user.set_password(DEMO_PASSWORD)
        role = ACCOUNT_ROLES.get(slot.fixed)
        if role is not None:
            scope = db.session.get(OrgUnit, units["dinkes"].id) if role is Role.ADMIN_OPD else None
            auth_services.grant_role(user, role, scope)
        label = role.title if role is not None else ACCOUNT_LABELS[slot.fixed]
        accounts[slot.fixed] = DemoAccount(label, employee.nip, DEMO_PASSWORD, employee.display_name,
                                           f"{slot.job.name}, {_workplace(slot.unit)}", ACCOUNT_SEES[slot.fixed])
    return [accounts[key] for key in ACCOUNT_ORDER]


def _build(root: UnitPlan, target: int | None, seed: int, label: str, write_plans=None,
           write_evaluations=None, write_catalogue=None) -> SeedResult:
    if not is_empty():
        raise SeedError(_l("Basis data sudah berisi data."))
    slots = plan_people(root, target, seed)
    _check(slots, root)
    _write_units(root)
    positions = _write_positions(root)
    _write_employees(slots)
    accounts = _write_accounts(slots, root)
    result = SeedResult(units=sum(1 for _u in root.walk()), positions=positions, employees=len(slots),
                        pppk=sum(1 for s in slots if s.person["kind"] is EmployeeKind.PPPK), accounts=accounts)
    if write_plans is not None:
        result.plans = write_plans(slots, root, random.Random(seed))
        if write_evaluations is not None:
            # Its own stream, so that the plans stay what they were without evaluations.
            result.evaluations = write_evaluations(slots, root, result.plans, random.Random(f"{seed}/evaluasi"))
            if write_catalogue is not None:
                # After the evaluations: the recommendations read their development needs.
                result.catalogue = write_catalogue(slots, root, result.plans, random.Random(f"{seed}/katalog"))
    summary = (f"seed {label}: {result.units} unit, {result.positions} jabatan, "
               f"{result.employees} pegawai ({result.pppk} PPPK)")
    if result.plans is not None:
        summary += f", {result.plans.plans} SKP, {result.plans.realisations} realisasi"
    if result.evaluations is not None:
        summary += (f", {result.evaluations.evaluations} evaluasi, "
                    f"{result.evaluations.ikm_responses} respons IKM")
    if result.catalogue is not None:
        c = result.catalogue
        summary += (f", {c.programmes} program pelatihan, {c.learning_records} catatan JP, "
                    f"{c.recommendations} rekomendasi (dihitung dalam {c.recompute_seconds} detik)")
    audit.record("seed", object_type="Seed", to_state=label, summary=summary)
    db.session.flush()
    return result


def is_empty() -> bool:
    """True when there is neither an organisation unit nor an employee."""
    return (db.session.scalar(sa.select(OrgUnit.id).limit(1)) is None
            and db.session.scalar(sa.select(Employee.id).limit(1)) is None)


def reset_database():
    """Delete every row of every table, children first; the schema and alembic_version stay.

    The only legitimate way to empty a demo database: audit entries go too.
    """
    tables = db.metadata.sorted_tables
    # Self-references first (MariaDB checks foreign keys row by row).
    for table in tables:
        for fk in table.foreign_keys:
            if fk.column.table is table and fk.parent.nullable:
                db.session.execute(sa.update(table).values({fk.parent.name: None}))
    for table in reversed(tables):
        db.session.execute(sa.delete(table))
    db.session.expunge_all()


def build_demo(seed: int = DEMO_SEED, with_plans: bool = True) -> SeedResult:
    """A realistic kabupaten of about 300 employees with one demo account per role, and (unless
    ``with_plans`` is false) its SKPs, realisasi and teams for 2025 and 2026, the evaluations of
    past periods, organisational capaian and public feedback, and the career-development catalogue
    with its sessions, JP ledger and recommendations (flushes)."""
    root = kabupaten_plan(current_app.config["INSTANSI_NAME"], DEMO_DIMENSIONS, random.Random(seed))
    return _build(root, None, seed, "demo", seed_demo_plans if with_plans else None,
                  seed_demo_evaluations if with_plans else None, seed_demo_catalogue if with_plans else None)


def build_scale(employees: int, seed: int = SCALE_SEED, with_plans: bool = True) -> SeedResult:
    """A large synthetic instansi of exactly ``employees`` people, plus the demo accounts, and (unless
    ``with_plans`` is false) an approved 2026 SKP with realisasi and evaluations for everyone, the demo
    catalogue plus about 300 generated programmes, learning records and recommendations (flushes)."""
    if employees < MIN_SCALE_EMPLOYEES:
        raise SeedError(_l("Jumlah pegawai paling sedikit %(n)d.", n=MIN_SCALE_EMPLOYEES))
    root = kabupaten_plan(current_app.config["INSTANSI_NAME"], dimensions_for(employees), random.Random(seed))
    return _build(root, employees, seed, "skala", seed_scale_plans if with_plans else None,
                  seed_scale_evaluations if with_plans else None, seed_scale_catalogue if with_plans else None)
