"""BKPSDM's competency dictionary, the BerAKHLAK → competency mapping, RHK/IKI competency tags and thresholds."""
from flask import Blueprint

from portal.auth.models import Role  # noqa: F401
from portal.core.permissions import AUTHENTICATED, allow  # noqa: F401

bp = Blueprint("competencies", __name__, template_folder="templates", url_prefix="/kompetensi")


@bp.get("/")
@allow(Role.BKPSDM, Role.SUPERADMIN, Role.PIMPINAN, Role.ADMIN_OPD)
def list_competencies():
    return "TODO"
