"""The bell, the user's notification list, and (development) the stored e-mail outbox.

The bell in the navigation refreshes itself by polling the list's own URL with
``?bagian=lonceng``: for an htmx request that flag selects the bell partial (one COUNT
query, no list), so there is no separate fragment route. Without htmx the flag is ignored.
"""
from flask import Blueprint, abort, current_app, flash, g, has_request_context, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from portal.auth.models import Role
from portal.core.forms import ConfirmForm
from portal.core.htmx import render_page
from portal.core.permissions import AUTHENTICATED, allow, ensure
from portal.extensions import db, htmx
from portal.notifications import services
from portal.notifications.cli import send_pending
from portal.notifications.models import Notification, OutgoingEmail

bp = Blueprint("notifications", __name__, template_folder="templates", url_prefix="/notifikasi")
bp.cli.add_command(send_pending)  # flask notifications send-pending

BELL_PART = "lonceng"


def unread_for_current_user():
    """The signed-in user's unread count, queried at most once per request (None if unknown).

    Called by the templates only when they draw the bell, so partials cost nothing.
    """
    if "notifications_unread" not in g:
        try:
            g.notifications_unread = services.unread_count(current_user)
        except SQLAlchemyError:
            # An error page after a database failure still renders; it just has no count.
            current_app.logger.warning("Unread notification count unavailable", exc_info=True)
            db.session.rollback()
            g.notifications_unread = None
    return g.notifications_unread


@bp.app_context_processor
def _bell_context():
    # Only signed-in users get a bell; an account that must change its password sees no page
    # that the bell could open, so it gets none either.
    if (not has_request_context() or current_user is None or not current_user.is_authenticated
            or current_user.must_change_password):
        return {}
    return {"notification_unread": unread_for_current_user}


def _page_number():
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


@bp.get("/")
@allow(AUTHENTICATED)
def list_notifications():
    if htmx and request.args.get("bagian") == BELL_PART:
        return render_template("notifications/_bell.html", notification_unread=unread_for_current_user)
    page = db.paginate(services.notification_query(current_user), page=_page_number(),
                       per_page=current_app.config["PER_PAGE"], error_out=False, count=True)
    return render_page("notifications/list.html", "notifications/_list.html", page=page,
                       unread=unread_for_current_user(),
                       show_outbox=current_user.has_role(Role.SUPERADMIN) and services.mail_is_stored_only())


@bp.post("/<int:notification_id>/baca")
@allow(AUTHENTICATED)
def read_notification(notification_id):
    notification = db.get_or_404(Notification, notification_id)
    ensure(notification.can_view(current_user))
    if not ConfirmForm().validate_on_submit():
        flash(_("Token keamanan formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(url_for("notifications.list_notifications"))
    services.mark_read(notification, current_user)
    db.session.commit()
    # Only paths on this site: a stored URL must never send the user elsewhere.
    if services.is_site_path(notification.url):
        return redirect(notification.url)
    return redirect(url_for("notifications.list_notifications"))


@bp.post("/baca-semua")
@allow(AUTHENTICATED)
def read_all_notifications():
    if not ConfirmForm().validate_on_submit():
        flash(_("Token keamanan formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(url_for("notifications.list_notifications"))
    count = services.mark_all_read(current_user)
    db.session.commit()
    if count:
        flash(ngettext("%(num)d notifikasi ditandai sudah dibaca.",
                       "%(num)d notifikasi ditandai sudah dibaca.", count), "success")
    return redirect(url_for("notifications.list_notifications"))


def _outbox_available():
    # The outbox viewer exists to show what development would have sent; with a real
    # server configured the page does not exist.
    if not services.mail_is_stored_only():
        abort(404)


@bp.get("/email")
@allow(Role.SUPERADMIN)
def list_emails():
    _outbox_available()
    page = db.paginate(services.email_query(), page=_page_number(),
                       per_page=current_app.config["PER_PAGE"], error_out=False, count=True)
    return render_page("notifications/emails.html", "notifications/_emails.html", page=page)


@bp.get("/email/<int:email_id>")
@allow(Role.SUPERADMIN)
def show_email(email_id):
    _outbox_available()
    email = db.get_or_404(OutgoingEmail, email_id)
    return render_template("notifications/email.html", email=email)
