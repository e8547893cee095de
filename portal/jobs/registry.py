"""Job kinds: the code a job runs, declared once at import time of the module that owns it.

::

    from flask_babel import lazy_gettext as _l
    from portal.jobs.registry import JobLink, job_kind

    @job_kind("import_commit", label=_l("Simpan impor SIASN"),
              link=JobLink("imports.show_import", "batch_id", _l("Lihat hasil impor")))
    def run_commit_job(job):
        ...                      # a service: flushes, never commits (the runner commits)
        return {"summary": _("Impor tersimpan …")}

The function receives the ``Job`` and returns a JSON-able dict (stored as ``job.result``; its
``"summary"`` becomes the message users read), or raises ``JobFailed`` with a message for users.
A job row stores only the kind's name, so code never comes from the database.
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for


@dataclass(frozen=True)
class JobLink:
    """Where the object of a finished job is shown: ``url_for(endpoint, **{arg: job.object_id})``."""

    endpoint: str
    arg: str
    label: object

    def url_for(self, job) -> str | None:
        return url_for(self.endpoint, **{self.arg: job.object_id}) if job.object_id is not None else None


@dataclass(frozen=True)
class JobKind:
    name: str
    run: Callable
    label: object
    link: JobLink | None = None


_KINDS: dict[str, JobKind] = {}


def job_kind(name: str, *, label, link: JobLink | None = None):
    """Register the decorated function as job kind ``name``. Raises ValueError if the name is taken."""
    def decorator(func):
        if name in _KINDS:
            raise ValueError(f"job kind {name!r} is already registered")
        _KINDS[name] = JobKind(name=name, run=func, label=label, link=link)
        return func
    return decorator


def find_kind(name: str) -> JobKind | None:
    return _KINDS.get(name)


def kind_names() -> list[str]:
    return sorted(_KINDS)
