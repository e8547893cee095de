"""The competency dictionary, the BerAKHLAK → competency mapping, RHK/IKI competency tags and the
recommendation thresholds, as BKPSDM edits them.

Changes that move recommendations for the whole instansi (the mapping, the thresholds) queue a
recomputation; a tag on one SKP recomputes that employee's recommendations at once. Services
flush and never commit.
"""
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from portal.catalogue import recommend
from portal.catalogue.errors import CatalogueError
from portal.catalogue.models import (
    CatalogueSettings,
    Competency,
    CompetencyGroup,
    CoreValueCompetency,
    IndicatorCompetency,
    ProgrammeCompetency,
    ResultCompetency,
)
from portal.catalogue.settings_services import current_settings
from portal.core import audit
from portal.extensions import db
from portal.plans.models import CoreValue, Indicator, PerformancePlan, ResultPlan

CODE_MAX = 20
NAME_MAX = 150
FIELD_MAX = 80
DESCRIPTION_MAX = 1000

# The thresholds BKPSDM tunes, with the ranges the table's CHECK constraints allow.
SETTING_RANGES = {
    "jp_target": (1, 200),
    "short_jp_max": (1, 200),
    "per_need": (1, 10),
    "jp_suggestions": (0, 10),
    "coaching_jp": (0, 40),
    "mentoring_jp": (0, 40),
    "coaching_score_max": (1, 4),
}
# The thresholds the recommendation engine reads (recommend.Config); the others feed the JP
# ledger and coaching and leave recommendations as they are.
RECOMMENDATION_SETTINGS = ("jp_target", "short_jp_max", "per_need", "jp_suggestions")


# ---------------------------------------------------------------- reading the dictionary
@dataclass
class Section:
    """One block of the dictionary page: a group, and for teknis one field."""

    group: CompetencyGroup
    field: str | None
    competencies: list

    @property
    def title(self) -> str:
        return f"{self.group.title} — {self.field}" if self.field else str(self.group.title)


def programme_counts() -> dict[int, int]:
    """competency id → number of programmes that address it (one aggregate statement)."""
    return dict(db.session.execute(
        sa.select(ProgrammeCompetency.competency_id, sa.func.count(ProgrammeCompetency.programme_id))
        .group_by(ProgrammeCompetency.competency_id)).all())


def dictionary(search: str | None = None, *, include_inactive=True) -> list[Section]:
    """The competencies grouped for reading: Teknis per field, then Manajerial, then Sosial Kultural;
    ``search`` matches code, name, field or description (case-insensitive)."""
    stmt = sa.select(Competency)
    if search:
        pattern = f"%{search.lower()}%"
        stmt = stmt.where(sa.or_(sa.func.lower(Competency.code).like(pattern),
                                 sa.func.lower(Competency.name).like(pattern),
                                 sa.func.lower(sa.func.coalesce(Competency.field, "")).like(pattern),
                                 sa.func.lower(Competency.description).like(pattern)))
    if not include_inactive:
        stmt = stmt.where(Competency.is_active.is_(True))
    sections = {}
    order = {g: i for i, g in enumerate(CompetencyGroup)}
    for competency in db.session.scalars(stmt):
        key = (order[competency.group], competency.field or "", competency.group)
        sections.setdefault(key, []).append(competency)
    out = []
    for (_order, field, group), items in sorted(sections.items(), key=lambda kv: kv[0][:2]):
        items.sort(key=lambda c: (not c.is_active, c.name.lower()))
        out.append(Section(group=group, field=field or None, competencies=items))
    return out


def active_competencies() -> list[Competency]:
    """Active competencies in dictionary order (for pickers)."""
    return [c for section in dictionary(include_inactive=False) for c in section.competencies]


# ---------------------------------------------------------------- editing the dictionary
def _clean(value):
    return (value or "").strip()


def _validate(competency: Competency | None, *, code, name, group, field, description):
    code, name, field, description = _clean(code).upper(), _clean(name), _clean(field), _clean(description)
    if not code:
        raise CatalogueError(_("Isi kode kompetensi."), "code")
    if len(code) > CODE_MAX:
        raise CatalogueError(_("Kode paling banyak %(n)s karakter.", n=CODE_MAX), "code")
    if not name:
        raise CatalogueError(_("Isi nama kompetensi."), "name")
    if len(name) > NAME_MAX:
        raise CatalogueError(_("Nama paling banyak %(n)s karakter.", n=NAME_MAX), "name")
    if not isinstance(group, CompetencyGroup):
        raise CatalogueError(_("Pilih kelompok kompetensi."), "group")
    if group is CompetencyGroup.TECHNICAL:
        if not field:
            raise CatalogueError(_("Kompetensi teknis harus punya bidang (mis. Kesehatan, Digital)."), "field")
        if len(field) > FIELD_MAX:
            raise CatalogueError(_("Bidang paling banyak %(n)s karakter.", n=FIELD_MAX), "field")
    else:
        field = ""  # only teknis competencies belong to a field
    if len(description) > DESCRIPTION_MAX:
        raise CatalogueError(_("Uraian paling banyak %(n)s karakter.", n=DESCRIPTION_MAX), "description")
    own_id = competency.id if competency is not None else None
    # Compared in lower case: MariaDB's collation would treat "m-ks" and "M-KS" as one anyway.
    clash = db.session.scalar(sa.select(Competency.id).where(sa.func.lower(Competency.code) == code.lower(),
                                                             Competency.id != (own_id or 0)))
    if clash is not None:
        raise CatalogueError(_("Kode %(code)s sudah dipakai kompetensi lain.", code=code), "code")
    clash = db.session.scalar(sa.select(Competency.id).where(Competency.group == group,
                                                             sa.func.lower(Competency.name) == name.lower(),
                                                             Competency.id != (own_id or 0)))
    if clash is not None:
        raise CatalogueError(_("Nama %(name)s sudah ada di kelompok %(group)s.", name=name, group=group.title), "name")
    return dict(code=code, name=name, group=group, field=field or None, description=description)


def create_competency(*, code, name, group, field=None, description="") -> Competency:
    """Add a competency to the dictionary. Raises CatalogueError (with the field) for a missing or
    overlong value, a code already used, a name already in the group, or teknis without a field."""
    data = _validate(None, code=code, name=name, group=group, field=field, description=description)
    competency = Competency(**data)
    db.session.add(competency)
    db.session.flush()
    audit.record("competency.created", competency, summary=f"{competency.code} {competency.name}")
    return competency


def update_competency(competency: Competency, *, code, name, group, field=None, description="") -> Competency:
    """Change a competency; audits the fields that changed. Raises CatalogueError as
    ``create_competency`` does."""
    data = _validate(competency, code=code, name=name, group=group, field=field, description=description)
    changes = {}
    for key, value in data.items():
        old = getattr(competency, key)
        if old != value:
            changes[key] = [getattr(old, "value", old), getattr(value, "value", value)]
            setattr(competency, key, value)
    if changes:
        db.session.flush()
        audit.record("competency.updated", competency, changes=changes, summary=f"{competency.code} {competency.name}")
    return competency


def set_competency_active(competency: Competency, active: bool) -> Competency:
    """Deactivate (kept on programmes, tags and the mapping, which still count for recommendations,
    but no longer offered for new tags) or reactivate a competency. Raises CatalogueError when it
    is already in that state."""
    if competency.is_active == active:
        raise CatalogueError(_("Kompetensi ini sudah aktif.") if active else _("Kompetensi ini sudah nonaktif."))
    competency.is_active = active
    db.session.flush()
    audit.record("competency.activated" if active else "competency.deactivated", competency,
                 changes={"is_active": [not active, active]}, summary=f"{competency.code} {competency.name}")
    return competency


# ---------------------------------------------------------------- BerAKHLAK → competencies
def core_value_map() -> dict:
    """CoreValue → frozenset of competency ids (every value present, possibly empty)."""
    mapping = defaultdict(set)
    for value, competency_id in db.session.execute(
            sa.select(CoreValueCompetency.core_value, CoreValueCompetency.competency_id)):
        mapping[value].add(competency_id)
    return {value: frozenset(mapping.get(value, ())) for value in CoreValue}


def _check_ids(competency_ids) -> set[int]:
    ids = {int(i) for i in competency_ids}
    if not ids:
        return ids
    found = set(db.session.scalars(sa.select(Competency.id).where(Competency.id.in_(ids))))
    if found != ids:
        raise CatalogueError(_("Ada kompetensi yang tidak dikenal. Muat ulang halaman lalu coba lagi."))
    return ids


def normalise_map(new_map: dict) -> dict:
    """A full mapping from a partial one (values not given keep their competencies); raises
    CatalogueError for an unknown competency id."""
    mapping = core_value_map()
    for value, ids in new_map.items():
        mapping[CoreValue(value)] = frozenset(_check_ids(ids))
    return mapping


def preview_core_value_map(new_map: dict) -> int:
    """How many employees' recommendations would change if the mapping became ``new_map``
    (values not given keep theirs). Writes nothing."""
    mapping = normalise_map(new_map)
    config = recommend.Config.current()
    return recommend.affected_employees(config.with_changes(core_value_map=mapping), base=config)


def save_core_value_map(new_map: dict, *, user=None) -> dict:
    """Replace the mapping rows of the values that changed, audit each changed value and queue a
    recomputation. Returns {CoreValue: (old names, new names)} for what changed (empty: nothing)."""
    mapping = normalise_map(new_map)
    old = core_value_map()
    changed = {value: ids for value, ids in mapping.items() if ids != old[value]}
    if not changed:
        return {}
    names = dict(db.session.execute(sa.select(Competency.id, Competency.name)).all())
    db.session.execute(sa.delete(CoreValueCompetency).where(CoreValueCompetency.core_value.in_(list(changed))))
    db.session.add_all([CoreValueCompetency(core_value=value, competency_id=cid)
                        for value, ids in changed.items() for cid in sorted(ids)])
    db.session.flush()
    settings = current_settings()
    out = {}
    for value, ids in changed.items():
        before = sorted(names[i] for i in old[value])
        after = sorted(names[i] for i in ids)
        out[value] = (before, after)
        audit.record("competency.mapping_changed", settings, summary=str(value.title)[:200],
                     changes={value.value: [", ".join(before) or "—", ", ".join(after) or "—"]})
    recommend.queue_recompute(user)
    return out


# ---------------------------------------------------------------- thresholds
def _check_settings(values: dict) -> dict:
    clean = {}
    for name, raw in values.items():
        if name not in SETTING_RANGES:
            continue
        low, high = SETTING_RANGES[name]
        try:
            number = int(raw)
        except (TypeError, ValueError):
            raise CatalogueError(_("Isi dengan bilangan bulat."), name) from None
        if not low <= number <= high:
            raise CatalogueError(_("Isi antara %(low)s dan %(high)s.", low=low, high=high), name)
        clean[name] = number
    return clean


def preview_settings(values: dict) -> int:
    """How many employees' recommendations would change under the new thresholds (0 when only
    ledger or coaching settings change). Raises CatalogueError for a value out of range."""
    clean = _check_settings(values)
    config = recommend.Config.current()
    changes = {k: v for k, v in clean.items() if k in RECOMMENDATION_SETTINGS and getattr(config, k) != v}
    if not changes:
        return 0
    return recommend.affected_employees(config.with_changes(**changes), base=config)


def update_settings(values: dict, *, user=None) -> CatalogueSettings:
    """Save the thresholds; audits the changes and queues a recomputation when one the engine
    reads changed. Raises CatalogueError (with the field) for a value out of range."""
    clean = _check_settings(values)
    settings = current_settings()
    changes = {}
    for name, value in clean.items():
        if getattr(settings, name) != value:
            changes[name] = [getattr(settings, name), value]
            setattr(settings, name, value)
    if changes:
        db.session.flush()
        audit.record("catalogue_settings.updated", settings, changes=changes)
        if any(name in RECOMMENDATION_SETTINGS for name in changes):
            recommend.queue_recompute(user)
    return settings


# ---------------------------------------------------------------- RHK / IKI tags
def can_tag(plan: PerformancePlan, user) -> bool:
    """The plan's owner, its appraiser and BKPSDM tag its RHK and IKI with competencies."""
    return plan.is_owner(user) or plan.is_appraiser(user) or user.manages_whole_instansi


def load_plan_tags(plan: PerformancePlan):
    """The plan's RHK with their IKI, and the tags: ({result_id: [Competency]}, {indicator_id:
    [Competency]}), in a fixed number of statements."""
    results = db.session.scalars(
        sa.select(ResultPlan).where(ResultPlan.plan_id == plan.id)
        .options(selectinload(ResultPlan.indicators))
        .order_by(ResultPlan.kind, ResultPlan.position, ResultPlan.id)).all()
    result_tags, indicator_tags = defaultdict(list), defaultdict(list)
    result_ids = [r.id for r in results]
    indicator_ids = [i.id for r in results for i in r.indicators]
    if result_ids:
        for link in db.session.scalars(sa.select(ResultCompetency).options(selectinload(ResultCompetency.competency))
                                       .where(ResultCompetency.result_id.in_(result_ids))):
            result_tags[link.result_id].append(link.competency)
    if indicator_ids:
        for link in db.session.scalars(
                sa.select(IndicatorCompetency).options(selectinload(IndicatorCompetency.competency))
                .where(IndicatorCompetency.indicator_id.in_(indicator_ids))):
            indicator_tags[link.indicator_id].append(link.competency)
    for tags in (*result_tags.values(), *indicator_tags.values()):
        tags.sort(key=lambda c: c.name.lower())
    return results, result_tags, indicator_tags


def _tag_target(result: ResultPlan | None, indicator: Indicator | None):
    if indicator is not None:
        return IndicatorCompetency, IndicatorCompetency.indicator_id, indicator.id, indicator.result.plan
    return ResultCompetency, ResultCompetency.result_id, result.id, result.plan


def _after_tag_change(plan, action, what, competency):
    audit.record(action, plan, summary=f"{what[:150]} — {competency.name}"[:500])
    # The tags feed this employee's hasil kerja recommendations: follow them now (one employee).
    recommend.recompute_recommendations([plan.employee_id])


def add_tag(competency: Competency, *, result: ResultPlan | None = None, indicator: Indicator | None = None):
    """Tag an RHK (or one of its IKI) with a competency. Raises CatalogueError for an inactive
    competency or one already tagged there."""
    model, column, target_id, plan = _tag_target(result, indicator)
    if not competency.is_active:
        raise CatalogueError(_("Kompetensi %(name)s sudah nonaktif.", name=competency.name), "competency_id")
    exists = db.session.scalar(sa.select(model.id).where(column == target_id, model.competency_id == competency.id))
    if exists is not None:
        raise CatalogueError(_("Kompetensi %(name)s sudah ditandai di sini.", name=competency.name), "competency_id")
    link = model(competency_id=competency.id, **{column.key: target_id})
    db.session.add(link)
    db.session.flush()
    what = (indicator or result).text
    _after_tag_change(plan, "competency.tagged", what, competency)
    return link


def remove_tag(competency: Competency, *, result: ResultPlan | None = None, indicator: Indicator | None = None):
    """Remove a competency tag from an RHK (or IKI). Raises CatalogueError when it is not there."""
    model, column, target_id, plan = _tag_target(result, indicator)
    link = db.session.scalar(sa.select(model).where(column == target_id, model.competency_id == competency.id))
    if link is None:
        raise CatalogueError(_("Kompetensi %(name)s tidak ditandai di sini.", name=competency.name), "competency_id")
    db.session.delete(link)
    db.session.flush()
    what = (indicator or result).text
    _after_tag_change(plan, "competency.untagged", what, competency)
