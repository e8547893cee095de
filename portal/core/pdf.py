"""PDF documents rendered from Jinja templates with WeasyPrint.

WeasyPrint is imported only when a PDF is made (the import alone costs about 0.6 s). Its URL
fetcher is replaced: a document may load the app's own static files (style sheets, images,
fonts), read from disk by path, and ``data:`` URLs; ``file:`` URLs, other hosts and anything
that leaves the static folders are refused, so a template (or text a user typed into one) can
never make the server read a local file or call out to the network.

Templates use ``url_for('static', filename=...)`` as in HTML pages; relative URLs resolve
against ``BASE_URL``, a host that exists only inside this module.
"""
import functools
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app, has_request_context, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.security import safe_join

# Never resolved through DNS: the fetcher answers for it from the static folders.
PDF_HOST = "capaian-pdf.invalid"
BASE_URL = f"http://{PDF_HOST}/"


class RefusedURL(ValueError):
    """A document asked for a URL outside the app's static files."""


def _static_folder(endpoint: str) -> str | None:
    if endpoint == "static":
        return current_app.static_folder
    if endpoint.endswith(".static"):
        blueprint = current_app.blueprints.get(endpoint.rsplit(".", 1)[0])
        return blueprint.static_folder if blueprint is not None else None
    return None


def static_path(url: str) -> Path:
    """The file on disk behind a static URL of the app (``BASE_URL`` + ``/static/...``).

    Raises RefusedURL for any other URL: another scheme or host, a path that is not a static
    route, or a file name that escapes its folder.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname != PDF_HOST or parts.username:
        raise RefusedURL(f"refused URL: {url[:200]}")
    path = unquote(parts.path)
    script_root = request.script_root if has_request_context() else ""
    if script_root and path.startswith(script_root + "/"):
        path = path[len(script_root):]
    adapter = current_app.url_map.bind(PDF_HOST)
    try:
        endpoint, args = adapter.match(path, method="GET")
    except HTTPException as exc:
        raise RefusedURL(f"not a static file: {url[:200]}") from exc
    folder = _static_folder(endpoint)
    filename = args.get("filename")
    if folder is None or not filename:
        raise RefusedURL(f"not a static file: {url[:200]}")
    joined = safe_join(folder, filename)  # None when the name climbs out of the folder
    if joined is None or not Path(joined).is_file():
        raise RefusedURL(f"no such static file: {url[:200]}")
    return Path(joined)


@functools.cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves the app's static files from disk and ``data:`` URLs; refuses everything else."""

        def fetch(self, url, headers=None):
            if url[:5].lower() == "data:":
                return super().fetch(url, headers)  # decoded in memory, no I/O
            path = static_path(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticOnlyFetcher


def url_fetcher():
    """A WeasyPrint URL fetcher bound to the current app (call within an app context)."""
    return _fetcher_class()(timeout=1, allow_redirects=False)


def render_pdf(template: str, **context) -> bytes:
    """Render ``template`` with ``context`` to HTML, then to PDF bytes.

    The template is rendered like a page (``_``, ``url_for``, ``config`` are available).
    Resources outside the app's static files are not loaded (see ``url_fetcher``).
    """
    from weasyprint import HTML
    html = render_template(template, **context)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher()).write_pdf()


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string, safe inside a ``<style>`` element (for ``@page`` margin
    boxes such as ``content: {{ footer }}``): quotes, backslashes, line breaks and ``<`` escaped."""
    out = []
    for ch in str(text):
        if ch in '"\\<>' or ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str, default: str = "dokumen.pdf") -> str:
    """An ASCII file name a Content-Disposition header carries as is: letters, digits, ``._-``."""
    stem = _UNSAFE_FILENAME.sub("-", name).strip("-.")[:120]
    if not stem:
        return default
    return stem if stem.lower().endswith(".pdf") else f"{stem}.pdf"


def pdf_response(data: bytes, filename: str, *, download: bool = True):
    """A response carrying a PDF: as an attachment (a download) or ``inline`` in the browser."""
    response = current_app.response_class(data, mimetype="application/pdf")
    disposition = "attachment" if download else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{safe_filename(filename)}"'
    # A personal document: not kept by shared caches or the browser's back-forward cache.
    response.headers["Cache-Control"] = "private, no-store"
    return response
