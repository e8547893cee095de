"""Home, health check and language choice."""
from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import text

from portal.core.forms import LanguageForm
from portal.core.permissions import AUTHENTICATED, allow, public
from portal.core.web import LANG_COOKIE
from portal.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/")
@allow(AUTHENTICATED)
def index():
    from portal.people.services import home_summary
    return render_template("core/index.html", summary=home_summary(current_user))


@bp.get("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        return jsonify(status="ok", database="ok"), 200
    except Exception as exc:  # any driver error means "not reachable"
        db.session.rollback()
        current_app.logger.warning("Health check: database unreachable: %s", exc)
        return jsonify(status="error", database="unreachable"), 503


@bp.post("/bahasa")
@public
def set_language():
    form = LanguageForm()
    target = request.referrer if _same_site(request.referrer) else url_for("core.index")
    response = redirect(target)
    if form.validate_on_submit() and form.lang.data in current_app.config["LANGUAGES"]:
        response.set_cookie(LANG_COOKIE, form.lang.data, max_age=365 * 24 * 3600,
                            httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
        if current_user.is_authenticated:
            current_user.locale = form.lang.data
            db.session.commit()
    return response


def _same_site(url):
    from urllib.parse import urlparse
    if not url:
        return False
    parsed = urlparse(url)
    return parsed.netloc in ("", request.host)
