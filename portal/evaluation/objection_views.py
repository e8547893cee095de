"""Keberatan: the pegawai objects to a final predikat; the atasan pejabat penilai decides."""
from flask import Blueprint

bp = Blueprint("objections", __name__, template_folder="templates", url_prefix="/keberatan")


# Placeholder route (replaced by the objection work).
from portal.core.permissions import AUTHENTICATED, allow  # noqa: E402


@bp.get("/<int:objection_id>")
@allow(AUTHENTICATED)
def show_objection(objection_id):
    return ""


@bp.route("/evaluasi/<int:evaluation_id>", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def new_objection(evaluation_id):
    return ""
