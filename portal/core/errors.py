"""Error pages (full and htmx fragment) for 400, 403, 404, 405, 413, 429 and 500."""
import logging

from flask import render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.extensions import db, htmx

log = logging.getLogger(__name__)


def _messages():
    return {
        400: (_("Permintaan tidak valid"), _("Permintaan tidak dapat diproses. Muat ulang halaman lalu coba lagi.")),
        403: (_("Akses ditolak"), _("Anda tidak memiliki hak untuk membuka halaman ini.")),
        404: (_("Halaman tidak ditemukan"), _("Halaman yang Anda cari tidak ada atau sudah dipindahkan.")),
        405: (_("Metode tidak diizinkan"), _("Alamat ini tidak menerima permintaan seperti itu.")),
        413: (_("Berkas terlalu besar"), _("Berkas yang diunggah melebihi batas ukuran. Perkecil berkas lalu coba lagi.")),
        429: (_("Terlalu banyak permintaan"), _("Terlalu banyak percobaan. Tunggu sebentar lalu coba lagi.")),
        500: (_("Terjadi kesalahan"), _("Terjadi kesalahan pada sistem. Kejadian ini sudah dicatat; silakan coba lagi nanti.")),
    }


def render_error(code, title=None, message=None):
    default_title, default_message = _messages().get(code, _messages()[500])
    context = {"code": code, "title": title or default_title, "message": message or default_message}
    if htmx:
        response = render_template("errors/_error.html", **context), code
        # Errors from htmx requests land in the page's alert area (the htmx-config
        # meta tag lets 4xx/5xx responses swap).
        return response[0], code, {"HX-Retarget": "#htmx-alerts", "HX-Reswap": "innerHTML"}
    return render_template("errors/error.html", **context), code


def register(app):
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _("Sesi formulir kedaluwarsa"),
                            _("Token keamanan formulir tidak valid atau kedaluwarsa. "
                              "Muat ulang halaman lalu kirim lagi."))

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code == 429 and request.endpoint == "auth.login":
            from portal.auth.views import login_rate_limited
            return login_rate_limited()
        if error.code in (301, 302, 303, 307, 308):
            return error
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        log.exception("Unhandled error on %s %s", request.method, request.path)
        try:
            db.session.rollback()
        except Exception:  # pragma: no cover - the database itself may be down
            log.exception("Rollback failed")
        return render_error(500)
