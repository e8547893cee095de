"""flask users …: administrator accounts, one-time passwords and role grants from the shell."""

import click
import sqlalchemy as sa
from flask.cli import AppGroup
from flask_babel import gettext as _

from portal.auth import services
from portal.auth.models import GRANTABLE_ROLES, Role, User
from portal.extensions import db
from portal.people.models import Employee, OrgUnit
from portal.people.rules import normalise_nip

users_cli = AppGroup("users", help="Akun pengguna.")






def _account(login: str) -> User:
    """The account for a NIP or username; an ASN without an account yet gets one (without a password)."""
    user = services.find_user_for_login(login)
    if user is not None:
        return user
    digits = normalise_nip(login)
    employee = None
    if digits.isdigit():
        employee = db.session.scalar(sa.select(Employee).where(Employee.nip == digits))
    if employee is None:
        raise click.ClickException(_("Tidak ada akun atau pegawai dengan login %(login)s.", login=login))
    return services.account_for(employee)


@users_cli.command("create-admin")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Nama lengkap administrator.")
@click.option("--password", prompt="Kata sandi", hide_input=True, confirmation_prompt="Ulangi kata sandi",
              help="Kata sandi (ditanyakan bila tidak diberikan).")
def create_admin(username, full_name, password):
    """Buat akun superadmin (bukan ASN) yang masuk dengan nama pengguna."""
    problem = services.password_problem(password)
    if problem:
        raise click.ClickException(problem)
    try:
        user = services.create_admin_user(username, full_name, password)
    except services.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(_("Akun superadmin %(username)s dibuat.", username=user.username))


@users_cli.command("reset-password")
@click.argument("login")
def reset_password(login):
    """Terbitkan kata sandi sekali pakai untuk LOGIN (NIP atau nama pengguna)."""
    user = _account(login)
    otp = services.reset_password(user)
    db.session.commit()
    click.echo(_("Kata sandi sekali pakai untuk %(name)s (%(login)s): %(otp)s",
                 name=user.display_name, login=user.login_name, otp=otp))
    click.echo(_("Kata sandi ini wajib diganti saat masuk berikutnya."))
    if not user.is_active:
        click.echo(_("Perhatian: akun ini nonaktif dan belum dapat dipakai untuk masuk."))


@users_cli.command("grant")
@click.argument("login")
@click.argument("role", type=click.Choice([r.value for r in GRANTABLE_ROLES]))
@click.option("--unit", "unit_id", type=int, help="ID unit kerja (wajib untuk admin_opd).")
def grant(login, role, unit_id):
    """Berikan peran ROLE kepada LOGIN (NIP atau nama pengguna)."""
    role = Role(role)
    unit = None
    if unit_id is not None:
        if role is not Role.ADMIN_OPD:
            raise click.ClickException(_("--unit hanya berlaku untuk peran admin_opd."))
        unit = db.session.get(OrgUnit, unit_id)
        if unit is None:
            raise click.ClickException(_("Unit kerja dengan ID %(id)d tidak ditemukan.", id=unit_id))
    user = _account(login)
    try:
        services.grant_role(user, role, unit)
    except services.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    if unit is not None:
        click.echo(_("Peran %(role)s untuk %(unit)s diberikan kepada %(name)s (%(login)s).",
                     role=role.title, unit=unit.name, name=user.display_name, login=user.login_name))
    else:
        click.echo(_("Peran %(role)s diberikan kepada %(name)s (%(login)s).",
                     role=role.title, name=user.display_name, login=user.login_name))
