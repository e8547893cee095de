"""flask people …"""
import json
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.people import importing, services
from portal.people.models import OrgUnit

people_cli = AppGroup("people", help="Pegawai dan organisasi.")

SHOWN_PROBLEMS = 20


def _find_parent(value) -> OrgUnit:
    if not value:
        unit = services.instansi_root()
        if unit is None:
            raise click.UsageError("Belum ada instansi (unit puncak); buat dulu pohon organisasinya.")
        return unit
    if value.isdigit():
        unit = db.session.get(OrgUnit, int(value))
        if unit is None:
            raise click.BadParameter(f"tidak ada unit dengan id {value}", param_hint="--parent")
        return unit
    units = db.session.scalars(sa.select(OrgUnit).where(
        sa.func.lower(OrgUnit.name) == " ".join(value.split()).lower())).all()
    if len(units) != 1:
        problem = "tidak ada unit bernama" if not units else "lebih dari satu unit bernama"
        raise click.BadParameter(f"{problem} {value!r}; gunakan id unit", param_hint="--parent")
    return units[0]


def _find_user(username):
    from portal.auth.models import User
    if not username:
        return None
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise click.BadParameter(f"tidak ada akun {username!r}", param_hint="--user")
    return user


@people_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--parent", help="Unit induk (id atau nama) tempat unit baru dibuat; bawaan: instansi.")
@click.option("--dry-run", is_flag=True, help="Hanya pratinjau; tidak ada yang disimpan.")
@click.option("--report-json", type=click.Path(dir_okay=False, path_type=Path),
              help="Tulis laporan baris dan jumlahnya sebagai JSON ke berkas ini.")
@click.option("--user", "username", help="Nama akun yang tercatat sebagai pengimpor.")
def import_command(file, parent, dry_run, report_json, username):
    """Impor berkas SIASN (CSV/XLSX). Keluar dengan kode 1 bila ada baris yang ditolak."""
    code = _run_import(file, parent, dry_run, report_json, username)
    click.get_current_context().exit(code)


def _run_import(file, parent, dry_run, report_json, username) -> int:
    parent_unit = _find_parent(parent)
    user = _find_user(username)
    try:
        batch = importing.preview_import(file, file.name, parent_unit, user)
    except importing.ImportFailed as exc:
        db.session.rollback()
        click.echo(f"Berkas ditolak: {exc}", err=True)
        _write_report(report_json, file, None, [], committed=False, error=str(exc))
        return 1
    counts = {"new": batch.count_new, "changed": batch.count_changed,
              "unchanged": batch.count_unchanged, "rejected": batch.count_rejected}
    report, stored = list(batch.report or []), importing.stored_path(batch)
    click.echo(f"{file.name}: {counts['new']} baru, {counts['changed']} berubah, "
               f"{counts['unchanged']} tidak berubah, {counts['rejected']} ditolak.")
    committed = False
    if counts["rejected"] or dry_run:
        # Nothing is written: not even the batch (the stored copy goes too).
        db.session.rollback()
        stored.unlink(missing_ok=True)
        for problem in report[:SHOWN_PROBLEMS]:
            click.echo(f"  baris {problem['row']}, {problem['column']} ({problem['value']}): {problem['message']}",
                       err=True)
        if len(report) > SHOWN_PROBLEMS:
            click.echo(f"  … dan {len(report) - SHOWN_PROBLEMS} lainnya.", err=True)
        click.echo("Tidak ada yang disimpan." if counts["rejected"] else "Uji coba: tidak ada yang disimpan.")
    else:
        try:
            importing.commit_import(batch, user)
        except importing.ImportFailed as exc:
            db.session.commit()  # keep the batch's record of why it failed
            click.echo(f"Impor gagal: {exc}", err=True)
            _write_report(report_json, file, counts, list(batch.report or []), committed=False, error=str(exc))
            return 1
        except IntegrityError as exc:
            # The database refused a row the checks let through (e.g. a concurrent change).
            db.session.rollback()
            stored.unlink(missing_ok=True)
            click.echo(f"Impor gagal, tidak ada yang disimpan: {exc.orig}", err=True)
            _write_report(report_json, file, counts, report, committed=False, error=str(exc.orig))
            return 1
        db.session.commit()
        committed = True
        click.echo(f"Tersimpan (impor #{batch.id}).")
    _write_report(report_json, file, counts, report, committed=committed,
                  batch_id=batch.id if committed else None)
    return 1 if counts["rejected"] else 0


def _write_report(path, file, counts, rows, *, committed, batch_id=None, error=None):
    if path is None:
        return
    payload = {"file": str(file), "counts": counts, "rows": rows, "committed": committed,
               "batch_id": batch_id, "error": error}
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
