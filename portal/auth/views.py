"""Sign in, sign out and change password."""
from urllib.parse import urlparse

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from portal.auth import services
from portal.auth.forms import ChangePasswordForm, LoginForm
from portal.core.permissions import AUTHENTICATED, allow, public
from portal.extensions import db, limiter
from portal.people.rules import normalise_nip

bp = Blueprint("auth", __name__, template_folder="templates")


def _login_limit():
    return current_app.config["LOGIN_LIMIT"]


def _account_key():
    return "login:" + normalise_nip((request.form.get("login") or "").lower())[:64]


def _failed(response):
    return bool(g.get("login_failed"))


def _safe_next(target):
    if not target:
        return None
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/masuk", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, key_func=get_remote_address, methods=["POST"],
               deduct_when=_failed, scope="login-address")
@limiter.limit(_login_limit, key_func=_account_key, methods=["POST"],
               deduct_when=_failed, scope="login-account")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.login.data, form.password.data)
        if user is not None:
            login_user(user)
            db.session.commit()
            if user.must_change_password:
                flash(_("Anda masuk dengan kata sandi sekali pakai. Buat kata sandi baru sekarang."), "warning")
                return redirect(url_for("auth.change_password"))
            return redirect(_safe_next(request.args.get("next")) or url_for("core.index"))
        g.login_failed = True
        form.password.errors.append(_("NIP/nama pengguna atau kata sandi salah."))
    elif request.method == "POST":
        g.login_failed = True
    return render_template("auth/login.html", form=form)


def login_rate_limited():
    """The 429 answer of the sign-in form: the form again, with the reason."""
    form = LoginForm(formdata=None)
    return render_template("auth/login.html", form=form, limited=True), 429


@bp.post("/keluar")
@allow(AUTHENTICATED)
def logout():
    logout_user()
    flash(_("Anda sudah keluar."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data,
                                     form.new_password.data)
        except services.AccountError as exc:
            form.current_password.errors.append(str(exc))
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # session_version changed
            flash(_("Kata sandi sudah diganti."), "success")
            return redirect(url_for("core.index"))
    return render_template("auth/change_password.html", form=form)
