"""Talent (9-box): BKPSDM records potential; the grid of kinerja × potensial."""
from flask import Blueprint

from portal.auth.models import Role  # noqa: F401
from portal.core.permissions import AUTHENTICATED, allow  # noqa: F401

bp = Blueprint("talent", __name__, template_folder="templates", url_prefix="/talenta")


@bp.get("/")
@allow(Role.BKPSDM, Role.SUPERADMIN, Role.PIMPINAN)
def show_grid():
    return "TODO"
