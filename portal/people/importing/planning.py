"""Building the ``Plan`` of a whole file against the database; nothing is written.

Units, positions and employees are loaded once (three queries, whatever the size of the file);
then every row is validated, duplicate NIPs are refused, units and positions are found or planned,
supervisors are checked for existence and cycles, and each valid row is classified as new,
changed or unchanged.
"""
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from portal.extensions import db
from portal.people import rules
from portal.people.importing.reading import Sheet
from portal.people.importing.validation import NewPosition, NewUnit, Plan, RowData, _cell, _parse_row
from portal.people.importing.values import KEEP, _key, _text, unit_kind_for
from portal.people.models import Employee, EmployeeKind, OrgUnit, Position

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
