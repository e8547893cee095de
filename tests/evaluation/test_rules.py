"""Evaluation rules against the tables of PermenPANRB 6/2022, SE MenPANRB 3/2023,
PermenPANRB 8/2021 and 14/2017 (as condensed in DOMAIN.md)."""
from decimal import Decimal

import pytest

from portal.evaluation import rules
from portal.evaluation.models import IkmGrade, OrgPredicate, Predicate, Rating

A, S, B = Rating.ABOVE, Rating.MEETS, Rating.BELOW
P = Predicate


@pytest.mark.parametrize("hasil, perilaku, expected", [
    (A, A, P.VERY_GOOD), (A, S, P.GOOD), (A, B, P.POOR),
    (S, A, P.GOOD), (S, S, P.GOOD), (S, B, P.POOR),
    (B, A, P.NEEDS_IMPROVEMENT), (B, S, P.NEEDS_IMPROVEMENT), (B, B, P.VERY_POOR),
])
def test_all_nine_cells_of_the_kuadran(hasil, perilaku, expected):
    assert rules.predicate(hasil, perilaku) is expected
    assert rules.predicate(hasil.value, perilaku.value) is expected  # stored values work too


def _breaches(org, **counts):
    return [str(b) for b in rules.distribution_breaches(org, {P[k]: v for k, v in counts.items()})]


def test_istimewa_allows_at_most_70_percent_sangat_baik(app):
    with app.test_request_context():
        assert _breaches(OrgPredicate.OUTSTANDING, VERY_GOOD=7, GOOD=3) == []
        assert _breaches(OrgPredicate.OUTSTANDING, VERY_GOOD=8, GOOD=2) == [
            "Sangat Baik 80 % (paling banyak 70 %)"]


def test_baik_caps_baik_and_needs_some_low_predikat(app):
    with app.test_request_context():
        assert _breaches(OrgPredicate.GOOD, VERY_GOOD=2, GOOD=7, NEEDS_IMPROVEMENT=1) == []
        assert _breaches(OrgPredicate.GOOD, GOOD=7, VERY_GOOD=2, POOR=1) == []
        assert _breaches(OrgPredicate.GOOD, VERY_GOOD=3, GOOD=7) == [
            "Butuh Perbaikan dan/atau Kurang 0 % (harus ada)"]
        assert len(_breaches(OrgPredicate.GOOD, GOOD=10)) == 2


def test_butuh_perbaikan_guide(app):
    with app.test_request_context():
        assert _breaches(OrgPredicate.NEEDS_IMPROVEMENT, NEEDS_IMPROVEMENT=6, GOOD=3, VERY_GOOD=1) == []
        assert _breaches(OrgPredicate.NEEDS_IMPROVEMENT, NEEDS_IMPROVEMENT=5, GOOD=3, VERY_GOOD=2) == [
            "Butuh Perbaikan 50 % (paling sedikit 60 %)", "Sangat Baik 20 % (paling banyak 10 %)"]


def test_kurang_guide(app):
    with app.test_request_context():
        assert _breaches(OrgPredicate.POOR, POOR=6, NEEDS_IMPROVEMENT=3, VERY_GOOD=1) == []
        assert _breaches(OrgPredicate.POOR, POOR=9, VERY_GOOD=1) == ["Butuh Perbaikan 0 % (paling sedikit 10 %)"]


def test_sangat_kurang_guide_allows_no_sangat_baik(app):
    with app.test_request_context():
        assert _breaches(OrgPredicate.VERY_POOR, VERY_POOR=6, POOR=2, NEEDS_IMPROVEMENT=2) == []
        assert _breaches(OrgPredicate.VERY_POOR, VERY_POOR=6, POOR=3, VERY_GOOD=1) == [
            "Sangat Baik 10 % (tidak boleh ada)"]
        assert _breaches(OrgPredicate.VERY_POOR, VERY_POOR=10) == [
            "Kurang dan Butuh Perbaikan 0 % (paling sedikit 10 %)"]


def test_shares_are_rounded_to_a_tenth_and_an_empty_unit_breaks_nothing(app):
    with app.test_request_context():
        assert _breaches(OrgPredicate.OUTSTANDING, VERY_GOOD=5, GOOD=2) == [
            "Sangat Baik 71,4 % (paling banyak 70 %)"]
    assert rules.distribution_breaches(OrgPredicate.GOOD, {}) == []


def test_nilai_kinerja_weights_and_numeric_bands(app):
    assert rules.nilai_kinerja(100, 80) == Decimal("94.00")
    assert rules.nilai_kinerja(100, 80, with_peer_input=True) == Decimal("92.00")
    with app.test_request_context():
        titles = [str(rules.numeric_predicate(s)) for s in (91, Decimal("90.5"), 90, 76, 75, 61, 60, 51, 50, 0)]
    assert titles == ["Sangat Baik", "Sangat Baik", "Baik", "Baik", "Cukup", "Cukup", "Kurang", "Kurang",
                      "Buruk", "Buruk"]


def test_ikm_index_and_grade():
    assert rules.ikm_index([]) is None and rules.ikm_grade(None) is None
    assert rules.ikm_index([[4] * 9]) == Decimal("100.00")
    assert rules.ikm_index([[1] * 9]) == Decimal("25.00")
    # two responses: element means 3.5 (x4), 3.0 (x5) → (14 + 15) / 9 = 3.2222 → 80.56
    assert rules.ikm_index([[4, 4, 4, 4, 3, 3, 3, 3, 3], [3, 3, 3, 3, 3, 3, 3, 3, 3]]) == Decimal("80.56")
    grades = {i: rules.ikm_grade(Decimal(i)) for i in ("88.31", "88.30", "76.61", "76.60", "65.00", "64.99")}
    assert grades == {"88.31": IkmGrade.A, "88.30": IkmGrade.B, "76.61": IkmGrade.B, "76.60": IkmGrade.C,
                      "65.00": IkmGrade.C, "64.99": IkmGrade.D}


@pytest.mark.parametrize("bad", [[4] * 8, [4] * 10, [0] + [3] * 8, [5] + [3] * 8, [2.5] + [3] * 8])
def test_ikm_refuses_malformed_responses(bad):
    with pytest.raises(ValueError):
        rules.ikm_index([bad])


def test_suggested_rating_explains_itself(app):
    with app.test_request_context():
        above = rules.suggest_hasil_rating({"Kunjungan": Decimal(150), "Kepuasan": Decimal(105)})
        assert above.rating is Rating.ABOVE and above.mean == Decimal("112.50")  # 150 capped at 120
        meets = rules.suggest_hasil_rating({"Izin": Decimal(95), "Hari": Decimal(100), "Teks": None})
        assert meets.rating is Rating.MEETS
        below = rules.suggest_hasil_rating({"Imunisasi": Decimal(70), "Kunjungan": Decimal(100)})
        assert below.rating is Rating.BELOW
        assert [str(r) for r in below.reasons] == [
            "Rata-rata capaian 85 % dari 2 IKI berangka.", "Imunisasi: capaian 70 %, di bawah 90 %."]
        assert rules.suggest_hasil_rating({"Teks": None}).rating is None
