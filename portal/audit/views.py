"""The audit log (BKPSDM and superadmin): filtered list and one entry. Read-only: GET routes only."""
from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from portal.audit import reading, services
from portal.audit.forms import AuditFilterForm
from portal.auth.models import Role
from portal.core.audit import AuditEntry
from portal.core.htmx import render_page
from portal.core.permissions import allow, ensure
from portal.extensions import db

bp = Blueprint("audit", __name__, template_folder="templates", url_prefix="/audit")

READERS = (Role.BKPSDM, Role.SUPERADMIN)


@bp.get("/")
@allow(*READERS)
def list_entries():
    ensure(services.can_read_log(current_user))
    form = AuditFilterForm(request.args)
    form.set_choices()
    form.validate()
    page = services.log_page(form.filters(), per_page=current_app.config["PER_PAGE"],
                             older_than=request.args.get("sebelum"), newer_than=request.args.get("sesudah"))
    return render_page("audit/list.html", "audit/_results.html", form=form, page=page,
                       rows=reading.describe(page.entries, current_user, detail_links=True))


@bp.get("/<int:entry_id>")
@allow(*READERS)
def show_entry(entry_id):
    entry = db.get_or_404(AuditEntry, entry_id)
    ensure(services.can_read_log(current_user))
    return render_template("audit/show.html", entry=entry, row=reading.describe([entry], current_user)[0],
                           changes_json=reading.pretty_changes(entry))
