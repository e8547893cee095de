"""Accounts and roles. Being a supervisor is not a role: it follows from people data."""
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from portal.core.models import TimestampMixin, TitledEnum, enum_column
from portal.extensions import db


class Role(TitledEnum):
    PEGAWAI = ("pegawai", _l("Pegawai"))
    ADMIN_OPD = ("admin_opd", _l("Admin OPD"))
    BKPSDM = ("bkpsdm", _l("BKPSDM"))
    PIMPINAN = ("pimpinan", _l("Pimpinan"))
    SUPERADMIN = ("superadmin", _l("Superadmin"))


# Roles granted explicitly; "pegawai" follows from having an employee record.
GRANTABLE_ROLES = [Role.ADMIN_OPD, Role.BKPSDM, Role.PIMPINAN, Role.SUPERADMIN]


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    employee_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("employee.id", ondelete="CASCADE"), unique=True)
    full_name: Mapped[str | None] = mapped_column(sa.String(200))
    password_hash: Mapped[str | None] = mapped_column(sa.String(256))
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    last_login_dt: Mapped[datetime | None] = mapped_column()
    # Bumped on password change so that other sessions of the account end.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    employee = relationship("Employee", back_populates="user", lazy="joined")
    roles = relationship("UserRole", back_populates="user", cascade="all, delete-orphan",
                         lazy="selectin")

    __table_args__ = (
        sa.CheckConstraint("username IS NOT NULL OR employee_id IS NOT NULL", name="has_identity"),
    )

    # Flask-Login
    def get_id(self):
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self):
        return self.active and (self.employee is None or self.employee.is_active)

    @property
    def display_name(self):
        if self.employee is not None:
            return self.employee.display_name
        return self.full_name or self.username or f"#{self.id}"

    @property
    def login_name(self):
        return self.employee.nip if self.employee is not None else self.username

    def set_password(self, password, *, temporary=False):
        method = current_app.config["PASSWORD_HASH_METHOD"]
        self.password_hash = generate_password_hash(password, method=method)
        self.must_change_password = temporary
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    # Roles
    def role_set(self) -> set[str]:
        roles = {r.role.value for r in self.roles}
        if self.employee_id is not None:
            roles.add(Role.PEGAWAI.value)
        return roles

    def has_role(self, role) -> bool:
        return str(getattr(role, "value", role)) in self.role_set()

    @property
    def role_titles(self) -> list:
        order = [r.value for r in Role]
        return [Role(v).title for v in sorted(self.role_set(), key=order.index)]

    @property
    def admin_units(self):
        return [r.org_unit for r in self.roles if r.role is Role.ADMIN_OPD and r.org_unit]

    @property
    def sees_whole_instansi(self) -> bool:
        return bool(self.role_set() & {Role.BKPSDM.value, Role.PIMPINAN.value, Role.SUPERADMIN.value})

    @property
    def manages_whole_instansi(self) -> bool:
        return bool(self.role_set() & {Role.BKPSDM.value, Role.SUPERADMIN.value})

    def manages_unit(self, unit) -> bool:
        """May this user administer people in ``unit`` (BKPSDM/superadmin, or admin OPD of an ancestor)?"""
        if unit is None:
            return self.manages_whole_instansi
        if self.manages_whole_instansi:
            return True
        return any(unit.is_within(scope) for scope in self.admin_units)

    def can_manage_accounts(self) -> bool:
        return self.has_role(Role.SUPERADMIN)


class AnonymousUser(AnonymousUserMixin):
    """The anonymous user: an object with no rights at all."""

    display_name = ""
    employee = None
    roles = ()
    admin_units = ()
    sees_whole_instansi = False
    manages_whole_instansi = False

    def role_set(self):
        return set()

    def has_role(self, role):
        return False

    def manages_unit(self, unit):
        return False

    def can_manage_accounts(self):
        return False


class UserRole(db.Model):
    __tablename__ = "user_role"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))
    org_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_unit.id", ondelete="CASCADE"))

    user = relationship(User, back_populates="roles")
    org_unit = relationship("OrgUnit", lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("user_id", "role", "org_unit_id", name="uq_user_role_scope"),
        # admin_opd is always scoped to a unit; the other roles never are.
        sa.CheckConstraint(
            "(role = 'admin_opd' AND org_unit_id IS NOT NULL) OR "
            "(role <> 'admin_opd' AND org_unit_id IS NULL)", name="scope_matches_role"),
        sa.CheckConstraint("role <> 'pegawai'", name="pegawai_is_implicit"),
    )
