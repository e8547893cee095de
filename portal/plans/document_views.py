"""Documents: the SKP as PDF."""
from flask import Blueprint
from flask_login import current_user

from portal.core.pdf import pdf_response
from portal.core.permissions import AUTHENTICATED, allow, ensure
from portal.extensions import db
from portal.plans import documents
from portal.plans.models import PerformancePlan

bp = Blueprint("documents", __name__, template_folder="templates", url_prefix="/dokumen")


@bp.get("/skp/<int:plan_id>.pdf")
@allow(AUTHENTICATED)
def plan_pdf(plan_id):
    plan = db.get_or_404(PerformancePlan, plan_id, options=documents.plan_document_options())
    ensure(plan.can_download(current_user))
    doc = documents.skp_document(plan)
    return pdf_response(documents.render_skp(doc), doc.filename)
