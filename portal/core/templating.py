"""Jinja filters and globals shared by every module."""
from datetime import date, datetime

from flask import request, url_for
from flask_babel import format_date, format_datetime


def _date(value, fmt="d MMM yyyy"):
    if not value:
        return "–"
    if isinstance(value, datetime):
        return format_datetime(value, "d MMM yyyy HH:mm")
    if isinstance(value, date):
        return format_date(value, fmt)
    return value


def url_with(**changes):
    """The current URL with some query arguments replaced (for pagination and filters)."""
    args = request.args.to_dict(flat=True)
    args.update({k: v for k, v in changes.items()})
    args = {k: v for k, v in args.items() if v not in (None, "")}
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def register(app):
    app.jinja_env.filters["date"] = _date
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
