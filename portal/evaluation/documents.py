"""The Dokumen Evaluasi Kinerja Pegawai (PermenPANRB 6/2022 lampiran) as PDF, and a unit's
documents for one period as one ZIP file built by a background job.

``evaluation_document(evaluation)`` gathers what the form prints and ``render_evaluation(doc)``
renders it. A final evaluation prints the pegawai, the penilai and the organisational capaian as
they were at finalisation (``evaluation.snapshot``, written by ``services.finalise_evaluation``);
a draft prints today's data and is marked DRAF on every page. With the evaluation loaded with
``evaluation_document_options()`` the document reads a fixed number of SQL statements, whatever
the plan's size.

``start_unit_zip`` queues the job ``run_unit_zip``, which writes
``STORAGE_ROOT/exports/evaluasi-<job id>-<random>.zip`` (the instance folder by default) with one PDF per
evaluation (draft and final) of the plans of the unit's subtree for the period. A unit without
evaluations for the period is refused before queueing, and fails the job with the same message
if the evaluations disappeared meanwhile: no empty archive is ever offered.
"""
import re
import secrets
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.models import Role
from portal.core.pdf import css_string, render_pdf
from portal.evaluation import services
from portal.evaluation.models import YEAR_KEY, Evaluation, EvaluationStatus, OrgPredicate
from portal.extensions import db
from portal.jobs import services as jobs
from portal.jobs.models import Job, JobStatus
from portal.jobs.registry import JobLink, job_kind
from portal.people.models import Employee, OrgUnit, Position
from portal.plans import documents as skp
from portal.plans import rules as plan_rules
from portal.plans.models import CoreValue, PerformancePeriod, PerformancePlan, ResultKind, ResultPlan
from portal.plans.progress import COUNTED

ZIP_JOB = "evaluation_unit_zip"
# Progress is reported after this many documents (and after the last one).
PROGRESS_EVERY = 5
# A realisasi narrative printed in the hasil kerja table is cut after this many characters.
NARRATIVE_LIMIT = 400


class DocumentError(ValueError):
    """A document or archive cannot be made as asked (the message is for users)."""


# ---------------------------------------------------------------- permissions
def can_export_unit(user, unit) -> bool:
    """Build the ZIP of a unit's evaluation documents: its admin OPD (of the unit or an
    ancestor), BKPSDM and superadmin. Not pimpinan: they read everything and change nothing,
    and an archive is built by a job the request creates (they read each document instead)."""
    return user.is_authenticated and unit is not None and user.manages_unit(unit)


def can_download_zip(user, job: Job) -> bool:
    """Fetch the archive of a ZIP job: whoever started it, or the superadmin."""
    return (user.is_authenticated and job.kind == ZIP_JOB
            and (user.id == job.created_by_id or user.has_role(Role.SUPERADMIN)))


# ---------------------------------------------------------------- the document
@dataclass
class HasilRow:
    """One IKI in the hasil kerja table."""

    indicator: object
    realisasi: str = ""                                  # the figure, or "" for a descriptive IKI
    narratives: list = field(default_factory=list)       # what the pegawai reported
    evidence: list = field(default_factory=list)         # titles of the bukti dukung
    feedback: str = ""                                   # the penilai's umpan balik


@dataclass
class HasilResult:
    result: ResultPlan
    rows: list = field(default_factory=list)             # HasilRow, in IKI order


@dataclass
class HasilGroup:
    label: str
    results: list = field(default_factory=list)          # HasilResult, in the plan's order


@dataclass
class BehaviourLine:
    value: CoreValue
    guide: list
    expectation: str
    note: str
    rating: object = None                                # Rating or None


@dataclass
class EvaluationDocument:
    evaluation: Evaluation
    is_draft: bool
    instansi: str
    place: str
    period_title: str                                    # "BULANAN — NOVEMBER 2026", "TAHUNAN — 2026"
    start_date: object
    end_date: object
    employee: skp.Party
    appraiser: skp.Party
    org_predicate: str                                   # the unit's capaian, "" when none
    groups: list
    behaviours: list
    signed_date: object = None

    @property
    def footer_css(self) -> str:
        """The footer line of every page, as a CSS string for the ``@page`` margin box."""
        parts = [_("Evaluasi Kinerja %(period)s", period=self.evaluation.period_label), self.employee.name,
                 self.employee.nip]
        if self.is_draft:
            parts.append(_("DRAF"))
        return css_string(" · ".join(str(p) for p in parts if p))

    @property
    def page_number_css(self) -> str:
        return (f"{css_string(_('Halaman') + ' ')} counter(page) "
                f"{css_string(' ' + _('dari') + ' ')} counter(pages)")

    @property
    def filename(self) -> str:
        return evaluation_filename(self.evaluation)


def period_slug(evaluation: Evaluation) -> str:
    """The period in file names: "2026-11" (a month), "2026-triwulan-4", "2026-tahunan"."""
    year = evaluation.period.year
    if evaluation.period_key == YEAR_KEY:
        return f"{year}-tahunan"
    if evaluation.period.subperiod_length.value == "bulanan":
        return f"{year}-{evaluation.period_key:02d}"
    return f"{year}-triwulan-{evaluation.period_key}"


def evaluation_filename(evaluation: Evaluation) -> str:
    return f"evaluasi-{evaluation.employee.nip}-{period_slug(evaluation)}.pdf"


def evaluation_document_options():
    """Loader options that fetch what the document prints in a fixed number of queries."""
    plan = joinedload(Evaluation.plan)
    results = plan.selectinload(PerformancePlan.results)
    return [
        plan.joinedload(PerformancePlan.employee), plan.joinedload(PerformancePlan.org_unit),
        plan.joinedload(PerformancePlan.position).joinedload(Position.org_unit),
        plan.selectinload(PerformancePlan.expectations),
        results.selectinload(ResultPlan.indicators),
        results.joinedload(ResultPlan.intervened_result), results.joinedload(ResultPlan.org_target),
        results.joinedload(ResultPlan.team_goal),
        joinedload(Evaluation.employee), joinedload(Evaluation.appraiser).joinedload(Employee.position),
        joinedload(Evaluation.appraiser).joinedload(Employee.org_unit), joinedload(Evaluation.org_unit),
        joinedload(Evaluation.subperiod), joinedload(Evaluation.period).selectinload(PerformancePeriod.subperiods),
        selectinload(Evaluation.behaviours),
    ]


def _live(employee, unit=None, position=None) -> dict:
    """Today's data of a person, with the keys of the snapshot finalisation takes."""
    if employee is None:
        return {}
    position = position or employee.position
    unit = unit or employee.org_unit
    return {"name": employee.display_name, "nip": employee.nip_display, "pangkat": employee.golongan_label,
            "jabatan": position.name if position else "", "unit": unit.name if unit else ""}


def _org_predicate(evaluation: Evaluation) -> str:
    """The unit's organisational capaian title: frozen at finalisation, else the current one
    (the unit's, or for the head of a unit the unit they lead)."""
    if not evaluation.is_final:
        assessment = services.org_assessment_for(evaluation.org_unit, evaluation.period_id, evaluation.period_key)
        if assessment is None and services.head_unit(evaluation.plan) is not None:
            assessment = services.org_assessment_for(services.head_unit(evaluation.plan), evaluation.period_id,
                                                     evaluation.period_key)
        return str(assessment.predicate.title) if assessment is not None else ""
    value = (evaluation.snapshot or {}).get("capaian_organisasi")
    try:
        return str(OrgPredicate(value).title) if value else ""
    except ValueError:
        return ""


def _dates(evaluation: Evaluation):
    """The period the document covers: the sub-period (or year) within the plan's own dates."""
    plan = evaluation.plan
    span = evaluation.subperiod if evaluation.subperiod is not None else evaluation.period
    return max(span.start_date, plan.start_date), min(span.end_date, plan.end_date)


def _period_title(evaluation: Evaluation) -> str:
    if evaluation.is_annual:
        return _("TAHUNAN — %(year)s", year=evaluation.period.year)
    return f"{str(evaluation.period.subperiod_length.title).upper()} — {evaluation.period_label.upper()}"


def _short(text: str, limit: int = NARRATIVE_LIMIT) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _hasil_row(row, labels: dict, annual: bool) -> HasilRow:
    counted = [r for r in row.realisations if r.status in COUNTED]
    narratives = []
    for realisation in counted:
        if realisation.narrative.strip():
            text = _short(realisation.narrative)
            narratives.append(f"{labels.get(realisation.subperiod_id, '')}: {text}" if annual else text)
    evidence = [e.title for r in counted for e in r.evidence]
    feedback = row.note.strip()
    if not feedback:  # else the latest message of the realisasi thread in the period
        messages = [f for r in row.realisations for f in r.feedback]
        if messages:
            feedback = max(messages, key=lambda f: (f.created_dt, f.id)).body
    realisasi = row.realisasi_label if row.progress.is_numeric else ""
    return HasilRow(row.indicator, realisasi, narratives, evidence, _short(feedback, 1000))


def _groups(evaluation: Evaluation) -> list[HasilGroup]:
    plan = evaluation.plan
    rows = {row.indicator.id: row for row in services.indicator_rows(plan, evaluation.period_key, evaluation)}
    labels = {sp.id: sp.label for sp in evaluation.period.subperiods}
    groups = []
    for kind, label in skp.RESULT_GROUPS:
        results = [HasilResult(r, [_hasil_row(rows[i.id], labels, evaluation.is_annual)
                                   for i in r.indicators if i.id in rows])
                   for r in plan.results if r.kind is kind]
        if results or kind is ResultKind.MAIN:
            groups.append(HasilGroup(str(label), results))
    return groups


def evaluation_document(evaluation: Evaluation) -> EvaluationDocument:
    """Everything the Dokumen Evaluasi Kinerja Pegawai prints, for ``evaluation``.

    Raises LookupError when the plan no longer covers the evaluation's sub-period.
    """
    plan = evaluation.plan
    is_draft = evaluation.status is EvaluationStatus.DRAFT
    snapshot = evaluation.snapshot if not is_draft else None
    if snapshot:
        employee, appraiser = snapshot.get("pegawai") or {}, snapshot.get("penilai") or {}
    else:  # a draft (or a final evaluation from before snapshots): today's data
        employee = _live(plan.employee, plan.org_unit, plan.position)
        appraiser = _live(evaluation.appraiser)
    expectations = {e.value: e.expectation for e in plan.expectations}
    ratings = {b.value: b for b in evaluation.behaviours}
    behaviours = [BehaviourLine(value, plan_rules.GUIDE_BEHAVIOURS[value], expectations.get(value, ""),
                                ratings[value].note if value in ratings else "",
                                ratings[value].rating if value in ratings else None)
                  for value in CoreValue]
    instansi = current_app.config["INSTANSI_NAME"]
    start, end = _dates(evaluation)
    signed = evaluation.finalised_dt.date() if evaluation.finalised_dt and not is_draft else None
    return EvaluationDocument(
        evaluation=evaluation, is_draft=is_draft, instansi=instansi, place=skp._place(instansi),
        period_title=_period_title(evaluation), start_date=start, end_date=end,
        employee=skp._snapshot_party(employee), appraiser=skp._snapshot_party(appraiser),
        org_predicate=_org_predicate(evaluation), groups=_groups(evaluation), behaviours=behaviours,
        signed_date=signed)


def render_evaluation(doc: EvaluationDocument) -> bytes:
    """A prepared evaluation document as PDF bytes."""
    return render_pdf("evaluation/documents/evaluation.html", doc=doc)


def load_evaluation(evaluation_id: int) -> Evaluation | None:
    return db.session.get(Evaluation, evaluation_id, options=evaluation_document_options())


def evaluation_pdf(evaluation: Evaluation) -> bytes:
    """The document of ``evaluation`` as PDF bytes."""
    return render_evaluation(evaluation_document(evaluation))


# ---------------------------------------------------------------- the unit ZIP
def exports_dir() -> Path:
    folder = Path(current_app.config["STORAGE_ROOT"]) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _zip_name(job: Job) -> str:
    """A new archive name: the job id and a random part, so that a job id reused after a
    database reset can never serve an older archive."""
    return f"evaluasi-{int(job.id)}-{secrets.token_hex(8)}.zip"


def finished_zip(job: Job) -> Path | None:
    """The archive of a ZIP job that succeeded and whose file is still there, else None."""
    if job.kind != ZIP_JOB or job.status is not JobStatus.SUCCEEDED:
        return None
    name = str((job.result or {}).get("filename") or "")
    if not re.fullmatch(rf"evaluasi-{int(job.id)}-[0-9a-f]{{16}}\.zip", name):
        return None
    path = exports_dir() / name
    return path if path.is_file() else None


def _unit_evaluations(unit: OrgUnit, period_id: int, period_key: int):
    # An evaluation carries its plan's unit (copied when it starts), so no join is needed.
    return sa.select(Evaluation.id).where(Evaluation.org_unit_id.in_(unit.subtree_ids_query()),
                                          Evaluation.period_id == period_id, Evaluation.period_key == period_key)


def unit_evaluation_ids(unit: OrgUnit, period_id: int, period_key: int) -> list[int]:
    """Ids of every evaluation (draft and final) of the plans of ``unit``'s subtree for the
    period, by employee then id."""
    return list(db.session.scalars(_unit_evaluations(unit, period_id, period_key)
                                   .order_by(Evaluation.employee_id, Evaluation.id)))


def period_choices(period: PerformancePeriod) -> list[tuple[int, str]]:
    """(period_key, label): the year, then its sub-periods."""
    return [(YEAR_KEY, _("Tahunan %(year)s", year=period.year)),
            *((sp.number, sp.label) for sp in period.subperiods)]


def current_period_key(period: PerformancePeriod, today: date | None = None) -> int:
    """The sub-period ``today`` falls in (the one most likely wanted), else the year."""
    today = today or date.today()
    return next((sp.number for sp in period.subperiods if sp.start_date <= today <= sp.end_date), YEAR_KEY)


def period_label(period: PerformancePeriod, period_key: int) -> str:
    return dict(period_choices(period)).get(period_key, "")


def start_unit_zip(unit: OrgUnit, period: PerformancePeriod | None, period_key, *, user) -> Job:
    """Queue the job that builds the unit's evaluation documents for the period as one ZIP.

    Raises DocumentError for an unknown period or sub-period and for a period without any
    evaluation in the unit; ``jobs.JobError`` while the unit's previous ZIP job still runs.
    """
    if period is None:
        raise DocumentError(_("Periode kinerja tidak ditemukan."))
    label = period_label(period, period_key)
    if not label:
        raise DocumentError(_("Pilih periode evaluasi tahun %(year)s.", year=period.year))
    count = db.session.scalar(sa.select(sa.func.count()).select_from(
        _unit_evaluations(unit, period.id, period_key).subquery()))
    if not count:
        raise DocumentError(_("Belum ada evaluasi kinerja di %(unit)s untuk %(period)s.",
                              unit=unit.name, period=label))
    return jobs.enqueue(ZIP_JOB, _("Dokumen evaluasi %(unit)s — %(period)s", unit=unit.name, period=label),
                        params={"period_id": period.id, "period_key": period_key}, object=unit, user=user)


def _unique(name: str, taken: set) -> str:
    """``name``, or ``name`` with "-2", "-3"… before ".pdf" when an earlier document took it
    (an employee with two plans in the year, e.g. after a transfer)."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name[:-4]}-{n}.pdf"
    taken.add(candidate)
    return candidate


@job_kind(ZIP_JOB, label=_l("Dokumen evaluasi unit (ZIP)"),
          link=JobLink("evaluation_documents.unit_exports", "unit_id", _l("Buka halaman unduhan ZIP")))
def run_unit_zip(job: Job) -> dict:
    """Render every evaluation of the unit's subtree for the period into one ZIP file, reporting
    progress every few documents. Raises ``JobFailed`` for a unit, period or evaluations that are
    gone. Writes nothing to the database."""
    unit = db.session.get(OrgUnit, job.object_id)
    params = job.params or {}
    period = db.session.get(PerformancePeriod, params.get("period_id") or 0)
    period_key = params.get("period_key")
    if unit is None or period is None or not period_label(period, period_key):
        raise jobs.JobFailed(_("Unit atau periode evaluasi ini sudah tidak ada."))
    label = period_label(period, period_key)
    ids = unit_evaluation_ids(unit, period.id, period_key)
    if not ids:
        raise jobs.JobFailed(_("Belum ada evaluasi kinerja di %(unit)s untuk %(period)s.",
                               unit=unit.name, period=label))
    target = exports_dir() / _zip_name(job)
    partial = target.with_suffix(".part")
    total, names, counts = len(ids), set(), {"final": 0, "draft": 0}
    # The worker has an app context only; the app's template context processors need a request
    # (the signed-in user, the locale), so documents are rendered in a request context of their
    # own: anonymous, in the default language. It shares the job's app context and session.
    try:
        with (current_app.test_request_context("/"),
              zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive):
            for done, evaluation_id in enumerate(ids, start=1):
                evaluation = load_evaluation(evaluation_id)
                if evaluation is None:
                    raise jobs.JobFailed(_("Sebuah evaluasi terhapus saat ZIP dibuat. Coba lagi."))
                try:
                    doc = evaluation_document(evaluation)
                except LookupError:
                    raise jobs.JobFailed(_("SKP %(name)s tidak lagi mencakup %(period)s; periksa SKP-nya lalu coba "
                                           "lagi.", name=evaluation.employee.display_name, period=label)) from None
                archive.writestr(_unique(doc.filename, names), render_evaluation(doc))
                counts["draft" if doc.is_draft else "final"] += 1
                if done % PROGRESS_EVERY == 0 or done == total:
                    jobs.report_progress(job, min(99, done * 100 // total),
                                         _("Dokumen %(done)d dari %(total)d", done=done, total=total))
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return {"filename": target.name, "documents": total, **counts, "unit_id": unit.id,
            "period_id": period.id, "period_key": period_key, "bytes": target.stat().st_size,
            "summary": _("%(n)d dokumen evaluasi %(unit)s (%(period)s) siap diunduh: %(final)d final, "
                         "%(draft)d draf.", n=total, unit=unit.name, period=label, **counts)}


def download_name(job: Job) -> str:
    """The name the browser saves the archive under."""
    result = job.result or {}
    period = db.session.get(PerformancePeriod, result.get("period_id") or 0)
    key = result.get("period_key")
    if period is None or key is None:
        return f"evaluasi-{job.id}.zip"
    slug = f"{period.year}-tahunan" if key == YEAR_KEY else f"{period.year}-{int(key):02d}"
    return f"evaluasi-unit-{job.object_id}-{slug}.zip"


def unit_zip_jobs(unit: OrgUnit, user):
    """The unit's ZIP jobs the user may follow, newest first (their own; all for superadmin)."""
    stmt = (sa.select(Job).where(Job.kind == ZIP_JOB, Job.object_type == OrgUnit.__name__,
                                 Job.object_id == unit.id)
            .order_by(Job.created_dt.desc(), Job.id.desc()))
    if not user.has_role(Role.SUPERADMIN):
        stmt = stmt.where(Job.created_by_id == user.id)
    return stmt
