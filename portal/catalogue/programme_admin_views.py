"""BKPSDM manages the programme catalogue: create, edit, archive, import from CSV."""
from flask import Blueprint

from portal.auth.models import Role  # noqa: F401
from portal.core.permissions import AUTHENTICATED, allow  # noqa: F401

bp = Blueprint("programme_admin", __name__, template_folder="templates", url_prefix="/katalog/kelola")


@bp.get("/")
@allow(Role.BKPSDM, Role.SUPERADMIN)
def list_programmes():
    return "TODO"
