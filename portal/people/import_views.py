"""SIASN import pages: upload and preview, the row report, commit and discard."""
from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField
from wtforms.validators import DataRequired

from portal.auth.models import Role
from portal.core.forms import BaseForm, ConfirmForm, choice_list, coerce_int
from portal.core.htmx import render_page
from portal.core.permissions import allow, ensure
from portal.extensions import db
from portal.people import importing, services
from portal.people.models import ImportBatch, OrgUnit

bp = Blueprint("imports", __name__, template_folder="templates", url_prefix="/impor")

IMPORTERS = (Role.BKPSDM, Role.SUPERADMIN)
SHOWN_PROBLEMS = 200




class ImportForm(BaseForm):
    file = FileField(_l("Berkas SIASN (.csv atau .xlsx)"), validators=[
        FileRequired(_l("Pilih berkas yang akan diimpor.")),
        FileAllowed(list(importing.ALLOWED_EXTENSIONS), _l("Hanya berkas .csv atau .xlsx yang dapat diimpor."))])
    parent_unit = SelectField(_l("Unit induk untuk unit kerja baru"), coerce=coerce_int,
                              validators=[DataRequired(_l("Pilih unit induk."))])


def _column_help():
    """(column, required, description) rows for the page that explains the file."""
    return [
        ("nip_baru", True, _("NIP PNS atau NI PPPK, 18 angka (format kolom sebagai Teks di Excel).")),
        ("nama", True, _("Nama; gelar di dalam nama dipisahkan otomatis bila kolom gelar kosong.")),
        ("gelar_depan, gelar_belakang", False, _("Gelar, bila terpisah dari nama.")),
        ("tanggal_lahir", True, _("YYYY-MM-DD, DD-MM-YYYY atau DD/MM/YYYY; harus sesuai dengan NIP.")),
        ("jenis_kelamin", True, _("L/P, M/F, Laki-laki/Perempuan atau 1/2; harus sesuai dengan NIP.")),
        ("jenis_pegawai", True, _("Berisi \"PPPK\" untuk PPPK; selain itu PNS.")),
        ("status_cpns_pns", False, _("CPNS atau PNS (khusus PNS).")),
        ("tmt_cpns", False, _("Tanggal TMT; bila kosong diambil dari NIP untuk pegawai baru.")),
        ("gol_akhir", False, _("Golongan: I/a–IV/e untuk PNS, I–XVII untuk PPPK.")),
        ("jenis_jabatan", True, _("JPT Utama/Madya/Pratama, Administrator, Pengawas, Pelaksana (Fungsional Umum), "
                                  "Fungsional Keahlian/Keterampilan (Fungsional Tertentu: jenjang dari nama jabatan).")),
        ("jabatan", True, _("Nama jabatan; dibuat di unit kerjanya bila belum ada.")),
        ("unor_nama", True, _("Nama unit kerja; dicari di bawah unit induk, dibuat bila belum ada.")),
        ("nip_atasan", False, _("NIP atasan langsung (juga atasan_nip atau nip_atasan_langsung); harus ada di "
                                "berkas atau di database.")),
        ("email_gov, no_hp", False, _("Email dinas dan nomor telepon.")),
    ]


def _recent_batches():
    return db.paginate(importing.batch_query(current_user), per_page=current_app.config["PER_PAGE"],
                       error_out=False, count=True)


@bp.route("/", methods=["GET", "POST"])
@allow(*IMPORTERS)
def new_import():
    form = ImportForm()
    form.parent_unit.choices = choice_list(services.unit_choices(max_depth=1, also=form.parent_unit.data))
    if request.method == "GET" and form.parent_unit.data is None:
        root = services.instansi_root()
        form.parent_unit.data = root.id if root else None
    if form.validate_on_submit():
        parent = db.session.get(OrgUnit, form.parent_unit.data)
        upload = form.file.data
        try:
            path = importing.store_upload(upload.stream, upload.filename)
            batch = importing.preview_import(path, upload.filename, parent, current_user)
        except importing.ImportFailed as exc:
            db.session.rollback()
            form.file.errors = [*form.file.errors, str(exc)]
        else:
            db.session.commit()
            if batch.count_rejected:
                flash(_("Pratinjau siap: %(n)d baris ditolak. Perbaiki berkas lalu unggah ulang.",
                        n=batch.count_rejected), "warning")
            else:
                flash(_("Pratinjau siap. Periksa ringkasannya lalu simpan ke database."), "success")
            return redirect(url_for("imports.show_import", batch_id=batch.id))
    return render_page("imports/new.html", "imports/_batches.html", form=form, page=_recent_batches(),
                       columns=_column_help())


@bp.get("/templat.csv")
@allow(*IMPORTERS)
def download_template():
    return Response(importing.template_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=templat-impor-siasn.csv"})


@bp.get("/<int:batch_id>")
@allow(*IMPORTERS)
def show_import(batch_id):
    batch = db.get_or_404(ImportBatch, batch_id)
    ensure(batch.can_view(current_user))
    report = batch.report or []
    job = importing.commit_job(batch)
    saving = job is not None and not job.status.is_finished
    return render_template("imports/show.html", batch=batch, problems=report[:SHOWN_PROBLEMS],
                           more=max(0, len(report) - SHOWN_PROBLEMS), form=ConfirmForm(),
                           summary=importing.preview_summary(batch), job=job, saving=saving,
                           can_commit=batch.can_commit(current_user) and not saving)


@bp.get("/<int:batch_id>/laporan.csv")
@allow(*IMPORTERS)
def download_report(batch_id):
    batch = db.get_or_404(ImportBatch, batch_id)
    ensure(batch.can_view(current_user))
    return Response(importing.report_csv(batch), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=laporan-impor-{batch.id}.csv"})


@bp.post("/<int:batch_id>/simpan")
@allow(*IMPORTERS)
def commit_import(batch_id):
    # Locked so that two clicks cannot queue the same batch twice (PostgreSQL, MariaDB).
    batch = db.get_or_404(ImportBatch, batch_id, with_for_update=True)
    ensure(batch.can_view(current_user))
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("Token keamanan formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(url_for("imports.show_import", batch_id=batch_id))
    try:
        job = importing.request_commit(batch, current_user)
    except importing.ImportFailed as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("imports.show_import", batch_id=batch_id))
    db.session.commit()
    # The job page shows the progress, then the counts and a link back to the batch.
    return redirect(url_for("jobs.show_job", job_id=job.id))


@bp.post("/<int:batch_id>/batal")
@allow(*IMPORTERS)
def discard_import(batch_id):
    # Locked: a commit job holds the batch while it writes; its outcome is read after it.
    batch = db.get_or_404(ImportBatch, batch_id, with_for_update=True)
    ensure(batch.can_view(current_user))
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("Token keamanan formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(url_for("imports.show_import", batch_id=batch_id))
    try:
        importing.discard_import(batch, current_user)
    except importing.ImportFailed as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(url_for("imports.show_import", batch_id=batch_id))
    db.session.commit()
    flash(_("Impor %(name)s dibatalkan; berkasnya sudah dihapus.", name=batch.filename), "info")
    return redirect(url_for("imports.new_import"))
