"""BKPSDM maintains the programme catalogue: create, edit, archive and restore programmes.

Services check the rules, change the programme, write an audit entry, queue a recomputation of
recommendations (they follow the catalogue) and flush; they never commit. ``problems`` checks a
``ProgrammeData`` without writing and is shared with the CSV import, which reports every problem
of every row instead of stopping at the first.
"""
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified

from portal.catalogue import recommend
from portal.catalogue.errors import CatalogueError
from portal.catalogue.models import (
    Competency,
    CompetencyGroup,
    Delivery,
    Leadership,
    Programme,
    ProgrammeCompetency,
    ProgrammeForm,
    ProgrammeStatus,
    ProgrammeUnit,
    ProviderKind,
)
from portal.core import audit
from portal.extensions import db
from portal.people.models import OrgUnit, PositionKind
from portal.people.rules import GOLONGAN_PNS

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
MAX_COST = Decimal("999999999999")  # Numeric(14, 2)
GOLONGAN_ORDER = {g: i for i, g in enumerate(GOLONGAN_PNS)}
# Audited on update; competencies and units are recorded as sorted id lists.
TRACKED_FIELDS = ("code", "title", "description", "form", "jp", "provider_kind", "provider_name", "delivery",
                  "cost_per_participant", "prerequisites", "leadership", "position_kinds", "golongan_min",
                  "golongan_max", "open_to_pppk")


class StaleEdit(CatalogueError):
    """The programme changed since the form was rendered (another tab or another person)."""

    def __init__(self):
        super().__init__(_("Program ini sudah diubah orang lain sejak formulir dibuka. Isian Anda masih ada di "
                           "formulir: periksa data terbaru, lalu simpan lagi bila isian Anda tetap benar."))


@dataclass
class ProgrammeData:
    """Everything a programme is made of, as the form or a CSV row gives it."""

    code: str
    title: str
    form: ProgrammeForm | None
    jp: int | None
    provider_kind: ProviderKind | None
    delivery: Delivery | None
    description: str = ""
    provider_name: str = ""
    cost_per_participant: Decimal = Decimal(0)
    prerequisites: str = ""
    leadership: Leadership | None = None
    position_kinds: list = field(default_factory=list)  # PositionKind
    golongan_min: str | None = None
    golongan_max: str | None = None
    open_to_pppk: bool = True
    unit_ids: list = field(default_factory=list)
    competency_ids: list = field(default_factory=list)


def parse_rupiah(text) -> Decimal:
    """``"Rp 1.500.000"``, ``"1500000"``, ``"1.500.000,50"`` → Decimal. Raises ValueError."""
    raw = re.sub(r"(?i)^\s*rp\.?\s*", "", str(text or "")).replace(" ", "").replace("\u00a0", "")
    if not raw:
        return Decimal(0)
    if "," in raw:  # Indonesian: "." thousands, "," decimals
        whole, _sep, cents = raw.rpartition(",")
        raw = whole.replace(".", "") + "." + cents
    elif raw.count(".") > 1 or re.fullmatch(r"\d{1,3}(\.\d{3})+", raw):
        raw = raw.replace(".", "")
    if not re.fullmatch(r"\d+(\.\d{1,2})?", raw):
        raise ValueError(raw)
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise ValueError(raw) from None


def problems(data: ProgrammeData, *, programme_id=None, existing_codes=None) -> list:
    """Every rule ``data`` breaks, as (field, message) pairs; [] when it may be saved.

    ``existing_codes`` (lower-case code → programme id) saves the uniqueness query on bulk checks;
    unknown unit and competency ids are the caller's to check (they come from choice lists).
    """
    out = []
    code = data.code or ""
    if not code:
        out.append(("code", _("Kode wajib diisi.")))
    elif len(code) > 30 or not CODE_PATTERN.match(code):
        out.append(("code", _("Kode terdiri atas huruf, angka, titik, garis miring atau tanda hubung, paling "
                              "banyak 30 karakter.")))
    else:
        if existing_codes is None:
            other = db.session.scalar(sa.select(Programme.id).where(sa.func.lower(Programme.code) == code.lower()))
        else:
            other = existing_codes.get(code.lower())
        if other is not None and other != programme_id:
            out.append(("code", _("Kode %(code)s sudah dipakai program lain.", code=code)))
    if not data.title:
        out.append(("title", _("Judul wajib diisi.")))
    elif len(data.title) > 200:
        out.append(("title", _("Judul paling banyak 200 karakter.")))
    if data.form is None:
        out.append(("form", _("Pilih bentuk pengembangan.")))
    if data.jp is None or not 1 <= data.jp <= 1000:
        out.append(("jp", _("JP diisi bilangan bulat 1–1000.")))
    if data.provider_kind is None:
        out.append(("provider_kind", _("Pilih jenis penyelenggara.")))
    if len(data.provider_name or "") > 150:
        out.append(("provider_name", _("Nama penyelenggara paling banyak 150 karakter.")))
    if data.delivery is None:
        out.append(("delivery", _("Pilih metode pelaksanaan.")))
    cost = data.cost_per_participant
    if cost is None or cost < 0 or cost > MAX_COST:
        out.append(("cost_per_participant", _("Biaya per peserta tidak boleh negatif atau melebihi Rp 999 miliar.")))
    if len(data.prerequisites or "") > 1000:
        out.append(("prerequisites", _("Prasyarat paling banyak 1.000 karakter.")))
    if data.leadership is not None and data.form is not ProgrammeForm.LEADERSHIP:
        out.append(("leadership", _("Jenjang kepemimpinan hanya untuk bentuk Pelatihan kepemimpinan.")))
    for name in ("golongan_min", "golongan_max"):
        value = getattr(data, name)
        if value is not None and value not in GOLONGAN_ORDER:
            out.append((name, _("Golongan %(value)s tidak dikenal (I/a–IV/e).", value=value)))
    if (data.golongan_min in GOLONGAN_ORDER and data.golongan_max in GOLONGAN_ORDER
            and GOLONGAN_ORDER[data.golongan_min] > GOLONGAN_ORDER[data.golongan_max]):
        out.append(("golongan_max", _("Golongan maksimum tidak boleh di bawah golongan minimum.")))
    return out


def _check(data, programme_id=None):
    found = problems(data, programme_id=programme_id)
    if found:
        name, message = found[0]
        raise CatalogueError(message, name)
    units = set(data.unit_ids)
    if units and db.session.scalar(sa.select(sa.func.count()).select_from(OrgUnit)
                                   .where(OrgUnit.id.in_(units))) != len(units):
        raise CatalogueError(_("Unit yang dipilih tidak ditemukan."), "units")
    competencies = set(data.competency_ids)
    if competencies and db.session.scalar(
            sa.select(sa.func.count()).select_from(Competency)
            .where(Competency.id.in_(competencies), Competency.is_active)) != len(competencies):
        raise CatalogueError(_("Kompetensi yang dipilih tidak ditemukan atau tidak aktif."), "competencies")


def column_values(data: ProgrammeData) -> dict:
    """The programme's own columns (not its links) as ``data`` sets them."""
    return {
        "code": data.code, "title": data.title, "description": data.description or "", "form": data.form,
        "jp": data.jp, "provider_kind": data.provider_kind, "provider_name": data.provider_name or "",
        "delivery": data.delivery, "cost_per_participant": data.cost_per_participant,
        "prerequisites": data.prerequisites or "", "leadership": data.leadership,
        "position_kinds": sorted({k.value if isinstance(k, PositionKind) else PositionKind(k).value
                                  for k in data.position_kinds}),
        "golongan_min": data.golongan_min, "golongan_max": data.golongan_max, "open_to_pppk": data.open_to_pppk,
    }


def apply_data(programme: Programme, data: ProgrammeData, *, units=True):
    """Copy ``data`` onto ``programme`` (no checks; callers check first); ``units=False`` keeps
    the programme's units (the CSV import has no unit column)."""
    values = column_values(data)
    for name, value in values.items():
        # Only real changes: an assignment of an equal value still makes an UPDATE (and a new lock_version).
        if getattr(programme, name) != value:
            setattr(programme, name, value)
    _sync_links(programme.competency_links, "competency_id", data.competency_ids, ProgrammeCompetency)
    if units:
        _sync_links(programme.unit_links, "org_unit_id", data.unit_ids, ProgrammeUnit)


def _sync_links(links, attr, wanted_ids, cls):
    wanted = set(wanted_ids)
    for link in list(links):
        if getattr(link, attr) not in wanted:
            links.remove(link)
    have = {getattr(link, attr) for link in links}
    for item_id in sorted(wanted - have):
        links.append(cls(**{attr: item_id}))


def _state(programme) -> dict:
    state = audit.snapshot(programme, TRACKED_FIELDS)
    state["cost_per_participant"] = str(Decimal(programme.cost_per_participant or 0).quantize(Decimal("0.01")))
    state["competencies"] = sorted(link.competency_id for link in programme.competency_links)
    state["units"] = sorted(link.org_unit_id for link in programme.unit_links)
    return state


def create_programme(data: ProgrammeData, user) -> Programme:
    """Add a programme to the catalogue. Raises ``CatalogueError``."""
    _check(data)
    programme = Programme(status=ProgrammeStatus.ACTIVE)
    apply_data(programme, data)
    db.session.add(programme)
    db.session.flush()
    audit.record("programme.created", programme, to_state=programme.status,
                 summary=f"{programme.code} · {programme.title}", actor=user)
    recommend.queue_recompute(user)
    return programme


def update_programme(programme: Programme, data: ProgrammeData, user, lock_version=None) -> dict:
    """Change a programme; returns the audited changes ({} when nothing changed).

    ``lock_version`` is the version the form was rendered with: an older one raises
    ``CatalogueError`` (someone saved in between). Raises ``CatalogueError``.
    """
    _check_lock(programme, lock_version)
    _check(data, programme.id)
    before = _state(programme)
    apply_data(programme, data)
    after = _state(programme)
    changes = {k: [before[k], after[k]] for k in after if before.get(k) != after[k]}
    if changes:
        # Changed links alone do not update the programme row: touch it so lock_version moves on.
        flag_modified(programme, "title")
        db.session.flush()
        audit.record("programme.updated", programme, changes=changes, summary=f"{programme.code} · {programme.title}", actor=user)
        recommend.queue_recompute(user)
    return changes


def _check_lock(programme, lock_version):
    if lock_version in (None, ""):
        return
    try:
        stale = int(lock_version) != programme.lock_version
    except (TypeError, ValueError):
        stale = True
    if stale:
        raise StaleEdit()


def archive_programme(programme: Programme, user):
    """Take a programme out of the catalogue (it stays in plans and history). Raises ``CatalogueError``."""
    if programme.status is ProgrammeStatus.ARCHIVED:
        raise CatalogueError(_("Program ini sudah diarsipkan."))
    programme.status = ProgrammeStatus.ARCHIVED
    db.session.flush()
    audit.record("programme.archived", programme, from_state=ProgrammeStatus.ACTIVE, to_state=programme.status,
                 summary=f"{programme.code} · {programme.title}", actor=user)
    recommend.queue_recompute(user)


def restore_programme(programme: Programme, user):
    """Put an archived programme back in the catalogue. Raises ``CatalogueError``."""
    if programme.status is ProgrammeStatus.ACTIVE:
        raise CatalogueError(_("Program ini sudah aktif."))
    programme.status = ProgrammeStatus.ACTIVE
    db.session.flush()
    audit.record("programme.restored", programme, from_state=ProgrammeStatus.ARCHIVED, to_state=programme.status,
                 summary=f"{programme.code} · {programme.title}", actor=user)
    recommend.queue_recompute(user)


# ---------------------------------------------------------------- queries
def admin_query(q=None, status=None, form=None, leadership=None, provider=None):
    """Programmes for the admin list (archived too), by title."""
    stmt = sa.select(Programme)
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(sa.or_(sa.func.lower(Programme.code).like(like), sa.func.lower(Programme.title).like(like)))
    if status is not None:
        stmt = stmt.where(Programme.status == status)
    if form is not None:
        stmt = stmt.where(Programme.form == form)
    if leadership == "any":
        stmt = stmt.where(Programme.leadership.is_not(None))
    elif leadership == "none":
        stmt = stmt.where(Programme.leadership.is_(None))
    elif leadership is not None:
        stmt = stmt.where(Programme.leadership == leadership)
    if provider is not None:
        stmt = stmt.where(Programme.provider_kind == provider)
    return stmt.options(selectinload(Programme.competencies)).order_by(Programme.title, Programme.id)


def status_counts() -> dict:
    """ProgrammeStatus → number of programmes."""
    rows = db.session.execute(sa.select(Programme.status, sa.func.count()).group_by(Programme.status)).all()
    return {status: count for status, count in rows}


def competency_choices():
    """{group title: [(id, label), ...]} of active competencies, for grouped pickers."""
    rows = db.session.scalars(sa.select(Competency).where(Competency.is_active)
                              .order_by(Competency.field, Competency.name)).all()
    order = list(CompetencyGroup)
    rows = sorted(rows, key=lambda c: order.index(c.group))
    groups = {}
    for competency in rows:
        groups.setdefault(str(competency.group.title), []).append((competency.id, competency.label))
    return groups


def data_of(programme: Programme) -> dict:
    """The edit form's initial data."""
    return {
        "code": programme.code, "title": programme.title, "description": programme.description,
        "form": programme.form.value, "jp": programme.jp, "provider_kind": programme.provider_kind.value,
        "provider_name": programme.provider_name, "delivery": programme.delivery.value,
        "cost_per_participant": format_rupiah(programme.cost_per_participant),
        "prerequisites": programme.prerequisites,
        "leadership": programme.leadership.value if programme.leadership else "",
        "position_kinds": list(programme.position_kinds or []),
        "golongan_min": programme.golongan_min or "", "golongan_max": programme.golongan_max or "",
        "open_to_pppk": programme.open_to_pppk,
        "units": [link.org_unit_id for link in programme.unit_links],
        "competencies": [link.competency_id for link in programme.competency_links],
        "lock_version": programme.lock_version,
    }


def format_rupiah(value) -> str:
    """Decimal → ``"1.500.000"`` (cents only when there are any)."""
    value = Decimal(value or 0)
    whole = f"{int(value):,}".replace(",", ".")
    cents = int((value - int(value)) * 100)
    return f"{whole},{cents:02d}" if cents else whole
