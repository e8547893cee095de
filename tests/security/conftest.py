"""Fixtures of the security suite: ``world`` plus the people and batches object checks need."""
from dataclasses import dataclass
from datetime import date

import pytest

from portal.extensions import db
from portal.jobs.models import Job, JobStatus
from portal.notifications.models import Notification
from portal.people import services
from portal.people.models import ImportBatch, ImportStatus
from tests.security.harness import ROLES, WriteRecorder

PRIVATE_NOTE = "SK Bupati 821/17/2024 (catatan pribadi)"


@dataclass
class Extra:
    peer: object        # same supervisor as the supervisor account (head_a): a peer, not a subordinate
    grandchild: object  # reports to staff_a1, so an indirect subordinate of the supervisor account
    batch_bkpsdm: object
    batch_superadmin: object
    notifications: dict  # role → a notification of that role's account (only its owner may read it)
    job: object          # a failed job started by the admin OPD


def _batch(world, user, name):
    batch = ImportBatch(filename=name, stored_name="missing.csv", sha256="0" * 64, parent_unit=world.root,
                        status=ImportStatus.PREVIEWED, created_by=user, report=[])
    db.session.add(batch)
    return batch


@pytest.fixture
def extra(world, factory):
    peer = factory.employee(position=factory.position(world.dinas_a, "Sekretaris Dinas Alpha"),
                            supervisor=world.head_a, name="Sekretaris Alpha")
    # A placement note is part of the private history: only those who see details may read it.
    services.transfer_employee(peer, org_unit=world.dinas_a, position=factory.position(world.dinas_a, "Kasubbag Umum"),
                               supervisor=world.head_a, start_date=date.today(), note=PRIVATE_NOTE)
    grandchild = factory.employee(position=factory.position(world.bidang_a1, "Pengolah Data"),
                                  supervisor=world.staff_a1, name="Cucu Alpha")
    notifications = {role: Notification(user=user, kind="uji", title=f"Pemberitahuan untuk {role}")
                     for role, user in world.users.items()}
    job = Job(kind="uji", title="Tugas uji", status=JobStatus.FAILED, created_by=world.users["admin_opd"])
    db.session.add_all([*notifications.values(), job])
    extra = Extra(peer, grandchild, _batch(world, world.users["bkpsdm"], "bkpsdm.csv"),
                  _batch(world, world.users["superadmin"], "superadmin.csv"), notifications, job)
    db.session.flush()
    return extra


class Clients(dict):
    """role → a test client signed in as that role of ``world`` (``None``: anonymous), on first use."""

    def __init__(self, login_as):
        super().__init__()
        self.login_as = login_as

    def __missing__(self, role):
        if role is not None and role not in ROLES:
            raise KeyError(role)
        self[role] = client = self.login_as(role)
        return client


@pytest.fixture
def clients(login_as):
    return Clients(login_as)


@pytest.fixture
def write_recorder(app):
    with WriteRecorder(db.engine) as recorder:
        yield recorder
