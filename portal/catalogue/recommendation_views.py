""""Rekomendasi untuk saya": the employee's recommendations, accepted into the IDP or dismissed with a reason."""
from flask import Blueprint

from portal.auth.models import Role  # noqa: F401
from portal.core.permissions import AUTHENTICATED, allow  # noqa: F401

bp = Blueprint("recommendations", __name__, template_folder="templates", url_prefix="/rekomendasi")


@bp.get("/")
@allow(AUTHENTICATED)
def my_recommendations():
    return "TODO"
