"""Factories for test data: valid NIPs, units, positions, employees and accounts."""
import itertools
from datetime import date

from portal.auth import services as auth_services
from portal.auth.models import Role, User
from portal.extensions import db
from portal.people import services
from portal.people.models import CivilStatus, EmployeeKind, Gender, OrgUnit, PositionKind, UnitKind

PASSWORD = "Rahasia-Uji-123"
_serial = itertools.count(1)


def make_nip(birth=date(1985, 4, 12), tmt=(2010, 3), gender="1", serial=None) -> str:
    serial = next(_serial) if serial is None else serial
    # 1..999 in a cycle: `serial % 1000 or 1` gave 1 for both 1000 and 1001, so the test that
    # happened to straddle that point made two employees with one NIP.
    return f"{birth:%Y%m%d}{tmt[0]:04d}{tmt[1]:02d}{gender}{(serial - 1) % 999 + 1:03d}"


class Factory:
    """Creates objects through the real services (so they are valid and audited)."""

    def __init__(self):
        self.root = None

    def unit(self, name, kind=UnitKind.DINAS, parent=None) -> OrgUnit:
        if parent is None and kind is not UnitKind.INSTANSI:
            parent = self.instansi()
        return services.create_unit(name, kind, parent)

    def instansi(self) -> OrgUnit:
        if self.root is None:
            self.root = services.instansi_root() or services.create_unit(
                "Pemerintah Kabupaten Uji", UnitKind.INSTANSI, None)
        return self.root

    def position(self, unit, name=None, kind=PositionKind.PELAKSANA, grade=None, is_head=False):
        name = name or f"Jabatan {next(_serial)}"
        return services.create_position(name, kind, unit, grade=grade, is_head=is_head)

    def employee(self, unit=None, position=None, supervisor=None, name=None, gender="1",
                 birth=date(1985, 4, 12), golongan="III/a", **extra):
        unit = unit or (position.org_unit if position else self.unit(f"Unit {next(_serial)}"))
        position = position or self.position(unit)
        nip = make_nip(birth=birth, gender=gender)
        data = services.EmployeeData(
            nip=nip, kind=EmployeeKind.PNS, name=name or f"Pegawai {nip[-3:]}",
            gender=Gender.MALE if gender == "1" else Gender.FEMALE, birth_date=birth,
            org_unit=unit, position=position, supervisor=supervisor, golongan=golongan,
            civil_status=CivilStatus.PNS, **extra)
        return services.create_employee(data)

    def user(self, employee=None, roles=(), username=None, scope=None, password=PASSWORD) -> User:
        if employee is not None:
            user = auth_services.account_for(employee)
        else:
            user = User(username=username or f"admin{next(_serial)}", full_name="Admin Uji")
            db.session.add(user)
            db.session.flush()
        user.set_password(password)
        for role in roles:
            auth_services.grant_role(user, Role(role), scope if Role(role) is Role.ADMIN_OPD else None)
        db.session.flush()
        return user
