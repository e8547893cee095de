"""Realisasi per IKI per sub-period, bukti dukung and umpan balik."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.routing import BuildError

from portal.core.forms import ConfirmForm
from portal.core.permissions import AUTHENTICATED, allow, ensure
from portal.extensions import db, htmx
from portal.plans import evidence_storage, progress, rules
from portal.plans import realisation_services as services
from portal.plans.models import (
    Evidence,
    EvidenceKind,
    Feedback,
    PerformancePlan,
    Realisation,
    ResultPlan,
    Subperiod,
)
from portal.plans.realisation_forms import FeedbackForm, LinkForm, MonthForm, ReturnForm, UploadForm, month_rows

bp = Blueprint("realisations", __name__, template_folder="templates", url_prefix="/realisasi")


# ---------------------------------------------------------------- loading
def _load_plan(plan_id) -> PerformancePlan:
    return db.get_or_404(PerformancePlan, plan_id, options=[
        joinedload(PerformancePlan.employee), joinedload(PerformancePlan.appraiser),
        joinedload(PerformancePlan.period)])


def _load_subperiod(plan, subperiod_id) -> Subperiod:
    subperiod = db.get_or_404(Subperiod, subperiod_id)
    if subperiod.period_id != plan.period_id:
        abort(404)
    return subperiod


def _load_realisation(realisation_id) -> Realisation:
    return db.get_or_404(Realisation, realisation_id, options=[
        joinedload(Realisation.plan).joinedload(PerformancePlan.employee),
        joinedload(Realisation.plan).joinedload(PerformancePlan.period),
        joinedload(Realisation.indicator), joinedload(Realisation.subperiod),
        selectinload(Realisation.evidence),
        selectinload(Realisation.feedback).joinedload(Feedback.author)])


def _results(plan):
    return db.session.scalars(
        db.select(ResultPlan).where(ResultPlan.plan_id == plan.id)
        .options(selectinload(ResultPlan.indicators))
        .order_by(ResultPlan.kind.desc(), ResultPlan.position, ResultPlan.id)).all()


def _subperiods(plan):
    return db.session.scalars(db.select(Subperiod).where(Subperiod.period_id == plan.period_id)
                              .order_by(Subperiod.number)).all()


def _optional_url(endpoint, **values):
    """A link to a page another module may not have yet (None then)."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def short_label(subperiod) -> str:
    if subperiod.period.subperiod_length.value == "bulanan":
        return str(rules.MONTHS[subperiod.number - 1])[:3]
    return _("TW %(n)s", n=["I", "II", "III", "IV"][subperiod.number - 1])


# ---------------------------------------------------------------- the month
def _month_context(plan, subperiod, *, posted=None, row_errors=None, form=None, form_error=None,
                   from_log=None):
    results = _results(plan)
    realisations = services.month_realisations(plan, subperiod)
    can_report = plan.can_report(current_user)
    editable = can_report and subperiod.accepts_realisation
    prefill = {}
    if from_log is not None and editable and current_app.config.get("DAILY_LOG_ENABLED"):
        for result in results:
            for indicator in result.indicators:
                if indicator.id == from_log:
                    prefill[indicator.id] = services.month_narrative(plan.employee, subperiod, result)
    rows = []
    for r_index, result in enumerate(results, start=1):
        for i_index, indicator in enumerate(result.indicators, start=1):
            realisation = realisations.get(indicator.id)
            row_editable = editable and (realisation is None or realisation.status in services.EDITABLE)
            value = narrative = None
            if posted is not None and indicator.id in posted:
                value, narrative = posted[indicator.id].value, posted[indicator.id].narrative
            else:
                if realisation is not None:
                    value = rules.format_number(realisation.value) if realisation.value is not None else ""
                    narrative = realisation.narrative
                if indicator.id in prefill and prefill[indicator.id] and not narrative:
                    narrative = prefill[indicator.id]
            rows.append({"number": f"{r_index}.{i_index}", "result": result, "indicator": indicator,
                         "realisation": realisation, "editable": row_editable, "value": value or "",
                         "narrative": narrative or "", "errors": (row_errors or {}).get(indicator.id, {}),
                         "from_log": indicator.id in prefill})
    statuses = [r["realisation"].status for r in rows if r["realisation"] is not None]
    return dict(
        plan=plan, subperiod=subperiod, subperiods=_subperiods(plan), rows=rows, form=form or MonthForm(),
        form_error=form_error, can_report=can_report, editable=editable,
        any_editable=any(r["editable"] for r in rows),
        submittable=any(s in services.EDITABLE for s in statuses) or any(r["editable"] for r in rows),
        daily_log=current_app.config.get("DAILY_LOG_ENABLED", False),
        max_size=evidence_storage.human_size(evidence_storage.max_bytes()),
        short_label=short_label, is_appraiser=plan.is_appraiser(current_user),
        plan_url=_optional_url("plans.show_plan", plan_id=plan.id),
        prefilled=bool(prefill and any(prefill.values())),
        prefill_empty=bool(prefill) and not any(prefill.values()))


def _closed_message(plan, subperiod):
    if not plan.period.is_open:
        return _("Periode kinerja %(year)s sudah ditutup; realisasi tidak dapat diubah.", year=plan.period.year)
    if not subperiod.accepts_realisation:
        return _("Subperiode %(month)s sudah ditutup; realisasi tidak dapat diubah.", month=subperiod.label)
    return _("Realisasi hanya dapat diisi untuk SKP yang sudah disetujui.")


def _attach_evidence(subperiod, realisations, row):
    """File and link of one row of the month form; returns field → message for what failed."""
    errors = {}
    if not row.has_file and not row.link_url:
        return errors
    realisation = realisations.get(row.indicator.id) or services.realisation_for(
        row.indicator, subperiod, create=True)
    if row.has_file:
        try:
            services.add_file_evidence(realisation, row.file)
        except services.RealisationError as exc:
            errors["file"] = str(exc)
    if row.link_url:
        try:
            services.add_link_evidence(realisation, row.link_url, row.link_title)
        except services.RealisationError as exc:
            errors["link" if exc.field != "title" else "link_title"] = str(exc)
    return errors


@bp.route("/skp/<int:plan_id>/<int:subperiod_id>", methods=["GET", "POST"])
@allow(AUTHENTICATED)
def report(plan_id, subperiod_id):
    plan = _load_plan(plan_id)
    subperiod = _load_subperiod(plan, subperiod_id)
    ensure(plan.can_view(current_user))
    if request.method == "GET":
        from_log = request.args.get("dari_log", type=int)
        return render_template("plans/realisation/report.html",
                               **_month_context(plan, subperiod, from_log=from_log))
    ensure(plan.is_owner(current_user))
    form = MonthForm()
    if not (plan.can_report(current_user) and subperiod.accepts_realisation):
        return render_template("plans/realisation/report.html", **_month_context(
            plan, subperiod, form=form, form_error=_closed_message(plan, subperiod)))
    if not form.validate_on_submit():
        return render_template("plans/realisation/report.html", **_month_context(plan, subperiod, form=form))
    indicators = [i for result in _results(plan) for i in result.indicators]
    rows = month_rows(request.form, request.files, indicators)
    try:
        saved = services.save_month(plan, subperiod, [
            services.MonthRow(r.indicator, r.value, r.narrative, r.lock_version) for r in rows])
        evidence_errors = {}
        for row in rows:
            failed = _attach_evidence(subperiod, saved, row)
            if failed:
                evidence_errors[row.indicator.id] = failed
        if evidence_errors:
            db.session.rollback()
            return _month_error(plan_id, subperiod_id, form, rows, evidence_errors)
        submitted = services.submit_month(plan, subperiod) if form.submit.data else 0
    except services.MonthErrors as exc:
        db.session.rollback()
        errors = {iid: {(e.field if e.field in ("value", "narrative") else "row"): str(e)}
                  for iid, e in exc.errors.items()}
        return _month_error(plan_id, subperiod_id, form, rows, errors)
    except services.RealisationError as exc:
        db.session.rollback()
        return _month_error(plan_id, subperiod_id, form, rows, {}, form_error=str(exc))
    db.session.commit()
    if submitted:
        flash(_("%(count)s realisasi %(month)s sudah diajukan kepada pejabat penilai.",
                count=submitted, month=subperiod.label), "success")
    elif saved or any(r.has_file or r.link_url for r in rows):
        flash(_("Realisasi %(month)s tersimpan sebagai draf.", month=subperiod.label), "success")
    else:
        flash(_("Tidak ada perubahan."), "info")
    return redirect(url_for("realisations.report", plan_id=plan_id, subperiod_id=subperiod_id))


def _month_error(plan_id, subperiod_id, form, rows, errors, form_error=None):
    # After the rollback the objects are reloaded; what was typed is shown again.
    plan = _load_plan(plan_id)
    subperiod = _load_subperiod(plan, subperiod_id)
    for row_errors in errors.values():
        if "file" in row_errors or "link" in row_errors or "link_title" in row_errors:
            row_errors.setdefault("row", _("Isian lain pada baris ini belum tersimpan; pilih berkas lagi "
                                           "lalu simpan."))
    if not form_error and errors:
        form_error = _("Sebagian isian belum dapat disimpan. Periksa baris yang ditandai.")
    posted = {r.indicator.id: r for r in rows}
    return render_template("plans/realisation/report.html", **_month_context(
        plan, subperiod, posted=posted, row_errors=errors, form=form, form_error=form_error))


# ---------------------------------------------------------------- the year
@bp.get("/skp/<int:plan_id>")
@allow(AUTHENTICATED)
def plan_overview(plan_id):
    plan = _load_plan(plan_id)
    ensure(plan.can_view(current_user))
    items = progress.plan_progress(plan)
    subperiods = [c.subperiod for c in items[0].cells] if items else _subperiods(plan)
    return render_template("plans/realisation/overview.html", plan=plan, items=items,
                           subperiods=subperiods, chart=progress.capaian_chart_svg(items),
                           short_label=short_label, can_report=plan.can_report(current_user),
                           plan_url=_optional_url("plans.show_plan", plan_id=plan.id))


# ---------------------------------------------------------------- one realisasi
def _show_context(realisation, **forms):
    user = current_user
    return dict(
        realisation=realisation, plan=realisation.plan, subperiod=realisation.subperiod,
        indicator=realisation.indicator,
        can_edit=realisation.can_edit(user), can_verify=realisation.can_verify(user),
        can_feedback=realisation.can_give_feedback(user),
        feedback_form=forms.get("feedback_form") or FeedbackForm(formdata=None),
        return_form=forms.get("return_form") or ReturnForm(formdata=None),
        upload_form=forms.get("upload_form") or UploadForm(formdata=None),
        link_form=forms.get("link_form") or LinkForm(formdata=None),
        confirm_form=ConfirmForm(formdata=None), decision_error=forms.get("decision_error"),
        max_size=evidence_storage.human_size(evidence_storage.max_bytes()))


def _render_show(realisation, **forms):
    return render_template("plans/realisation/show.html", **_show_context(realisation, **forms))


@bp.get("/<int:realisation_id>")
@allow(AUTHENTICATED)
def show_realisation(realisation_id):
    realisation = _load_realisation(realisation_id)
    ensure(realisation.can_view(current_user))
    return render_template("plans/realisation/show.html", **_show_context(realisation))


def _decision_response(realisation, done=True, **forms):
    """The decision card (htmx), else the page again with the error or, when done, a redirect.

    Refusals and invalid input come back with status 200, like every re-rendered form here."""
    if htmx:
        return render_template("plans/realisation/_decision.html", **_show_context(realisation, **forms))
    if done:
        return redirect(url_for("realisations.show_realisation", realisation_id=realisation.id))
    return _render_show(realisation, **forms)


@bp.post("/<int:realisation_id>/verifikasi")
@allow(AUTHENTICATED)
def verify_realisation(realisation_id):
    realisation = _load_realisation(realisation_id)
    ensure(realisation.plan.is_appraiser(current_user))
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _decision_response(realisation, False, decision_error=_("Token keamanan formulir kedaluwarsa. "
                                                                     "Muat ulang halaman lalu coba lagi."))
    try:
        services.verify_realisation(realisation)
    except services.RealisationError as exc:
        db.session.rollback()
        return _decision_response(_load_realisation(realisation_id), False, decision_error=str(exc))
    db.session.commit()
    if not htmx:
        flash(_("Realisasi sudah diverifikasi."), "success")
    return _decision_response(realisation)


@bp.post("/<int:realisation_id>/kembalikan")
@allow(AUTHENTICATED)
def return_realisation(realisation_id):
    realisation = _load_realisation(realisation_id)
    ensure(realisation.plan.is_appraiser(current_user))
    form = ReturnForm()
    if not form.validate_on_submit():
        return _decision_response(realisation, False, return_form=form)
    try:
        services.return_realisation(realisation, form.reason.data)
    except services.RealisationError as exc:
        db.session.rollback()
        realisation = _load_realisation(realisation_id)
        if exc.field == "reason":
            form.reason.errors = [str(exc)]
            return _decision_response(realisation, False, return_form=form)
        return _decision_response(realisation, False, decision_error=str(exc))
    db.session.commit()
    if not htmx:
        flash(_("Realisasi dikembalikan kepada pegawai dengan alasannya."), "success")
    return _decision_response(realisation)


@bp.post("/<int:realisation_id>/umpan-balik")
@allow(AUTHENTICATED)
def add_feedback(realisation_id):
    realisation = _load_realisation(realisation_id)
    ensure(realisation.can_give_feedback(current_user))
    form = FeedbackForm()
    if form.validate_on_submit():
        try:
            services.add_feedback(realisation, form.body.data)
        except services.RealisationError as exc:
            db.session.rollback()
            realisation = _load_realisation(realisation_id)
            form.body.errors = [str(exc)]
        else:
            db.session.commit()
            if htmx:
                return render_template("plans/realisation/_feedback.html",
                                       **_show_context(realisation, feedback_form=FeedbackForm(formdata=None)))
            flash(_("Umpan balik terkirim."), "success")
            return redirect(url_for("realisations.show_realisation", realisation_id=realisation_id)
                            + "#umpan-balik")
    if htmx:
        return render_template("plans/realisation/_feedback.html",
                               **_show_context(realisation, feedback_form=form))
    return _render_show(realisation, feedback_form=form)


def _evidence_done(realisation_id, message):
    flash(message, "success")
    return redirect(url_for("realisations.show_realisation", realisation_id=realisation_id) + "#bukti")


@bp.post("/<int:realisation_id>/bukti")
@allow(AUTHENTICATED)
def upload_evidence(realisation_id):
    realisation = _load_realisation(realisation_id)
    ensure(realisation.plan.is_owner(current_user))
    form = UploadForm()
    if form.validate_on_submit():
        try:
            evidence = services.add_file_evidence(realisation, form.file.data)
        except services.RealisationError as exc:
            db.session.rollback()
            form.file.errors = [str(exc)]
            return _render_show(_load_realisation(realisation_id), upload_form=form)
        db.session.commit()
        return _evidence_done(realisation_id, _("Bukti dukung %(name)s sudah diunggah.", name=evidence.title))
    return _render_show(realisation, upload_form=form)


@bp.post("/<int:realisation_id>/tautan")
@allow(AUTHENTICATED)
def add_link(realisation_id):
    realisation = _load_realisation(realisation_id)
    ensure(realisation.plan.is_owner(current_user))
    form = LinkForm()
    if form.validate_on_submit():
        try:
            evidence = services.add_link_evidence(realisation, form.url.data, form.title.data)
        except services.RealisationError as exc:
            db.session.rollback()
            (form.title if exc.field == "title" else form.url).errors = [str(exc)]
            return _render_show(_load_realisation(realisation_id), link_form=form)
        db.session.commit()
        return _evidence_done(realisation_id, _("Tautan %(name)s sudah ditambahkan.", name=evidence.title))
    return _render_show(realisation, link_form=form)


@bp.post("/bukti/<int:evidence_id>/hapus")
@allow(AUTHENTICATED)
def remove_evidence(evidence_id):
    evidence = db.get_or_404(Evidence, evidence_id)
    realisation_id = evidence.realisation_id
    ensure(evidence.realisation.plan.is_owner(current_user))
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.remove_evidence(evidence)
    except services.RealisationError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("realisations.show_realisation", realisation_id=realisation_id) + "#bukti")
    db.session.commit()
    return _evidence_done(realisation_id, _("Bukti dukung dihapus."))


@bp.get("/bukti/<int:evidence_id>")
@allow(AUTHENTICATED)
def download_evidence(evidence_id):
    evidence = db.get_or_404(Evidence, evidence_id)
    ensure(evidence.can_download(current_user))
    if evidence.kind is EvidenceKind.LINK:
        # A link is opened where it points; checked as http(s) when it was added.
        return redirect(evidence.url)
    try:
        path = evidence_storage.stored_path(evidence.stored_name)
    except FileNotFoundError:
        abort(404)
    if not path.is_file():
        abort(404)
    content_type = evidence.content_type if evidence.content_type in evidence_storage.ALLOWED_TYPES \
        else "application/octet-stream"
    response = send_file(path, mimetype=content_type, as_attachment=True, max_age=0,
                         download_name=evidence_storage.download_name(evidence.title, content_type))
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response

@bp.app_template_filter("evidence_size")
def _evidence_size(n):
    return evidence_storage.human_size(n or 0)


@bp.app_template_filter("realisation_number")
def _realisation_number(value):
    return rules.format_number(value)
