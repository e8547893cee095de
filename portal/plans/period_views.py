"""Performance periods (BKPSDM opens and closes years and sub-periods)."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.auth.models import Role
from portal.core.forms import ConfirmForm
from portal.core.permissions import AUTHENTICATED, allow, ensure
from portal.extensions import db
from portal.plans import period_services
from portal.plans.models import PerformancePeriod, Subperiod
from portal.plans.period_forms import PeriodForm

bp = Blueprint("periods", __name__, template_folder="templates", url_prefix="/periode")

MANAGERS = (Role.BKPSDM, Role.SUPERADMIN)


def _list(form, status=200):
    periods = db.session.scalars(period_services.period_query()).all()
    can_manage = current_user.manages_whole_instansi
    return render_template("plans/period/list.html", periods=periods, form=form, can_manage=can_manage,
                           confirm=ConfirmForm()), status


@bp.get("/")
@allow(AUTHENTICATED)
def list_periods():
    return _list(PeriodForm(formdata=None))


@bp.post("/baru")
@allow(*MANAGERS)
def create_period():
    ensure(current_user.manages_whole_instansi)
    form = PeriodForm()
    if form.validate():
        try:
            period = period_services.create_period(form.year.data, form.subperiod_length.data)
        except period_services.PeriodError as exc:
            db.session.rollback()
            getattr(form, exc.field or "year").errors = [str(exc)]
        else:
            db.session.commit()
            flash(_("Periode %(year)s sudah dibuat. Buka periode itu agar pegawai dapat menyusun SKP.",
                    year=period.year), "success")
            return redirect(url_for("periods.show_period", period_id=period.id), code=303)
    return _list(form)


@bp.get("/<int:period_id>")
@allow(AUTHENTICATED)
def show_period(period_id):
    period = db.get_or_404(PerformancePeriod, period_id, options=[selectinload(PerformancePeriod.subperiods)])
    return render_template("plans/period/show.html", period=period, can_manage=period.can_manage(current_user),
                           confirm=ConfirmForm())


def _act(period, action, success, *args):
    form = ConfirmForm()
    if not form.validate():
        flash(_("Formulir kedaluwarsa. Coba lagi."), "danger")
    else:
        try:
            action(*args)
        except period_services.PeriodError as exc:
            db.session.rollback()
            flash(str(exc), "warning")
        else:
            db.session.commit()
            flash(success, "success")
    return redirect(url_for("periods.show_period", period_id=period.id), code=303)


@bp.post("/<int:period_id>/buka")
@allow(*MANAGERS)
def open_period(period_id):
    period = db.get_or_404(PerformancePeriod, period_id)
    ensure(period.can_manage(current_user))
    return _act(period, period_services.open_period,
                _("Periode %(year)s dibuka: pegawai dapat menyusun SKP dan melaporkan realisasi.", year=period.year),
                period)


@bp.post("/<int:period_id>/tutup")
@allow(*MANAGERS)
def close_period(period_id):
    period = db.get_or_404(PerformancePeriod, period_id)
    ensure(period.can_manage(current_user))
    return _act(period, period_services.close_period,
                _("Periode %(year)s dan semua sub-periodenya ditutup.", year=period.year), period)


def _subperiod(subperiod_id):
    subperiod = db.get_or_404(Subperiod, subperiod_id)
    ensure(subperiod.period.can_manage(current_user))
    return subperiod


@bp.post("/subperiode/<int:subperiod_id>/tutup")
@allow(*MANAGERS)
def close_subperiod(subperiod_id):
    subperiod = _subperiod(subperiod_id)
    return _act(subperiod.period, period_services.close_subperiod,
                _("%(label)s ditutup: realisasinya tidak dapat diubah lagi.", label=subperiod.label), subperiod)


@bp.post("/subperiode/<int:subperiod_id>/buka")
@allow(*MANAGERS)
def reopen_subperiod(subperiod_id):
    subperiod = _subperiod(subperiod_id)
    return _act(subperiod.period, period_services.reopen_subperiod,
                _("%(label)s dibuka kembali.", label=subperiod.label), subperiod)

