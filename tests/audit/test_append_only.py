"""The audit trail is append-only: the ORM refuses changes, and no route changes or deletes a row."""
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.core.audit import AuditEntry
from portal.extensions import db
from tests.test_permission_matrix import ARGS

PORTAL = Path(__file__).resolve().parents[2] / "portal"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _snapshot():
    """Every audit row, read from the database (not the session's identity map)."""
    return {row.id: tuple(row) for row in db.session.execute(sa.select(AuditEntry.__table__)).all()}


def test_orm_update_is_refused(world, record):
    entry = record("update", world.staff_a1, summary="asli")
    entry.summary = "diubah"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()


def test_orm_delete_is_refused(world, record):
    entry = record("update", world.staff_a1, summary="asli")
    db.session.delete(entry)
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()


def test_the_audit_pages_only_read(app, world, login_as):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("audit.")]
    assert {r.endpoint for r in rules} == {"audit.list_entries", "audit.show_entry"}
    assert all(not (r.methods & WRITE_METHODS) for r in rules)
    assert login_as("superadmin").post("/audit/", data={}).status_code == 405


def test_no_code_writes_to_the_audit_table_behind_the_orm_events():
    """Bulk statements and raw SQL skip the mapper events that guard the table: none may exist."""
    pattern = re.compile(r"(sa\.|sqlalchemy\.)?(update|delete)\(\s*(audit\.)?AuditEntry\b"
                         r"|AuditEntry\.__table__\.(update|delete)"
                         r"|(?i:\b(update|delete\s+from)\s+audit_entry\b)")
    offenders = [f"{path.relative_to(PORTAL.parent)}:{n}"
                 for path in PORTAL.rglob("*.py")
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if pattern.search(line)]
    assert not offenders, f"audit rows changed outside the guarded ORM path: {offenders}"


def _write_routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & WRITE_METHODS):
            yield rule, method


@pytest.mark.parametrize("role", ["superadmin", "bkpsdm"])
def test_no_route_changes_or_deletes_an_audit_row(app, world, login_as, record, role):
    record("update", world.staff_a1, changes={"golongan": ["III/a", "III/b"]}, summary="asli")
    values = {name: make(world) for name, make in ARGS.items()}
    routes = list(_write_routes(app))
    assert len(routes) > 10
    for rule, method in routes:
        client = login_as(role)  # a fresh session each time (one of the routes signs out)
        before = _snapshot()
        url = rule.build({a: values[a] for a in rule.arguments}, append_unknown=False)[1]
        response = client.open(url, method=method, data={})
        assert response.status_code < 500, f"{method} {url}: {response.status_code}"
        after = _snapshot()
        assert len(after) >= len(before), f"{method} {url} removed audit rows"
        changed = [i for i, row in before.items() if after.get(i) != row]
        assert not changed, f"{method} {url} changed or deleted audit rows {changed}"


def test_bulk_orm_update_and_delete_of_audit_rows_are_refused(world):
    import pytest
    import sqlalchemy as sa

    from portal.core.audit import AuditEntry
    from portal.extensions import db
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.execute(sa.update(AuditEntry).values(summary="diubah"))
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.execute(sa.delete(AuditEntry))
