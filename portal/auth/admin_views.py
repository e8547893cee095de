"""Account and role administration (to be completed)."""
from flask import Blueprint

from portal.auth.models import Role
from portal.core.permissions import allow

bp = Blueprint("accounts", __name__, template_folder="templates", url_prefix="/akun")


@bp.get("/")
@allow(Role.SUPERADMIN)
def list_accounts():
    return "accounts"


@bp.get("/pegawai/<int:employee_id>")
@allow(Role.SUPERADMIN)
def show_account(employee_id):
    return "account"
