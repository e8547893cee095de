"""Writing a plan without rejected rows to the database with bulk statements.

New units and positions are inserted first and read back for their ids; then employees are
inserted or updated in chunks of ``BATCH_SIZE``, supervisors are set, and the placement history
is kept: the open period of each moved employee is closed, and a period opened for each moved or
new one.
"""
from datetime import date

import sqlalchemy as sa

from portal.core.models import utcnow
from portal.core.signals import positions_changed
from portal.extensions import db
from portal.people.importing.planning import _final_values, _placement_changed
from portal.people.importing.validation import Plan
from portal.people.importing.values import KEEP
from portal.people.models import AssignmentReason, Employee, EmployeeAssignment, ImportBatch, OrgUnit, Position

BATCH_SIZE = 1000


def _chunks(items, size=BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _write(plan: Plan, batch: ImportBatch, today: date, progress=None) -> dict:
    """Apply a plan without rejected rows with bulk statements; returns what was created.

    ``progress``, if given, is called as ``progress(done, total)`` after each chunk of employees
    inserted or updated.
    """
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
    total, done = len(new_rows) + len(changed_rows), 0
    for chunk in _chunks(new_rows):
        db.session.execute(sa.insert(Employee), chunk)
        done += len(chunk)
        if progress:
            progress(done, total)

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
        done += len(chunk)
        if progress:
            progress(done, total)
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
    # New and changed people may need other programmes (a new post, golongan or status).
    positions_changed.send(None, employee_ids=[row["id"] for row in updates] + [ids[row["nip"]] for row in new_rows])
    return {"units_created": len(unit_ids), "positions_created": len(position_ids),
            "assignments_opened": len(opening)}
