"""Browsing the catalogue: the filtered list, a programme's sessions and eligibility, adding a
programme to one's own IDP, and what "Rekomendasi untuk saya" shows."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from portal.catalogue import idp_services, recommend, rules
from portal.catalogue.errors import CatalogueError
from portal.catalogue.models import (
    CLASSICAL_FORMS,
    CatalogueSettings,
    Competency,
    Programme,
    ProgrammeCompetency,
    ProgrammeForm,
    ProgrammeStatus,
    Recommendation,
    RecommendationStatus,
)
from portal.catalogue.settings_services import SETTINGS_ID
from portal.extensions import db
from portal.people.models import EmployeeKind
from portal.sessions.models import UPCOMING_STATUSES, TrainingSession

# Filter values of the form groups.
CLASSICAL, NON_CLASSICAL = "klasikal", "nonklasikal"
# JP ranges: value → (title, lowest, highest) with None for open ends.
JP_RANGES = {
    "pendek": (_l("Sampai 8 JP"), None, 8),
    "sedang": (_l("9–40 JP"), 9, 40),
    "panjang": (_l("Lebih dari 40 JP"), 41, None),
}
DEFAULT_JP_TARGET = 20


def competency_choices() -> list[tuple[int, str]]:
    """The active competencies as (id, label), grouped teknis, manajerial, sosial kultural."""
    rows = db.session.execute(sa.select(Competency.id, Competency.name, Competency.field, Competency.group)
                              .where(Competency.is_active.is_(True))
                              .order_by(Competency.group, Competency.field, Competency.name)).all()
    return [(r.id, f"{r.name} ({r.field})" if r.field else f"{r.name} — {r.group.title}") for r in rows]


def _upcoming(today: date):
    return sa.and_(TrainingSession.status.in_(UPCOMING_STATUSES), TrainingSession.end_date >= today)


def programme_query(*, q=None, competency_id=None, form=None, delivery=None, jp_range=None, provider=None,
                    upcoming_only=False, include_archived=False, today: date | None = None):
    """The programmes matching the filters (all of them in SQL), ordered by title.

    ``form`` is a ProgrammeForm value or CLASSICAL / NON_CLASSICAL; ``jp_range`` a key of JP_RANGES;
    unknown values filter nothing."""
    today = today or date.today()
    stmt = sa.select(Programme)
    if not include_archived:
        stmt = stmt.where(Programme.status == ProgrammeStatus.ACTIVE)
    if q:
        text = q.lower()
        stmt = stmt.where(sa.or_(sa.func.lower(Programme.title).contains(text, autoescape=True),
                                 sa.func.lower(Programme.code).contains(text, autoescape=True),
                                 sa.func.lower(Programme.provider_name).contains(text, autoescape=True)))
    if competency_id:
        stmt = stmt.where(Programme.id.in_(sa.select(ProgrammeCompetency.programme_id)
                                           .where(ProgrammeCompetency.competency_id == competency_id)))
    if form == CLASSICAL:
        stmt = stmt.where(Programme.form.in_(CLASSICAL_FORMS))
    elif form == NON_CLASSICAL:
        stmt = stmt.where(Programme.form.not_in(CLASSICAL_FORMS))
    elif isinstance(form, ProgrammeForm):
        stmt = stmt.where(Programme.form == form)
    if delivery is not None:
        stmt = stmt.where(Programme.delivery == delivery)
    if jp_range in JP_RANGES:
        _title, low, high = JP_RANGES[jp_range]
        if low is not None:
            stmt = stmt.where(Programme.jp >= low)
        if high is not None:
            stmt = stmt.where(Programme.jp <= high)
    if provider is not None:
        stmt = stmt.where(Programme.provider_kind == provider)
    if upcoming_only:
        stmt = stmt.where(Programme.id.in_(sa.select(TrainingSession.programme_id).where(_upcoming(today))))
    return stmt.options(selectinload(Programme.competencies)).order_by(Programme.title, Programme.id)


def next_session_dates(programme_ids, today: date | None = None) -> dict[int, date]:
    """The start date of the next upcoming session per programme (one statement)."""
    ids = list(programme_ids)
    if not ids:
        return {}
    today = today or date.today()
    rows = db.session.execute(sa.select(TrainingSession.programme_id, sa.func.min(TrainingSession.start_date))
                              .where(TrainingSession.programme_id.in_(ids), _upcoming(today))
                              .group_by(TrainingSession.programme_id))
    return {programme_id: start for programme_id, start in rows}


def recommended_programme_ids(employee, programme_ids=None) -> set[int]:
    """The programmes (of ``programme_ids``, None: any) the employee has an open recommendation for."""
    if employee is None:
        return set()
    stmt = sa.select(Recommendation.programme_id).where(Recommendation.employee_id == employee.id,
                                                        Recommendation.status == RecommendationStatus.OPEN)
    if programme_ids is not None:
        ids = list(programme_ids)
        if not ids:
            return set()
        stmt = stmt.where(Recommendation.programme_id.in_(ids))
    return set(db.session.scalars(stmt))


def upcoming_sessions(programme, today: date | None = None) -> list[TrainingSession]:
    today = today or date.today()
    return db.session.scalars(sa.select(TrainingSession).where(TrainingSession.programme_id == programme.id,
                                                               _upcoming(today))
                              .order_by(TrainingSession.start_date, TrainingSession.id)).all()


# ---------------------------------------------------------------- eligibility
def programme_facts(programme) -> rules.ProgrammeFacts:
    paths = [unit.path for unit in programme.units]
    return rules.ProgrammeFacts(position_kinds=tuple(programme.position_kinds or ()),
                                golongan_min=programme.golongan_min, golongan_max=programme.golongan_max,
                                open_to_pppk=programme.open_to_pppk, unit_paths=tuple(paths))


def employee_facts(employee) -> rules.EmployeeFacts:
    return rules.EmployeeFacts(kind=employee.kind or EmployeeKind.PNS,
                               position_kind=employee.position.kind if employee.position else None,
                               golongan=employee.golongan, unit_path=employee.org_unit.path if employee.org_unit else "")


def eligibility_rules(programme) -> list[str]:
    """Who may take the programme, in words (empty: everyone)."""
    from portal.people.models import PositionKind
    lines = []
    if programme.position_kinds:
        lines.append(_("Jenis jabatan: %(kinds)s.", kinds=", ".join(
            str(PositionKind(v).title) for v in programme.position_kinds)))
    if programme.golongan_min or programme.golongan_max:
        lines.append(_("Golongan PNS: %(low)s sampai %(high)s.", low=programme.golongan_min or rules.PNS_GOLONGAN_ORDER[0],
                       high=programme.golongan_max or rules.PNS_GOLONGAN_ORDER[-1]))
    if not programme.open_to_pppk:
        lines.append(_("Tidak terbuka untuk PPPK."))
    if programme.units:
        lines.append(_("Unit kerja: %(units)s (termasuk sub-unit).", units=", ".join(u.name for u in programme.units)))
    return lines


@dataclass
class Eligibility:
    applies: bool          # False: the viewer has no employee record
    reasons: list          # why not (empty: eligible)

    @property
    def is_eligible(self) -> bool:
        return self.applies and not self.reasons


def eligibility_of(programme, employee) -> Eligibility:
    if employee is None:
        return Eligibility(False, [])
    return Eligibility(True, rules.ineligibility_reasons(programme_facts(programme), employee_facts(employee)))


# ---------------------------------------------------------------- adding to one's IDP
def add_to_plan(employee, programme, *, year: int | None = None):
    """Put ``programme`` in the employee's IDP for ``year`` (this year; a draft is created when there
    is none). An open recommendation for it is accepted on the way, so the item keeps its reason.
    Returns the IDP item. Raises CatalogueError for an archived programme, one the employee may not
    take, or what ``idp_services.add_item`` refuses."""
    year = year or date.today().year
    if not programme.is_active:
        raise CatalogueError(_("Program ini sudah diarsipkan."))
    eligibility = eligibility_of(programme, employee)
    if eligibility.reasons:
        raise CatalogueError(_("Anda belum memenuhi syarat program ini: %(why)s", why=" ".join(eligibility.reasons)))
    recommendation = db.session.scalar(sa.select(Recommendation).where(
        Recommendation.employee_id == employee.id, Recommendation.programme_id == programme.id,
        Recommendation.year == year, Recommendation.status == RecommendationStatus.OPEN))
    if recommendation is not None:
        return recommend.accept_recommendation(recommendation)
    plan = idp_services.plan_for(employee, year, create=True)
    return idp_services.add_item(plan, programme=programme)


# ---------------------------------------------------------------- "Rekomendasi untuk saya"
def jp_target() -> int:
    """The yearly JP target, read without creating the settings row (a GET writes nothing)."""
    settings = db.session.get(CatalogueSettings, SETTINGS_ID)
    return settings.jp_target if settings is not None else DEFAULT_JP_TARGET


def recommendation_page(employee, status: RecommendationStatus, today: date | None = None):
    """The employee's recommendations in ``status`` (mandatory first, then priority) and the next
    session date of each programme; a fixed number of statements."""
    items = recommend.recommendations_for(employee.id, statuses=(status,))
    if status is not RecommendationStatus.OPEN:
        items.sort(key=lambda r: (r.decided_dt is None, -(r.decided_dt.timestamp() if r.decided_dt else 0)))
    return items, next_session_dates({r.programme_id for r in items}, today)


def recommendation_counts(employee) -> dict:
    """RecommendationStatus → how many the employee has (one statement)."""
    counts = defaultdict(int)
    for status, n in db.session.execute(sa.select(Recommendation.status, sa.func.count())
                                        .where(Recommendation.employee_id == employee.id)
                                        .group_by(Recommendation.status)):
        counts[status] = n
    return counts
