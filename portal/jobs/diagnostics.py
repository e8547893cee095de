"""Diagnostic job kinds: they touch no data, so they show whether a worker runs jobs at all
(``flask jobs check``) and let tests drive a real worker."""
import time

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.jobs.registry import job_kind
from portal.jobs.services import report_progress

MAX_SECONDS = 60


@job_kind("noop", label=_l("Uji pekerja (langsung selesai)"))
def run_noop(job):
    return {"summary": _("Pekerja berjalan.")}


@job_kind("sleep", label=_l("Uji pekerja (menunggu)"))
def run_sleep(job):
    """Wait ``params["seconds"]`` (at most a minute) in ``params["steps"]`` steps, reporting each."""
    params = job.params or {}
    seconds = min(max(float(params.get("seconds", 2)), 0), MAX_SECONDS)
    steps = min(max(int(params.get("steps", 4)), 1), 100)
    for step in range(1, steps + 1):
        time.sleep(seconds / steps)
        report_progress(job, 100 * step // steps, _("Langkah %(step)d dari %(steps)d", step=step, steps=steps))
    return {"summary": _("Pekerja berjalan."), "seconds": seconds, "steps": steps}
