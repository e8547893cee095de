"""Real-browser tests: Debian's Chromium driven by Playwright against a live server.

The server runs the session's app in a thread; tests here are marked ``live`` and work on
committed data (``live_data``), which is removed again after each module.
"""
import json
import os
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from portal.extensions import db
from tests.factories import PASSWORD, Factory

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "build" / "node" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.live)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` (it installs Debian's chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESKTOP, "locale": "id-ID"}


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def wipe_database(app):
    """Delete every row (the seeding's reset: self-references are cut first, which MariaDB needs,
    as it checks foreign keys row by row within one DELETE)."""
    from portal.people.seeding import reset_database
    with app.app_context():
        db.session.remove()
        reset_database()
        db.session.commit()


class LiveData:
    """Committed data for browser tests: a small instansi and one account per role."""

    def __init__(self, app):
        self.app = app

    def build(self):
        from portal.people.models import PositionKind, UnitKind
        with self.app.app_context():
            f = Factory()
            root = f.instansi()
            dinas = f.unit("Dinas Kesehatan", UnitKind.DINAS, root)
            pkm = f.unit("Puskesmas Sukamaju", UnitKind.UPT, dinas)
            bkpsdm = f.unit("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", UnitKind.BADAN, root)
            head = f.employee(position=f.position(dinas, "Kepala Dinas Kesehatan", PositionKind.JPT_PRATAMA,
                                                  is_head=True), name="Budi Santoso", golongan="IV/c")
            kapus = f.employee(position=f.position(pkm, "Kepala Puskesmas", PositionKind.ADMINISTRATOR,
                                                   is_head=True), supervisor=head, name="Sri Wahyuni",
                               gender="2", golongan="IV/a")
            staff_position = f.position(pkm, "Pengadministrasi Perkantoran")
            staff = f.employee(position=staff_position, supervisor=kapus, name="Agus Prasetyo")
            for i, name in enumerate(["Dewi Lestari", "Rahmat Hidayat", "Siti Nurhaliza", "Andi Wijaya",
                                      "Putri Ayu", "Yusuf Maulana"]):
                f.employee(position=staff_position, supervisor=kapus, name=name, gender=str(1 + i % 2))
            hr = f.employee(unit=bkpsdm, name="Rina Marlina", gender="2")
            sekda = f.employee(position=f.position(root, "Sekretaris Daerah", PositionKind.JPT_PRATAMA),
                               name="Hendra Gunawan", golongan="IV/d")
            self.users = {
                "pegawai": f.user(staff), "supervisor": f.user(kapus),
                "admin_opd": f.user(head, roles=["admin_opd"], scope=dinas),
                "bkpsdm": f.user(hr, roles=["bkpsdm"]),
                "pimpinan": f.user(sekda, roles=["pimpinan"]),
                "superadmin": f.user(username="superadmin", roles=["superadmin"]),
            }
            self.logins = {role: u.login_name for role, u in self.users.items()}
            db.session.commit()
            self.staff_nip = staff.nip
        return self


@pytest.fixture(scope="module")
def live_data(app):
    wipe_database(app)
    data = LiveData(app).build()
    yield data
    wipe_database(app)


@pytest.fixture
def console_errors(page):
    """Console errors and uncaught exceptions; asserted empty at the end of each test."""
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield errors
    assert not errors, f"browser console errors: {errors}"


def sign_in(page, base_url, login, password=PASSWORD):
    page.goto(f"{base_url}/masuk")
    page.get_by_label("NIP atau nama pengguna").fill(login)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state("networkidle")


def assert_accessible(page, context=""):
    """axe-core (WCAG 2 A/AA): no serious or critical violation on the current page."""
    if not AXE.exists():
        pytest.fail(f"axe-core missing at {AXE}: run `make test` (it installs axe-core from npm)")
    # Let the page settle first (htmx swaps, CSS transitions) so colours are final when axe looks.
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(150)
    # evaluate() runs through the DevTools protocol, so the page's CSP (no inline scripts) stays on.
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})")
    bad = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5]}
           for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe violations {context} {page.url}:\n{json.dumps(bad, indent=1)}"


def screenshot(page, name):
    """Keep a screenshot of the page at desktop and phone width as a test artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(original)


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))
