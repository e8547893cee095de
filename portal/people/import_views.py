"""SIASN import pages (to be completed)."""
from flask import Blueprint

from portal.auth.models import Role
from portal.core.permissions import allow

bp = Blueprint("imports", __name__, template_folder="templates", url_prefix="/impor")


@bp.get("/")
@allow(Role.BKPSDM, Role.SUPERADMIN)
def new_import():
    return "import"
