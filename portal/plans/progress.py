"""Capaian of a plan: per IKI the monthly realisasi, the year-to-date figure and the percent.

``plan_progress`` reads a whole plan in a fixed number of queries (the RHK with their IKIs, the
sub-periods, the realisasi), whatever its size. ``capaian_chart_svg`` draws the capaian of the
numeric IKIs as a server-side SVG bar chart that is safe to place inline under the portal's
strict Content-Security-Policy (no script, no style element or attribute).
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from xml.etree import ElementTree as ET

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.plans import rules
from portal.plans.models import (
    Aggregation,
    Indicator,
    Measure,
    PerformancePlan,
    Realisation,
    RealisationStatus,
    ResultPlan,
    Subperiod,
)

COUNTED = (RealisationStatus.SUBMITTED, RealisationStatus.VERIFIED)

# Short statuses of an IKI, with their titles and Bootstrap badge colours.
STATUS_TITLES = {
    "none": (_l("Belum ada realisasi"), "secondary"),
    "achieved": (_l("Target tercapai"), "success"),
    "on_track": (_l("Sesuai jadwal"), "primary"),
    "behind": (_l("Di bawah target"), "warning"),
    "reported": (_l("Sudah dilaporkan"), "info"),
}


@dataclass
class Cell:
    """One sub-period of one IKI."""

    subperiod: Subperiod
    realisation: Realisation | None = None

    @property
    def value(self):
        return self.realisation.value if self.realisation is not None else None

    @property
    def status(self):
        return self.realisation.status if self.realisation is not None else None


@dataclass
class IndicatorProgress:
    indicator: Indicator
    result: ResultPlan
    number: str  # "1.2": RHK number and IKI number, as the SKP shows them
    cells: list[Cell] = field(default_factory=list)
    cumulative: Decimal | None = None           # submitted and verified values, by the aggregation
    cumulative_verified: Decimal | None = None  # verified values only
    capaian: Decimal | None = None              # percent, from ``cumulative``
    capaian_verified: Decimal | None = None
    expected_share: Decimal = Decimal(1)        # the part of the year elapsed (pro-rata for sums)
    counts: dict = field(default_factory=dict)  # RealisationStatus → how many sub-periods

    @property
    def is_numeric(self) -> bool:
        return self.indicator.measure is Measure.NUMERIC

    @property
    def target_label(self) -> str:
        return self.indicator.target_label

    @property
    def unit(self) -> str:
        return self.indicator.target_unit or ""

    @property
    def status(self) -> str:
        """'none', 'achieved', 'on_track', 'behind' (numeric) or 'reported' (descriptive)."""
        reported = sum(self.counts.get(s, 0) for s in COUNTED)
        if not reported:
            return "none"
        if not self.is_numeric or self.capaian is None:
            return "reported"
        if self.capaian >= 100:
            return "achieved"
        if self.indicator.aggregation is Aggregation.SUM and self.capaian >= self.expected_share * 100:
            return "on_track"
        return "behind"

    @property
    def status_title(self):
        return STATUS_TITLES[self.status][0]

    @property
    def status_colour(self) -> str:
        return STATUS_TITLES[self.status][1]

    @property
    def pending(self) -> int:
        return self.counts.get(RealisationStatus.SUBMITTED, 0)

    @property
    def returned(self) -> int:
        return self.counts.get(RealisationStatus.RETURNED, 0)

    def format(self, value) -> str:
        return rules.format_number(value)


def _cutoff_number(subperiods, upto):
    """The last sub-period number that counts: ``upto`` (a Subperiod, a number or a date)."""
    if upto is None:
        return subperiods[-1].number if subperiods else 0
    if isinstance(upto, Subperiod):
        return upto.number
    if isinstance(upto, date):
        started = [sp.number for sp in subperiods if sp.start_date <= upto]
        return max(started) if started else 0
    return int(upto)


def plan_progress(plan: PerformancePlan, *, upto=None, today=None) -> list[IndicatorProgress]:
    """Per IKI of ``plan`` (RHK order, then IKI order): cells per sub-period, the year-to-date
    figures by the IKI's aggregation over SUBMITTED and VERIFIED realisasi (and VERIFIED only),
    capaian percent with the IKI's direction, and a short status.

    ``upto`` (a Subperiod, its number or a date) leaves later sub-periods out of the figures;
    the pro-rata expectation of summed IKIs uses it too (else today's date). Three queries.
    """
    results = db.session.scalars(
        sa.select(ResultPlan).where(ResultPlan.plan_id == plan.id)
        .options(selectinload(ResultPlan.indicators))
        .order_by(ResultPlan.kind.desc(), ResultPlan.position, ResultPlan.id)).all()
    subperiods = db.session.scalars(
        sa.select(Subperiod).where(Subperiod.period_id == plan.period_id).order_by(Subperiod.number)).all()
    realisations = db.session.scalars(
        sa.select(Realisation).where(Realisation.plan_id == plan.id)).all()
    by_key = {(r.indicator_id, r.subperiod_id): r for r in realisations}
    cutoff = _cutoff_number(subperiods, upto)
    if upto is None:
        elapsed = _cutoff_number(subperiods, today or date.today())
    else:
        elapsed = cutoff
    share = (Decimal(max(1, min(elapsed, len(subperiods)))) / Decimal(len(subperiods))
             if subperiods else Decimal(1))

    out = []
    for r_index, result in enumerate(results, start=1):
        for i_index, indicator in enumerate(result.indicators, start=1):
            item = IndicatorProgress(indicator, result, f"{r_index}.{i_index}", expected_share=share)
            counted, verified = [], []
            for sp in subperiods:
                realisation = by_key.get((indicator.id, sp.id))
                item.cells.append(Cell(sp, realisation))
                if realisation is None or sp.number > cutoff:
                    continue
                item.counts[realisation.status] = item.counts.get(realisation.status, 0) + 1
                if realisation.status in COUNTED:
                    counted.append(realisation.value)
                if realisation.status is RealisationStatus.VERIFIED:
                    verified.append(realisation.value)
            if item.is_numeric:
                item.cumulative = rules.aggregate(counted, indicator.aggregation)
                item.cumulative_verified = rules.aggregate(verified, indicator.aggregation)
                item.capaian = rules.capaian(item.cumulative, indicator.target_value, indicator.direction)
                item.capaian_verified = rules.capaian(item.cumulative_verified, indicator.target_value,
                                                      indicator.direction)
            out.append(item)
    return out


# ---------------------------------------------------------------- chart
SVG_NS = "http://www.w3.org/2000/svg"
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Liberation Sans', Arial, sans-serif"
_TEXT = "#212529"
_FONT_SIZE = 12
_BAR_COLOURS = (("achieved", "#198754"), ("close", "#0b5563"), ("low", "#b35c00"))
# Everything that could run, load or style something, and pygal's tooltips and descriptions.
_DROPPED_TAGS = {"script", "style", "defs", "foreignObject", "iframe", "object", "embed", "a", "image",
                 "use", "title", "desc", "animate", "set"}


def _bar_colour(percent: float) -> str:
    if percent >= 100:
        return _BAR_COLOURS[0][1]
    if percent >= 80:
        return _BAR_COLOURS[1][1]
    return _BAR_COLOURS[2][1]


def capaian_chart_svg(progress: list[IndicatorProgress], *, title=None) -> str:
    """A horizontal bar chart of capaian % per numeric IKI with a line at 100 %, as inline SVG.

    pygal draws it (no JavaScript: ``js=[]``); its ``<style>``, ``<script>``, ``style``
    attributes, tooltips and comments are then removed and colours and fonts set as
    presentation attributes, which the Content-Security-Policy allows. Returns '' when no
    numeric IKI has a capaian yet.
    """
    import pygal
    from pygal.style import Style

    items = [p for p in progress if p.is_numeric and p.capaian is not None]
    if not items:
        return ""
    percents = [float(p.capaian) for p in items]
    top = max(120.0, min(300.0, max(percents)))
    ticks = [0, 25, 50, 75, 100] + [v for v in (125, 150, 200, 250, 300) if v <= top + 24]
    # Font sizes go into the style too: pygal sizes its margins from them.
    style = Style(font_family=_FONT, label_font_size=_FONT_SIZE, major_label_font_size=_FONT_SIZE,
                  background="#ffffff", plot_background="#ffffff", colors=(_BAR_COLOURS[1][1],))
    chart = pygal.HorizontalBar(
        style=style, js=[], css=[], no_prefix=True, disable_xml_declaration=True, pretty_print=False,
        show_legend=False, width=360, height=30 * len(items) + 50, margin=4,
        spacing=4, range=(0, ticks[-1]), include_x_axis=True, y_labels=ticks, y_labels_major=[100],
        show_minor_y_labels=True, truncate_label=16, print_values=False, tooltip_fancy_mode=False,
        x_labels=[_short(f"{p.number} {p.indicator.text}") for p in reversed(items)], margin_right=16,
        classes=["capaian-chart"], show_y_guides=True, show_x_guides=False)
    chart.add(_("Capaian"), list(reversed(percents)))
    raw = chart.render(is_unicode=True)
    label = title or _("Capaian IKI (persen dari target; garis tebal = 100 %)")
    return _sanitise_svg(raw, label)


def _short(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sanitise_svg(raw: str, label: str) -> str:
    ET.register_namespace("", SVG_NS)
    root = ET.fromstring(raw)
    parents = {child: parent for parent in root.iter() for child in parent}
    for bar in [e for e in root.iter() if _local(e.tag) == "g" and "bar" in _classes(e)]:
        value = next((d.text for d in bar if _local(d.tag) == "desc" and "value" in _classes(d)), None)
        for rect in bar:
            if _local(rect.tag) == "rect" and value:
                rect.set("fill", _bar_colour(float(value)))
    for element in list(root.iter()):
        classes = _classes(element)
        drop = (_local(element.tag) in _DROPPED_TAGS or classes & {"tooltip-overlay", "text-overlay", "overlay"})
        if drop and element in parents:
            parents[element].remove(element)
    for element in root.iter():
        for attr in list(element.attrib):
            low = _local(attr).lower()
            if low in ("style", "href") or low.startswith("on") or "javascript:" in element.get(attr, "").lower():
                del element.attrib[attr]
    _paint(root, axis=None)
    root.attrib.pop("id", None)
    root.set("role", "img")
    root.set("aria-label", label)
    root.set("class", "capaian-chart w-100 h-auto")
    root.set("font-family", _FONT)
    root.set("focusable", "false")
    return ET.tostring(root, encoding="unicode")


def _classes(element) -> set:
    return set((element.get("class") or "").split())


def _paint(element, axis):
    """Presentation attributes in place of pygal's stylesheet (recursively, knowing the axis)."""
    name, classes = _local(element.tag), _classes(element)
    if name == "g" and "axis" in classes:
        axis = "y" if "y" in classes else "x"
    if name == "rect" and "background" in classes:
        element.set("fill", "#ffffff")
    elif name == "rect" and "rect" in classes and "fill" not in element.attrib:
        element.set("fill", _BAR_COLOURS[1][1])
    elif name == "path" and "line" in classes:
        element.set("fill", "none")
        if "major" in classes and "guide" in classes:  # the 100 % line
            element.set("stroke", "#842029")
            element.set("stroke-width", "2.5")
        elif "guide" in classes:
            element.set("stroke", "#adb5bd")
            element.set("stroke-dasharray", "3,3")
        else:
            element.set("stroke", "#6c757d")
    elif name == "text":
        element.set("fill", _TEXT)
        element.set("font-size", str(_FONT_SIZE))
        element.set("text-anchor", "end" if axis == "y" else "middle")
        if "major" in classes:
            element.set("font-weight", "bold")
    for child in element:
        _paint(child, axis)
