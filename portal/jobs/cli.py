"""flask jobs …: the worker that runs background jobs, and a look at the jobs."""
import logging
import time

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from portal.extensions import db
from portal.jobs import queue, runner, services
from portal.jobs.models import Job, JobStatus

jobs_cli = AppGroup("jobs", help="Tugas latar belakang.")


@jobs_cli.command("worker")
@click.option("--workers", "-w", type=click.IntRange(min=1, max=64), default=None,
              help="Jumlah thread pekerja (bawaan: JOBS_WORKERS, yaitu 2).")
def worker_command(workers):
    """Jalankan pekerja yang mengerjakan tugas latar belakang (berhenti dengan Ctrl-C)."""
    job_queue = queue.job_queue()
    if job_queue.immediate:
        raise click.ClickException(_("JOBS_IMMEDIATE aktif: tugas dijalankan langsung saat dibuat, "
                                     "pekerja tidak diperlukan."))
    workers = workers or current_app.config.get("JOBS_WORKERS") or 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    sent = runner.send_waiting()
    db.session.remove()
    if sent:
        click.echo(_("%(n)d tugas yang menunggu dikirim ulang ke antrean.", n=sent))
    # An idle consumer polls ever less often; at most once a second keeps a new job's wait short
    # (Redis blocks on the queue instead; the SQLite queue is polled).
    consumer = job_queue.huey.create_consumer(workers=workers, worker_type="thread", periodic=False, max_delay=1.0)
    consumer.run()


@jobs_cli.command("list")
@click.option("--status", type=click.Choice([s.value for s in JobStatus]), help="Hanya tugas berstatus ini.")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=20, show_default=True)
def list_command(status, limit):
    """Tampilkan tugas terbaru."""
    stmt = sa.select(Job).order_by(Job.id.desc()).limit(limit)
    if status:
        stmt = stmt.where(Job.status == JobStatus(status))
    jobs = db.session.scalars(stmt).all()
    if not jobs:
        click.echo(_("Belum ada tugas."))
        return
    for job in jobs:
        click.echo(f"#{job.id:<6} {job.status.value:<9} {job.progress:>3}%  {job.kind:<14} "
                   f"{job.created_dt:%Y-%m-%d %H:%M}  {job.title}")
        if job.status is JobStatus.FAILED and job.message:
            click.echo(f"        {job.message}")


@jobs_cli.command("check")
@click.option("--seconds", type=click.FloatRange(min=0, max=60), default=2, show_default=True,
              help="Lama tugas uji.")
@click.option("--wait/--no-wait", default=True, show_default=True, help="Tunggu sampai tugas selesai.")
@click.option("--timeout", type=click.FloatRange(min=1), default=60, show_default=True,
              help="Batas tunggu dalam detik.")
def check_command(seconds, wait, timeout):
    """Antrekan tugas uji (tidak mengubah data) untuk memeriksa bahwa pekerja berjalan."""
    job = services.enqueue("sleep", _("Uji pekerja"), params={"seconds": seconds, "steps": 4})
    db.session.commit()
    job_id = job.id
    click.echo(_("Tugas uji #%(id)d diantrekan.", id=job_id))
    if not wait:
        return
    deadline = time.monotonic() + timeout
    while True:
        db.session.remove()
        job = db.session.get(Job, job_id)
        if job.status.is_finished:
            click.echo(f"#{job_id}: {job.status.title} — {job.message}")
            if job.status is JobStatus.FAILED:
                raise click.exceptions.Exit(1)
            return
        if time.monotonic() > deadline:
            raise click.ClickException(_("Tugas uji #%(id)d belum selesai (status %(status)s). Apakah `flask jobs "
                                         "worker` berjalan?", id=job_id, status=job.status.title))
        time.sleep(0.5)
