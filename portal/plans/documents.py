"""The SKP as a printable document (the layout of the PermenPANRB 6/2022 lampiran).

``skp_document(plan)`` gathers what the form shows; ``skp_pdf(plan)`` renders it to PDF.
An approved (or superseded, or closed) plan prints the pegawai and the penilai as they were
when it was approved (``plan.snapshot``, written by ``plan_services.approve_plan``); a plan still
being written prints today's data and is marked DRAF on every page.
"""
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from portal.core.pdf import css_string, render_pdf
from portal.plans import rules
from portal.plans.models import WORKING, CoreValue, PerformancePlan, ResultKind, ResultPlan

RESULT_GROUPS = [(ResultKind.MAIN, _l("A. Utama")), (ResultKind.ADDITIONAL, _l("B. Tambahan"))]

# Words that open an instansi's name and are not part of the place ("Pemerintah Kabupaten Sleman").
_INSTANSI_PREFIXES = ("pemerintah", "provinsi", "kabupaten", "kota", "administrasi")


@dataclass
class Party:
    """The pegawai or the penilai as the form prints them."""
    name: str = ""
    nip: str = ""
    pangkat: str = ""
    position: str = ""
    unit: str = ""


@dataclass
class ResultGroup:
    label: str
    results: list = field(default_factory=list)  # ResultPlan, in the plan's order


@dataclass
class SkpDocument:
    plan: PerformancePlan
    is_draft: bool
    instansi: str
    place: str
    employee: Party
    appraiser: Party
    groups: list
    behaviours: list  # (CoreValue, guide behaviours, ekspektasi khusus)
    signed_date: object = None

    @property
    def footer_css(self) -> str:
        """The footer line of every page, as a CSS string for the ``@page`` margin box."""
        parts = [_("SKP %(year)s", year=self.plan.period.year), self.employee.name, self.employee.nip]
        if self.plan.version > 1:
            parts.append(_("versi %(n)s", n=self.plan.version))
        if self.is_draft:
            parts.append(_("DRAF"))
        return css_string(" · ".join(p for p in parts if p))

    @property
    def page_number_css(self) -> str:
        """``content`` of the page-number margin box: "Halaman 2 dari 3"."""
        return (f"{css_string(_('Halaman') + ' ')} counter(page) "
                f"{css_string(' ' + _('dari') + ' ')} counter(pages)")

    @property
    def filename(self) -> str:
        return f"SKP-{self.plan.period.year}-{self.employee.nip.replace(' ', '')}-v{self.plan.version}.pdf"


def plan_document_options():
    """Loader options that fetch everything the document prints in a fixed number of queries."""
    return [
        joinedload(PerformancePlan.employee), joinedload(PerformancePlan.appraiser),
        joinedload(PerformancePlan.period), joinedload(PerformancePlan.position),
        joinedload(PerformancePlan.org_unit),
        selectinload(PerformancePlan.results).selectinload(ResultPlan.indicators),
        selectinload(PerformancePlan.results).joinedload(ResultPlan.intervened_result),
        selectinload(PerformancePlan.results).joinedload(ResultPlan.org_target),
        selectinload(PerformancePlan.results).joinedload(ResultPlan.team_goal),
        selectinload(PerformancePlan.expectations),
    ]


def _live_party(employee, position=None, unit=None) -> Party:
    if employee is None:
        return Party()
    position = position or employee.position
    unit = unit or employee.org_unit
    return Party(name=employee.display_name, nip=employee.nip_display, pangkat=employee.golongan_label,
                 position=position.name if position else "", unit=unit.name if unit else "")


def _snapshot_party(data) -> Party:
    """A party from the snapshot taken at approval (see plan_services.approve_plan)."""
    data = data or {}

    def first(*keys):
        return next((str(data[k]) for k in keys if data.get(k)), "")
    return Party(name=first("name", "display_name"), nip=first("nip_display", "nip"),
                 pangkat=first("pangkat", "golongan_label", "golongan"),
                 position=first("position", "jabatan"), unit=first("unit", "org_unit", "unit_kerja"))


def _place(instansi: str) -> str:
    """Where the SKP is signed: INSTANSI_PLACE, else the instansi's name without its prefixes."""
    configured = current_app.config.get("INSTANSI_PLACE")
    if configured:
        return configured
    words = instansi.split()
    while words and words[0].lower() in _INSTANSI_PREFIXES:
        words.pop(0)
    return " ".join(words)


def skp_document(plan: PerformancePlan) -> SkpDocument:
    """Everything the SKP form prints, for ``plan``."""
    is_draft = plan.status in WORKING
    snapshot = None if is_draft else plan.snapshot
    if snapshot:
        employee = _snapshot_party(snapshot.get("pegawai"))
        appraiser = _snapshot_party(snapshot.get("penilai"))
    else:  # still being written (or approved before snapshots existed): today's data
        employee = _live_party(plan.employee, plan.position, plan.org_unit)
        appraiser = _live_party(plan.appraiser)
    groups = []
    for kind, label in RESULT_GROUPS:
        results = [r for r in plan.results if r.kind is kind]
        if results or kind is ResultKind.MAIN:
            groups.append(ResultGroup(str(label), results))
    expectations = {e.value: e.expectation for e in plan.expectations}
    behaviours = [(value, rules.GUIDE_BEHAVIOURS[value], expectations.get(value, ""))
                  for value in CoreValue]
    instansi = current_app.config["INSTANSI_NAME"]
    signed = plan.approved_dt.date() if plan.approved_dt and not is_draft else None
    return SkpDocument(plan=plan, is_draft=is_draft, instansi=instansi, place=_place(instansi),
                       employee=employee, appraiser=appraiser, groups=groups,
                       behaviours=behaviours, signed_date=signed)


def render_skp(doc: SkpDocument) -> bytes:
    """A prepared SKP document as PDF bytes."""
    return render_pdf("plans/documents/skp.html", doc=doc)


def skp_pdf(plan: PerformancePlan) -> bytes:
    """The SKP of ``plan`` as PDF bytes."""
    return render_skp(skp_document(plan))

