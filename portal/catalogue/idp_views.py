"""Individual development plans (IDP): the employee plans the year in the 70-20-10 split, the supervisor approves."""
from flask import Blueprint

from portal.auth.models import Role  # noqa: F401
from portal.core.permissions import AUTHENTICATED, allow  # noqa: F401

bp = Blueprint("idp", __name__, template_folder="templates", url_prefix="/rencana-pengembangan")


@bp.get("/")
@allow(AUTHENTICATED)
def my_plan():
    return "TODO"
