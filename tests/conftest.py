"""Test harness: one database per run (migrated), a rolled-back transaction per test.

PORTAL_TEST_DATABASE_URL selects PostgreSQL or MariaDB; SQLite (a temporary file) otherwise.
Tests marked ``live`` (browser tests) commit for real and clean up after themselves.
"""
import contextlib
import os
import tempfile
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSQLAlchemySession

from portal import create_app
from portal.extensions import db as _db
from tests.factories import PASSWORD, Factory


def _database_url():
    url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    if url:
        return url
    path = os.path.join(tempfile.mkdtemp(prefix="capaian-test-"), "test.db")
    return f"sqlite:///{path}"


TEST_CONFIG = {
    "ENV_NAME": "testing",
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
    # The limiter stays on (it cannot be switched on later); tests lower LOGIN_LIMIT when they need it.
    "LOGIN_LIMIT": "10000 per minute",
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    "SERVER_NAME": None,
}


def reset_schema(app):
    """Drop everything and build the schema from the migrations (never create_all)."""
    from flask_migrate import upgrade
    with app.app_context():
        _db.drop_all()
        with _db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        upgrade()


class ConnectionBoundSession(FlaskSQLAlchemySession):
    """Flask-SQLAlchemy's session picks engines itself; in tests every session uses the
    one connection that holds the test's outer transaction."""

    def get_bind(self, *args, **kwargs):
        return self.bind


class IsolatedClient(FlaskClient):
    """Each request gets its own app context (and so its own ``g`` and session), as in production.

    Without this, requests would reuse the test's pushed context and leak ``g`` (the
    signed-in user) from one client to another.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def _compile_translations():
    """Compile the .po catalogues when a .mo is missing or stale (make does this too)."""
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    for po in Path(__file__).resolve().parent.parent.glob("portal/translations/*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as src:
                catalog = read_po(src)
            with mo.open("wb") as out:
                write_mo(out, catalog, use_fuzzy=True)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    _compile_translations()
    storage = tmp_path_factory.mktemp("storage")
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": _database_url(),
                      "STORAGE_ROOT": str(storage)})
    app.test_client_class = IsolatedClient
    reset_schema(app)
    return app


@pytest.fixture(autouse=True)
def _transaction(request, app):
    """Every test runs inside a transaction that is rolled back (services' commits become savepoints)."""
    if request.node.get_closest_marker("live"):
        yield None
        return
    with app.app_context():
        connection = _db.engine.connect()
        outer = connection.begin()
        original = _db.session
        _db.session = _db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint",
             "class_": ConnectionBoundSession})
        ctx = app.test_request_context()
        ctx.push()
        try:
            yield _db.session
        finally:
            ctx.pop()
            _db.session.remove()
            _db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def db_session(_transaction):
    return _transaction


@pytest.fixture
def factory(_transaction):
    return Factory()


@dataclass
class World:
    """A small instansi with one account per role, for permission and view tests."""
    root: object
    dinas_a: object
    bidang_a1: object
    dinas_b: object
    head_a: object       # kepala Dinas A (supervisor of the chief of Bidang A1)
    chief_a1: object     # kepala bidang A1, supervisor of staff_a1
    staff_a1: object     # an ordinary pegawai
    staff_b: object      # a pegawai of another OPD
    users: dict          # role name → User


@pytest.fixture
def world(factory):
    from portal.people.models import PositionKind, UnitKind
    root = factory.instansi()
    dinas_a = factory.unit("Dinas Alpha", UnitKind.DINAS, root)
    bidang_a1 = factory.unit("Bidang Alpha Satu", UnitKind.BIDANG, dinas_a)
    dinas_b = factory.unit("Dinas Beta", UnitKind.DINAS, root)
    head_a = factory.employee(position=factory.position(dinas_a, "Kepala Dinas Alpha",
                                                        PositionKind.JPT_PRATAMA, is_head=True),
                              name="Kepala Alpha", golongan="IV/b")
    chief_a1 = factory.employee(position=factory.position(bidang_a1, "Kepala Bidang Alpha Satu",
                                                          PositionKind.ADMINISTRATOR, is_head=True),
                                supervisor=head_a, name="Kabid Alpha", golongan="IV/a")
    staff_a1 = factory.employee(position=factory.position(bidang_a1, "Analis Data"),
                                supervisor=chief_a1, name="Staf Alpha", gender="2")
    staff_b = factory.employee(position=factory.position(dinas_b, "Pengadministrasi Umum"),
                               name="Staf Beta", golongan="II/c")
    bkpsdm_emp = factory.employee(unit=dinas_b, name="Petugas BKPSDM")
    admin_emp = factory.employee(unit=dinas_a, name="Admin Alpha")
    pimpinan_emp = factory.employee(unit=root, name="Sekda Uji", golongan="IV/d")
    users = {
        "pegawai": factory.user(staff_a1),
        "supervisor": factory.user(chief_a1),
        "admin_opd": factory.user(admin_emp, roles=["admin_opd"], scope=dinas_a),
        "bkpsdm": factory.user(bkpsdm_emp, roles=["bkpsdm"]),
        "pimpinan": factory.user(pimpinan_emp, roles=["pimpinan"]),
        "superadmin": factory.user(username="superadmin", roles=["superadmin"]),
    }
    _db.session.flush()
    return World(root, dinas_a, bidang_a1, dinas_b, head_a, chief_a1, staff_a1, staff_b, users)


@pytest.fixture
def login_as(app, world):
    """login_as(role) → a test client signed in as that role's account in ``world``."""
    def _login(role_or_user):
        user = world.users[role_or_user] if isinstance(role_or_user, str) else role_or_user
        client = app.test_client()
        if user is None:
            return client
        response = client.post("/masuk", data={"login": user.login_name, "password": PASSWORD})
        assert response.status_code == 302, f"sign-in as {user.login_name} failed"
        return client
    return _login


@contextlib.contextmanager
def count_statements():
    """The SQL statements run inside the block (a list, filled as they run)."""
    statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(_db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        sa.event.remove(_db.engine, "before_cursor_execute", before)


def count_rows(model):
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model))


def pytest_configure(config):
    config.addinivalue_line("markers", "live: commits for real (browser tests); no rollback")
