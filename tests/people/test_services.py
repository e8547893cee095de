"""People services: identity checks, hierarchy rules, history on transfer, audit."""
from datetime import date

import pytest
import sqlalchemy as sa

from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.people import services
from portal.people.models import (
    AssignmentReason,
    Employee,
    EmployeeAssignment,
    EmployeeKind,
    Gender,
    OrgUnit,
    PositionGrade,
    PositionKind,
    UnitKind,
)
from tests.factories import make_nip


def _data(world, **overrides):
    position = world.staff_a1.position
    values = dict(nip=make_nip(birth=date(1990, 2, 3), gender="2"), kind=EmployeeKind.PNS, name="Rina Wati",
                  gender=Gender.FEMALE, birth_date=date(1990, 2, 3), org_unit=position.org_unit,
                  position=position, golongan="III/b")
    values.update(overrides)
    return services.EmployeeData(**values)


def test_create_employee_records_history_and_audit(world):
    employee = services.create_employee(_data(world, supervisor=world.chief_a1))
    assert employee.assignments[0].reason is AssignmentReason.INITIAL
    assert employee.assignments[0].supervisor_id == world.chief_a1.id
    assert db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.object_type == "Employee", AuditEntry.object_id == employee.id)).action == "create"


@pytest.mark.parametrize("overrides, field, fragment", [
    ({"birth_date": date(1990, 2, 4)}, "birth_date", "tidak sesuai dengan NIP"),
    ({"gender": Gender.MALE}, "gender", "Jenis kelamin"),
    ({"nip": "19900203"}, "nip", "18 angka"),
    ({"golongan": "IX"}, "golongan", "tidak berlaku"),
])
def test_identity_must_agree_with_nip(world, overrides, field, fragment):
    with pytest.raises(services.PeopleError) as err:
        services.create_employee(_data(world, **overrides))
    assert err.value.field == field and fragment in str(err.value)


def test_duplicate_nip_refused(world):
    data = _data(world, nip=world.staff_b.nip, birth_date=world.staff_b.birth_date, gender=world.staff_b.gender)
    with pytest.raises(services.PeopleError, match="sudah terdaftar"):
        services.create_employee(data)


def test_position_must_belong_to_unit(world):
    with pytest.raises(services.PeopleError, match="Jabatan harus berada"):
        services.create_employee(_data(world, org_unit=world.dinas_b))


def test_supervisor_cycle_and_self_refused(world):
    with pytest.raises(services.PeopleError, match="melingkar"):
        services.change_supervisor(world.head_a, world.staff_a1, date.today())
    with pytest.raises(services.PeopleError, match="sendiri"):
        services.change_supervisor(world.staff_a1, world.staff_a1, date.today())


def test_transfer_keeps_history(world, factory):
    target = factory.position(world.dinas_b, "Analis Kebijakan Ahli Pertama",
                              PositionKind.FUNGSIONAL_KEAHLIAN, grade=PositionGrade.AHLI_PERTAMA)
    employee = world.staff_a1
    first_start = employee.assignments[0].start_date
    services.transfer_employee(employee, org_unit=world.dinas_b, position=target, supervisor=None,
                               start_date=first_start, note="SK 800/12/2026")
    rows = db.session.scalars(sa.select(EmployeeAssignment).where(
        EmployeeAssignment.employee_id == employee.id).order_by(EmployeeAssignment.id)).all()
    assert len(rows) == 2
    assert rows[0].org_unit_id == world.bidang_a1.id and rows[0].end_date == first_start
    assert rows[1].org_unit_id == world.dinas_b.id and rows[1].end_date is None
    assert rows[1].reason is AssignmentReason.TRANSFER and rows[1].note == "SK 800/12/2026"
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "mutasi"))
    assert entry.changes["org_unit_id"] == [world.bidang_a1.id, world.dinas_b.id]


def test_transfer_before_current_start_refused(world):
    with pytest.raises(services.PeopleError, match="sebelum"):
        services.transfer_employee(world.staff_a1, org_unit=world.dinas_b,
                                   position=world.staff_b.position, supervisor=None,
                                   start_date=date(2000, 1, 1))


def test_moving_a_unit_rewrites_subtree_paths(world, factory):
    seksi = factory.unit("Seksi Data", UnitKind.SUBBAGIAN, world.bidang_a1)
    services.update_unit(world.bidang_a1, name="Bidang Alpha Satu", kind=UnitKind.BIDANG, parent=world.dinas_b)
    seksi = db.session.get(OrgUnit, seksi.id)
    bidang = db.session.get(OrgUnit, world.bidang_a1.id)
    assert bidang.path == f"{world.dinas_b.path}{bidang.id}/"
    assert seksi.path == f"{bidang.path}{seksi.id}/" and seksi.depth == bidang.depth + 1
    assert seksi.is_within(db.session.get(OrgUnit, world.dinas_b.id))
    with pytest.raises(services.PeopleError, match="bawah dirinya"):
        services.update_unit(world.dinas_b, name="Dinas Beta", kind=UnitKind.DINAS, parent=seksi)


def test_duplicate_unit_name_under_same_parent_refused(world):
    with pytest.raises(services.PeopleError, match="Sudah ada unit"):
        services.create_unit("dinas alpha", UnitKind.DINAS, world.root)


def test_grade_must_fit_position_kind(world):
    with pytest.raises(services.PeopleError, match="Jenjang"):
        services.create_position("Guru", PositionKind.FUNGSIONAL_KEAHLIAN, world.dinas_a, grade=None)
    with pytest.raises(services.PeopleError, match="Jenjang"):
        services.create_position("Pengadministrasi", PositionKind.PELAKSANA, world.dinas_a,
                                 grade=PositionGrade.MAHIR)


def test_directory_query_filters(world):
    def names(**kw):
        return {e.name for e in db.session.scalars(services.employee_query(**kw))}
    assert "Staf Alpha" in names(unit=world.dinas_a)          # subtree included
    assert "Staf Beta" not in names(unit=world.dinas_a)
    assert names(q="staf") >= {"Staf Alpha", "Staf Beta"}
    assert names(q=world.staff_b.nip[:12]) >= {"Staf Beta"}
    assert names(golongan="II/c") == {"Staf Beta"}
    assert "Kepala Alpha" in names(position_kind="jpt_pratama")


def test_permission_predicates(world):
    users = world.users
    assert world.staff_a1.can_view_details(users["pegawai"])          # self
    assert world.staff_a1.can_view_details(users["supervisor"])       # supervisor
    assert not world.chief_a1.can_view_details(users["pegawai"])      # not one's boss's details
    assert world.staff_a1.can_edit(users["admin_opd"])                # in subtree
    assert not world.staff_b.can_edit(users["admin_opd"])             # other OPD
    assert not world.staff_b.can_edit(users["pimpinan"])              # read-only
    assert world.staff_b.can_view_details(users["pimpinan"])
    assert world.staff_b.can_edit(users["bkpsdm"])


def test_database_refuses_self_supervision(world):
    if db.engine.dialect.name == "mysql":
        pytest.skip("MariaDB does not allow this CHECK on an AUTO_INCREMENT column; the service guards it")
    employee = db.session.get(Employee, world.staff_b.id)
    with pytest.raises(sa.exc.IntegrityError):
        with db.session.begin_nested():
            db.session.execute(sa.update(Employee).where(Employee.id == employee.id)
                               .values(supervisor_id=employee.id))
