"""Learning hours: the employee's JP ledger and external certificates, BKPSDM's verification queue."""
from flask import Blueprint

from portal.auth.models import Role  # noqa: F401
from portal.core.permissions import AUTHENTICATED, allow  # noqa: F401

bp = Blueprint("learning", __name__, template_folder="templates", url_prefix="/jam-pelajaran")


@bp.get("/")
@allow(AUTHENTICATED)
def my_ledger():
    return "TODO"
