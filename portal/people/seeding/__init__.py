"""flask seed …: a realistic demo kabupaten, and a large synthetic instansi for benchmarks.

Both commands first plan the whole organisation in memory (deterministically: a seeded
``random.Random`` and a seeded Faker ``id_ID``), check every NIP / NI PPPK, golongan and jenjang
against ``rules`` and ``grade_fits``, then write it with bulk inserts and a single audit entry.
The demo accounts are made through the auth services. Nothing here commits: the commands do.

The package, in the order of the work: ``jobs`` (the jabatan catalogue and the demo accounts'
people), ``units`` and ``organisation`` (the tree of units), ``persons`` (identities),
``staffing`` (who holds which post, under whom, checked), ``build`` (writing it) and ``cli``
(the ``flask seed`` commands).
"""
from portal.people.seeding.build import (
    DEMO_PASSWORD,
    DEMO_SEED,
    MIN_SCALE_EMPLOYEES,
    SCALE_SEED,
    DemoAccount,
    SeedResult,
    build_demo,
    build_scale,
    is_empty,
    reset_database,
)
from portal.people.seeding.cli import seed_cli
from portal.people.seeding.jobs import SeedError
from portal.people.seeding.organisation import DEMO_DIMENSIONS, Dimensions, dimensions_for, kabupaten_plan
from portal.people.seeding.staffing import plan_people

__all__ = [
    "DEMO_DIMENSIONS", "DEMO_PASSWORD", "DEMO_SEED", "MIN_SCALE_EMPLOYEES", "SCALE_SEED",
    "DemoAccount", "Dimensions", "SeedError", "SeedResult",
    "build_demo", "build_scale", "dimensions_for", "is_empty", "kabupaten_plan", "plan_people",
    "reset_database", "seed_cli",
]
