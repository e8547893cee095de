"""Public feedback (IKM): the nine survey elements, storing an anonymous response, who reads
which unit's results, a unit's index per period and per month, its services, the QR poster.

Services never commit; callers do.
"""
import functools
import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from portal.core import audit
from portal.evaluation import rules
from portal.evaluation.models import IKM_FIELDS, IkmGrade, IkmResponse, UnitService
from portal.extensions import db
from portal.people.models import OrgUnit


@dataclass
class IkmSummary:
    """A unit's IKM over a date range: index (25–100), grade, how many responses, element means."""

    count: int
    index: Decimal | None
    grade: IkmGrade | None
    element_means: list = field(default_factory=list)  # nine Decimals (1–4), or None each


def _range(date_from: date, date_to: date):
    return datetime.combine(date_from, time.min), datetime.combine(date_to + timedelta(days=1), time.min)


def unit_ikm(unit: OrgUnit, date_from: date, date_to: date, *, subtree: bool = False) -> IkmSummary:
    """The IKM of ``unit`` from responses given between the two dates (inclusive), in one query;
    with ``subtree`` the responses of the units under it count too. IKM = mean of the element
    means × 25 (PermenPANRB 14/2017)."""
    start, end = _range(date_from, date_to)
    query = sa.select(sa.func.count(IkmResponse.id), *[sa.func.avg(getattr(IkmResponse, f)) for f in IKM_FIELDS])
    if subtree:
        query = query.join(OrgUnit, OrgUnit.id == IkmResponse.org_unit_id).where(OrgUnit.path.like(f"{unit.path}%"))
    else:
        query = query.where(IkmResponse.org_unit_id == unit.id)
    row = db.session.execute(query.where(IkmResponse.created_dt >= start, IkmResponse.created_dt < end)).one()
    count = row[0] or 0
    if not count:
        return IkmSummary(0, None, None, [None] * len(IKM_FIELDS))
    raw = [Decimal(str(v)) for v in row[1:]]
    index = rules.ikm_index_from_means(raw)
    return IkmSummary(count, index, rules.ikm_grade(index), [m.quantize(Decimal("0.01")) for m in raw])


# ---------------------------------------------------------------- the nine elements
@dataclass(frozen=True)
class IkmElement:
    """One element of the survey (PermenPANRB 14/2017): the column, its title on result pages,
    the question the public reads and the four answers, scored 1 to 4."""

    field: str
    title: str
    question: str
    answers: tuple


def _answers(*labels):
    return tuple(labels)


ELEMENTS = [
    IkmElement("u1", _l("Persyaratan"),
               _l("Apakah persyaratan pelayanan sesuai dengan jenis layanan yang Anda terima?"),
               _answers(_l("Tidak sesuai"), _l("Kurang sesuai"), _l("Sesuai"), _l("Sangat sesuai"))),
    IkmElement("u2", _l("Sistem, mekanisme, dan prosedur"),
               _l("Seberapa mudah alur atau prosedur pelayanan di sini?"),
               _answers(_l("Tidak mudah"), _l("Kurang mudah"), _l("Mudah"), _l("Sangat mudah"))),
    IkmElement("u3", _l("Waktu penyelesaian"),
               _l("Seberapa cepat pelayanan Anda diselesaikan?"),
               _answers(_l("Tidak cepat"), _l("Kurang cepat"), _l("Cepat"), _l("Sangat cepat"))),
    IkmElement("u4", _l("Biaya/tarif"),
               _l("Bagaimana biaya atau tarif pelayanan yang Anda bayar?"),
               _answers(_l("Sangat mahal"), _l("Cukup mahal"), _l("Murah"), _l("Gratis"))),
    IkmElement("u5", _l("Produk spesifikasi jenis pelayanan"),
               _l("Apakah hasil layanan yang Anda terima sesuai dengan yang dijanjikan dalam standar pelayanan?"),
               _answers(_l("Tidak sesuai"), _l("Kurang sesuai"), _l("Sesuai"), _l("Sangat sesuai"))),
    IkmElement("u6", _l("Kompetensi pelaksana"),
               _l("Bagaimana kemampuan petugas dalam melayani Anda?"),
               _answers(_l("Tidak kompeten"), _l("Kurang kompeten"), _l("Kompeten"), _l("Sangat kompeten"))),
    IkmElement("u7", _l("Perilaku pelaksana"),
               _l("Bagaimana kesopanan dan keramahan petugas?"),
               _answers(_l("Tidak sopan dan ramah"), _l("Kurang sopan dan ramah"), _l("Sopan dan ramah"),
                        _l("Sangat sopan dan ramah"))),
    IkmElement("u8", _l("Penanganan pengaduan, saran, dan masukan"),
               _l("Bagaimana penanganan pengaduan, saran, dan masukan di sini?"),
               _answers(_l("Tidak ada"), _l("Ada tetapi tidak berfungsi"), _l("Berfungsi kurang maksimal"),
                        _l("Dikelola dengan baik"))),
    IkmElement("u9", _l("Sarana dan prasarana"),
               _l("Bagaimana kualitas sarana dan prasarana (ruang tunggu, fasilitas, kebersihan)?"),
               _answers(_l("Buruk"), _l("Cukup"), _l("Baik"), _l("Sangat baik"))),
]
assert [e.field for e in ELEMENTS] == IKM_FIELDS

COMMENT_MAX = 1000


class FeedbackError(ValueError):
    """A change that breaks a rule; ``field`` names the form field it concerns (or None)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


# ---------------------------------------------------------------- who sees a unit's IKM
def _scopes(user) -> list[tuple[str, bool]]:
    """(path, with subtree) pairs of the units a user without an instansi-wide role may read:
    the subtrees they administer, and their own OPD (the level-1 unit above their unit; someone
    placed at the root itself reads only the root)."""
    scopes = [(unit.path, True) for unit in user.admin_units]
    employee = getattr(user, "employee", None)
    if employee is not None and employee.org_unit is not None:
        ids = employee.org_unit.ancestor_ids
        if len(ids) >= 2:
            scopes.append((f"/{ids[0]}/{ids[1]}/", True))
        else:
            scopes.append((employee.org_unit.path, False))
    return [s for s in scopes if s[0]]


def can_view_ikm(user, unit: OrgUnit) -> bool:
    """Pimpinan, BKPSDM and superadmin read every unit's IKM; an admin OPD their subtree; everyone
    else (and an admin OPD too) the units of their own OPD."""
    if not user.is_authenticated or unit is None:
        return False
    if user.sees_whole_instansi:
        return True
    return any(unit.path.startswith(path) if subtree else unit.path == path for path, subtree in _scopes(user))


def _scope_condition(user):
    """A WHERE condition on OrgUnit for ``can_view_ikm`` (None: every unit)."""
    if user.sees_whole_instansi:
        return None
    scopes = _scopes(user)
    if not scopes:
        return sa.false()
    return sa.or_(*[OrgUnit.path.like(f"{path}%") if subtree else OrgUnit.path == path
                    for path, subtree in scopes])


# ---------------------------------------------------------------- the period shown
@dataclass
class IkmPeriod:
    """The dates a result page covers: a whole year or one of its sub-periods."""

    year: int
    part: int  # 0: the whole year; else the sub-period's number
    start: date
    end: date
    label: str
    years: list  # the years to pick from, newest first
    parts: list  # (number, label) of the year's sub-periods


def ikm_period(year=None, part=None, today=None) -> IkmPeriod:
    """The period picked on a result page: a performance year's dates and sub-periods (from
    PerformancePeriod/Subperiod), or the calendar year and its months for a year with no
    performance period; default the current year. Unknown values fall back to the default."""
    from portal.plans import rules as plan_rules
    from portal.plans.models import PerformancePeriod
    today = today or date.today()
    periods = {p.year: p for p in db.session.scalars(sa.select(PerformancePeriod)
                                                     .options(selectinload(PerformancePeriod.subperiods)))}
    years = sorted(set(periods) | {today.year}, reverse=True)
    if year not in years:
        year = today.year
    period = periods.get(year)
    if period is not None:
        start, end = period.start_date, period.end_date
        ranges = [(sp.number, sp.start_date, sp.end_date, sp.label) for sp in period.subperiods]
    else:
        start, end = date(year, 1, 1), date(year, 12, 31)
        ranges = [(n, s, e, plan_rules.subperiod_label("bulanan", n, year))
                  for n, s, e in plan_rules.subperiod_ranges(year, "bulanan")]
    label = _("Tahun %(year)s", year=year)
    chosen = next((r for r in ranges if r[0] == part), None)
    if chosen is not None:
        part, start, end, label = chosen
    else:
        part = 0
    return IkmPeriod(year, part, start, end, str(label), years, [(r[0], str(r[3])) for r in ranges])


def current_year_range(today=None) -> tuple[date, date]:
    """The dates of the current year (its performance period when there is one)."""
    period = ikm_period(today=today)
    return period.start, period.end


# ---------------------------------------------------------------- reading many units
def unit_list_query(user, date_from: date, date_to: date, q: str | None = None):
    """Active units ``user`` may read (``can_view_ikm``), those with the most responses in the
    range first, then by name; ``q`` filters by name."""
    start, end = _range(date_from, date_to)
    counts = (sa.select(IkmResponse.org_unit_id.label("unit_id"), sa.func.count(IkmResponse.id).label("n"))
              .where(IkmResponse.created_dt >= start, IkmResponse.created_dt < end)
              .group_by(IkmResponse.org_unit_id).subquery())
    stmt = (sa.select(OrgUnit).outerjoin(counts, counts.c.unit_id == OrgUnit.id).where(OrgUnit.is_active)
            .order_by(sa.func.coalesce(counts.c.n, 0).desc(), OrgUnit.name, OrgUnit.id))
    condition = _scope_condition(user)
    if condition is not None:
        stmt = stmt.where(condition)
    if q:
        pattern = "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(sa.func.lower(OrgUnit.name).like(pattern, escape="\\"))
    return stmt


def ikm_by_unit(unit_ids, date_from: date, date_to: date) -> dict[int, IkmSummary]:
    """unit id → IkmSummary for each of ``unit_ids``, from one grouped query (units without
    responses get an empty summary)."""
    unit_ids = list(unit_ids)
    out = {uid: IkmSummary(0, None, None, [None] * len(IKM_FIELDS)) for uid in unit_ids}
    if not unit_ids:
        return out
    start, end = _range(date_from, date_to)
    rows = db.session.execute(
        sa.select(IkmResponse.org_unit_id, sa.func.count(IkmResponse.id),
                  *[sa.func.avg(getattr(IkmResponse, f)) for f in IKM_FIELDS])
        .where(IkmResponse.org_unit_id.in_(unit_ids), IkmResponse.created_dt >= start,
               IkmResponse.created_dt < end)
        .group_by(IkmResponse.org_unit_id))
    for row in rows:
        means = [Decimal(str(v)) for v in row[2:]]
        index = rules.ikm_index_from_means(means)
        out[row[0]] = IkmSummary(row[1], index, rules.ikm_grade(index),
                                 [m.quantize(Decimal("0.01")) for m in means])
    return out


# ---------------------------------------------------------------- one unit
@dataclass
class MonthPoint:
    number: int
    label: str  # short month name
    count: int
    index: Decimal | None
    grade: IkmGrade | None


def monthly_trend(unit: OrgUnit, year: int) -> list[MonthPoint]:
    """The unit's IKM per calendar month of ``year``, from one query (a count and a sum of the
    nine scores per month: every response answers all nine, so the mean of a response's total
    / 9 × 25 is the IKM)."""
    from portal.plans import rules as plan_rules
    months = plan_rules.subperiod_ranges(year, "bulanan")
    total = sum((getattr(IkmResponse, f) for f in IKM_FIELDS[1:]), getattr(IkmResponse, IKM_FIELDS[0]))
    columns = []
    for _n, first, last in months:
        start, end = _range(first, last)
        inside = sa.and_(IkmResponse.created_dt >= start, IkmResponse.created_dt < end)
        columns += [sa.func.count(sa.case((inside, IkmResponse.id))), sa.func.sum(sa.case((inside, total)))]
    start, end = _range(months[0][1], months[-1][2])
    row = db.session.execute(sa.select(*columns).where(
        IkmResponse.org_unit_id == unit.id, IkmResponse.created_dt >= start, IkmResponse.created_dt < end)).one()
    points = []
    for i, (number, _first, _last) in enumerate(months):
        count, summed = row[2 * i] or 0, row[2 * i + 1]
        index = None
        if count:
            index = (Decimal(str(summed)) / (count * len(IKM_FIELDS)) * 25).quantize(Decimal("0.01"), ROUND_HALF_UP)
        points.append(MonthPoint(number, str(plan_rules.MONTHS[number - 1])[:3], count, index, rules.ikm_grade(index)))
    return points


def comments_query(unit: OrgUnit, date_from: date, date_to: date):
    """The unit's responses with a comment in the range, newest first."""
    start, end = _range(date_from, date_to)
    return (sa.select(IkmResponse).options(joinedload(IkmResponse.service))
            .where(IkmResponse.org_unit_id == unit.id, IkmResponse.comment.is_not(None), IkmResponse.comment != "",
                   IkmResponse.created_dt >= start, IkmResponse.created_dt < end)
            .order_by(IkmResponse.created_dt.desc(), IkmResponse.id.desc()))


def unit_services_of(unit: OrgUnit, *, active_only=False) -> list[UnitService]:
    stmt = sa.select(UnitService).where(UnitService.org_unit_id == unit.id)
    if active_only:
        stmt = stmt.where(UnitService.is_active)
    return db.session.scalars(stmt.order_by(UnitService.is_active.desc(), UnitService.name, UnitService.id)).all()


def public_unit(code: str) -> OrgUnit | None:
    """The active unit whose public form is at ``code``, else None."""
    if not code or len(code) > 16:
        return None
    return db.session.scalar(sa.select(OrgUnit).where(OrgUnit.public_code == code, OrgUnit.is_active))


def public_url(unit: OrgUnit) -> str:
    """The absolute address of the unit's public form: on PUBLIC_BASE_URL or MAIL_SITE_URL when
    one is configured (the host the public reaches), else on the request's host."""
    base = (current_app.config.get("PUBLIC_BASE_URL") or current_app.config.get("MAIL_SITE_URL") or "").rstrip("/")
    if base:
        return base + url_for("feedback.public_form", unit_code=unit.public_code)
    return url_for("feedback.public_form", unit_code=unit.public_code, _external=True)


# ---------------------------------------------------------------- services of a unit
def _service_name(name) -> str:
    return " ".join((name or "").split())


def _check_service_name(unit: OrgUnit, name: str, service: UnitService | None = None) -> str:
    name = _service_name(name)
    if not name:
        raise FeedbackError(_("Nama layanan wajib diisi."), "name")
    if len(name) > 200:
        raise FeedbackError(_("Nama layanan paling banyak 200 karakter."), "name")
    # Compared without regard to case: the unique constraint is case-sensitive on some databases.
    taken = db.session.scalar(sa.select(UnitService.id).where(
        UnitService.org_unit_id == unit.id, sa.func.lower(UnitService.name) == name.lower(),
        UnitService.id != (service.id if service is not None else -1)).limit(1))
    if taken is not None:
        raise FeedbackError(_("Layanan %(name)s sudah ada di unit ini.", name=name), "name")
    return name


def add_unit_service(unit: OrgUnit, name: str, actor=None) -> UnitService:
    """A new active service of ``unit``. Raises FeedbackError for an empty or taken name."""
    name = _check_service_name(unit, name)
    service = UnitService(org_unit=unit, name=name, is_active=True)
    db.session.add(service)
    db.session.flush()
    audit.record("add_unit_service", service, to_state="active", summary=f"{unit.name}: {name}", actor=actor)
    return service


def rename_unit_service(service: UnitService, name: str, actor=None) -> bool:
    """Rename a service; returns False when nothing changed. Raises FeedbackError for an empty or
    taken name."""
    name = _check_service_name(service.org_unit, name, service)
    if name == service.name:
        return False
    old, service.name = service.name, name
    db.session.flush()
    audit.record("edit_unit_service", service, changes={"name": [old, name]}, actor=actor)
    return True


def set_unit_service_active(service: UnitService, active: bool, actor=None) -> None:
    """Show (``active``) or hide a service on the public form; past responses keep it."""
    if service.is_active == active:
        return
    service.is_active = active
    db.session.flush()
    audit.record("activate_unit_service" if active else "deactivate_unit_service", service,
                 from_state="inactive" if active else "active", to_state="active" if active else "inactive",
                 actor=actor)


# ---------------------------------------------------------------- a response from the public
def source_hash(address: str | None, day: date) -> str:
    """HMAC-SHA256 of the client address and the day, keyed with SECRET_KEY: floods from one
    address can be told apart without keeping the address."""
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    return hmac.new(key, f"{address or ''}|{day.isoformat()}".encode(), hashlib.sha256).hexdigest()


def local_today() -> date:
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def record_response(unit: OrgUnit, scores: dict, *, service: UnitService | None = None, comment: str | None = None,
                    address: str | None = None) -> IkmResponse:
    """Store one anonymous response: ``scores`` maps u1…u9 to 1–4. Raises FeedbackError for a
    missing or out-of-range score, a service of another unit or a hidden one, a long comment."""
    for f in IKM_FIELDS:
        value = scores.get(f)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 4:
            raise FeedbackError(_("Pilih salah satu jawaban."), f)
    if service is not None and (service.org_unit_id != unit.id or not service.is_active):
        raise FeedbackError(_("Pilih layanan dari daftar."), "service")
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > COMMENT_MAX:
        raise FeedbackError(_("Saran paling banyak %(max)d karakter.", max=COMMENT_MAX), "comment")
    response = IkmResponse(org_unit_id=unit.id, service_id=service.id if service is not None else None,
                           comment=comment, source_hash=source_hash(address, local_today()),
                           **{f: scores[f] for f in IKM_FIELDS})
    db.session.add(response)
    db.session.flush()
    return response


# ---------------------------------------------------------------- the poster
def qr_data_uri(url: str) -> str:
    """A QR code of ``url`` as an SVG ``data:`` URI (the PDF fetcher and the CSP both allow it)."""
    import segno
    return segno.make(url, error="m").svg_data_uri(scale=10, border=2, dark="#000000", light="#ffffff")


def poster_pdf(unit: OrgUnit) -> bytes:
    """The A4 poster of the unit's public form: heading, QR code, its address, three steps."""
    return _poster(unit.name, public_url(unit), current_app.config["INSTANSI_NAME"], str(get_locale()))


@functools.lru_cache(maxsize=32)
def _poster(unit_name: str, url: str, instansi: str, locale: str) -> bytes:
    # Posters are printed again and again and change only with these four values; a render
    # costs about a second.
    from portal.core.pdf import css_string, render_pdf
    return render_pdf("evaluation/feedback/poster.html", unit_name=unit_name, url=url, qr=qr_data_uri(url),
                      instansi=instansi, footer=css_string(_("Survei Kepuasan Masyarakat · PermenPANRB 14/2017")))
