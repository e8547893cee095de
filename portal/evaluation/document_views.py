"""Dokumen Evaluasi Kinerja Pegawai (PDF) and a unit's documents as one ZIP (background job)."""
from flask import Blueprint

bp = Blueprint("evaluation_documents", __name__, template_folder="templates", url_prefix="/evaluasi")


# Placeholder route (replaced by the documents work).
from portal.core.permissions import AUTHENTICATED, allow  # noqa: E402


@bp.get("/<int:evaluation_id>/dokumen.pdf")
@allow(AUTHENTICATED)
def download_evaluation(evaluation_id):
    return ""
