"""Demo and scale seeds: valid identities, a complete hierarchy, the demo accounts, the non-empty rule."""
import random

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from portal.auth import services as auth_services
from portal.auth.models import Role, User
from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.people import rules, seeding
from portal.people.models import (
    Employee,
    EmployeeAssignment,
    EmployeeKind,
    OrgUnit,
    Position,
    PositionKind,
    UnitKind,
    grade_fits,
)
from tests.conftest import count_rows

GOLONGAN_BY_KIND = {
    PositionKind.JPT_PRATAMA: {"IV/c", "IV/d"},
    PositionKind.ADMINISTRATOR: {"IV/a", "IV/b"},
    PositionKind.PENGAWAS: {"III/c", "III/d"},
    PositionKind.PELAKSANA: {"II/a", "II/b", "II/c", "II/d", "III/a", "III/b"},
    PositionKind.FUNGSIONAL_KEAHLIAN: {"III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b"},
    PositionKind.FUNGSIONAL_KETERAMPILAN: {"II/a", "II/b", "II/c", "II/d", "III/a", "III/b"},
}


@pytest.fixture
def demo(app):
    return seeding.build_demo()


def _employees():
    return db.session.scalars(sa.select(Employee).options(
        joinedload(Employee.position), joinedload(Employee.org_unit))).unique().all()


def _counts():
    return {model: count_rows(model) for model in (OrgUnit, Position, Employee, EmployeeAssignment, User,
                                                    AuditEntry)}


def assert_complete_hierarchy(employees):
    """Exactly one top (the Sekretaris Daerah); every chain reaches it without a cycle."""
    supervisor_of = {e.id: e.supervisor_id for e in employees}
    tops = [e for e in employees if e.supervisor_id is None]
    assert len(tops) == 1 and tops[0].position.name == "Sekretaris Daerah"
    for employee_id in supervisor_of:
        seen, current = set(), employee_id
        while supervisor_of[current] is not None:
            assert current not in seen, "cycle in the supervisor hierarchy"
            seen.add(current)
            current = supervisor_of[current]
        assert current == tops[0].id


def assert_heads_supervise_their_units(employees):
    heads = {e.org_unit_id: e for e in employees if e.position.is_head}
    units = {u.id: u for u in db.session.scalars(sa.select(OrgUnit))}
    assert set(heads) == {u.id for u in units.values() if u.parent_id is not None}, "one head per unit"
    for e in employees:
        if not e.position.is_head:
            assert e.supervisor_id == heads[e.org_unit_id].id
        elif e.supervisor_id is not None:
            parent = units[e.org_unit_id].parent_id
            expected = heads.get(parent) or next(h for h in heads.values() if h.supervisor_id is None)
            assert e.supervisor_id == expected.id


def test_demo_is_a_kabupaten_of_about_300_valid_employees(demo):
    employees = _employees()
    assert 280 <= len(employees) <= 320 and demo.employees == len(employees)
    pppk = [e for e in employees if e.kind is EmployeeKind.PPPK]
    assert 0.12 <= len(pppk) / len(employees) <= 0.18
    assert len({e.nip for e in employees}) == len(employees)
    for e in employees:
        parsed = rules.parse_identity(e.nip, e.kind.value)
        assert (parsed.birth_date, parsed.gender) == (e.birth_date, e.gender.value)
        assert grade_fits(e.position.kind, e.position.grade)
        assert e.position.org_unit_id == e.org_unit_id
        if e.kind is EmployeeKind.PNS:
            assert e.tmt_date == parsed.tmt_date and e.civil_status is not None
            assert e.golongan in GOLONGAN_BY_KIND[e.position.kind], (e.position.name, e.golongan)
        else:
            assert e.golongan in rules.GOLONGAN_PPPK and e.golongan not in rules.GOLONGAN_PNS
            assert e.civil_status is None and not e.position.is_head
        assert e.email.endswith("@contohkab.go.id") and e.phone.startswith("08")
    assert any(e.gelar_depan for e in employees) and any(e.gelar_belakang for e in employees)
    assert {e.position.name for e in employees} >= {"Guru Ahli Pertama", "Perawat Terampil", "Dokter Ahli Muda",
                                                    "Analis Kepegawaian Ahli Muda"}
    assert count_rows(EmployeeAssignment) == len(employees)


def test_demo_hierarchy_is_complete_and_follows_the_tree(demo):
    employees = _employees()
    assert_complete_hierarchy(employees)
    assert_heads_supervise_their_units(employees)


def test_demo_has_the_required_units(demo):
    units = db.session.scalars(sa.select(OrgUnit)).all()
    by_name = {u.name: u for u in units}
    root = by_name["Pemerintah Kabupaten Contoh"]
    assert root.kind is UnitKind.INSTANSI and root.parent_id is None
    for name, kind in [("Sekretariat Daerah", UnitKind.SETDA), ("Sekretariat DPRD", UnitKind.SETWAN),
                       ("Inspektorat", UnitKind.INSPEKTORAT),
                       ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", UnitKind.BADAN),
                       ("Dinas Kesehatan", UnitKind.DINAS), ("Dinas Pendidikan dan Kebudayaan", UnitKind.DINAS),
                       ("Dinas Lingkungan Hidup", UnitKind.DINAS),
                       ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", UnitKind.DINAS)]:
        assert by_name[name].kind is kind and by_name[name].parent_id == root.id
    dinkes = by_name["Dinas Kesehatan"]
    puskesmas = [u for u in units if u.parent_id == dinkes.id and u.kind is UnitKind.UPT]
    assert len(puskesmas) == 2 and all(u.name.startswith("UPT Puskesmas") for u in puskesmas)
    disdik = by_name["Dinas Pendidikan dan Kebudayaan"]
    schools = [u.name for u in units if u.parent_id == disdik.id and u.kind is UnitKind.UPT]
    assert any(n.startswith("SD Negeri") for n in schools) and any(n.startswith("SMP Negeri") for n in schools)
    assert "Bidang Kebersihan dan Pertamanan" in by_name
    kecamatan = [u for u in units if u.kind is UnitKind.KECAMATAN]
    assert len(kecamatan) == 1
    assert 3 <= sum(1 for u in units if u.parent_id == kecamatan[0].id and u.kind is UnitKind.KELURAHAN) <= 4
    for unit in units:  # materialised paths agree with the tree
        parent = next((u for u in units if u.id == unit.parent_id), None)
        assert unit.path == f"{parent.path if parent else '/'}{unit.id}/"
        assert unit.depth == (parent.depth + 1 if parent else 0)


def test_demo_accounts_sign_in_with_their_roles(demo):
    accounts = {a.login: a for a in demo.accounts}
    assert len(accounts) == 6
    expected = {
        "superadmin": {Role.SUPERADMIN.value},
        "196903141994031002": {"pegawai", Role.PIMPINAN.value},
        "198509172010012004": {"pegawai", Role.BKPSDM.value},
        "199102232015032001": {"pegawai", Role.ADMIN_OPD.value},
        "198206052009121003": {"pegawai"},
        "199608112020032005": {"pegawai"},
    }
    assert set(accounts) == set(expected)
    for login, roles in expected.items():
        user = auth_services.authenticate(login, seeding.DEMO_PASSWORD)
        assert user is not None, login
        assert user.role_set() == roles and not user.must_change_password
    admin = auth_services.find_user_for_login("199102232015032001")
    assert [u.name for u in admin.admin_units] == ["Dinas Kesehatan"]
    assert admin.employee.org_unit.is_within(admin.admin_units[0])
    sekda = auth_services.find_user_for_login("196903141994031002").employee
    assert sekda.supervisor is None and sekda.position.name == "Sekretaris Daerah"
    head = auth_services.find_user_for_login("198206052009121003").employee
    staff = auth_services.find_user_for_login("199608112020032005").employee
    assert head.position.is_head and head.org_unit.name.startswith("UPT Puskesmas")
    assert staff.supervisor_id == head.id and len(head.subordinates) > 5
    bkpsdm = auth_services.find_user_for_login("198509172010012004").employee
    assert bkpsdm.org_unit.parent.name == "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"
    # One audit entry for the data, plus those of the account services.
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert actions.count("seed") == 1 and "create" not in actions


def test_demo_is_deterministic():
    first = seeding.plan_people(seeding.kabupaten_plan("X", seeding.DEMO_DIMENSIONS, random.Random(1)), None, 7)
    second = seeding.plan_people(seeding.kabupaten_plan("X", seeding.DEMO_DIMENSIONS, random.Random(1)), None, 7)
    assert [s.person["nip"] for s in first] == [s.person["nip"] for s in second]
    assert [s.person["name"] for s in first] == [s.person["name"] for s in second]


def test_seed_demo_on_a_non_empty_database_changes_nothing(app, demo):
    before = _counts()
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0
    assert "Basis data sudah berisi data; seed demo dilewati. Gunakan --reset untuk mengosongkan." in result.output
    assert _counts() == before
    with pytest.raises(seeding.SeedError):
        seeding.build_demo()


def test_seed_demo_command_builds_and_prints_the_accounts(app):
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    assert "196903141994031002" in result.output and seeding.DEMO_PASSWORD in result.output
    assert 280 <= count_rows(Employee) <= 320


def test_seed_demo_reset_rebuilds(app, demo):
    root_id = db.session.scalar(sa.select(OrgUnit.id).where(OrgUnit.parent_id.is_(None)))
    db.session.add(OrgUnit(name="Unit Tambahan", kind=UnitKind.LAINNYA, parent_id=root_id, depth=1))
    db.session.flush()
    result = app.test_cli_runner().invoke(args=["seed", "demo", "--reset"])
    assert result.exit_code == 0, result.output
    assert count_rows(Employee) == demo.employees and count_rows(OrgUnit) == demo.units
    assert db.session.scalar(sa.select(OrgUnit).where(OrgUnit.name == "Unit Tambahan")) is None
    assert db.session.scalars(sa.select(AuditEntry.action)).all().count("seed") == 1
    assert auth_services.authenticate("superadmin", seeding.DEMO_PASSWORD) is not None


def test_build_scale_small_run(app):
    result = seeding.build_scale(300)
    employees = _employees()
    assert len(employees) == result.employees == 300
    assert count_rows(EmployeeAssignment) == 300
    assert_complete_hierarchy(employees)
    assert_heads_supervise_their_units(employees)
    for e in employees:
        rules.parse_identity(e.nip, e.kind.value)
    for login in ("superadmin", "196903141994031002", "199608112020032005"):
        assert auth_services.authenticate(login, seeding.DEMO_PASSWORD) is not None


def test_seed_scale_command_skips_a_non_empty_database(app, demo):
    before = _counts()
    result = app.test_cli_runner().invoke(args=["seed", "scale", "--employees", "500"])
    assert result.exit_code == 0 and "dilewati" in result.output
    assert _counts() == before


def test_scale_refuses_too_few_employees(app):
    with pytest.raises(seeding.SeedError):
        seeding.build_scale(50)
    assert app.test_cli_runner().invoke(args=["seed", "scale", "--employees", "50"]).exit_code == 2


def test_scale_plan_for_12000_is_valid_without_writing():
    dims = seeding.dimensions_for(12000)
    root = seeding.kabupaten_plan("X", dims, random.Random(seeding.SCALE_SEED))
    opds = root.children
    assert 35 <= len(opds) <= 50
    slots = seeding.plan_people(root, 12000, seeding.SCALE_SEED)
    assert len(slots) == 12000
    assert len({s.person["nip"] for s in slots}) == 12000
    seeding.staffing._check(slots, root)
    assert sum(1 for s in slots if s.supervisor is None) == 1
    pppk = sum(1 for s in slots if s.person["kind"] is EmployeeKind.PPPK)
    assert pppk == round(0.15 * 12000)
