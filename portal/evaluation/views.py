"""Evaluasi kinerja: the penilai rates an employee's period or year; the pegawai reads and
acknowledges it."""
from flask import Blueprint

bp = Blueprint("evaluation", __name__, template_folder="templates", url_prefix="/evaluasi")


# Placeholder routes (replaced by the evaluation page work).
from portal.core.permissions import AUTHENTICATED, allow  # noqa: E402


@bp.get("/skp/<int:plan_id>/<int:period_key>")
@allow(AUTHENTICATED)
def show_evaluation(plan_id, period_key):
    return ""


@bp.get("/<int:evaluation_id>")
@allow(AUTHENTICATED)
def open_evaluation(evaluation_id):
    return ""
