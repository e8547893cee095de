"""People and organisation workflows. Services check, change, audit and flush; callers commit."""
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.core import audit
from portal.core.signals import positions_changed
from portal.extensions import db
from portal.notifications import services as notifications
from portal.people import rules
from portal.people.models import (
    AssignmentReason,
    Employee,
    EmployeeAssignment,
    EmployeeKind,
    OrgUnit,
    Position,
    PositionKind,
    UnitKind,
    grade_fits,
)

EMPLOYEE_FIELDS = ["nip", "kind", "name", "gelar_depan", "gelar_belakang", "gender", "birth_date",
                   "tmt_date", "civil_status", "golongan", "email", "phone", "is_active"]
PLACEMENT_FIELDS = ["org_unit_id", "position_id", "supervisor_id"]


class PeopleError(ValueError):
    """A change that breaks a rule; ``field`` names the form field it concerns."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


# ---------------------------------------------------------------- organisation
def instansi_root() -> OrgUnit | None:
    return db.session.scalar(sa.select(OrgUnit).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.id))


def create_unit(name: str, kind: UnitKind, parent: OrgUnit | None) -> OrgUnit:
    name = " ".join((name or "").split())
    if not name:
        raise PeopleError(_("Nama unit wajib diisi."), "name")
    if parent is None and instansi_root() is not None:
        raise PeopleError(_("Instansi sudah ada; unit baru harus berada di bawah unit lain."), "parent")
    exists = db.session.scalar(sa.select(OrgUnit.id).where(
        OrgUnit.parent_id == (parent.id if parent else None), sa.func.lower(OrgUnit.name) == name.lower()))
    if exists:
        raise PeopleError(_("Sudah ada unit bernama %(name)s di bawah induk yang sama.", name=name), "name")
    unit = OrgUnit(name=name, kind=kind, parent=parent, depth=(parent.depth + 1) if parent else 0)
    db.session.add(unit)
    db.session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    db.session.flush()
    audit.record("create", unit, to_state="active", summary=name)
    return unit


def update_unit(unit: OrgUnit, *, name: str, kind: UnitKind, parent: OrgUnit | None):
    """Rename or move a unit; moving rewrites the materialised path of its subtree."""
    before = audit.snapshot(unit, ["name", "kind", "parent_id", "is_active"])
    name = " ".join((name or "").split())
    if not name:
        raise PeopleError(_("Nama unit wajib diisi."), "name")
    if (parent is None) != (unit.parent_id is None):
        raise PeopleError(_("Hanya instansi yang berada di puncak pohon organisasi."), "parent")
    if parent is not None and parent.is_within(unit):
        raise PeopleError(_("Unit tidak dapat dipindahkan ke bawah dirinya sendiri."), "parent")
    clash = db.session.scalar(sa.select(OrgUnit.id).where(
        OrgUnit.parent_id == (parent.id if parent else None), OrgUnit.id != unit.id,
        sa.func.lower(OrgUnit.name) == name.lower()))
    if clash:
        raise PeopleError(_("Sudah ada unit bernama %(name)s di bawah induk yang sama.", name=name), "name")
    unit.name, unit.kind = name, kind
    if parent is not None and parent.id != unit.parent_id:
        old_path = unit.path
        new_path = f"{parent.path}{unit.id}/"
        depth_shift = parent.depth + 1 - unit.depth
        db.session.execute(
            sa.update(OrgUnit).where(OrgUnit.path.like(f"{old_path}%"))
            .values(path=sa.literal(new_path, sa.String(255)).concat(
                        sa.func.substr(OrgUnit.path, len(old_path) + 1)),
                    depth=OrgUnit.depth + depth_shift)
            .execution_options(synchronize_session=False))
        unit.parent = parent
        db.session.flush()
        db.session.expire_all()
    changes = audit.diff(unit, ["name", "kind", "parent_id", "is_active"], before)
    if changes:
        audit.record("update", unit, changes=changes)
    return unit


def unit_choices(user=None, within: OrgUnit | None = None, max_depth: int | None = None, also=None):
    """(id, indented name) for select fields, in tree order.

    ``within`` limits to a subtree; ``max_depth`` keeps the list short on pages where a long list
    would cost more to render than the page itself (the OPDs of a province number dozens, its units
    thousands); ``also`` is a unit id kept in the list whatever its depth (the current choice).
    """
    q = sa.select(OrgUnit.id, OrgUnit.name, OrgUnit.depth, OrgUnit.path).where(OrgUnit.is_active)
    if within is not None:
        q = q.where(OrgUnit.path.like(f"{within.path}%"))
    if max_depth is not None:
        q = q.where(sa.or_(OrgUnit.depth <= max_depth, OrgUnit.id == (also or -1)))
    rows = db.session.execute(q).all()
    names = {r.id: r.name for r in rows}

    def key(r):
        # A deeper current choice sorts under its nearest listed ancestor.
        return [names.get(int(i), "").lower() for i in r.path.strip("/").split("/") if i]
    indent = (lambda r: min(r.depth, max_depth + 1)) if max_depth is not None else (lambda r: r.depth)
    return [(r.id, "\u2003" * indent(r) + r.name) for r in sorted(rows, key=key)]


def create_position(name: str, kind: PositionKind, unit: OrgUnit, grade=None, is_head=False) -> Position:
    name = " ".join((name or "").split())
    if not name:
        raise PeopleError(_("Nama jabatan wajib diisi."), "name")
    if not grade_fits(kind, grade):
        raise PeopleError(_("Jenjang jabatan tidak sesuai dengan jenis jabatan."), "grade")
    exists = db.session.scalar(sa.select(Position).where(
        Position.org_unit_id == unit.id, sa.func.lower(Position.name) == name.lower()))
    if exists:
        raise PeopleError(_("Jabatan %(name)s sudah ada di unit ini.", name=name), "name")
    position = Position(name=name, kind=kind, grade=grade, org_unit=unit, is_head=is_head)
    db.session.add(position)
    db.session.flush()
    audit.record("create", position, summary=f"{name} – {unit.name}")
    return position


# ---------------------------------------------------------------- employees
@dataclass
class EmployeeData:
    nip: str
    kind: EmployeeKind
    name: str
    gender: object
    birth_date: date
    org_unit: OrgUnit
    position: Position
    gelar_depan: str = ""
    gelar_belakang: str = ""
    tmt_date: date | None = None
    civil_status: object = None
    golongan: str | None = None
    supervisor: Employee | None = None
    email: str | None = None
    phone: str | None = None
    is_active: bool = True


def validate_identity(data: EmployeeData, today=None) -> rules.ParsedNip:
    """NIP/NI PPPK valid, and birth date and gender consistent with it."""
    try:
        parsed = rules.parse_identity(data.nip, data.kind.value, today)
    except rules.NipError as exc:
        raise PeopleError(str(exc), "nip") from None
    if data.birth_date != parsed.birth_date:
        raise PeopleError(_("Tanggal lahir tidak sesuai dengan NIP (%(date)s).",
                            date=parsed.birth_date.strftime("%d-%m-%Y")), "birth_date")
    if data.gender.value != parsed.gender:
        raise PeopleError(_("Jenis kelamin tidak sesuai dengan NIP."), "gender")
    if not rules.golongan_valid_for(data.golongan, data.kind.value):
        raise PeopleError(_("Golongan %(gol)s tidak berlaku untuk %(kind)s.",
                            gol=data.golongan, kind=data.kind.title), "golongan")
    if data.position.org_unit_id != data.org_unit.id:
        raise PeopleError(_("Jabatan harus berada di unit kerja yang dipilih."), "position")
    return parsed


def check_supervisor(employee: Employee | None, supervisor: Employee | None):
    """No self-supervision and no cycles in the hierarchy."""
    if supervisor is None:
        return
    if employee is not None and supervisor.id == employee.id:
        raise PeopleError(_("Pegawai tidak dapat menjadi atasannya sendiri."), "supervisor")
    if employee is not None and employee.id is not None and supervisor.is_supervised_by(employee):
        raise PeopleError(_("%(name)s adalah bawahan (langsung atau tidak langsung) pegawai ini; "
                            "hierarki tidak boleh melingkar.", name=supervisor.display_name), "supervisor")


def nip_taken(nip: str, except_id=None) -> bool:
    q = sa.select(Employee.id).where(Employee.nip == nip)
    if except_id:
        q = q.where(Employee.id != except_id)
    return db.session.scalar(q) is not None


def create_employee(data: EmployeeData, start_date: date | None = None,
                    reason=AssignmentReason.INITIAL) -> Employee:
    parsed = validate_identity(data)
    if nip_taken(parsed.nip):
        raise PeopleError(_("NIP %(nip)s sudah terdaftar.", nip=parsed.nip), "nip")
    check_supervisor(None, data.supervisor)
    employee = Employee(
        nip=parsed.nip, kind=data.kind, name=data.name, gelar_depan=data.gelar_depan or "",
        gelar_belakang=data.gelar_belakang or "", gender=data.gender, birth_date=data.birth_date,
        tmt_date=data.tmt_date or parsed.tmt_date or (date(parsed.appointment_year, 1, 1)
                                                      if parsed.appointment_year else None),
        civil_status=data.civil_status if data.kind is EmployeeKind.PNS else None,
        golongan=data.golongan, org_unit=data.org_unit, position=data.position,
        supervisor=data.supervisor, email=data.email or None, phone=data.phone or None,
        is_active=data.is_active)
    db.session.add(employee)
    db.session.flush()
    db.session.add(EmployeeAssignment(
        employee=employee, org_unit=data.org_unit, position=data.position,
        supervisor=data.supervisor, start_date=start_date or date.today(), reason=reason))
    audit.record("create", employee, to_state="active", summary=employee.nip)
    positions_changed.send(None, employee_ids=[employee.id])
    return employee


def update_employee(employee: Employee, data: EmployeeData):
    """Correct personal data. Placement changes go through transfer/change_supervisor."""
    parsed = validate_identity(data)
    if nip_taken(parsed.nip, except_id=employee.id):
        raise PeopleError(_("NIP %(nip)s sudah terdaftar.", nip=parsed.nip), "nip")
    before = audit.snapshot(employee, EMPLOYEE_FIELDS)
    for f in EMPLOYEE_FIELDS:
        value = getattr(data, f)
        if f == "nip":
            value = parsed.nip
        if f == "civil_status" and data.kind is not EmployeeKind.PNS:
            value = None
        if f in ("email", "phone"):
            value = value or None
        setattr(employee, f, value)
    changes = audit.diff(employee, EMPLOYEE_FIELDS, before)
    if changes:
        audit.record("update", employee, changes=changes)
    db.session.flush()
    if changes.keys() & {"kind", "civil_status", "golongan", "is_active"}:
        positions_changed.send(None, employee_ids=[employee.id])
    return changes


def _open_assignment(employee: Employee) -> EmployeeAssignment | None:
    return db.session.scalar(
        sa.select(EmployeeAssignment).where(EmployeeAssignment.employee_id == employee.id,
                                            EmployeeAssignment.end_date.is_(None))
        .order_by(EmployeeAssignment.start_date.desc()))


def _new_assignment(employee, start_date, reason, note=None):
    current = _open_assignment(employee)
    if current is not None:
        if start_date < current.start_date:
            raise PeopleError(_("Tanggal berlaku tidak boleh sebelum penempatan sekarang (%(d)s).",
                                d=current.start_date.strftime("%d-%m-%Y")), "start_date")
        current.end_date = start_date
    db.session.add(EmployeeAssignment(
        employee=employee, org_unit_id=employee.org_unit_id, position_id=employee.position_id,
        supervisor_id=employee.supervisor_id, start_date=start_date, reason=reason, note=note))


def transfer_employee(employee: Employee, *, org_unit: OrgUnit, position: Position,
                      supervisor: Employee | None, start_date: date, note=None,
                      reason=AssignmentReason.TRANSFER):
    """Mutasi: a new unit and position (and usually supervisor) from ``start_date``; history kept."""
    if position.org_unit_id != org_unit.id:
        raise PeopleError(_("Jabatan harus berada di unit kerja yang dipilih."), "position")
    check_supervisor(employee, supervisor)
    before = audit.snapshot(employee, PLACEMENT_FIELDS)
    employee.org_unit, employee.position, employee.supervisor = org_unit, position, supervisor
    db.session.flush()
    changes = audit.diff(employee, PLACEMENT_FIELDS, before)
    if not changes:
        raise PeopleError(_("Tidak ada perubahan penempatan."), "org_unit")
    _new_assignment(employee, start_date, reason, note)
    audit.record(reason.value, employee, changes=changes, summary=note)
    db.session.flush()
    from portal.plans import plan_services
    if "org_unit_id" in changes or "position_id" in changes:
        # A new post means a new SKP: the plans of the old post end the day before.
        plan_services.close_plans_for_transfer(employee, start_date, note or str(reason.title))
    else:  # same post, another supervisor: the plans follow the new penilai
        plan_services.follow_new_supervisor(employee)
    positions_changed.send(None, employee_ids=[employee.id])
    # The employee, and a new supervisor, hear of it (each only if they have an account).
    profile = notifications.path_for("people.show_employee", employee_id=employee.id)
    since = start_date.strftime("%d-%m-%Y")
    if employee.user is not None:
        notifications.notify(employee.user, "people.transferred", title_args={"unit": org_unit.name}, obj=employee,
                             url=profile, body=_l("Jabatan: %(position)s. Berlaku mulai %(date)s.",
                                                  position=position.name, date=since))
    if supervisor is not None and supervisor.user is not None and "supervisor_id" in changes:
        notifications.notify(supervisor.user, "people.new_subordinate", obj=employee, url=profile,
                             title_args={"name": employee.display_name},
                             body=_l("%(position)s, %(unit)s, berlaku mulai %(date)s.",
                                     position=position.name, unit=org_unit.name, date=since))


def change_supervisor(employee: Employee, supervisor: Employee | None, start_date: date, note=None):
    check_supervisor(employee, supervisor)
    if employee.supervisor_id == (supervisor.id if supervisor else None):
        raise PeopleError(_("Atasan yang dipilih sudah menjadi atasan pegawai ini."), "supervisor")
    before = audit.snapshot(employee, ["supervisor_id"])
    employee.supervisor = supervisor
    db.session.flush()
    _new_assignment(employee, start_date, AssignmentReason.SUPERVISOR, note)
    audit.record("ganti_atasan", employee, changes=audit.diff(employee, ["supervisor_id"], before),
                 summary=note)
    db.session.flush()
    from portal.plans import plan_services
    plan_services.follow_new_supervisor(employee)


# ---------------------------------------------------------------- queries
def employee_query(*, q=None, unit: OrgUnit | None = None, golongan=None, position_kind=None,
                   active_only=True):
    """The directory's filtered query (no eager loads: callers add what they show)."""
    stmt = sa.select(Employee).join(Position, Employee.position_id == Position.id)
    if active_only:
        stmt = stmt.where(Employee.is_active)
    if q:
        text = " ".join(q.split())
        digits = rules.normalise_nip(text)
        if digits.isdigit():
            stmt = stmt.where(Employee.nip.like(f"{digits}%"))
        else:
            like = f"%{text.lower()}%"
            stmt = stmt.where(sa.func.lower(Employee.name).like(like))
    if unit is not None:
        stmt = stmt.where(Employee.org_unit_id.in_(unit.subtree_ids_query()))
    if golongan:
        stmt = stmt.where(Employee.golongan == golongan)
    if position_kind:
        stmt = stmt.where(Position.kind == position_kind)
    return stmt.order_by(Employee.name, Employee.id)


def home_summary(user) -> dict:
    """What the home page shows: a few counts the user is entitled to see."""
    summary = {"subordinates": 0, "employees": None, "units": None, "jp": None, "jp_year": None}
    if user.employee is not None:
        summary["subordinates"] = db.session.scalar(
            sa.select(sa.func.count()).select_from(Employee)
            .where(Employee.supervisor_id == user.employee.id, Employee.is_active))
        # Imported here: the catalogue's services import people's models.
        from portal.catalogue.learning_services import progress_of
        summary["jp_year"] = date.today().year
        summary["jp"] = progress_of(user.employee.id, summary["jp_year"])
    if user.sees_whole_instansi:
        summary["employees"] = db.session.scalar(
            sa.select(sa.func.count()).select_from(Employee).where(Employee.is_active))
        summary["units"] = db.session.scalar(sa.select(sa.func.count()).select_from(OrgUnit))
    elif user.admin_units:
        ids = sa.union(*[u.subtree_ids_query() for u in user.admin_units])
        summary["employees"] = db.session.scalar(
            sa.select(sa.func.count()).select_from(Employee)
            .where(Employee.is_active, Employee.org_unit_id.in_(sa.select(ids.subquery()))))
    return summary
