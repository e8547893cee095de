"""Deny-by-default route access.

Every view declares who may reach it with ``@allow(...)`` or ``@public``; a view
without a declaration answers 403 for everyone (and fails the permission-matrix
test). Object-level rules live on the models as ``can_*`` predicates, checked with
``ensure()``.
"""
from flask import abort, current_app, request
from flask_login import current_user

PUBLIC = "public"
AUTHENTICATED = "authenticated"


def allow(*roles):
    """Declare the roles that may use a view (``AUTHENTICATED`` for any signed-in user)."""
    def decorator(view):
        view.__access__ = frozenset(str(getattr(r, "value", r)) for r in roles)
        return view
    return decorator


def public(view):
    view.__access__ = frozenset([PUBLIC])
    return view


def access_of(endpoint, app=None):
    app = app or current_app
    view = app.view_functions.get(endpoint)
    if view is None:
        return None
    if endpoint == "static" or endpoint.endswith(".static"):
        return frozenset([PUBLIC])
    return getattr(view, "__access__", None)


def user_may(user, declared) -> bool:
    if declared is None:
        return False
    if PUBLIC in declared:
        return True
    if not user.is_authenticated:
        return False
    if AUTHENTICATED in declared:
        return True
    return any(user.has_role(r) for r in declared)


def check_route_access():
    """before_request hook: apply the route's declaration."""
    if request.endpoint is None:
        return None  # 404 / 405 are handled by Flask
    declared = access_of(request.endpoint)
    if declared is not None and PUBLIC in declared:
        return None
    if not current_user.is_authenticated and declared is not None:
        from flask import redirect
        from flask_login import login_url

        from portal.extensions import htmx
        target = login_url("auth.login", next_url=request.full_path.rstrip("?"))
        if htmx:
            resp = current_app.response_class(status=204)
            resp.headers["HX-Redirect"] = target
            return resp
        return redirect(target)
    if not user_may(current_user, declared):
        abort(403)
    return None


def ensure(condition):
    """Abort with 403 unless an object-level permission holds."""
    if not condition:
        abort(403)

