"""Every route, for every role: the declared access holds, and nothing answers 500.

Built from the app's URL map, so a new route is covered the moment it exists. A route
without an ``@allow``/``@public`` declaration fails here (and answers 403 at run time).
A route whose URL needs an argument this file does not know fails too: add it to ARGS.
"""
import re

import pytest

from portal.core.permissions import AUTHENTICATED, PUBLIC, access_of
from tests.security.harness import rolled_back

ROLES = ["anonymous", "pegawai", "supervisor", "admin_opd", "bkpsdm", "pimpinan", "superadmin"]
# How a signed-in role maps onto declarations ("supervisor" is a pegawai with subordinates).
ROLE_SET = {
    "anonymous": set(),
    "pegawai": {"pegawai"},
    "supervisor": {"pegawai"},
    "admin_opd": {"pegawai", "admin_opd"},
    "bkpsdm": {"pegawai", "bkpsdm"},
    "pimpinan": {"pegawai", "pimpinan"},
    "superadmin": {"superadmin"},
}


def _import_batch(world):
    from portal.extensions import db
    from portal.people.models import ImportBatch, ImportStatus
    batch = ImportBatch(filename="kosong.csv", stored_name="missing.csv", sha256="0" * 64,
                        parent_unit=world.root, status=ImportStatus.PREVIEWED,
                        created_by=world.users["bkpsdm"], report=[])
    db.session.add(batch)
    db.session.flush()
    return batch.id


def _grant(world):
    return world.users["admin_opd"].roles[0].id


def _audit_entry(world):
    from portal.core.audit import AuditEntry
    from portal.extensions import db
    return db.session.scalar(db.select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))


def _stored_email(world):
    from portal.extensions import db
    from portal.notifications.models import EmailStatus, OutgoingEmail
    email = OutgoingEmail(to_address="pegawai@example.go.id", subject="[Capaian] Uji", body_text="Uji",
                          status=EmailStatus.STORED)
    db.session.add(email)
    db.session.flush()
    return email.id


def _plans(attr):
    def get(world):
        from tests.plans.sample import sample_plan
        return getattr(sample_plan(world), attr).id
    return get


def _evaluations(attr):
    def get(world):
        from tests.evaluation.sample import sample_evaluation
        return getattr(sample_evaluation(world), attr).id
    return get


def _catalogue(attr):
    def get(world):
        from tests.catalogue.sample import sample_catalogue
        return getattr(sample_catalogue(world), attr).id
    return get


# Sample values for URL arguments: objects inside every scoped role's reach
# (staff of Dinas Alpha, which admin_opd administers).
ARGS = {
    "employee_id": lambda w: w.staff_a1.id,
    "unit_id": lambda w: w.dinas_a.id,
    "position_id": lambda w: w.staff_a1.position_id,
    "user_id": lambda w: w.users["pegawai"].id,
    "batch_id": _import_batch,
    "grant_id": _grant,
    "entry_id": _audit_entry,
    "filename": lambda w: "app.css",
    # A notification belongs to one account, so no id suits every role: a missing one checks the
    # route's declaration (404, never 403); ownership is tested in tests/notifications.
    "notification_id": lambda w: 999_999_999,
    "email_id": _stored_email,
    # A job belongs to whoever started it (BKPSDM and superadmin see all): as for notifications, a
    # missing id checks the declaration; who sees which job is tested in tests/jobs/test_views.py.
    "job_id": lambda w: 999_999_999,
    # Plans (tests/plans/sample.py): staff_a1's approved SKP, appraised by chief_a1.
    "period_id": _plans("period"),
    "subperiod_id": _plans("november"),
    "year": lambda w: 2026,
    "plan_id": _plans("plan"),
    "result_id": _plans("result"),
    "indicator_id": _plans("indicator"),
    "realisation_id": _plans("realisation"),
    "evidence_id": _plans("evidence"),
    "feedback_id": _plans("feedback"),
    "comment_id": _plans("comment"),
    "target_id": _plans("org_target"),
    "team_id": _plans("team"),
    "goal_id": _plans("goal"),
    "activity_id": _plans("activity"),
    "evaluation_id": _evaluations("draft"),
    "objection_id": _evaluations("objection"),
    "peer_input_id": _evaluations("peer_input"),
    "service_id": _evaluations("service"),
    "unit_code": lambda w: w.dinas_a.public_code,
    "period_key": lambda w: 11,
    # Career development (tests/catalogue/sample.py): staff_a1's recommendation, IDP, ledger.
    "programme_id": _catalogue("teamwork"),
    "competency_id": _catalogue("kerja_sama"),
    "recommendation_id": _catalogue("recommendation"),
    "idp_id": _catalogue("idp"),
    "item_id": _catalogue("item"),
    "certificate_id": _catalogue("certificate"),
    "session_id": _catalogue("session"),
    "record_id": _catalogue("record"),
    "assessment_id": _catalogue("assessment"),
}


def _routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_route_declares_access(app):
    missing = [r.endpoint for r, _ in _routes(app) if access_of(r.endpoint, app) is None]
    assert not missing, f"routes without @allow/@public: {sorted(set(missing))}"


def test_every_route_argument_is_known(app):
    unknown = {a for r, _ in _routes(app) for a in r.arguments if a not in ARGS}
    assert not unknown, f"add sample values for URL arguments: {sorted(unknown)}"


def _expected_allowed(declared, role):
    if PUBLIC in declared:
        return True
    if role == "anonymous":
        return False
    if AUTHENTICATED in declared:
        return True
    return bool(ROLE_SET[role] & declared)


def _object_check_admits(rule, method, role, world, values):
    """Whether the route's object rule (tests/security/object_rules.py) lets the role act on the
    sample objects: a route every signed-in user may reach can still refuse someone else's plan."""
    from portal.extensions import db
    from tests.security.harness import model_for_argument
    from tests.security.object_rules import object_rule
    objects = {a: db.session.get(m, values[a]) for a in rule.arguments if (m := model_for_argument(a))}
    return object_rule(rule.endpoint, method)(world.users[role], objects)


def test_permission_matrix(app, world, login_as):
    failures = []
    values = {name: make(world) for name, make in ARGS.items()}
    clients = {role: login_as(None if role == "anonymous" else role) for role in ROLES}
    for rule, method in _routes(app):
        declared = access_of(rule.endpoint, app)
        url = rule.build({a: values[a] for a in rule.arguments}, append_unknown=False)[1]
        for role in ROLES:
            if rule.endpoint == "auth.logout":
                client = login_as(None if role == "anonymous" else role)  # logging out ends it
            else:
                client = clients[role]
            if method == "GET":
                response = client.open(url, method=method)
            else:  # a POST that is allowed may change things (a supervisor removed): undo it
                with rolled_back():
                    response = client.open(url, method=method, data={})
            status = response.status_code
            allowed = _expected_allowed(declared, role)
            if status >= 500:
                failures.append(f"{method} {url} as {role}: {status}")
            elif allowed and status in (401, 403) and _object_check_admits(rule, method, role, world, values):
                failures.append(f"{method} {url} as {role}: {status}, expected access")
            elif not allowed and role == "anonymous" and not (
                    status == 302 and "/masuk" in response.headers.get("Location", "")):
                failures.append(f"{method} {url} as anonymous: {status}, expected redirect to sign-in")
            elif not allowed and role != "anonymous" and status != 403:
                failures.append(f"{method} {url} as {role}: {status}, expected 403")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ["pegawai", "admin_opd", "bkpsdm", "pimpinan", "superadmin"])
def test_navigation_shows_only_reachable_pages(app, world, login_as, role):
    """Each nav link a role sees opens for it, and nav hides what it may not open."""
    from portal.core.nav import nav_endpoints
    client = login_as(role)
    page = client.get("/").get_data(as_text=True)
    # the main menu, dropdowns included, ends where the account menu begins
    nav = page.split('id="mainnav"', 1)[1].split('<ul class="navbar-nav">', 1)[0]
    for href in [h for h in re.findall(r'href="([^"]+)"', nav) if h != "#"]:  # "#": a dropdown toggle
        assert client.get(href).status_code == 200, f"{role} sees a nav link to {href} it cannot open"
    with app.test_request_context():
        from flask import url_for
        hidden = [url_for(e) for e in nav_endpoints() if url_for(e) not in nav]
    for href in hidden:
        assert client.get(href).status_code == 403, f"{role} may open {href} but nav hides it"
