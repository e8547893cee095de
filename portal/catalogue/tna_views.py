"""Training needs analysis for BKPSDM: demand per programme and competency per OPD, and the cost."""
from flask import Blueprint

from portal.auth.models import Role  # noqa: F401
from portal.core.permissions import AUTHENTICATED, allow  # noqa: F401

bp = Blueprint("training_needs", __name__, template_folder="templates", url_prefix="/analisis-kebutuhan")


@bp.get("/")
@allow(Role.BKPSDM, Role.SUPERADMIN, Role.PIMPINAN, Role.ADMIN_OPD)
def show_analysis():
    return "TODO"
