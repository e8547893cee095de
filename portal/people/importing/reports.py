"""What the pages show of import batches: the batch list, the preview summary and the CSV downloads.

The row report and the template are CSV text with a BOM, so that Excel reads them as UTF-8.
"""
import csv
import io

import sqlalchemy as sa
from flask_babel import gettext as _

from portal.core import audit
from portal.extensions import db
from portal.people.importing.reading import TEMPLATE_COLUMNS
from portal.people.models import ImportBatch


def batch_query(user):
    """Recent batches the user may see, newest first."""
    stmt = sa.select(ImportBatch).order_by(ImportBatch.created_dt.desc(), ImportBatch.id.desc())
    if not user.manages_whole_instansi:
        stmt = stmt.where(ImportBatch.created_by_id == user.id)
    return stmt


def preview_summary(batch: ImportBatch) -> dict:
    """What the preview found besides the counts: ``{"new_units": [...], "new_positions": n}``."""
    changes = db.session.scalar(
        sa.select(audit.AuditEntry.changes).where(
            audit.AuditEntry.object_type == "ImportBatch", audit.AuditEntry.object_id == batch.id,
            audit.AuditEntry.action == "preview_import").order_by(audit.AuditEntry.id.desc()).limit(1)) or {}
    return {"new_units": changes.get("new_units", []), "new_positions": changes.get("new_positions", 0)}


def _csv_safe(value):
    """Keep spreadsheet programs from running user-supplied text as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def report_csv(batch: ImportBatch) -> str:
    """The row report as CSV text (with a BOM so that Excel reads UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("baris"), _("kolom"), _("nilai"), _("pesan")])
    for problem in batch.report or []:
        writer.writerow([problem.get("row"), _csv_safe(problem.get("column")),
                         _csv_safe(problem.get("value")), _csv_safe(problem.get("message"))])
    return "\ufeff" + out.getvalue()


def template_csv() -> str:
    out = io.StringIO()
    csv.writer(out).writerow(TEMPLATE_COLUMNS)
    return "\ufeff" + out.getvalue()
