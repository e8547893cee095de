"""Wiring: extensions, blueprints, CLI, request hooks and template helpers."""
from pathlib import Path

from flask import current_app, has_request_context, request
from flask_login import current_user
from werkzeug.routing import IntegerConverter

from portal.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate

LANG_COOKIE = "capaian_lang"


def select_locale():
    if not has_request_context():  # CLI commands and jobs: the default locale
        return None
    languages = current_app.config["LANGUAGES"]
    choice = request.cookies.get(LANG_COOKIE)
    if choice in languages:
        return choice
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


class IdConverter(IntegerConverter):
    """``<int:…>`` in URLs: ids beyond what an INTEGER column holds match no route (404, not 500).

    The pattern itself stops at 2147483647: a range check alone runs after werkzeug has matched the
    path, so where a GET and a POST share a path an out-of-range id answered 405 instead of 404.
    """

    regex = (r"(?:[0-9]{1,9}|1[0-9]{9}|20[0-9]{8}|21[0-3][0-9]{7}|214[0-6][0-9]{6}|2147[0-3][0-9]{5}"
             r"|21474[0-7][0-9]{4}|214748[0-2][0-9]{3}|2147483[0-5][0-9]{2}|21474836[0-3][0-9]"
             r"|214748364[0-7])")

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def init_extensions(app):
    from portal import models  # noqa: F401  (every table, for the metadata)
    from portal.auth.models import AnonymousUser, User
    from portal.core import db as _db_events  # noqa: F401  (registers SQLite pragmas)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    htmx.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(Path(app.root_path) / "translations"))
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)

    login_manager.init_app(app)
    login_manager.anonymous_user = AnonymousUser
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    from flask_babel import lazy_gettext as _l
    login_manager.login_message = _l("Silakan masuk untuk membuka halaman ini.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id):
        try:
            uid, version = (int(x) for x in user_id.split(":"))
        except ValueError:
            return None
        user = db.session.get(User, uid)
        if user is None or user.session_version != version:
            return None
        return user

    app.before_request(_before_request)
    app.after_request(_security_headers)
    app.context_processor(_template_context)
    from portal.core import templating
    templating.register(app)


def _before_request():
    from portal.core.permissions import check_route_access
    response = check_route_access()
    if response is not None:
        return response
    # An account with a one-time password must choose its own before anything else.
    if (current_user.is_authenticated and current_user.must_change_password
            and request.endpoint not in ("auth.change_password", "auth.logout",
                                         "core.set_language", "core.healthz", "static")):
        from flask import redirect, url_for
        return redirect(url_for("auth.change_password"))
    return None


def _security_headers(response):
    csp = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; "
           "object-src 'none'; frame-ancestors 'none'")
    response.headers.setdefault("Content-Security-Policy", csp)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if current_app.config.get("HSTS"):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if htmx:
        # A page and its partial share a URL: caches must keep them apart.
        response.vary.add("HX-Request")
    return response


def _template_context():
    from portal.core.nav import navigation
    return {
        "nav_items": navigation(current_user) if current_user and current_user.is_authenticated else [],
        "instansi_name": current_app.config["INSTANSI_NAME"],
        "languages": current_app.config["LANGUAGES"],
        "current_locale": select_locale(),
    }


def register_blueprints(app):
    from portal.audit.views import bp as audit_bp
    from portal.auth.admin_views import bp as accounts_bp
    from portal.auth.views import bp as auth_bp
    from portal.catalogue import (
        competency_views,
        idp_views,
        learning_views,
        programme_admin_views,
        recommendation_views,
        talent_views,
        tna_views,
    )
    from portal.catalogue import views as catalogue_views
    from portal.core.views import bp as core_bp
    from portal.evaluation import document_views as evaluation_document_views
    from portal.evaluation import feedback_views, objection_views, org_views, peer_views
    from portal.evaluation import team_views as evaluation_team_views
    from portal.evaluation import views as evaluation_views
    from portal.jobs.views import bp as jobs_bp
    from portal.notifications.views import bp as notifications_bp
    from portal.people.import_views import bp as import_bp
    from portal.people.unit_views import bp as units_bp
    from portal.people.views import bp as people_bp
    from portal.plans import (
        activity_views,
        document_views,
        performance_views,
        period_views,
        plan_views,
        realisation_views,
        target_views,
        team_views,
    )

    for bp in (core_bp, auth_bp, people_bp, import_bp, units_bp, accounts_bp, notifications_bp, audit_bp, jobs_bp):
        app.register_blueprint(bp)
    for module in (performance_views, plan_views, realisation_views, document_views, activity_views,
                   team_views, target_views, period_views, evaluation_views, evaluation_team_views,
                   org_views, objection_views, peer_views, feedback_views, evaluation_document_views,
                   catalogue_views, recommendation_views, idp_views, learning_views, programme_admin_views,
                   competency_views, tna_views, talent_views):
        app.register_blueprint(module.bp)
    from portal.catalogue.recommend import connect_signals
    connect_signals()


def register_cli(app):
    from portal.auth.cli import users_cli
    from portal.jobs.cli import jobs_cli
    from portal.people.cli import people_cli
    from portal.people.seeding import seed_cli
    app.cli.add_command(people_cli)
    app.cli.add_command(seed_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(jobs_cli)
