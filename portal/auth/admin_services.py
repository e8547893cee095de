"""Account administration on top of ``auth.services``: queries and the superadmin guard rails.

Services check, change, audit and flush; callers commit.
"""
import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from portal.auth import services as auth_services
from portal.auth.models import Role, User, UserRole
from portal.auth.services import AccountError
from portal.extensions import db
from portal.notifications import services as notifications
from portal.people.models import Employee, OrgUnit
from portal.people.rules import normalise_nip


# ---------------------------------------------------------------- queries
def _text_filter(q):
    """(digits, lowered text) of a search box: digits search NIPs by prefix."""
    text = " ".join((q or "").split())
    digits = normalise_nip(text)
    return (digits if digits.isdigit() else None), text.lower()


def account_query(*, q=None, role: Role | None = None):
    """Accounts, searchable by name, NIP or username and filterable by granted role."""
    stmt = sa.select(User).outerjoin(Employee, User.employee_id == Employee.id)
    if q:
        digits, text = _text_filter(q)
        if digits:
            stmt = stmt.where(Employee.nip.like(f"{digits}%"))
        else:
            stmt = stmt.where(sa.or_(
                sa.func.lower(Employee.name).contains(text, autoescape=True),
                sa.func.lower(User.full_name).contains(text, autoescape=True),
                User.username.contains(text, autoescape=True)))
    if role is not None:
        stmt = stmt.where(User.roles.any(UserRole.role == role))
    name = sa.func.lower(sa.func.coalesce(Employee.name, User.full_name, User.username))
    return stmt.order_by(name, User.id)


def employees_without_account_query(*, q=None):
    """Active employees that have no account yet (accounts are created on demand)."""
    stmt = (sa.select(Employee).outerjoin(User, User.employee_id == Employee.id)
            .where(User.id.is_(None), Employee.is_active)
            .options(joinedload(Employee.org_unit), joinedload(Employee.position)))
    if q:
        digits, text = _text_filter(q)
        if digits:
            stmt = stmt.where(Employee.nip.like(f"{digits}%"))
        else:
            stmt = stmt.where(sa.func.lower(Employee.name).contains(text, autoescape=True))
    return stmt.order_by(Employee.name, Employee.id)


def _other_active_superadmins(user: User) -> int:
    """Superadmins other than ``user`` who can still sign in."""
    return db.session.scalar(
        sa.select(sa.func.count(sa.distinct(User.id))).select_from(User)
        .join(UserRole, UserRole.user_id == User.id)
        .outerjoin(Employee, User.employee_id == Employee.id)
        .where(UserRole.role == Role.SUPERADMIN, User.id != user.id, User.active,
               sa.or_(User.employee_id.is_(None), Employee.is_active)))


# ---------------------------------------------------------------- changes
def issue_password(user: User, by: User) -> str:
    """A new one-time password for ``user``. Raises AccountError for one's own account."""
    if user.id == by.id:
        raise AccountError(_("Untuk akun Anda sendiri gunakan menu Ganti kata sandi."))
    otp = auth_services.reset_password(user)
    # In-app only, and never the password itself.
    notifications.notify(user, "account.password_issued", obj=user,
                         body=_l("Bila Anda tidak memintanya, segera hubungi superadmin."))
    return otp


def issue_employee_password(employee: Employee, by: User) -> tuple[User, str]:
    """The employee's account (created when missing) and a one-time password for it."""
    if not employee.is_active:
        raise AccountError(_("Pegawai ini tidak aktif; akunnya tidak dapat dipakai untuk masuk."))
    user = auth_services.account_for(employee)
    return user, issue_password(user, by)


def grant(user: User, role: Role, org_unit: OrgUnit | None = None):
    """Grant a role (admin OPD needs an active unit). Raises AccountError."""
    if org_unit is not None and not org_unit.is_active:
        raise AccountError(_("Unit %(name)s tidak aktif.", name=org_unit.name))
    given = auth_services.grant_role(user, role, org_unit)
    notifications.notify(user, "account.role_granted", title_args={"role": role.title}, obj=user,
                         body=_l("Cakupan: %(unit)s beserta seluruh sub-unitnya.", unit=given.org_unit.name)
                         if given.org_unit is not None else None)
    return given


def revoke(grant: UserRole, by: User):
    """Revoke a grant; the instansi always keeps one superadmin who can sign in."""
    if grant.role is Role.SUPERADMIN and not _other_active_superadmins(grant.user):
        raise AccountError(_("Ini superadmin aktif terakhir: berikan peran superadmin kepada akun "
                             "lain lebih dulu."))
    user, role, unit = grant.user, grant.role, grant.org_unit
    auth_services.revoke_role(grant, by)
    notifications.notify(user, "account.role_revoked", title_args={"role": role.title}, obj=user,
                         body=_l("Cakupan: %(unit)s.", unit=unit.name) if unit is not None else None)


def set_active(user: User, active: bool, by: User):
    """Activate or deactivate an account. Raises AccountError for oneself or the last superadmin."""
    if not active and user.id == by.id:
        raise AccountError(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    if not active and user.has_role(Role.SUPERADMIN) and not _other_active_superadmins(user):
        raise AccountError(_("Superadmin aktif terakhir tidak dapat dinonaktifkan."))
    auth_services.set_account_active(user, active)


def create_administrator(username: str, full_name: str, roles, org_unit: OrgUnit | None = None):
    """A non-ASN administrator account with a one-time password: returns (user, password).

    Raises AccountError (username taken or invalid, admin OPD without a unit).
    """
    roles = list(roles)
    if not roles:
        raise AccountError(_("Pilih paling sedikit satu peran."))
    if Role.ADMIN_OPD in roles and org_unit is None:
        raise AccountError(_("Admin OPD harus dibatasi pada satu unit kerja."))
    otp = auth_services.generate_one_time_password()
    # admin_opd needs its unit, which create_admin_user does not take: grant it afterwards.
    user = auth_services.create_admin_user(
        username, " ".join((full_name or "").split()), otp,
        roles=[r for r in roles if r is not Role.ADMIN_OPD])
    user.must_change_password = True
    if Role.ADMIN_OPD in roles:
        grant(user, Role.ADMIN_OPD, org_unit)
    db.session.flush()
    return user, otp
