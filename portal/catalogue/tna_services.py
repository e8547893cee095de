"""Training needs analysis (analisis kebutuhan pelatihan) for BKPSDM: the demand for each programme,
competency and OPD, from open or accepted recommendations and planned IDP items, with the number of
employees, the cost if all were trained and the upcoming session places.

Everything is aggregated in the database: each table is one statement whatever the number of
employees. An employee counts once per programme however many recommendations or IDP items point
there. The employee's OPD is the unit at depth 1 above (or at) their unit.
"""
import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from portal.catalogue.models import (
    Competency,
    DevelopmentPlan,
    DevelopmentPlanItem,
    IdpItemStatus,
    Programme,
    ProgrammeCompetency,
    ProgrammeForm,
    ProgrammeStatus,
    Recommendation,
    RecommendationSource,
    RecommendationStatus,
)
from portal.extensions import db
from portal.people.models import Employee, OrgUnit
from portal.sessions.models import UPCOMING_STATUSES, TrainingSession

OPD_DEPTH = 1
# The "source" filter: IDP items, or recommendations of one source.
SOURCE_IDP = "rencana"
VIEWS = {"program": _l("Per program"), "kompetensi": _l("Per kompetensi"), "opd": _l("Per OPD")}
SORTS = {"pegawai": _l("Jumlah pegawai terbanyak"), "biaya": _l("Biaya terbesar"),
         "kekurangan": _l("Kekurangan kursi terbanyak"), "judul": _l("Judul (A–Z)")}


def source_choices():
    return [("", _l("Semua sumber")), (SOURCE_IDP, _l("Rencana pengembangan (IDP)")),
            *((s.value, _l("Rekomendasi: %(source)s", source=s.title)) for s in RecommendationSource)]


@dataclass
class Filters:
    year: int
    opd_id: int | None = None
    source: str = ""
    form: ProgrammeForm | None = None
    sort: str = "pegawai"


@dataclass
class ProgrammeDemand:
    id: int
    code: str
    title: str
    form: ProgrammeForm
    jp: int
    cost_per_participant: Decimal
    employees: int
    mandatory: int
    seats: int

    @property
    def other(self) -> int:
        return self.employees - self.mandatory

    @property
    def cost(self) -> Decimal:
        return self.cost_per_participant * self.employees

    @property
    def jp_total(self) -> int:
        return self.jp * self.employees

    @property
    def shortfall(self) -> int:
        """Kekurangan kursi: employees in need beyond the places of upcoming sessions."""
        return max(0, self.employees - self.seats)


@dataclass
class Totals:
    employees: int = 0          # distinct employees with any demand
    places: int = 0             # employee × programme pairs (participants if all were trained)
    mandatory: int = 0
    cost: Decimal = Decimal(0)
    jp: int = 0
    seats: int = 0
    shortfall: int = 0


@dataclass
class GroupDemand:
    """One row of the competency or OPD table (``key`` the competency or OPD id, None: no OPD)."""

    key: int | None
    name: str
    detail: str
    employees: int
    places: int
    mandatory: int = 0
    cost: Decimal = Decimal(0)
    programmes: int = 0


@dataclass
class Analysis:
    filters: Filters
    programmes: list = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)


def can_view_analysis(user) -> bool:
    return user.sees_whole_instansi or bool(user.admin_units)


def opd_choices(user):
    """The OPDs (units at depth 1) the user may filter on, by name."""
    query = sa.select(OrgUnit.id, OrgUnit.name).where(OrgUnit.depth == OPD_DEPTH, OrgUnit.is_active.is_(True))
    if not user.sees_whole_instansi:
        query = query.where(_within_scope(OrgUnit, user))
    return list(db.session.execute(query.order_by(OrgUnit.name)))


def _within_scope(unit, user):
    """Units inside the user's admin OPD scopes, or OPDs that contain one of them."""
    conditions = []
    for scope in user.admin_units:
        conditions.append(unit.path.startswith(scope.path))
        conditions.append(sa.literal(scope.path).startswith(unit.path))
    return sa.or_(*conditions) if conditions else sa.false()


def _demand(filters: Filters, user):
    """The filtered demand lines as a subquery: employee_id, programme_id, mandatory (0/1),
    competency_id (the recommendation's, if any), opd_id, cost (per participant)."""
    year = filters.year
    parts = []
    if filters.source != SOURCE_IDP:
        recs = (sa.select(Recommendation.employee_id, Recommendation.programme_id,
                          sa.case((Recommendation.is_mandatory.is_(True), 1), else_=0).label("mandatory"),
                          Recommendation.competency_id)
                .where(Recommendation.year == year,
                       Recommendation.status.in_([RecommendationStatus.OPEN, RecommendationStatus.ACCEPTED])))
        if filters.source:
            recs = recs.where(Recommendation.source == RecommendationSource(filters.source))
        parts.append(recs)
    if filters.source in ("", SOURCE_IDP):
        # An item taken from a recommendation keeps its mandatory mark and competency.
        items = (sa.select(DevelopmentPlan.employee_id, DevelopmentPlanItem.programme_id,
                           sa.case((Recommendation.is_mandatory.is_(True), 1), else_=0).label("mandatory"),
                           Recommendation.competency_id)
                 .select_from(DevelopmentPlanItem)
                 .join(DevelopmentPlan, DevelopmentPlan.id == DevelopmentPlanItem.plan_id)
                 .outerjoin(Recommendation, Recommendation.id == DevelopmentPlanItem.recommendation_id)
                 .where(DevelopmentPlan.year == year, DevelopmentPlanItem.status == IdpItemStatus.PLANNED,
                        DevelopmentPlanItem.programme_id.is_not(None)))
        parts.append(items)
    lines = (parts[0] if len(parts) == 1 else sa.union_all(*parts)).subquery("lines")
    unit = aliased(OrgUnit, name="employee_unit")
    opd = aliased(OrgUnit, name="opd")
    query = (sa.select(lines.c.employee_id, lines.c.programme_id, lines.c.mandatory, lines.c.competency_id,
                       opd.id.label("opd_id"), Programme.cost_per_participant.label("cost"))
             .join(Employee, Employee.id == lines.c.employee_id)
             .join(unit, unit.id == Employee.org_unit_id)
             .outerjoin(opd, sa.and_(opd.depth == OPD_DEPTH, unit.path.startswith(opd.path)))
             .join(Programme, Programme.id == lines.c.programme_id)
             .where(Employee.is_active.is_(True), Programme.status == ProgrammeStatus.ACTIVE))
    if filters.form is not None:
        query = query.where(Programme.form == filters.form)
    if filters.opd_id is not None:
        query = query.where(opd.id == filters.opd_id)
    if not user.sees_whole_instansi:
        query = query.where(sa.or_(*(unit.path.startswith(s.path) for s in user.admin_units))
                            if user.admin_units else sa.false())
    return query.subquery("demand")


def _pairs(demand):
    """One row per employee and programme: employee_id, programme_id, opd_id, mandatory, cost."""
    return (sa.select(demand.c.employee_id, demand.c.programme_id, demand.c.opd_id,
                      sa.func.max(demand.c.mandatory).label("mandatory"), sa.func.max(demand.c.cost).label("cost"))
            .group_by(demand.c.employee_id, demand.c.programme_id, demand.c.opd_id)
            .subquery("pairs"))


def _upcoming_seats(today: date):
    return (sa.select(TrainingSession.programme_id, sa.func.sum(TrainingSession.capacity).label("seats"))
            .where(TrainingSession.status.in_(UPCOMING_STATUSES), TrainingSession.end_date >= today)
            .group_by(TrainingSession.programme_id)
            .subquery("seats"))


def programme_demand(filters: Filters, user, *, today: date | None = None) -> Analysis:
    """The demand per programme and the totals (two statements)."""
    pairs = _pairs(_demand(filters, user))
    per_programme = (sa.select(pairs.c.programme_id, sa.func.count().label("employees"),
                               sa.func.sum(pairs.c.mandatory).label("mandatory"))
                     .group_by(pairs.c.programme_id).subquery("per_programme"))
    seats = _upcoming_seats(today or date.today())
    seat_count = sa.func.coalesce(seats.c.seats, 0)
    order = {
        "pegawai": [per_programme.c.employees.desc()],
        "biaya": [(per_programme.c.employees * Programme.cost_per_participant).desc()],
        "kekurangan": [(per_programme.c.employees - seat_count).desc(), per_programme.c.employees.desc()],
        "judul": [],
    }.get(filters.sort, [per_programme.c.employees.desc()])
    query = (sa.select(Programme.id, Programme.code, Programme.title, Programme.form, Programme.jp,
                       Programme.cost_per_participant, per_programme.c.employees, per_programme.c.mandatory,
                       seat_count.label("seats"))
             .join(per_programme, per_programme.c.programme_id == Programme.id)
             .outerjoin(seats, seats.c.programme_id == Programme.id)
             .order_by(*order, Programme.title, Programme.id))
    analysis = Analysis(filters=filters)
    for row in db.session.execute(query):
        analysis.programmes.append(ProgrammeDemand(
            id=row.id, code=row.code, title=row.title, form=row.form, jp=row.jp,
            cost_per_participant=Decimal(row.cost_per_participant or 0), employees=int(row.employees),
            mandatory=int(row.mandatory or 0), seats=int(row.seats or 0)))
    totals = db.session.execute(sa.select(sa.func.count(sa.distinct(pairs.c.employee_id)), sa.func.count(),
                                          sa.func.sum(pairs.c.mandatory), sa.func.sum(pairs.c.cost))).one()
    analysis.totals = Totals(
        employees=int(totals[0] or 0), places=int(totals[1] or 0), mandatory=int(totals[2] or 0),
        cost=Decimal(totals[3] or 0), jp=sum(p.jp_total for p in analysis.programmes),
        seats=sum(p.seats for p in analysis.programmes), shortfall=sum(p.shortfall for p in analysis.programmes))
    return analysis


def opd_demand(filters: Filters, user, *, programme_id: int | None = None) -> list[GroupDemand]:
    """The demand per OPD (all programmes, or one): employees, places, mandatory places and cost."""
    pairs = _pairs(_demand(filters, user))
    per_opd = sa.select(pairs.c.opd_id, sa.func.count(sa.distinct(pairs.c.employee_id)).label("employees"),
                        sa.func.count().label("places"), sa.func.sum(pairs.c.mandatory).label("mandatory"),
                        sa.func.sum(pairs.c.cost).label("cost"),
                        sa.func.count(sa.distinct(pairs.c.programme_id)).label("programmes"))
    if programme_id is not None:
        per_opd = per_opd.where(pairs.c.programme_id == programme_id)
    per_opd = per_opd.group_by(pairs.c.opd_id).subquery("per_opd")
    query = (sa.select(per_opd, OrgUnit.name)
             .outerjoin(OrgUnit, OrgUnit.id == per_opd.c.opd_id)
             .order_by(per_opd.c.employees.desc(), OrgUnit.name))
    return [GroupDemand(key=row.opd_id, name=row.name or str(_("Tanpa OPD (tingkat instansi)")), detail="",
                        employees=int(row.employees), places=int(row.places), mandatory=int(row.mandatory or 0),
                        cost=Decimal(row.cost or 0), programmes=int(row.programmes))
            for row in db.session.execute(query)]


def competency_demand(filters: Filters, user) -> list[GroupDemand]:
    """The demand per competency: the competencies of the programmes in demand and those the
    recommendations name, with the employees and programmes behind each."""
    demand = _demand(filters, user)
    named = (sa.select(demand.c.employee_id, demand.c.programme_id, demand.c.competency_id)
             .where(demand.c.competency_id.is_not(None)))
    addressed = (sa.select(demand.c.employee_id, demand.c.programme_id, ProgrammeCompetency.competency_id)
                 .join(ProgrammeCompetency, ProgrammeCompetency.programme_id == demand.c.programme_id))
    links = sa.union_all(named, addressed).subquery("links")
    per_competency = (sa.select(links.c.competency_id,
                                sa.func.count(sa.distinct(links.c.employee_id)).label("employees"),
                                sa.func.count(sa.distinct(links.c.programme_id)).label("programmes"))
                      .group_by(links.c.competency_id).subquery("per_competency"))
    query = (sa.select(Competency.id, Competency.name, Competency.group, Competency.field,
                       per_competency.c.employees, per_competency.c.programmes)
             .join(per_competency, per_competency.c.competency_id == Competency.id)
             .order_by(per_competency.c.employees.desc(), Competency.name))
    rows = []
    for row in db.session.execute(query):
        detail = str(row.group.title) + (f" · {row.field}" if row.field else "")
        rows.append(GroupDemand(key=row.id, name=row.name, detail=detail, employees=int(row.employees),
                                places=int(row.employees), programmes=int(row.programmes)))
    return rows


# ---------------------------------------------------------------- exports
def export_table(view: str, filters: Filters, user) -> tuple[list[str], list[list]]:
    """The header and rows of the table ``view`` shows, for CSV and XLSX (numbers stay numbers)."""
    if view == "kompetensi":
        header = [_("Kompetensi"), _("Kelompok"), _("Jumlah pegawai"), _("Jumlah program")]
        return header, [[r.name, r.detail, r.employees, r.programmes] for r in competency_demand(filters, user)]
    if view == "opd":
        header = [_("OPD"), _("Jumlah pegawai"), _("Jumlah peserta"), _("Wajib"), _("Jumlah program"),
                  _("Biaya jika semua dilatih (Rp)")]
        return header, [[r.name, r.employees, r.places, r.mandatory, r.programmes, r.cost]
                        for r in opd_demand(filters, user)]
    analysis = programme_demand(filters, user)
    header = [_("Kode"), _("Program"), _("Bentuk"), _("JP"), _("Jumlah pegawai"), _("Wajib"), _("Lainnya"),
              _("Biaya per peserta (Rp)"), _("Biaya jika semua dilatih (Rp)"), _("Kursi sesi mendatang"),
              _("Kekurangan kursi")]
    rows = [[p.code, p.title, str(p.form.title), p.jp, p.employees, p.mandatory, p.other, p.cost_per_participant,
             p.cost, p.seats, p.shortfall] for p in analysis.programmes]
    t = analysis.totals
    rows.append(["", _("Jumlah"), "", "", t.places, t.mandatory, t.places - t.mandatory, "", t.cost, t.seats,
                 t.shortfall])
    return header, rows


def _csv_cell(value):
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    # The BOM lets Excel read the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(header, rows, title: str) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else _csv_cell(v) for v in row])
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
