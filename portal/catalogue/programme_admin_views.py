"""BKPSDM manages the programme catalogue: create, edit, archive, import from CSV."""
from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from portal.auth.models import Role
from portal.catalogue import programme_import, programme_services
from portal.catalogue.errors import CatalogueError
from portal.catalogue.models import Programme, ProgrammeStatus, ProgrammeUnit
from portal.catalogue.programme_forms import (
    ImportConfirmForm,
    ProgrammeEditForm,
    ProgrammeFilterForm,
    ProgrammeImportForm,
)
from portal.core.forms import ConfirmForm, attach_error, page_number
from portal.core.htmx import render_page
from portal.core.permissions import allow, ensure
from portal.extensions import db
from portal.people import services as people_services

bp = Blueprint("programme_admin", __name__, template_folder="templates", url_prefix="/katalog/kelola")

EDITORS = (Role.BKPSDM, Role.SUPERADMIN)
SHOWN_PROBLEMS = 500
SHOWN_ROWS = 200


def _load(programme_id) -> Programme:
    return db.get_or_404(Programme, programme_id, options=[
        selectinload(Programme.competency_links), selectinload(Programme.unit_links).joinedload(ProgrammeUnit.org_unit)])


def _back_to_list():
    # Only our own list URLs come back from the form: anything else falls back to the list.
    target = request.form.get("next") or ""
    prefix = url_for("programme_admin.list_programmes")
    return target if target.startswith(prefix) and "//" not in target else prefix


# ---------------------------------------------------------------- list
@bp.get("/")
@allow(*EDITORS)
def list_programmes():
    filters = ProgrammeFilterForm(request.args)
    filters.validate()
    page = db.paginate(programme_services.admin_query(**filters.criteria()), page=page_number(),
                       per_page=current_app.config["PER_PAGE"], error_out=False, count=True)
    return render_page("catalogue/programme_admin/list.html", "catalogue/programme_admin/_results.html",
                       filters=filters, page=page, counts=programme_services.status_counts(),
                       statuses=ProgrammeStatus)


# ---------------------------------------------------------------- create and edit
def _form(programme=None, **kwargs) -> ProgrammeEditForm:
    form = ProgrammeEditForm(**kwargs)
    root = people_services.instansi_root()
    # The OPDs: the whole instansi is what "no unit" already means.
    units = [(i, name.strip()) for i, name in people_services.unit_choices(max_depth=1) if root is None or i != root.id]
    listed = {i for i, _name in units}
    # A deeper unit chosen earlier (seed data, a restructuring) stays choosable.
    units += [(link.org_unit_id, link.org_unit.name) for link in (programme.unit_links if programme else [])
              if link.org_unit_id not in listed]
    form.set_choices(units, programme_services.competency_choices())
    return form


def _render_form(form, programme=None):
    return render_template("catalogue/programme_admin/form.html", form=form, programme=programme)


@bp.route("/baru", methods=["GET", "POST"])
@allow(*EDITORS)
def new_programme():
    ensure(current_user.manages_whole_instansi)
    form = _form(data={"open_to_pppk": True} if request.method == "GET" else None)
    if not form.validate_on_submit():
        return _render_form(form)
    try:
        programme = programme_services.create_programme(form.to_data(), current_user)
    except CatalogueError as exc:
        db.session.rollback()
        attach_error(form, exc)
        return _render_form(form)
    db.session.commit()
    flash(_("Program %(title)s sudah ditambahkan ke katalog.", title=programme.title), "success")
    return redirect(url_for("programme_admin.list_programmes"), code=303)


def _render_stale(form, programme_id):
    """The typed input stays; the form now carries the latest version, so saving again overwrites
    the other change on purpose."""
    fresh = _load(programme_id)
    form.form_errors.append(str(programme_services.StaleEdit()))
    form.lock_version.data = fresh.lock_version
    return _render_form(form, fresh)


@bp.route("/<int:programme_id>/ubah", methods=["GET", "POST"])
@allow(*EDITORS)
def edit_programme(programme_id):
    programme = _load(programme_id)
    ensure(programme.can_edit(current_user))
    form = _form(programme, data=programme_services.data_of(programme) if request.method == "GET" else None)
    if not form.validate_on_submit():
        return _render_form(form, programme)
    try:
        changes = programme_services.update_programme(programme, form.to_data(), current_user,
                                                      lock_version=form.lock_version.data)
        db.session.commit()
    except StaleDataError:  # saved by someone else between our read and our write
        db.session.rollback()
        return _render_stale(form, programme_id)
    except programme_services.StaleEdit:
        db.session.rollback()
        return _render_stale(form, programme_id)
    except CatalogueError as exc:
        db.session.rollback()
        attach_error(form, exc)
        return _render_form(form, _load(programme_id))
    if changes:
        flash(_("Perubahan program %(title)s sudah disimpan.", title=programme.title), "success")
    else:
        flash(_("Tidak ada yang berubah pada program %(title)s.", title=programme.title), "info")
    return redirect(url_for("programme_admin.list_programmes"), code=303)


# ---------------------------------------------------------------- archive and restore
def _change_status(programme_id, action, message):
    programme = _load(programme_id)
    ensure(programme.can_edit(current_user))
    if not ConfirmForm().validate_on_submit():
        flash(_("Token keamanan formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(_back_to_list(), code=303)
    try:
        action(programme, current_user)
    except CatalogueError as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(_back_to_list(), code=303)
    db.session.commit()
    flash(message % {"title": programme.title}, "success")
    return redirect(_back_to_list(), code=303)


@bp.post("/<int:programme_id>/arsipkan")
@allow(*EDITORS)
def archive_programme(programme_id):
    return _change_status(programme_id, programme_services.archive_programme,
                          _("Program %(title)s diarsipkan; tidak lagi tampil di katalog dan rekomendasi."))


@bp.post("/<int:programme_id>/pulihkan")
@allow(*EDITORS)
def restore_programme(programme_id):
    return _change_status(programme_id, programme_services.restore_programme,
                          _("Program %(title)s aktif kembali di katalog."))


# ---------------------------------------------------------------- CSV import
def _render_import(form, plan=None, token=None):
    return render_template("catalogue/programme_admin/import.html", form=form, plan=plan,
                           confirm_form=ImportConfirmForm(formdata=None, token=token),
                           problems=plan.problems[:SHOWN_PROBLEMS] if plan else [],
                           rows=plan.rows[:SHOWN_ROWS] if plan else [],
                           columns=programme_import.COLUMNS, required=programme_import.REQUIRED_COLUMNS,
                           max_mb=programme_import.max_bytes() / 1024 / 1024)


@bp.route("/impor", methods=["GET", "POST"])
@allow(*EDITORS)
def import_programmes():
    ensure(current_user.manages_whole_instansi)
    form = ProgrammeImportForm()
    if not form.validate_on_submit():
        return _render_import(form)
    try:
        data = programme_import.read_upload(form.file.data.stream)
        plan = programme_import.plan_import(data)
    except CatalogueError as exc:
        attach_error(form, exc)
        return _render_import(form)
    # A preview writes nothing; only a clean file waits for its confirmation.
    token = None if plan.problems else programme_import.keep_upload(data, current_user)
    return _render_import(form, plan, token)


@bp.post("/impor/simpan")
@allow(*EDITORS)
def commit_import():
    ensure(current_user.manages_whole_instansi)
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        flash(_("Token keamanan formulir kedaluwarsa. Unggah berkasnya lagi."), "danger")
        return redirect(url_for("programme_admin.import_programmes"), code=303)
    try:
        # Read again: the catalogue may have changed since the preview.
        plan = programme_import.plan_import(programme_import.load_upload(form.token.data, current_user))
        created, updated = programme_import.apply_import(plan, current_user)
    except CatalogueError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("programme_admin.import_programmes"), code=303)
    db.session.commit()
    programme_import.discard_upload(form.token.data, current_user)
    flash(_("Impor selesai: %(created)d program baru, %(updated)d program diperbarui. Rekomendasi pegawai "
            "dihitung ulang di latar belakang.", created=created, updated=updated), "success")
    return redirect(url_for("programme_admin.list_programmes"), code=303)


@bp.get("/impor/templat.csv")
@allow(*EDITORS)
def download_template():
    return Response(programme_import.template_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=templat-impor-program.csv"})
