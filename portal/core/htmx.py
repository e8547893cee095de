"""htmx helpers: one URL serves the full page and, for htmx requests, its partial."""
from flask import render_template

from portal.extensions import htmx


def render_page(template, partial, **context):
    """Render ``template`` (which includes ``partial``), or just ``partial`` for htmx.

    History-restore requests (``HX-History-Restore-Request``) get the full page.
    """
    from flask import request
    if htmx and not request.headers.get("HX-History-Restore-Request"):
        return render_template(partial, **context)
    return render_template(template, **context)
