"""Individual development plans: one per employee per year, approved by the supervisor."""
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from portal.catalogue.errors import CatalogueError
from portal.catalogue.models import (
    DevelopmentPlan,
    DevelopmentPlanItem,
    IdpStatus,
    Programme,
    ProgrammeForm,
    Recommendation,
)
from portal.core import audit
from portal.extensions import db

MAX_TITLE = 200


def plan_for(employee, year: int, *, create: bool = False) -> DevelopmentPlan | None:
    """The employee's IDP for ``year``; a new draft (flushed) when there is none and ``create``."""
    plan = db.session.scalar(sa.select(DevelopmentPlan).where(
        DevelopmentPlan.employee_id == employee.id, DevelopmentPlan.year == year))
    if plan is None and create:
        plan = DevelopmentPlan(employee_id=employee.id, employee=employee, year=year, status=IdpStatus.DRAFT)
        db.session.add(plan)
        db.session.flush()
        audit.record("idp.created", plan, to_state=IdpStatus.DRAFT.value,
                     summary=f"{employee.name} {year}")
    return plan


def add_item(plan: DevelopmentPlan, *, programme: Programme | None = None, form: ProgrammeForm | None = None,
             title: str = "", target_date: date | None = None, jp: int | None = None,
             recommendation: Recommendation | None = None, note: str = "") -> DevelopmentPlanItem:
    """Add a catalogue programme or a non-classical activity to the plan. Raises CatalogueError for a
    plan waiting for approval, a programme already in it, or an activity without form or title.
    An approved plan that changes goes back to draft (the supervisor approves it again)."""
    if plan.status is IdpStatus.SUBMITTED:
        raise CatalogueError(_("Rencana sedang menunggu persetujuan atasan; tunggu keputusannya dulu."))
    title = (title or "").strip()
    if programme is not None:
        if any(item.programme_id == programme.id for item in plan.items):
            raise CatalogueError(_("Program ini sudah ada dalam rencana pengembangan %(year)s.", year=plan.year))
        form = programme.form
        title = title or programme.title
        jp = programme.jp if jp is None else jp
    if form is None:
        raise CatalogueError(_("Pilih bentuk kegiatan."), "form")
    if not title:
        raise CatalogueError(_("Tuliskan nama kegiatan."), "title")
    if len(title) > MAX_TITLE:
        raise CatalogueError(_("Paling banyak %(n)s karakter.", n=MAX_TITLE), "title")
    if target_date is not None and target_date.year != plan.year:
        raise CatalogueError(_("Tanggal target harus dalam tahun %(year)s.", year=plan.year), "target_date")
    item = DevelopmentPlanItem(plan=plan, programme=programme, form=form, title=title, target_date=target_date,
                               jp_planned=jp or 0, recommendation=recommendation, note=(note or "").strip()[:1000])
    db.session.add(item)
    if plan.status is IdpStatus.APPROVED:
        plan.status = IdpStatus.DRAFT
        plan.approved_dt = None
    db.session.flush()
    audit.record("idp.item_added", plan, summary=title)
    return item
