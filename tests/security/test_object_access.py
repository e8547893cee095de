"""Object-level access: every route with an object id, every object, every role.

Route declarations (``@allow``) are checked by the permission matrix with one sample object.
Here each route is tried with every object that exists and with an id that does not, and the
answer must follow the model predicates (``can_view``, ``can_edit``, ``manages_unit``,
``can_manage_accounts``…), not what the UI happens to show. Then the policy in plain terms:
a pegawai manages nobody, a supervisor sees the private data of their chain only, an admin OPD
stays inside their subtree, pimpinan reads everything and changes nothing, accounts are for the
superadmin, and a missing id is a 404 (never a 500) for everyone the route admits.
"""
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from portal.core.permissions import access_of
from portal.extensions import db
from tests.security.harness import (
    OUT_OF_RANGE,
    ROLES,
    all_ids,
    build_url,
    id_combinations,
    is_self_service,
    model_for_argument,
    object_routes,
    rolled_back,
    route_allows,
    routes,
    sample_values,
    table_counts,
)
from tests.security.object_rules import object_rule

# Objects tried per route: every employee, unit, position, account, grant and batch of the test
# world (it has fewer); for the long lists (audit entries) the first ones.
ENUMERATED = 15


def _expected(app, rule, method, user, objects, kind):
    """The status(es) a request must get, and why."""
    if not route_allows(app, rule.endpoint, user):
        return ("login",) if user is None else (403,), "route not allowed"
    if kind == "missing":
        return (404,), "object does not exist"
    if kind == "mismatch":
        return (403, 404), "objects do not belong together"
    if not object_rule(rule.endpoint, method)(user, objects):
        return (403,), "model predicate denies"
    return ("ok",), "model predicate allows"


def _to_login(response) -> bool:
    """A redirect to the sign-in page (/masuk), not to a page whose path merely starts alike."""
    return urlsplit(response.headers.get("Location", "")).path == "/masuk"


def _matches(response, expected, method):
    status = response.status_code
    if "login" in expected:
        return status == 302 and _to_login(response)
    if "ok" in expected:
        if status == 302:
            return not _to_login(response)
        return status in ((200,) if method == "GET" else (200, 303))
    return status in expected


def _request(client, url, method, recorder=None):
    if method == "GET":
        if recorder is None:
            return client.get(url)
        with recorder.recording() as writes:
            response = client.get(url)
        assert not writes, f"GET {url} wrote: {writes}"  # see test_get_is_safe.py
        return response
    with rolled_back():  # a POST that is allowed may change things: keep every case independent
        return client.open(url, method=method, data={})


@pytest.mark.parametrize("role", [None, *ROLES], ids=lambda r: r or "anonymous")
def test_object_access_follows_model_predicates(app, world, extra, clients, write_recorder, role):
    user = world.users[role] if role else None
    client = clients[role]
    failures, checked = [], 0
    others = sample_values(world)
    for rule, method, models in object_routes(app):
        # Every object where the route admits the role; where it does not, the route refuses
        # before loading anything, so one object and the missing ids show it.
        limit = ENUMERATED if route_allows(app, rule.endpoint, user) else 1
        for values, kind in id_combinations(models, limit=limit):
            objects = {a: db.session.get(models[a], v) for a, v in values.items()}
            response = _request(client, build_url(rule, {**others, **values}), method, write_recorder)
            expected, why = _expected(app, rule, method, user, objects, kind)
            checked += 1
            if response.status_code >= 500 or not _matches(response, expected, method):
                failures.append(f"{method} {build_url(rule, {**others, **values})} as {role or 'anonymous'}: "
                                f"{response.status_code}, expected {expected} ({why})")
    assert checked > 50
    assert not failures, "\n".join(failures)


def _has_private_data(response):
    return 'id="h-pribadi"' in response.get_data(as_text=True)


def test_supervisor_sees_private_data_of_own_chain_only(app, world, extra, clients):
    from portal.people.models import Employee
    client, me = clients["supervisor"], world.users["supervisor"]
    own_chain = {world.chief_a1.id, world.staff_a1.id, extra.grandchild.id}  # self, direct, indirect
    for employee in db.session.scalars(sa.select(Employee)):
        response = client.get(f"/pegawai/{employee.id}")
        assert response.status_code == 200
        assert employee.display_name in response.get_data(as_text=True)  # the directory facts
        expected = employee.id in own_chain
        assert employee.can_view_details(me) is expected, employee.name
        assert _has_private_data(response) is expected, (
            f"{employee.name}: private data {'missing' if expected else 'shown'} to the supervisor")
    # the boss and the peer are the cases that matter most
    assert not _has_private_data(client.get(f"/pegawai/{world.head_a.id}"))
    assert not _has_private_data(client.get(f"/pegawai/{extra.peer.id}"))


@pytest.mark.parametrize("role", ROLES)
def test_private_data_follows_can_view_details(app, world, extra, clients, role):
    """Every role, every employee: the private section and the placement notes are on the page
    exactly when ``Employee.can_view_details`` says so (the audit timeline included)."""
    from portal.people.models import Employee
    from tests.security.conftest import PRIVATE_NOTE
    client, user = clients[role], world.users[role]
    shown = 0
    for employee in db.session.scalars(sa.select(Employee)):
        page = client.get(f"/pegawai/{employee.id}")
        details = employee.can_view_details(user)
        assert page.status_code == 200 and _has_private_data(page) is details, (role, employee.name)
        if not details:
            assert PRIVATE_NOTE not in page.get_data(as_text=True), f"{role} reads the note of {employee.name}"
        elif employee.id == extra.peer.id:  # the control: those who may, do read it
            assert PRIVATE_NOTE in page.get_data(as_text=True)
        shown += details
    assert shown >= 1  # every role sees at least its own details


def test_pegawai_manages_nobody_and_sees_no_account_page(app, world, extra, clients):
    """Every route about a person or an account that is not self-service answers 403 to a
    pegawai (and to a supervisor, who is a pegawai), whoever the person is, themselves included."""
    from portal.auth.models import User
    from portal.people.models import Employee
    people = {"employee_id": all_ids(Employee), "user_id": all_ids(User)}
    tried = set()
    base = sample_values(world)
    for role in ("pegawai", "supervisor"):
        client = clients[role]
        for rule, method, models in object_routes(app):
            if is_self_service(access_of(rule.endpoint, app)) or not set(models) & set(people):
                continue
            for name in set(models) & set(people):
                for value in people[name]:
                    url = build_url(rule, {**base, name: value})
                    response = _request(client, url, method)
                    assert response.status_code == 403, f"{method} {url} as {role}: {response.status_code}"
                    tried.add(rule.endpoint)
    assert {"people.edit_employee", "people.transfer_employee", "people.change_supervisor",
            "accounts.show_account", "accounts.show_user"} <= tried


def test_admin_opd_stays_inside_their_subtree(app, world, extra, clients):
    from portal.people.models import Employee
    client = clients["admin_opd"]
    inside_units = {world.dinas_a.id, world.bidang_a1.id}
    for employee in db.session.scalars(sa.select(Employee)):
        inside = employee.org_unit_id in inside_units
        for action in ("ubah", "mutasi", "atasan"):
            url = f"/pegawai/{employee.id}/{action}"
            get, post = client.get(url), _request(client, url, "POST")
            if inside:
                assert get.status_code == 200 and post.status_code in (200, 302), (url, get.status_code)
            else:
                assert (get.status_code, post.status_code) == (403, 403), (url, employee.name)
    for unit in (world.root, world.dinas_a, world.bidang_a1, world.dinas_b):
        expected = 200 if unit.id in inside_units else 403
        assert client.get(f"/unit/{unit.id}/jabatan/baru").status_code == expected, unit.name
        assert _request(client, f"/unit/{unit.id}/jabatan/baru", "POST").status_code == expected, unit.name
        position = unit_position(unit)
        if position is not None:
            url = f"/unit/{unit.id}/jabatan/{position.id}/ubah"
            assert client.get(url).status_code == expected, url
            assert _request(client, url, "POST").status_code == expected, url


def unit_position(unit):
    from portal.people.models import Position
    return db.session.scalars(sa.select(Position).where(Position.org_unit_id == unit.id)).first()


def test_admin_opd_cannot_move_or_create_people_outside_their_subtree(app, world, extra, clients):
    from portal.people.models import Employee, EmployeeAssignment
    client = clients["admin_opd"]
    outside_position = world.staff_b.position
    before = table_counts()
    moved = client.post(f"/pegawai/{world.staff_a1.id}/mutasi", data={
        "org_unit": world.dinas_b.id, "position": outside_position.id, "start_date": "2024-01-02",
        "note": "keluar lingkup"})
    created = client.post("/pegawai/baru", data={
        "kind": "pns", "nip": "198504122010031999", "name": "Pegawai Luar", "gender": "L",
        "birth_date": "1985-04-12", "org_unit": world.dinas_b.id, "position": outside_position.id})
    assert moved.status_code in (200, 403) and created.status_code in (200, 403)
    db.session.expire_all()
    assert db.session.get(Employee, world.staff_a1.id).org_unit_id == world.bidang_a1.id
    assert db.session.scalar(sa.select(Employee).where(Employee.nip == "198504122010031999")) is None
    assert table_counts() == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EmployeeAssignment)
                             .where(EmployeeAssignment.org_unit_id == world.dinas_b.id,
                                    EmployeeAssignment.employee_id == world.staff_a1.id)) == 0


# What pimpinan decide themselves (SE MenPANRB 3/2023): each unit's organisational capaian.
PIMPINAN_WRITES = {"org_capaian.set_assessment"}


def test_pimpinan_reads_everything_and_changes_nothing(app, world, extra, clients):
    from portal.people.models import Employee, OrgUnit
    client = clients["pimpinan"]
    for employee in db.session.scalars(sa.select(Employee)):
        response = client.get(f"/pegawai/{employee.id}")
        assert response.status_code == 200 and _has_private_data(response), employee.name
    for unit in db.session.scalars(sa.select(OrgUnit)):
        assert client.get(f"/unit/{unit.id}").status_code == 200
    base = sample_values(world)
    before = table_counts()
    posted = 0
    for rule, _method in routes(app, {"POST"}):
        declared = access_of(rule.endpoint, app)
        if rule.endpoint in PIMPINAN_WRITES:
            continue
        assert "pimpinan" not in declared, f"{rule.rule} lets pimpinan change data"
        if is_self_service(declared):
            continue
        models = {a: m for a in rule.arguments if (m := model_for_argument(a))}
        cases = [base] + [{**base, **values} for values, _kind in id_combinations(models)]
        for values in cases:
            url = build_url(rule, values)
            response = client.post(url, data={})
            assert response.status_code == 403, f"POST {url} as pimpinan: {response.status_code}"
            posted += 1
    assert posted > 10
    assert table_counts() == before


def test_accounts_are_for_the_superadmin_only(app, world, extra, clients):
    account_routes = [(r, m) for r, m in routes(app) if r.endpoint.split(".")[0] == "accounts"]
    assert account_routes
    values = sample_values(world)
    for rule, method in account_routes:
        url = build_url(rule, values)
        for role in ROLES:
            response = _request(clients[role], url, method)
            if role == "superadmin":
                assert response.status_code in (200, 302), f"{method} {url}: {response.status_code}"
            else:
                assert response.status_code == 403, f"{method} {url} as {role}: {response.status_code}"


def test_import_batches_follow_their_predicate(app, world, extra, clients):
    """Only importers reach batches; between importers, a batch is visible to its creator and to
    whoever manages the whole instansi (today every importer does, so both see both)."""
    for batch in (extra.batch_bkpsdm, extra.batch_superadmin):
        for role in ROLES:
            user = world.users[role]
            response = clients[role].get(f"/impor/{batch.id}")
            if route_allows(app, "imports.show_import", user) and batch.can_view(user):
                assert response.status_code == 200 and batch.filename in response.get_data(as_text=True)
            else:
                assert response.status_code == 403, (role, batch.filename)


def test_out_of_range_ids_in_urls_are_404(app, world, extra, clients):
    """An id no database column can hold does not exist either: 404 for everyone the route admits."""
    failures = []
    base = sample_values(world)
    for rule, method, models in object_routes(app):
        for role in ROLES:
            if not route_allows(app, rule.endpoint, world.users[role]):
                continue
            for name in models:
                for value in OUT_OF_RANGE:
                    url = build_url(rule, {**base, name: value})
                    status = _request(clients[role], url, method).status_code
                    if status != 404:
                        failures.append(f"{method} {url} as {role}: {status}")
            break  # one admitted role per route is enough: the id is refused before any rule
    assert not failures, "\n".join(failures)
