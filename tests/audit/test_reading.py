"""How entries read: every recorded type and action has a title; cursors; fallbacks."""
import re
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa

from portal.audit import reading, services
from portal.auth import services as auth_services
from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.people import services as people_services
from portal.people import unit_services

PORTAL = Path(__file__).resolve().parents[2] / "portal"
RECORD_CALL = re.compile(r'audit\.record\(\s*"(\w+)"(?:\s+if\s+[\w.]+\s+else\s+"(\w+)")?')
OBJECT_TYPE_ARG = re.compile(r'object_type="(\w+)"')


def _source_lines():
    for path in PORTAL.rglob("*.py"):
        yield from path.read_text(encoding="utf-8").splitlines()


def test_every_action_written_in_the_code_has_a_title():
    actions = {a for line in _source_lines() for m in RECORD_CALL.finditer(line) for a in m.groups() if a}
    assert actions, "no audit.record calls found"
    assert actions <= set(reading.ACTION_TITLES), sorted(actions - set(reading.ACTION_TITLES))


def test_every_object_type_recorded_is_listed(world, factory):
    people_services.transfer_employee(world.staff_a1, org_unit=world.dinas_b, position=world.staff_b.position,
                                      supervisor=None, start_date=date.today())
    people_services.change_supervisor(world.staff_a1, world.staff_b, date.today())
    empty = factory.unit("Unit Kosong", parent=world.root)
    unit_services.deactivate_unit(empty)
    unit_services.activate_unit(empty)
    auth_services.reset_password(world.users["pegawai"])
    auth_services.set_account_active(world.users["pegawai"], False)
    db.session.flush()
    recorded = set(db.session.scalars(sa.select(AuditEntry.object_type).distinct()))
    literal = {m.group(1) for line in _source_lines() for m in OBJECT_TYPE_ARG.finditer(line)}
    assert {"Employee", "OrgUnit", "Position", "User"} <= recorded
    assert recorded | literal <= set(reading.OBJECT_TYPES), sorted((recorded | literal) - set(reading.OBJECT_TYPES))
    actions = set(db.session.scalars(sa.select(AuditEntry.action).distinct()))
    assert actions <= set(reading.ACTION_TITLES), sorted(actions - set(reading.ACTION_TITLES))


def test_unknown_types_actions_states_and_fields_read_as_recorded(world, record):
    entry = record("tanda_tangan", object_type="Rencana", object_id=7, from_state="konsep", to_state="terkunci",
                   changes={"skor": [1, 2], "catatan": "ok"})
    view = reading.describe([entry], world.users["bkpsdm"])[0]
    assert (view.type_title, view.object_label, view.object_url) == ("Rencana", "#7", None)
    assert (view.action_title, view.from_title, view.to_title) == ("tanda_tangan", "konsep", "terkunci")
    # Not a column of any known model: a plain value, never guessed to be old → new.
    assert [(c.label, c.is_pair, c.value) for c in view.changes] == [("skor", False, "1, 2"),
                                                                     ("catatan", False, "ok")]
    assert view.detail_url is None


def test_cursor_round_trip_and_garbage(world, record):
    entry = record("update", world.staff_a1, created_dt=datetime(2024, 5, 6, 7, 8, 9, 123456))
    assert services.decode_cursor(services.encode_cursor(entry)) == (datetime(2024, 5, 6, 7, 8, 9, 123456), entry.id)
    for junk in (None, "", "abc", "1.2.3", "20240506.x", "20241399000000000000.1", "20240506070809000000.-1",
                 "20240506070809000000." + "9" * 40):
        assert services.decode_cursor(junk) is None


def test_timeline_is_one_statement_plus_names(world):
    from tests.conftest import count_statements
    with count_statements() as statements:
        entries = services.timeline_for("Employee", world.staff_a1.id)
    assert len(statements) == 1 and [e.action for e in entries] == ["create"]
