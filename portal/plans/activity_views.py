"""Laporan harian: the daily activity log."""
from datetime import date, timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.core.errors import render_error
from portal.core.forms import ConfirmForm, attach_error, choice_list, page_number
from portal.core.htmx import render_page
from portal.core.permissions import AUTHENTICATED, allow, ensure
from portal.extensions import db, htmx
from portal.notifications.services import is_site_path
from portal.plans import activity_services as services
from portal.plans import rules
from portal.plans.activity_forms import CommentForm, EntryForm, MonthFilterForm, TeamLogFilterForm
from portal.plans.models import ActivityEntry, ResultPlan

bp = Blueprint("activities", __name__, template_folder="templates", url_prefix="/laporan-harian")


@bp.before_request
def _daily_log_enabled():
    # The log is optional per instansi: without it every page of it is simply not there.
    if not current_app.config.get("DAILY_LOG_ENABLED", True):
        return render_error(404, _("Laporan harian tidak digunakan"),
                            _("Instansi ini tidak menggunakan laporan harian. Catat capaian Anda "
                              "langsung pada realisasi SKP."))
    return None


def _no_employee():
    return render_template("plans/activity/no_employee.html")


def _result_label(result):
    text = " ".join(result.text.split())
    return text if len(text) <= 110 else text[:109] + "…"


def _prepare(form, employee):
    today = date.today()
    form.entry_date.render_kw = {"min": date(today.year, 1, 1).isoformat(), "max": today.isoformat()}
    choices = services.result_choices(employee)
    form.result.choices = choice_list([(None, _("— Tanpa RHK —"))] + [(r.id, _result_label(r)) for r in choices])
    return choices


def _chosen_result(form):
    """The RHK picked in the form (None for none); a vanished id is a field error."""
    if not form.result.data:
        return None, True
    result = db.session.get(ResultPlan, form.result.data)
    if result is None:
        form.result.errors = [*form.result.errors, _("RHK yang dipilih tidak ditemukan.")]
        return None, False
    return result, True


def _month_choices(today):
    months = []
    year, month = today.year, today.month
    for _i in range(today.month + 12):  # this year so far and the whole previous year
        months.append((f"{year:04d}-{month:02d}", f"{rules.MONTHS[month - 1]} {year}"))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return [("", _("Semua bulan"))] + months


def _month_range(value):
    try:
        year, month = (int(p) for p in (value or "").split("-"))
        start = date(year, month, 1)
    except (TypeError, ValueError):
        return None, None
    end = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
    return start, end


def _list_context(employee, form):
    today = date.today()
    month_form = MonthFilterForm(request.args)
    month_form.bulan.choices = choice_list(_month_choices(today))
    start, end = _month_range(month_form.bulan.data)
    page = db.paginate(services.entry_query(employee, start=start, end=end), page=page_number(),
                       per_page=current_app.config["PER_PAGE"], error_out=False, count=True)
    reported = services.reported_ranges(employee)
    editable = {e.id for e in page.items if services.is_editable(e, today=today, reported=reported)}
    return dict(form=form, month_form=month_form, page=page, editable=editable, today=today,
                year_start=date(today.year, 1, 1), has_plan=bool(form.result.choices[1:]))


@bp.get("/")
@allow(AUTHENTICATED)
def list_entries():
    employee = current_user.employee
    if employee is None:
        return _no_employee()
    form = EntryForm(formdata=None)
    _prepare(form, employee)
    return render_page("plans/activity/list.html", "plans/activity/_entries.html",
                       **_list_context(employee, form))


@bp.post("/")
@allow(AUTHENTICATED)
def add_entry():
    employee = current_user.employee
    if employee is None:
        return _no_employee()
    form = EntryForm()
    _prepare(form, employee)
    if form.validate():
        result, ok = _chosen_result(form)
        if ok:
            try:
                services.add_entry(employee, entry_date=form.entry_date.data, result=result,
                                   description=form.description.data, output=form.output.data)
            except services.ActivityError as exc:
                attach_error(form, exc)
            else:
                db.session.commit()
                if htmx:
                    # Ready for the next activity: same day and RHK, empty description.
                    fresh = EntryForm(formdata=None, entry_date=form.entry_date.data, result=form.result.data)
                    _prepare(fresh, employee)
                    return render_template("plans/activity/_added.html", **_list_context(employee, fresh))
                flash(_("Kegiatan sudah dicatat."), "success")
                return redirect(url_for("activities.list_entries"))
    if htmx:
        return render_template("plans/activity/_entry_form.html", **_list_context(employee, form))
    return render_template("plans/activity/list.html", **_list_context(employee, form))


@bp.get("/<int:activity_id>")
@allow(AUTHENTICATED)
def show_entry(activity_id):
    entry = db.get_or_404(ActivityEntry, activity_id)
    ensure(entry.can_view(current_user))
    return render_template("plans/activity/show.html", entry=entry, comment_form=CommentForm(formdata=None),
                           editable=entry.can_edit(current_user) and services.is_editable(entry))


@bp.route("/<int:activity_id>/ubah", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def edit_entry(activity_id):
    entry = db.get_or_404(ActivityEntry, activity_id)
    ensure(entry.can_edit(current_user))
    form = EntryForm(formdata=None, obj=entry) if request.method == "GET" else EntryForm()
    _prepare(form, entry.employee)
    if request.method == "GET":
        form.result.data = entry.result_id
    editable = services.is_editable(entry)
    if request.method == "POST" and form.validate():
        result, ok = _chosen_result(form)
        if ok:
            try:
                changes = services.update_entry(entry, entry_date=form.entry_date.data, result=result,
                                                description=form.description.data, output=form.output.data)
            except services.ActivityError as exc:
                attach_error(form, exc)
            else:
                db.session.commit()
                flash(_("Kegiatan sudah disimpan.") if changes else _("Tidak ada perubahan."),
                      "success" if changes else "info")
                return redirect(url_for("activities.list_entries"))
    today = date.today()
    return render_template("plans/activity/edit.html", entry=entry, form=form, editable=editable,
                           today=today, year_start=date(today.year, 1, 1))


@bp.post("/<int:activity_id>/hapus")
@allow(AUTHENTICATED)
def delete_entry(activity_id):
    entry = db.get_or_404(ActivityEntry, activity_id)
    ensure(entry.can_edit(current_user))
    if not ConfirmForm().validate():
        flash(_("Token keamanan formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(url_for("activities.list_entries"))
    try:
        services.delete_entry(entry)
    except services.ActivityError as exc:
        flash(str(exc), "danger")
    else:
        db.session.commit()
        flash(_("Kegiatan sudah dihapus."), "success")
    return redirect(url_for("activities.list_entries"))


@bp.post("/<int:activity_id>/komentar")
@allow(AUTHENTICATED)
def add_comment(activity_id):
    entry = db.get_or_404(ActivityEntry, activity_id)
    ensure(entry.can_comment(current_user))
    form = CommentForm()
    if form.validate():
        try:
            services.add_comment(entry, form.body.data)
        except services.ActivityError as exc:
            attach_error(form, exc)
        else:
            db.session.commit()
            if htmx:
                return render_template("plans/activity/_comments.html", entry=entry,
                                       comment_form=CommentForm(formdata=None), show_form=True,
                                       next_url=form.next.data)
            flash(_("Komentar sudah dikirim."), "success")
            target = form.next.data if is_site_path(form.next.data) else None
            return redirect(target or url_for("activities.show_entry", activity_id=entry.id))
    if htmx:
        return render_template("plans/activity/_comments.html", entry=entry, comment_form=form,
                               show_form=True, next_url=form.next.data)
    return render_template("plans/activity/show.html", entry=entry, comment_form=form,
                           editable=entry.can_edit(current_user) and services.is_editable(entry))


@bp.get("/tim")
@allow(AUTHENTICATED)
def team_log():
    me = current_user.employee
    today = date.today()
    subordinates = services.direct_subordinates(me) if me is not None else []
    filters = TeamLogFilterForm(request.args)
    filters.pegawai.choices = choice_list([(None, _("Semua bawahan langsung"))]
                                          + [(s.id, s.display_name) for s in subordinates])
    filters.validate()
    day = filters.tanggal.data if filters.tanggal.data and not filters.tanggal.errors else today
    if not 2000 <= day.year <= 2100:  # far dates would overflow the week arithmetic
        day = today
    span = filters.rentang.data if filters.rentang.data in ("hari", "minggu") else "minggu"
    if span == "hari":
        start = end = day
        step = timedelta(days=1)
    else:
        start = day - timedelta(days=day.weekday())
        end, step = start + timedelta(days=6), timedelta(days=7)
    filters.tanggal.data, filters.rentang.data = day, span
    person = filters.pegawai.data if filters.pegawai.data in {s.id for s in subordinates} else None
    page = None
    if me is not None and subordinates:
        page = db.paginate(services.team_entry_query(me, start=start, end=end, employee_id=person),
                           page=page_number(), per_page=current_app.config["PER_PAGE"],
                           error_out=False, count=True)
    return render_page("plans/activity/team.html", "plans/activity/_team_entries.html",
                       filters=filters, page=page, subordinates=subordinates, start=start, end=end,
                       span=span, previous_day=day - step, next_day=day + step, today=today,
                       comment_form=CommentForm(formdata=None))
