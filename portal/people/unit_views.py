"""Organisation tree pages (to be completed)."""
from flask import Blueprint

from portal.core.permissions import AUTHENTICATED, allow

bp = Blueprint("units", __name__, template_folder="templates", url_prefix="/unit")


@bp.get("/")
@allow(AUTHENTICATED)
def list_units():
    return "units"


@bp.get("/<int:unit_id>")
@allow(AUTHENTICATED)
def show_unit(unit_id):
    return "unit"
