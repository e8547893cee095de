"""The node of an organisation plan: ``UnitPlan``, and the helpers that build each kind of unit.

A ``UnitPlan`` is a unit as the seed plans it: its head's jabatan, its staff (jabatan and base
count) and its children, later the ids it was written with. ``_opd``, ``_bidang``, ``_seksi`` and
``_sekretariat`` give each level its usual head (JPT Pratama, Administrator, Pengawas).
"""
from dataclasses import dataclass, field

from portal.people.models import UnitKind
from portal.people.seeding.jobs import Job, K


@dataclass(eq=False)
class UnitPlan:
    name: str
    kind: UnitKind
    head: Job | None
    staff: list = field(default_factory=list)       # [(Job, base count)]
    children: list = field(default_factory=list)
    fixed: dict = field(default_factory=dict)       # job name or "head" → FixedPerson account
    key: str | None = None
    parent: "UnitPlan | None" = None
    id: int | None = None
    path: str = ""
    positions: dict = field(default_factory=dict)   # job name → position id

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def _head(name, kind=K.ADMINISTRATOR, titles="umum", grade=None):
    return Job(name, kind, grade, titles=titles, female=0.3)


def _opd(name, kind, head, titles, staff=(), children=(), key=None, fixed=None):
    return UnitPlan(name, kind, _head(head, K.JPT_PRATAMA, titles), list(staff), list(children),
                    fixed or {}, key)


def _bidang(name, titles, staff=(), children=(), kind=UnitKind.BIDANG, head=None, key=None, fixed=None):
    return UnitPlan(name, kind, _head(head or f"Kepala {name}", K.ADMINISTRATOR, titles), list(staff),
                    list(children), fixed or {}, key)


def _seksi(name, titles, staff=(), kind=UnitKind.SUBBAGIAN, head=None, key=None, fixed=None):
    return UnitPlan(name, kind, _head(head or f"Kepala {name}", K.PENGAWAS, titles), list(staff), [],
                    fixed or {}, key)


def _sekretariat(head, titles, staff, subbagian=(), key=None, fixed=None):
    # A dinas's sekretariat sits at the level of its bidang (administrator).
    return _bidang("Sekretariat", titles, staff, subbagian, head=head, key=key, fixed=fixed)


def _unit_jobs(unit: UnitPlan) -> list[Job]:
    return ([unit.head] if unit.head else []) + [job for job, _count in unit.staff]
