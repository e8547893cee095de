"""Sign-in, passwords and role grants. Services flush; callers commit."""
import secrets
import string

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from portal.auth.models import Role, User, UserRole
from portal.core import audit
from portal.core.models import utcnow
from portal.extensions import db
from portal.people.models import Employee
from portal.people.rules import normalise_nip

OTP_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")


MIN_PASSWORD = 10


def password_problem(password: str) -> str | None:
    """Why a new password is too weak (length; not only digits or only lower-case letters), or None."""
    if len(password or "") < MIN_PASSWORD:
        return _("Kata sandi paling sedikit %(min)d karakter.", min=MIN_PASSWORD)
    if password.isdigit() or (password.isalpha() and password.lower() == password):
        return _("Kata sandi harus memuat campuran huruf besar/kecil, angka atau simbol.")
    return None


class AccountError(ValueError):
    """A request about accounts that cannot be honoured; the message is for the user."""


def find_user_for_login(login: str) -> User | None:
    """Look a user up by NIP (digits, spaces allowed) or by username."""
    login = (login or "").strip()
    digits = normalise_nip(login)
    if digits.isdigit() and len(digits) == 18:
        return db.session.execute(
            db.select(User).join(Employee, User.employee_id == Employee.id)
            .where(Employee.nip == digits)).scalar_one_or_none()
    return db.session.execute(
        db.select(User).where(User.username == login.lower())).scalar_one_or_none()


_dummy_hashes: dict[str, str] = {}


def _spend_hash_time(password: str):
    """Hash anyway for unknown logins, so response time does not reveal which logins exist."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _dummy_hashes:
        _dummy_hashes[method] = generate_password_hash(secrets.token_hex(8), method=method)
    check_password_hash(_dummy_hashes[method], password)


def authenticate(login: str, password: str) -> User | None:
    """Return the user when the credentials are right and the account may sign in."""
    user = find_user_for_login(login)
    if user is None:
        _spend_hash_time(password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    user.last_login_dt = utcnow()
    audit.record("login", user, actor=user, summary="masuk")
    return user


def change_password(user: User, current: str, new: str):
    if not user.check_password(current):
        raise AccountError(_("Kata sandi saat ini salah."))
    if current == new:
        raise AccountError(_("Kata sandi baru harus berbeda dari yang lama."))
    user.set_password(new)
    audit.record("change_password", user, actor=user, summary="ganti kata sandi")


def generate_one_time_password(length=12) -> str:
    return "".join(secrets.choice(OTP_ALPHABET) for _ in range(length))


def account_for(employee: Employee) -> User:
    """The employee's account, created (without a password) when it does not exist yet."""
    if employee.user is not None:
        return employee.user
    user = User(employee=employee)
    db.session.add(user)
    db.session.flush()
    audit.record("create_account", user, summary=employee.nip)
    return user


def reset_password(user: User) -> str:
    """Issue a one-time password that must be changed at the next sign-in."""
    otp = generate_one_time_password()
    user.set_password(otp, temporary=True)
    audit.record("reset_password", user, summary="kata sandi sekali pakai diterbitkan")
    return otp


def grant_role(user: User, role: Role, org_unit=None) -> UserRole:
    if role is Role.PEGAWAI:
        raise AccountError(_("Peran pegawai melekat pada setiap ASN dan tidak perlu diberikan."))
    if role is Role.ADMIN_OPD and org_unit is None:
        raise AccountError(_("Admin OPD harus dibatasi pada satu unit kerja."))
    if role is not Role.ADMIN_OPD:
        org_unit = None
    for existing in user.roles:
        if existing.role is role and existing.org_unit_id == (org_unit.id if org_unit else None):
            raise AccountError(_("Akun ini sudah memiliki peran tersebut."))
    grant = UserRole(user=user, role=role, org_unit=org_unit)
    db.session.add(grant)
    db.session.flush()
    audit.record("grant_role", user, to_state=role.value,
                 changes={"org_unit_id": [None, org_unit.id if org_unit else None]},
                 summary=f"{role.value}{' ' + org_unit.name if org_unit else ''}")
    return grant


def revoke_role(grant: UserRole, by: User):
    if grant.user_id == by.id and grant.role is Role.SUPERADMIN:
        # Only accounts that can still sign in count as another superadmin.
        remaining = db.session.scalar(
            db.select(db.func.count()).select_from(UserRole).join(User, UserRole.user_id == User.id)
            .where(UserRole.role == Role.SUPERADMIN, UserRole.id != grant.id, User.active))
        if not remaining:
            raise AccountError(_("Superadmin terakhir tidak dapat mencabut perannya sendiri."))
    audit.record("revoke_role", grant.user, from_state=grant.role.value,
                 changes={"org_unit_id": [grant.org_unit_id, None]},
                 summary=grant.role.value)
    db.session.delete(grant)
    db.session.flush()


def set_account_active(user: User, active: bool):
    if user.active == active:
        return
    audit.record("activate_account" if active else "deactivate_account", user,
                 from_state=str(user.active), to_state=str(active))
    user.active = active
    if not active:
        user.session_version = (user.session_version or 0) + 1  # end open sessions


def create_admin_user(username: str, full_name: str, password: str, roles=(Role.SUPERADMIN,)) -> User:
    """An account for a non-ASN administrator (signs in with a username)."""
    username = username.strip().lower()
    if not username or normalise_nip(username).isdigit():
        raise AccountError(_("Nama pengguna harus memuat huruf."))
    if db.session.scalar(db.select(User).where(User.username == username)):
        raise AccountError(_("Nama pengguna sudah dipakai."))
    user = User(username=username, full_name=full_name)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("create_account", user, summary=username)
    for role in roles:
        grant_role(user, role)
    return user
