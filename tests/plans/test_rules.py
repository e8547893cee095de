"""Regulation rules for plans and realisasi (PermenPANRB 6/2022 and 8/2021), as pure functions."""
from datetime import date
from decimal import Decimal

import pytest

from portal.plans import rules
from portal.plans.models import Aggregation, CoreValue, Direction


def test_every_berakhlak_value_has_its_guide_behaviours():
    assert set(rules.GUIDE_BEHAVIOURS) == set(CoreValue)
    assert all(len(guides) == 3 for guides in rules.GUIDE_BEHAVIOURS.values())


def test_monthly_subperiods_cover_the_year_without_gaps():
    ranges = rules.subperiod_ranges(2024, "bulanan")
    assert len(ranges) == 12
    assert ranges[0] == (1, date(2024, 1, 1), date(2024, 1, 31))
    assert ranges[1] == (2, date(2024, 2, 1), date(2024, 2, 29))  # leap year
    assert ranges[-1][2] == date(2024, 12, 31)
    for (_, _, end), (_, start, _) in zip(ranges, ranges[1:], strict=False):
        assert (start - end).days == 1


def test_quarterly_subperiods():
    assert rules.subperiod_ranges(2026, "triwulanan") == [
        (1, date(2026, 1, 1), date(2026, 3, 31)), (2, date(2026, 4, 1), date(2026, 6, 30)),
        (3, date(2026, 7, 1), date(2026, 9, 30)), (4, date(2026, 10, 1), date(2026, 12, 31))]


def test_labels_and_deadline(app):
    with app.test_request_context():
        assert rules.subperiod_label("bulanan", 11, 2026) == "November 2026"
        assert rules.subperiod_label("triwulanan", 3, 2026) == "Triwulan III 2026"
    assert rules.default_plan_deadline(2026) == date(2026, 1, 31)


@pytest.mark.parametrize("realised, target, direction, expected", [
    (12, 12, Direction.HIGHER, "100.00"),
    (9, 12, Direction.HIGHER, "75.00"),
    (15, 12, Direction.HIGHER, "125.00"),
    # Lower is better: (1 + (1 − realisasi/target)) × 100 %
    (4, 5, Direction.LOWER, "120.00"),     # 4 days against a target of 5
    (5, 5, Direction.LOWER, "100.00"),
    (7.5, 5, Direction.LOWER, "50.00"),
    (12, 5, Direction.LOWER, "0.00"),      # never below zero
    (None, 12, Direction.HIGHER, None),
    (3, 0, Direction.HIGHER, None),
])
def test_capaian(realised, target, direction, expected):
    result = rules.capaian(None if realised is None else Decimal(str(realised)), Decimal(target), direction)
    assert (None if result is None else str(result)) == expected


@pytest.mark.parametrize("percent, score", [
    (130, "120"), (111, "120"), (110, "120.00"), (101, "110.00"), (100, "109"),
    (99, "89.00"), (80, "70.00"), (79, "69.00"), (60, "50.00"), (59, "49.00"), (0, "0.00"),
])
def test_nilai_capaian_follows_the_table(percent, score):
    assert str(rules.nilai_capaian(Decimal(percent))) == score


def test_aggregate():
    values = [Decimal(1), None, Decimal(2), Decimal(4)]
    assert rules.aggregate(values, Aggregation.SUM) == 7
    assert rules.aggregate(values, Aggregation.AVERAGE) == Decimal("2.33")
    assert rules.aggregate(values, Aggregation.LATEST) == 4
    assert rules.aggregate([None], Aggregation.SUM) is None


def test_format_number_is_indonesian():
    assert rules.format_number(Decimal("12000")) == "12.000"
    assert rules.format_number(Decimal("95.50")) == "95,5"
    assert rules.format_number(Decimal("1234.25")) == "1.234,25"
    assert rules.format_number(None) == ""


@pytest.mark.parametrize("typed, expected", [
    ("12", "12"), ("12,5", "12.5"), ("12.5", "12.5"), ("1.250", "1250"), ("1.250,75", "1250.75"),
    ("12.000.000", "12000000"), (" 95 % ", "95"), ("0.125", "0.125"), ("-3", "-3"), ("", None), (None, None),
])
def test_read_number_as_indonesians_type_it(typed, expected):
    value = rules.read_number(typed)
    assert (None if value is None else value) == (None if expected is None else Decimal(expected))


@pytest.mark.parametrize("typed", ["dua belas", "1,2,3", "NaN", "Infinity", "1e5", "12..5"])
def test_read_number_refuses_what_is_not_a_number(typed):
    with pytest.raises(ValueError):
        rules.read_number(typed)
