"""The catalogue for every ASN: search and filters as you type, the programme page with upcoming sessions and eligibility."""
from flask import Blueprint

from portal.auth.models import Role  # noqa: F401
from portal.core.permissions import AUTHENTICATED, allow  # noqa: F401

bp = Blueprint("catalogue", __name__, template_folder="templates", url_prefix="/katalog")


@bp.get("/")
@allow(AUTHENTICATED)
def list_programmes():
    return "TODO"
