"""Capaian of a plan per IKI, and the inline SVG chart."""
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from portal.extensions import db
from portal.plans import progress
from portal.plans.models import Aggregation, Direction, RealisationStatus
from tests.conftest import count_statements
from tests.plans.sample import sample_plan


@pytest.fixture
def s(world):
    return sample_plan(world)


def _set(s, indicator, number, value, status):
    from portal.plans import realisation_services as services
    sp = s.period.subperiods[number - 1]
    r = services.realisation_for(indicator, sp, create=True)
    r.value = Decimal(value) if value is not None else None
    r.narrative = "x"
    r.status = status
    db.session.flush()
    return r


def test_progress_per_iki_sums_submitted_and_verified(s):
    items = progress.plan_progress(s.plan, upto=s.november)
    assert [i.number for i in items] == ["1.1", "1.2", "2.1"]
    first = items[0]
    assert first.indicator is s.indicator and len(first.cells) == 12
    assert first.cumulative == Decimal(1) and first.cumulative_verified is None
    assert first.capaian == Decimal("8.33") and first.pending == 1
    _set(s, s.indicator, 10, 4, RealisationStatus.VERIFIED)
    _set(s, s.indicator, 9, 7, RealisationStatus.DRAFT)      # drafts do not count
    _set(s, s.indicator, 12, 9, RealisationStatus.VERIFIED)  # after ``upto``: left out
    first = progress.plan_progress(s.plan, upto=s.november)[0]
    assert first.cumulative == Decimal(5) and first.cumulative_verified == Decimal(4)
    assert first.capaian == Decimal("41.67") and first.capaian_verified == Decimal("33.33")
    assert first.status == "behind"  # 5 of 12 by November is behind the pro-rata 11/12
    assert progress.plan_progress(s.plan)[0].cumulative == Decimal(14)  # the whole year


def test_status_on_track_achieved_and_descriptive(s):
    _set(s, s.indicator, 1, 12, RealisationStatus.VERIFIED)
    items = progress.plan_progress(s.plan, upto=1)
    assert items[0].status == "achieved"
    assert items[1].status == "none" and not items[1].is_numeric
    _set(s, s.plan.results[0].indicators[1], 1, None, RealisationStatus.SUBMITTED)
    assert progress.plan_progress(s.plan, upto=1)[1].status == "reported"
    _set(s, s.plan.results[1].indicators[0], 1, 1, RealisationStatus.SUBMITTED)  # 1 of 4 in January
    assert progress.plan_progress(s.plan, upto=1)[2].status == "on_track"


def test_average_latest_and_lower_is_better(s):
    ind = s.indicator
    ind.aggregation = Aggregation.AVERAGE
    _set(s, ind, 1, 10, RealisationStatus.VERIFIED)
    _set(s, ind, 2, 14, RealisationStatus.VERIFIED)
    assert progress.plan_progress(s.plan, upto=2)[0].cumulative == Decimal(12)
    ind.aggregation = Aggregation.LATEST
    assert progress.plan_progress(s.plan, upto=2)[0].cumulative == Decimal(14)
    ind.direction = Direction.LOWER  # 14 days against a 12-day target
    assert progress.plan_progress(s.plan, upto=2)[0].capaian == Decimal("83.33")


def test_progress_costs_the_same_few_queries_whatever_the_size(s):
    db.session.expire_all()
    with count_statements() as small:
        progress.plan_progress(s.plan)
    for number in range(1, 11):
        for ind in [i for r in s.plan.results for i in r.indicators]:
            _set(s, ind, number, 1 if ind.target_value else None, RealisationStatus.VERIFIED)
    db.session.expire_all()
    with count_statements() as large:
        progress.plan_progress(s.plan)
    assert len(large) == len(small) <= 5


def test_chart_is_inline_safe_svg(s):
    s.indicator.text = '<script>alert("x")</script> Jumlah "dataset" & onload=alert(1)'
    _set(s, s.plan.results[1].indicators[0], 1, 5, RealisationStatus.VERIFIED)  # 125 %
    svg = progress.capaian_chart_svg(progress.plan_progress(s.plan))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    lowered = svg.lower()
    for forbidden in ("<script", "<style", "style=", "javascript:", "<foreignobject", "href=", "<desc", "<!--"):
        assert forbidden not in lowered, forbidden
    attributes = {a.lower() for e in ElementTree.fromstring(svg).iter() for a in e.attrib}
    assert not [a for a in attributes if a.startswith("on") or a.endswith("href")]  # no handlers, no links
    assert 'role="img"' in svg and "aria-label=" in svg
    assert "&lt;script&gt;" in svg  # the IKI text is escaped text, not markup
    assert 'stroke="#842029"' in svg  # the 100 % line
    assert 'fill="#198754"' in svg and 'fill="#b35c00"' in svg  # achieved and low bars


def test_chart_is_empty_without_numeric_capaian(world):
    from portal.plans.models import Aspect, PlanStatus
    from tests.plans.sample import make_period, make_plan
    plan = make_plan(world.staff_b, make_period(2026), PlanStatus.APPROVED,
                     results=[("RHK", [(Aspect.QUALITY, "Mutu", "Sesuai standar")])])
    assert progress.capaian_chart_svg(progress.plan_progress(plan)) == ""
