"""Stored XSS, in Chromium: script-like text in every stored free-text field stays text.

A payload goes into every free-text column a user (or a file) can fill — employee name, gelar,
e-mail, telephone, unit and position names, transfer and supervisor-change notes, an imported
file's name, unit, position and employee names and a rejected cell, an administrator's full
name, and the texts of notifications, jobs and outgoing e-mails — through the services, and is
committed. Then every GET page of the URL map is opened with every object that carries the
payload, as a superadmin and as a pegawai, plus an htmx live search and a flash message after a
form. On each page: ``window.__xss`` stays undefined, no dialog opens, and the DOM holds no
element, event handler or ``javascript:`` link made from the payload.

The browser context bypasses the Content-Security-Policy, so that what is tested is the
escaping alone (the CSP, tested in tests/security/test_headers.py, is the second wall). Escaping
does not depend on the database: this runs in the SQLite run of the suite only.
"""
import csv
import html
import re
from datetime import date
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from portal.extensions import db
from tests.browser.conftest import DESKTOP, sign_in, wipe_database
from tests.factories import PASSWORD, Factory, make_nip
from tests.security.harness import id_combinations, model_for_argument, once_per_ci_run, route_allows, routes

pytestmark = once_per_ci_run()

PAYLOAD = '"><img src=x onerror=window.__xss=1><script>window.__xss=1</script>'
SHORT = "'\"><svg onload=window.__xss=1>"  # for short columns (gelar depan, telephone)
MARK = "__xss"

PROBE = """() => {
  const handlers = [...document.querySelectorAll('*')].filter(el =>
      [...el.attributes].some(a => a.name.startsWith('on') && a.value.includes('__xss')));
  return {
    xss: typeof window.__xss === 'undefined' ? null : String(window.__xss),
    injected: document.querySelectorAll('img[src="x"], svg[onload]').length + handlers.length,
    scripts: [...document.scripts].filter(s => s.textContent.includes('__xss')).length,
    jsLinks: [...document.querySelectorAll('[href], [src], [action]')].filter(el =>
        /^\\s*javascript:/i.test(el.getAttribute('href') || el.getAttribute('src') || el.getAttribute('action') || '')).length,
    shown: document.body.innerText.includes('__xss'),
  };
}"""


def _import_rows(head_nip):
    born = date(1991, 5, 17)
    good = make_nip(birth=born, tmt=(2016, 3), gender="1")
    return [
        ["nip_baru", "nama", "gelar_depan", "gelar_belakang", "tanggal_lahir", "jenis_kelamin", "jenis_pegawai",
         "gol_akhir", "jenis_jabatan", "jabatan", "unor_nama", "nip_atasan"],
        [good, f"Impor {PAYLOAD}", "", f"S.T. {PAYLOAD}", born.isoformat(), "L", "PNS", "III/a", "Pelaksana",
         f"Pengemudi {PAYLOAD}", f"UPT {PAYLOAD}", head_nip],
    ]


def _write_csv(path, rows):
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def build_payload_data(app, folder):
    """Payload in every stored free-text field, through the services; committed."""
    from portal.auth import services as auth_services
    from portal.auth.models import Role
    from portal.jobs.models import Job, JobStatus
    from portal.notifications.models import EmailStatus, Notification, OutgoingEmail
    from portal.people import importing, services
    from portal.people.models import PositionKind, UnitKind
    with app.app_context():
        f = Factory()
        root = f.instansi()
        dinas = f.unit(f"Dinas {PAYLOAD}", UnitKind.DINAS, root)
        bidang = f.unit(f"Bidang {SHORT}", UnitKind.BIDANG, dinas)
        head = f.employee(position=f.position(dinas, f"Kepala {PAYLOAD}", PositionKind.JPT_PRATAMA, is_head=True),
                          name=f"Kepala {PAYLOAD}", gelar_depan=SHORT, gelar_belakang=PAYLOAD, golongan="IV/b",
                          email=f"kepala{SHORT}@contoh.go.id", phone=SHORT)
        staff = f.employee(position=f.position(bidang, f"Analis {PAYLOAD}"), supervisor=head, name=PAYLOAD,
                           gelar_belakang=PAYLOAD, phone=SHORT)
        deputy = f.employee(position=f.position(dinas, f"Sekretaris {PAYLOAD}"), supervisor=head,
                            name=f"Sekretaris {PAYLOAD}")
        services.transfer_employee(staff, org_unit=dinas, position=deputy.position, supervisor=head,
                                   start_date=date.today(), note=f"Mutasi {PAYLOAD}")
        services.change_supervisor(staff, deputy, date.today(), note=f"Ganti atasan {PAYLOAD}")
        users = {"pegawai": f.user(head)}
        admin = auth_services.create_admin_user("superadmin", PAYLOAD, PASSWORD)
        users["superadmin"] = admin
        auth_services.grant_role(f.user(deputy), Role.ADMIN_OPD, dinas)
        db.session.flush()

        good = _write_csv(folder / "good.csv", _import_rows(head.nip))
        batch = importing.preview_import(importing.store_upload(good.open("rb"), f"{SHORT}.csv"),
                                         f"{SHORT}.csv", root, admin)
        importing.commit_import(batch, admin)
        bad_rows = _import_rows(head.nip)
        bad_rows[1][4] = PAYLOAD  # a rejected cell is shown back in the report
        bad = _write_csv(folder / "bad.csv", bad_rows)
        importing.preview_import(importing.store_upload(bad.open("rb"), "laporan.csv"), f"Tolak {SHORT}.csv",
                                 root, admin)

        db.session.add_all([
            Notification(user=admin, kind="uji", title=f"Pemberitahuan {PAYLOAD}", body=PAYLOAD),
            Job(kind="uji", title=f"Tugas {PAYLOAD}", status=JobStatus.FAILED, message=PAYLOAD, error=PAYLOAD,
                created_by=admin),
            OutgoingEmail(to_address="pegawai@contoh.go.id", subject=f"[Capaian] {PAYLOAD}", body_text=PAYLOAD,
                          body_html=f"<p>{html.escape(PAYLOAD)}</p>", status=EmailStatus.STORED),
        ])
        db.session.commit()
        return {role: u.login_name for role, u in users.items()}


@pytest.fixture(scope="module")
def payload_logins(app, tmp_path_factory):
    wipe_database(app)
    logins = build_payload_data(app, tmp_path_factory.mktemp("xss"))
    yield logins
    wipe_database(app)


def _payload_ids(model, limit=2):
    """Ids of the rows of ``model`` with the payload in a text column (else its first row)."""
    text_columns = [c for c in model.__table__.columns
                    if isinstance(c.type, (sa.String, sa.Text)) and not isinstance(c.type, sa.Enum)]
    ids = []
    if text_columns:
        ids = list(db.session.scalars(sa.select(model.id).where(
            sa.or_(*(c.contains(MARK) for c in text_columns))).order_by(model.id).limit(limit)))
    return ids or list(db.session.scalars(sa.select(model.id).order_by(model.id).limit(1)))


def _urls(app, user):
    """Every GET page the user may open, with the payload-carrying objects in its URL."""
    with app.app_context():
        me = db.session.merge(user) if user is not None else None
        out = []
        for rule, _m in routes(app, {"GET"}):
            if rule.endpoint == "static" or rule.rule.endswith(".csv") or rule.endpoint == "core.healthz":
                continue
            if not route_allows(app, rule.endpoint, me):
                continue
            models = {a: model_for_argument(a) for a in rule.arguments}
            if None in models.values():
                continue
            if len(models) == 1:
                (name, model), = models.items()
                combos = [{name: i} for i in _payload_ids(model)]
            else:  # objects that belong together (a position in its unit), payload-carrying first
                wanted = {name: set(_payload_ids(model)) for name, model in models.items()}
                combos = [v for v, kind in id_combinations(models) if kind == "ok"]
                combos = sorted(combos, key=lambda v: -sum(v[n] in wanted[n] for n in v))[:3]
            out += [rule.build(c, append_unknown=False)[1] for c in combos]
        return out


DOWNLOADS = re.compile(r"\.(pdf|zip|csv|xlsx|ics)$")


def _user(app, login):
    from portal.auth.services import find_user_for_login
    with app.app_context():
        user = find_user_for_login(login)
        db.session.expunge(user)
        return user


def _check(page, url, failures, dialogs):
    result = page.evaluate(PROBE)
    bad = {k: v for k, v in result.items() if k != "shown" and v}
    if bad or dialogs:
        failures.append(f"{url}: {bad} dialogs={dialogs}")
    dialogs.clear()
    return result["shown"]


@pytest.mark.parametrize("role", ["superadmin", "pegawai"])
def test_stored_payloads_stay_text(app, browser, live_server, payload_logins, role):
    context = browser.new_context(bypass_csp=True, viewport=DESKTOP, locale="id-ID")
    page = context.new_page()
    dialogs, failures, shown = [], [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_in(page, live_server, payload_logins[role])
    urls = _urls(app, _user(app, payload_logins[role]))
    assert len(urls) >= 8
    for url in urls:
        if DOWNLOADS.search(url.split("?")[0]):
            continue  # a file, not a page (and Chromium refuses to navigate to an attachment)
        response = page.goto(f"{live_server}{url}")
        assert response is not None and response.status < 500, f"{url}: {response and response.status}"
        if "html" not in (response.headers.get("content-type") or ""):
            continue
        if _check(page, url, failures, dialogs):
            shown.append(url)
    context.close()
    assert not failures, "\n".join(failures)
    # the payload was really on the pages: the check looked at something
    assert len(shown) >= (10 if role == "superadmin" else 4), shown


def test_live_search_and_flash_message_stay_text(app, browser, live_server, payload_logins):
    from portal.people.models import OrgUnit
    context = browser.new_context(bypass_csp=True, viewport=DESKTOP, locale="id-ID")
    page = context.new_page()
    dialogs, failures = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_in(page, live_server, payload_logins["superadmin"])
    # htmx swaps the results of a live search into the page
    page.goto(f"{live_server}/pegawai/")
    page.get_by_label("Cari nama atau NIP").press_sequentially("img src", delay=10)
    page.wait_for_url("**q=img*")
    page.locator("#results").get_by_text("window.__xss", exact=False).first.wait_for()
    assert _check(page, "live search", failures, dialogs)
    # the search text itself comes back in the page (reflected, not stored)
    page.goto(f"{live_server}/pegawai/?q={quote(PAYLOAD)}")
    _check(page, "reflected search", failures, dialogs)
    # a flash message names the unit that was saved
    with app.app_context():
        unit_id = db.session.scalar(sa.select(OrgUnit.id).where(OrgUnit.name.startswith("Dinas ")))
    page.goto(f"{live_server}/unit/{unit_id}/ubah")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state("load")
    assert page.locator(".alert").first.inner_text().count(MARK) >= 1
    _check(page, "flash message", failures, dialogs)
    context.close()
    assert not failures, "\n".join(failures)
