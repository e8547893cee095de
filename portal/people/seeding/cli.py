"""``flask seed demo`` and ``flask seed scale``: build a seed, commit once, print the demo accounts.

On a database that is not empty the commands do nothing unless ``--reset`` is given; in the
production environment they ask for confirmation unless ``--yes`` is given.
"""
import time

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from portal.extensions import db
from portal.people.seeding.build import (
    MIN_SCALE_EMPLOYEES,
    SeedResult,
    build_demo,
    build_scale,
    is_empty,
    reset_database,
)
from portal.people.seeding.jobs import SeedError

seed_cli = AppGroup("seed", help="Data demo dan data skala.")


def _may_proceed(reset: bool, yes: bool, skipped_message: str) -> bool:
    if not is_empty() and not reset:
        click.echo(skipped_message)
        return False
    if current_app.config["ENV_NAME"] == "production" and not yes:
        question = (_("Lingkungan produksi: SEMUA data akan dihapus dan akun demo dengan kata sandi yang diketahui "
                      "umum akan dibuat. Lanjutkan?") if reset else
                    _("Lingkungan produksi: akun demo dengan kata sandi yang diketahui umum akan dibuat. Lanjutkan?"))
        click.confirm(question, abort=True)
    if reset:
        reset_database()
    return True


def _echo_result(result: SeedResult, seconds: float):
    click.echo(_("Selesai dalam %(s).1f detik: %(units)d unit kerja, %(positions)d jabatan, %(employees)d pegawai "
                 "(%(pppk)d PPPK).", s=seconds, units=result.units, positions=result.positions,
                 employees=result.employees, pppk=result.pppk))
    if result.plans is not None:
        p = result.plans
        click.echo(_("Kinerja: %(plans)d SKP, %(results)d RHK, %(indicators)d IKI, %(realisations)d realisasi, "
                     "%(activities)d laporan harian, %(teams)d tim kerja.", plans=p.plans, results=p.results,
                     indicators=p.indicators, realisations=p.realisations, activities=p.activities, teams=p.teams))
    if result.evaluations is not None:
        e = result.evaluations
        click.echo(_("Evaluasi: %(evaluations)d evaluasi (%(finals)d final), %(assessments)d capaian organisasi, "
                     "%(needs)d kebutuhan pengembangan, %(objections)d keberatan, %(peer)d masukan rekan, "
                     "%(services)d layanan, %(ikm)d respons IKM.", evaluations=e.evaluations, finals=e.finals,
                     assessments=e.org_assessments, needs=e.needs, objections=e.objections, peer=e.peer_inputs,
                     services=e.services, ikm=e.ikm_responses))
    if result.catalogue is not None:
        c = result.catalogue
        click.echo(_("Pengembangan: %(competencies)d kompetensi, %(programmes)d program, %(sessions)d sesi, "
                     "%(records)d catatan JP, %(certificates)d sertifikat, %(idps)d IDP; %(recs)d rekomendasi "
                     "dihitung dalam %(s).2f detik.", competencies=c.competencies, programmes=c.programmes,
                     sessions=c.sessions, records=c.learning_records, certificates=c.certificates, idps=c.idps,
                     recs=c.recommendations, s=c.recompute_seconds))
    click.echo("")
    click.echo(_("Akun demo:"))
    rows = [(_("Peran"), _("Login"), _("Kata sandi"), _("Nama"), _("Jabatan"))]
    rows += [(a.role, a.login, a.password, a.name, a.who) for a in result.accounts]
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        click.echo("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            click.echo("  ".join("-" * width for width in widths))


_reset_option = click.option("--reset", is_flag=True, help="Kosongkan seluruh basis data lebih dulu.")
_yes_option = click.option("--yes", is_flag=True, help="Jangan minta konfirmasi di lingkungan produksi.")


@seed_cli.command("demo")
@_reset_option
@_yes_option
def demo_command(reset, yes):
    """Buat data demo: satu kabupaten dengan ±300 pegawai dan akun demo untuk setiap peran."""
    if not _may_proceed(reset, yes, _("Basis data sudah berisi data; seed demo dilewati. "
                                      "Gunakan --reset untuk mengosongkan.")):
        return
    started = time.perf_counter()
    try:
        result = build_demo()
    except SeedError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    _echo_result(result, time.perf_counter() - started)


@seed_cli.command("scale")
@click.option("--employees", "-n", type=click.IntRange(min=MIN_SCALE_EMPLOYEES), default=12000, show_default=True,
              help="Jumlah pegawai.")
@_reset_option
@_yes_option
def scale_command(employees, reset, yes):
    """Buat instansi sintetis berukuran besar untuk uji kinerja, beserta akun demo."""
    if not _may_proceed(reset, yes, _("Basis data sudah berisi data; seed skala dilewati. "
                                      "Gunakan --reset untuk mengosongkan.")):
        return
    started = time.perf_counter()
    try:
        result = build_scale(employees)
    except SeedError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    _echo_result(result, time.perf_counter() - started)
