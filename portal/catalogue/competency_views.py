"""BKPSDM's competency dictionary, the BerAKHLAK → competency mapping, RHK/IKI competency tags and thresholds.

Everyone signed in reads the dictionary and the mapping (a pegawai tags their own RHK with it);
BKPSDM and the superadmin edit them; pimpinan also reads the thresholds. Tags on an SKP are
edited by its owner, its appraiser and BKPSDM, and read by whoever may see the SKP.
"""
import hashlib

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from portal.auth.models import Role
from portal.catalogue import competency_services as services
from portal.catalogue.competency_forms import SAVE, CompetencyForm, MappingForm, SearchForm, SettingsForm, TagForm
from portal.catalogue.errors import CatalogueError
from portal.catalogue.models import CatalogueSettings, Competency, CompetencyGroup
from portal.catalogue.settings_services import current_settings
from portal.core.forms import ConfirmForm, attach_error
from portal.core.htmx import render_page
from portal.core.permissions import AUTHENTICATED, access_of, allow, ensure, user_may
from portal.extensions import db, htmx
from portal.plans.models import CoreValue, Indicator, PerformancePlan, ResultPlan
from portal.plans.rules import GUIDE_BEHAVIOURS

bp = Blueprint("competencies", __name__, template_folder="templates", url_prefix="/kompetensi")

EDITORS = (Role.BKPSDM, Role.SUPERADMIN)


def _shows_settings() -> bool:
    """Whether the tabs offer the thresholds page (its readers: BKPSDM, superadmin, pimpinan)."""
    return user_may(current_user, access_of("competencies.edit_settings"))


def _fingerprint(*parts) -> str:
    """A short digest of what a preview counted, carried to the Simpan button."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


# ---------------------------------------------------------------- dictionary
@bp.get("/")
@allow(AUTHENTICATED)
def list_competencies():
    search = SearchForm(request.args)
    search.validate()
    query = search.q.data if not search.q.errors else None
    sections = services.dictionary(query)
    return render_page("catalogue/competencies/list.html", "catalogue/competencies/_results.html",
                       search=search, query=query, sections=sections, counts=services.programme_counts(),
                       total=sum(len(s.competencies) for s in sections),
                       can_edit=CatalogueSettings.can_edit(current_user), show_settings_tab=_shows_settings())


def _field_names() -> list[str]:
    return sorted({c.field for s in services.dictionary() for c in s.competencies if c.field})


def _render_form(form, competency=None):
    return render_template("catalogue/competencies/form.html", form=form, competency=competency,
                           fields=_field_names())


@bp.route("/baru", methods=["GET", "POST"])
@allow(*EDITORS)
def new_competency():
    ensure(CatalogueSettings.can_edit(current_user))
    form = CompetencyForm()
    if request.method == "GET":
        form.group.data = CompetencyGroup.TECHNICAL
        return _render_form(form)
    if not form.validate():
        return _render_form(form)
    try:
        competency = services.create_competency(**form.values())
    except CatalogueError as exc:
        db.session.rollback()
        attach_error(form, exc)
        return _render_form(form)
    db.session.commit()
    flash(_("Kompetensi %(name)s ditambahkan.", name=competency.name), "success")
    return redirect(url_for("competencies.list_competencies"), 303)


@bp.route("/<int:competency_id>/ubah", methods=["GET", "POST"])
@allow(*EDITORS)
def edit_competency(competency_id):
    competency = db.get_or_404(Competency, competency_id)
    ensure(competency.can_edit(current_user))
    form = CompetencyForm(obj=competency) if request.method == "GET" else CompetencyForm()
    if request.method == "GET" or not form.validate():
        return _render_form(form, competency)
    try:
        services.update_competency(competency, **form.values())
    except CatalogueError as exc:
        db.session.rollback()
        attach_error(form, exc)
        return _render_form(form, db.get_or_404(Competency, competency_id))
    db.session.commit()
    flash(_("Kompetensi %(name)s disimpan.", name=competency.name), "success")
    return redirect(url_for("competencies.list_competencies"), 303)


def _set_active(competency_id, active):
    competency = db.get_or_404(Competency, competency_id)
    ensure(competency.can_edit(current_user))
    if ConfirmForm().validate_on_submit():
        try:
            services.set_competency_active(competency, active)
        except CatalogueError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            db.session.commit()
            flash(_("Kompetensi %(name)s diaktifkan kembali.", name=competency.name) if active
                  else _("Kompetensi %(name)s dinonaktifkan.", name=competency.name), "success")
    return redirect(url_for("competencies.edit_competency", competency_id=competency_id), 303)


@bp.post("/<int:competency_id>/nonaktifkan")
@allow(*EDITORS)
def deactivate_competency(competency_id):
    return _set_active(competency_id, False)


@bp.post("/<int:competency_id>/aktifkan")
@allow(*EDITORS)
def activate_competency(competency_id):
    return _set_active(competency_id, True)


# ---------------------------------------------------------------- BerAKHLAK mapping
def _core_value(raw) -> CoreValue | None:
    try:
        return CoreValue(raw)
    except ValueError:
        return None


def _mapping_context(**extra):
    sections = services.dictionary()
    names = {c.id: c for s in sections for c in s.competencies}
    mapping = services.core_value_map()
    rows = [(value, GUIDE_BEHAVIOURS.get(value, ()),
             sorted((names[i] for i in mapping[value] if i in names), key=lambda c: c.name.lower()))
            for value in CoreValue]
    value = extra.get("value")
    return dict(rows=rows, sections=sections, mapping=mapping, can_edit=CatalogueSettings.can_edit(current_user),
                guide=GUIDE_BEHAVIOURS.get(value, ()) if value else (), show_settings_tab=_shows_settings(), **extra)


@bp.get("/berakhlak")
@allow(AUTHENTICATED)
def show_mapping():
    value = _core_value(request.args.get("nilai")) if request.args.get("nilai") else None
    if value is None:
        return render_template("catalogue/competencies/mapping.html", **_mapping_context())
    ensure(CatalogueSettings.can_edit(current_user))
    form = MappingForm(formdata=None, data={"nilai": value.value,
                                            "competencies": sorted(services.core_value_map()[value])})
    return render_template("catalogue/competencies/mapping_edit.html",
                           **_mapping_context(value=value, form=form, preview=None))


@bp.post("/berakhlak")
@allow(*EDITORS)
def update_mapping():
    ensure(CatalogueSettings.can_edit(current_user))
    form = MappingForm()
    value = _core_value(form.nilai.data)
    if value is None:
        abort(404)
    selected = form.selected_ids()
    fingerprint = _fingerprint(value.value, sorted(selected))
    context = dict(value=value, form=form)
    if not form.validate():
        return render_template("catalogue/competencies/mapping_edit.html", **_mapping_context(**context, preview=None))
    try:
        if form.action.data == SAVE and form.previewed.data == fingerprint:
            services.save_core_value_map({value: selected}, user=current_user)
            db.session.commit()
            flash(_("Kompetensi untuk nilai %(value)s disimpan. Rekomendasi pegawai sedang dihitung ulang.",
                    value=value.title), "success")
            return redirect(url_for("competencies.show_mapping"), 303)
        # A preview, or a save of a selection other than the one previewed: count first.
        count = services.preview_core_value_map({value: selected})
    except CatalogueError as exc:
        db.session.rollback()
        attach_error(form, exc)
        return render_template("catalogue/competencies/mapping_edit.html", **_mapping_context(**context, preview=None))
    unchanged = selected == services.core_value_map()[value]
    preview = dict(count=count, fingerprint=fingerprint, unchanged=unchanged)
    if htmx:
        return render_template("catalogue/competencies/_mapping_preview.html", preview=preview, value=value)
    return render_template("catalogue/competencies/mapping_edit.html", **_mapping_context(**context, preview=preview))


# ---------------------------------------------------------------- thresholds
def _render_settings(form, preview=None):
    return render_template("catalogue/competencies/settings.html", form=form, preview=preview,
                           can_edit=CatalogueSettings.can_edit(current_user), show_settings_tab=True)


@bp.get("/ambang")
@allow(Role.BKPSDM, Role.SUPERADMIN, Role.PIMPINAN)
def edit_settings():
    return _render_settings(SettingsForm(obj=current_settings()))


@bp.post("/ambang")
@allow(*EDITORS)
def update_settings():
    ensure(CatalogueSettings.can_edit(current_user))
    form = SettingsForm()
    if not form.validate():
        if htmx:
            return render_template("catalogue/competencies/_settings_form.html", form=form, preview=None)
        return _render_settings(form)
    values = form.values()
    fingerprint = _fingerprint(sorted(values.items()))
    try:
        if form.action.data == SAVE and form.previewed.data == fingerprint:
            services.update_settings(values, user=current_user)
            db.session.commit()
            flash(_("Pengaturan rekomendasi disimpan."), "success")
            return redirect(url_for("competencies.edit_settings"), 303)
        count = services.preview_settings(values)
    except CatalogueError as exc:
        db.session.rollback()
        attach_error(form, exc)
        return _render_settings(form)
    settings = current_settings()
    unchanged = all(getattr(settings, k) == v for k, v in values.items())
    touches = any(getattr(settings, k) != values[k] for k in services.RECOMMENDATION_SETTINGS)
    preview = dict(count=count, fingerprint=fingerprint, unchanged=unchanged, touches=touches)
    if htmx:
        return render_template("catalogue/competencies/_settings_form.html", form=form, preview=preview)
    return _render_settings(form, preview)


# ---------------------------------------------------------------- RHK / IKI tags
def _load_plan(plan_id) -> PerformancePlan:
    return db.get_or_404(PerformancePlan, plan_id, options=[
        joinedload(PerformancePlan.employee), joinedload(PerformancePlan.period)])


def _tags_context(plan, **extra):
    results, result_tags, indicator_tags = services.load_plan_tags(plan)
    return dict(plan=plan, results=results, result_tags=result_tags, indicator_tags=indicator_tags,
                can_tag=services.can_tag(plan, current_user), choices=services.active_competencies(), **extra)


@bp.get("/skp/<int:plan_id>")
@allow(AUTHENTICATED)
def show_plan_tags(plan_id):
    plan = _load_plan(plan_id)
    ensure(plan.can_view(current_user))
    return render_template("catalogue/competencies/plan_tags.html", **_tags_context(plan))


def _render_target(plan, *, result=None, indicator=None, error=None):
    """The tag editor of one RHK or IKI (htmx), or the whole page with the error (no JS)."""
    if htmx:
        results, result_tags, indicator_tags = services.load_plan_tags(plan)
        return render_template("catalogue/competencies/_tags.html", plan=plan, result=result, indicator=indicator,
                               tags=(indicator_tags[indicator.id] if indicator else result_tags[result.id]),
                               can_tag=services.can_tag(plan, current_user), choices=services.active_competencies(),
                               error=error)
    if error:
        flash(error, "danger")
    anchor = f"iki-{indicator.id}" if indicator else f"rhk-{result.id}"
    return redirect(url_for("competencies.show_plan_tags", plan_id=plan.id, _anchor=anchor), 303)


def _change_tag(plan, *, result=None, indicator=None, competency=None, remove=False):
    ensure(services.can_tag(plan, current_user))
    if competency is None:
        form = TagForm()
        competency_id = form.competency_id.data if form.validate() else None
        competency = db.session.get(Competency, competency_id) if competency_id else None
    if competency is None:
        return _render_target(plan, result=result, indicator=indicator, error=_("Pilih kompetensi."))
    try:
        if remove:
            services.remove_tag(competency, result=result, indicator=indicator)
        else:
            services.add_tag(competency, result=result, indicator=indicator)
    except CatalogueError as exc:
        db.session.rollback()
        return _render_target(plan, result=result, indicator=indicator, error=str(exc))
    db.session.commit()
    if not htmx:
        flash(_("Kompetensi %(name)s dihapus dari tanda.", name=competency.name) if remove
              else _("Kompetensi %(name)s ditandai.", name=competency.name), "success")
    return _render_target(plan, result=result, indicator=indicator)


def _load_result(result_id) -> ResultPlan:
    return db.get_or_404(ResultPlan, result_id, options=[joinedload(ResultPlan.plan)])


def _load_indicator(indicator_id) -> Indicator:
    return db.get_or_404(Indicator, indicator_id, options=[
        joinedload(Indicator.result).joinedload(ResultPlan.plan)])


@bp.post("/rhk/<int:result_id>/tanda")
@allow(AUTHENTICATED)
def add_result_tag(result_id):
    result = _load_result(result_id)
    return _change_tag(result.plan, result=result)


@bp.post("/rhk/<int:result_id>/tanda/<int:competency_id>/hapus")
@allow(AUTHENTICATED)
def remove_result_tag(result_id, competency_id):
    result = _load_result(result_id)
    competency = db.get_or_404(Competency, competency_id)
    return _change_tag(result.plan, result=result, competency=competency, remove=True)


@bp.post("/iki/<int:indicator_id>/tanda")
@allow(AUTHENTICATED)
def add_indicator_tag(indicator_id):
    indicator = _load_indicator(indicator_id)
    return _change_tag(indicator.result.plan, indicator=indicator)


@bp.post("/iki/<int:indicator_id>/tanda/<int:competency_id>/hapus")
@allow(AUTHENTICATED)
def remove_indicator_tag(indicator_id, competency_id):
    indicator = _load_indicator(indicator_id)
    competency = db.get_or_404(Competency, competency_id)
    return _change_tag(indicator.result.plan, indicator=indicator, competency=competency, remove=True)

