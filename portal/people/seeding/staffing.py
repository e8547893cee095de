"""Staffing the organisation plan: one ``Slot`` per employee, with its person and its supervisor.

The base head counts are scaled to the requested size (largest remainder), PPPK posts are drawn by
weight, every slot gets its person and the head it answers to, and ``_check`` applies the same
rules as the services to every planned row before anything is written.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.people import rules
from portal.people.models import UnitKind, grade_fits
from portal.people.seeding.jobs import FIXED, Job, SeedError
from portal.people.seeding.persons import PeoplePlanner
from portal.people.seeding.units import UnitPlan, _unit_jobs

PPPK_SHARE = 0.15


@dataclass(eq=False)
class Slot:
    unit: UnitPlan
    job: Job
    is_head: bool
    fixed: str | None = None
    pppk: bool = False
    person: dict | None = None
    supervisor: "Slot | None" = None
    level: int = 0
    id: int | None = None


def _staff_counts(root: UnitPlan, target: int | None) -> dict:
    """(unit, job name) → number of holders: the base counts, or scaled to reach ``target`` people."""
    entries = [(unit, job, base) for unit in root.walk() for job, base in unit.staff]
    counts = {(unit, job.name): base for unit, job, base in entries}
    if target is None:
        return counts
    heads = sum(1 for unit in root.walk() if unit.head)
    staff_target = target - heads
    if staff_target < heads:
        raise SeedError(_l("Jumlah pegawai terlalu kecil untuk struktur organisasi ini (paling sedikit %(n)d).",
                           n=2 * heads))
    total = sum(base for _u, _j, base in entries)
    shares = [(unit, job, base * staff_target / total) for unit, job, base in entries]
    counts = {(unit, job.name): int(share) for unit, job, share in shares}
    # Largest remainder, so the total is exactly the target.
    missing = staff_target - sum(counts.values())
    by_remainder = sorted(range(len(shares)), key=lambda i: shares[i][2] - int(shares[i][2]), reverse=True)
    for i in by_remainder[:missing]:
        unit, job, _share = shares[i]
        counts[(unit, job.name)] += 1
    # The demo accounts' people need their post, whatever the scaling did.
    for unit in root.walk():
        for job_name in unit.fixed:
            if job_name != "head" and counts[(unit, job_name)] == 0:
                donor = max(counts, key=counts.get)
                counts[donor] -= 1
                counts[(unit, job_name)] = 1
    return counts


def plan_people(root: UnitPlan, target: int | None, seed: int) -> list[Slot]:
    """Every employee of the seed, each with its supervisor, in an order where supervisors come first."""
    counts = _staff_counts(root, target)
    slots = []
    for unit in root.walk():
        if unit.head:
            slots.append(Slot(unit, unit.head, True, unit.fixed.get("head")))
        for job, _base in unit.staff:
            for i in range(counts[(unit, job.name)]):
                slots.append(Slot(unit, job, False, unit.fixed.get(job.name) if i == 0 else None))
    planner = PeoplePlanner(seed)
    # PPPK: a weighted sample without replacement (Efraimidis–Spirakis keys), mostly teachers and nurses.
    eligible = [s for s in slots if not s.is_head and not s.fixed and s.job.pppk > 0]
    keys = sorted(eligible, key=lambda s: planner.rng.random() ** (1 / s.job.pppk), reverse=True)
    for slot in keys[:round(PPPK_SHARE * len(slots))]:
        slot.pppk = True

    heads = {}
    top = None
    for slot in slots:
        slot.person = planner.fixed(FIXED[slot.fixed]) if slot.fixed else planner.person(slot.job, slot.pppk)
        if slot.is_head:
            heads[slot.unit] = slot
            # A unit head answers to the head of the nearest unit above that has one; heads of OPDs
            # (whose parent is the instansi) answer to the Sekretaris Daerah.
            unit = slot.unit.parent
            while unit is not None and unit not in heads:
                unit = unit.parent
            slot.supervisor = heads[unit] if unit is not None else top
            if slot.unit.kind is UnitKind.SETDA:
                top, slot.supervisor = slot, None
        else:
            slot.supervisor = heads[slot.unit]
        slot.level = slot.supervisor.level + 1 if slot.supervisor else 0
    if top is None or any(s.supervisor is None for s in slots if s is not top):
        raise SeedError("the plan has employees without a supervisor")
    return slots


def _check(slots: list[Slot], root: UnitPlan):
    """The same rules the services apply, for every planned row."""
    for unit in root.walk():
        for job in _unit_jobs(unit):
            if not grade_fits(job.kind, job.grade):
                raise SeedError(f"grade does not fit {job.name}")
    for slot in slots:
        p = slot.person
        try:
            parsed = rules.parse_identity(p["nip"], p["kind"].value)
        except rules.NipError as exc:
            raise SeedError(f"{p['nip']}: {exc}") from None
        if parsed.birth_date != p["birth_date"] or parsed.gender != p["gender"].value:
            raise SeedError(f"{p['nip']}: birth date or gender disagree")
        if not rules.golongan_valid_for(p["golongan"], p["kind"].value):
            raise SeedError(f"{p['nip']}: golongan {p['golongan']}")
