"""Organisation tree queries, and unit and position maintenance not covered by services.py.

Services check, change, audit and flush; callers commit. Queries here are written so that a
page costs a fixed number of statements however many units the instansi has.
"""
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import joinedload

from portal.core import audit
from portal.extensions import db
from portal.people import services
from portal.people.models import Employee, OrgUnit, Position, PositionKind, grade_fits
from portal.people.services import PeopleError

POSITION_FIELDS = ["name", "kind", "grade", "is_head"]


@dataclass
class TreeNode:
    """A unit in the rendered tree, with its active employees (direct and with sub-units)."""

    unit: OrgUnit
    count: int
    children: list["TreeNode"] = field(default_factory=list)
    total: int = 0
    descendants: int = 0  # sub-units at any depth, shown or not


# ---------------------------------------------------------------- queries
def employee_counts(unit_ids=None) -> dict[int, int]:
    """Active employees placed directly in each unit, in one grouped query."""
    stmt = (sa.select(Employee.org_unit_id, sa.func.count(Employee.id))
            .where(Employee.is_active).group_by(Employee.org_unit_id))
    if unit_ids is not None:
        if not unit_ids:
            return {}
        stmt = stmt.where(Employee.org_unit_id.in_(list(unit_ids)))
    return {unit_id: count for unit_id, count in db.session.execute(stmt)}


def unit_tree(include_inactive=False, max_depth: int | None = 1) -> list[TreeNode]:
    """The organisation as nested nodes down to ``max_depth``: three light queries in all.

    Totals and sub-unit counts cover the whole subtree, computed from (id, parent) pairs; only the
    units shown are loaded as objects, so the page stays the same size whether the instansi has
    fifty units or five thousand (deeper levels are one click away on each unit's page).
    """
    active = [] if include_inactive else [OrgUnit.is_active]
    pairs = db.session.execute(
        sa.select(OrgUnit.id, OrgUnit.parent_id).where(*active).order_by(OrgUnit.depth.desc())).all()
    counts = employee_counts()
    totals = {unit_id: counts.get(unit_id, 0) for unit_id, _ in pairs}
    descendants = dict.fromkeys(totals, 0)
    for unit_id, parent_id in pairs:  # deepest first, so a unit's figures are complete before its parent's
        if parent_id in totals:
            totals[parent_id] += totals[unit_id]
            descendants[parent_id] += 1 + descendants[unit_id]
    stmt = sa.select(OrgUnit).where(*active).order_by(OrgUnit.depth, OrgUnit.name, OrgUnit.id)
    if max_depth is not None:
        stmt = stmt.where(OrgUnit.depth <= max_depth)
    nodes, roots = {}, []
    for unit in db.session.scalars(stmt):  # parents come before their children (ordered by depth)
        node = nodes[unit.id] = TreeNode(unit, counts.get(unit.id, 0), total=totals[unit.id],
                                         descendants=descendants[unit.id])
        parent = nodes.get(unit.parent_id)
        (parent.children if parent is not None else roots).append(node)
    return roots


def search_units(q: str, include_inactive=False):
    """Units whose name contains ``q`` (case-insensitive), as a statement to paginate."""
    text = " ".join((q or "").split()).lower()
    stmt = sa.select(OrgUnit).where(sa.func.lower(OrgUnit.name).contains(text, autoescape=True))
    if not include_inactive:
        stmt = stmt.where(OrgUnit.is_active)
    return stmt.order_by(OrgUnit.name, OrgUnit.id)


def ancestor_paths(units) -> dict[int, list[OrgUnit]]:
    """For each unit, its ancestors from the root down (itself excluded), in one query."""
    wanted = {a for u in units for a in u.ancestor_ids if a != u.id}
    by_id = {}
    if wanted:
        by_id = {u.id: u for u in db.session.scalars(sa.select(OrgUnit).where(OrgUnit.id.in_(wanted)))}
    return {u.id: [by_id[a] for a in u.ancestor_ids if a != u.id and a in by_id] for u in units}


def child_units(unit: OrgUnit, include_inactive=False) -> list[OrgUnit]:
    stmt = sa.select(OrgUnit).where(OrgUnit.parent_id == unit.id).order_by(OrgUnit.name)
    if not include_inactive:
        stmt = stmt.where(OrgUnit.is_active)
    return db.session.scalars(stmt).all()


def positions_with_holders(unit: OrgUnit) -> list[tuple[Position, int]]:
    """The unit's positions (head first), each with its number of active holders."""
    holders = (sa.select(Employee.position_id, sa.func.count(Employee.id).label("n"))
               .where(Employee.is_active, Employee.org_unit_id == unit.id)
               .group_by(Employee.position_id).subquery())
    stmt = (sa.select(Position, sa.func.coalesce(holders.c.n, 0))
            .outerjoin(holders, holders.c.position_id == Position.id)
            .where(Position.org_unit_id == unit.id)
            .order_by(Position.is_head.desc(), Position.name))
    return [(position, count) for position, count in db.session.execute(stmt)]


def members_query(unit: OrgUnit):
    """Active employees placed directly in ``unit`` (sub-units are in the directory filter)."""
    return (sa.select(Employee).where(Employee.org_unit_id == unit.id, Employee.is_active)
            .options(joinedload(Employee.position)).order_by(Employee.name, Employee.id))


def parent_choices(unit: OrgUnit | None = None):
    """Units a unit may be placed under: every active unit outside ``unit``'s own subtree."""
    choices = services.unit_choices()
    if unit is None:
        return choices
    own = set(db.session.scalars(unit.subtree_ids_query()))
    return [(unit_id, label) for unit_id, label in choices if unit_id not in own]


# ---------------------------------------------------------------- units
def deactivate_unit(unit: OrgUnit):
    """Mark a unit inactive. Raises PeopleError while it still has active sub-units or employees."""
    if unit.parent_id is None:
        raise PeopleError(_("Instansi (puncak pohon organisasi) tidak dapat dinonaktifkan."))
    if not unit.is_active:
        raise PeopleError(_("Unit ini sudah tidak aktif."))
    children = db.session.scalar(sa.select(sa.func.count()).select_from(OrgUnit).where(
        OrgUnit.parent_id == unit.id, OrgUnit.is_active))
    if children:
        raise PeopleError(ngettext(
            "Unit ini masih memiliki %(num)d sub-unit aktif; nonaktifkan atau pindahkan sub-unit itu lebih dulu.",
            "Unit ini masih memiliki %(num)d sub-unit aktif; nonaktifkan atau pindahkan sub-unit itu lebih dulu.",
            children))
    employees = db.session.scalar(sa.select(sa.func.count()).select_from(Employee).where(
        Employee.is_active, Employee.org_unit_id.in_(unit.subtree_ids_query())))
    if employees:
        raise PeopleError(ngettext(
            "Unit ini masih memiliki %(num)d pegawai aktif; pindahkan mereka (mutasi) lebih dulu.",
            "Unit ini masih memiliki %(num)d pegawai aktif; pindahkan mereka (mutasi) lebih dulu.",
            employees))
    unit.is_active = False
    audit.record("deactivate", unit, from_state="active", to_state="inactive", summary=unit.name)
    db.session.flush()


def activate_unit(unit: OrgUnit):
    """Bring an inactive unit back. Raises PeopleError when its parent is inactive."""
    if unit.is_active:
        raise PeopleError(_("Unit ini sudah aktif."))
    if unit.parent is not None and not unit.parent.is_active:
        raise PeopleError(_("Unit induk %(name)s tidak aktif; aktifkan unit induk lebih dulu.",
                            name=unit.parent.name))
    unit.is_active = True
    audit.record("activate", unit, from_state="inactive", to_state="active", summary=unit.name)
    db.session.flush()


# ---------------------------------------------------------------- positions
def _check_single_head(unit: OrgUnit, position: Position | None = None):
    """A unit has one kepala: refuse a second head position."""
    stmt = sa.select(Position).where(Position.org_unit_id == unit.id, Position.is_head)
    if position is not None and position.id is not None:
        stmt = stmt.where(Position.id != position.id)
    other = db.session.scalars(stmt.limit(1)).first()
    if other is not None:
        raise PeopleError(_("Unit ini sudah memiliki jabatan kepala (%(name)s).", name=other.name), "is_head")


def add_position(unit: OrgUnit, *, name: str, kind: PositionKind, grade=None, is_head=False) -> Position:
    """Create a position in ``unit``; raises PeopleError (see ``services.create_position``)."""
    if not unit.is_active:
        raise PeopleError(_("Unit ini tidak aktif; jabatan baru tidak dapat ditambahkan."))
    if is_head:
        _check_single_head(unit)
    return services.create_position(name, kind, unit, grade=grade, is_head=is_head)


def update_position(position: Position, *, name: str, kind: PositionKind, grade=None, is_head=False) -> dict:
    """Rename a position or change its jenis, jenjang or head flag; returns the audited changes."""
    name = " ".join((name or "").split())
    if not name:
        raise PeopleError(_("Nama jabatan wajib diisi."), "name")
    if not grade_fits(kind, grade):
        raise PeopleError(_("Jenjang jabatan tidak sesuai dengan jenis jabatan."), "grade")
    clash = db.session.scalar(sa.select(Position.id).where(
        Position.org_unit_id == position.org_unit_id, Position.id != position.id,
        sa.func.lower(Position.name) == name.lower()))
    if clash:
        raise PeopleError(_("Jabatan %(name)s sudah ada di unit ini.", name=name), "name")
    if is_head:
        _check_single_head(position.org_unit, position)
    before = audit.snapshot(position, POSITION_FIELDS)
    position.name, position.kind, position.grade, position.is_head = name, kind, grade, is_head
    db.session.flush()
    changes = audit.diff(position, POSITION_FIELDS, before)
    if changes:
        audit.record("update", position, changes=changes, summary=f"{name} – {position.org_unit.name}")
    return changes
