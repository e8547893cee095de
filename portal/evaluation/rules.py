"""Regulation rules for evaluation, as pure functions unit-tested against the official tables.

- the predikat from the two ratings (PermenPANRB 6/2022, the kuadran kinerja);
- the distribution guide of staff predikat under a unit's organisational capaian (SE MenPANRB
  3/2023);
- the optional numeric nilai kinerja and its older predikat bands (PermenPANRB 8/2021,
  PP 30/2019, PP 46/2011), kept behind a setting by their callers;
- the IKM index and grade (PermenPANRB 14/2017);
- a *suggested* rating of hasil kerja from capaian figures, with its reasons: the penilai decides.
"""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l

from portal.evaluation.models import IkmGrade, OrgPredicate, Predicate, Rating

# ---------------------------------------------------------------- the kuadran
KUADRAN = {
    (Rating.ABOVE, Rating.ABOVE): Predicate.VERY_GOOD,
    (Rating.ABOVE, Rating.MEETS): Predicate.GOOD,
    (Rating.ABOVE, Rating.BELOW): Predicate.POOR,
    (Rating.MEETS, Rating.ABOVE): Predicate.GOOD,
    (Rating.MEETS, Rating.MEETS): Predicate.GOOD,
    (Rating.MEETS, Rating.BELOW): Predicate.POOR,
    (Rating.BELOW, Rating.ABOVE): Predicate.NEEDS_IMPROVEMENT,
    (Rating.BELOW, Rating.MEETS): Predicate.NEEDS_IMPROVEMENT,
    (Rating.BELOW, Rating.BELOW): Predicate.VERY_POOR,
}


def predicate(hasil_kerja: Rating, perilaku: Rating) -> Predicate:
    """The predikat of the kuadran: rows are the rating of hasil kerja, columns that of perilaku."""
    return KUADRAN[(Rating(hasil_kerja), Rating(perilaku))]


# The rating of hasil kerja of the head of a unit is the unit's organisational capaian
# (PermenPANRB 6/2022): Istimewa is above expectations, Baik meets them, the rest fall below.
HEAD_RATING = {
    OrgPredicate.OUTSTANDING: Rating.ABOVE,
    OrgPredicate.GOOD: Rating.MEETS,
    OrgPredicate.NEEDS_IMPROVEMENT: Rating.BELOW,
    OrgPredicate.POOR: Rating.BELOW,
    OrgPredicate.VERY_POOR: Rating.BELOW,
}


def head_hasil_rating(org_predicate: OrgPredicate) -> Rating:
    """The rating of hasil kerja of a unit's head, from the unit's organisational capaian."""
    return HEAD_RATING[OrgPredicate(org_predicate)]


# ---------------------------------------------------------------- distribution guide
@dataclass(frozen=True)
class Bound:
    """One limit of a guide: the share of ``predicates`` is at most or at least ``percent``."""

    predicates: tuple
    percent: int
    at_least: bool
    message: object  # a lazy string with %(share)s and %(limit)s

    def share(self, counts: dict, total: int) -> Decimal:
        n = sum(counts.get(p, 0) for p in self.predicates)
        return (Decimal(100) * n / total).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def holds(self, counts: dict, total: int) -> bool:
        share = self.share(counts, total)
        if self.at_least:
            # "some" (a 0 % floor that must still be met) means at least one person
            return share > 0 if self.percent == 0 else share >= self.percent
        return share <= self.percent


P = Predicate
GUIDES = {
    OrgPredicate.OUTSTANDING: (
        Bound((P.VERY_GOOD,), 70, False, _l("Sangat Baik %(share)s %% (paling banyak %(limit)s %%)")),),
    OrgPredicate.GOOD: (
        Bound((P.GOOD,), 70, False, _l("Baik %(share)s %% (paling banyak %(limit)s %%)")),
        Bound((P.NEEDS_IMPROVEMENT, P.POOR), 0, True,
              _l("Butuh Perbaikan dan/atau Kurang %(share)s %% (harus ada)")),
    ),
    OrgPredicate.NEEDS_IMPROVEMENT: (
        Bound((P.NEEDS_IMPROVEMENT,), 60, True, _l("Butuh Perbaikan %(share)s %% (paling sedikit %(limit)s %%)")),
        Bound((P.VERY_GOOD,), 10, False, _l("Sangat Baik %(share)s %% (paling banyak %(limit)s %%)")),
    ),
    OrgPredicate.POOR: (
        Bound((P.POOR,), 60, True, _l("Kurang/Misconduct %(share)s %% (paling sedikit %(limit)s %%)")),
        Bound((P.NEEDS_IMPROVEMENT,), 10, True, _l("Butuh Perbaikan %(share)s %% (paling sedikit %(limit)s %%)")),
        Bound((P.VERY_GOOD,), 10, False, _l("Sangat Baik %(share)s %% (paling banyak %(limit)s %%)")),
    ),
    OrgPredicate.VERY_POOR: (
        Bound((P.VERY_POOR,), 60, True, _l("Sangat Kurang %(share)s %% (paling sedikit %(limit)s %%)")),
        Bound((P.POOR, P.NEEDS_IMPROVEMENT), 10, True,
              _l("Kurang dan Butuh Perbaikan %(share)s %% (paling sedikit %(limit)s %%)")),
        Bound((P.VERY_GOOD,), 0, False, _l("Sangat Baik %(share)s %% (tidak boleh ada)")),
    ),
}


@dataclass
class Breach:
    bound: Bound
    share: Decimal

    def __str__(self):
        return str(self.bound.message % {"share": _percent(self.share), "limit": self.bound.percent})


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def distribution_breaches(org_predicate: OrgPredicate, counts: dict) -> list[Breach]:
    """The limits of ``org_predicate``'s guide that the staff predikat ``counts``
    ({Predicate: number}) break; empty when the distribution fits (or nobody is rated yet)."""
    total = sum(counts.values())
    if total == 0:
        return []
    return [Breach(bound, bound.share(counts, total))
            for bound in GUIDES[OrgPredicate(org_predicate)] if not bound.holds(counts, total)]


# ---------------------------------------------------------------- numeric scores (optional)
def nilai_kinerja(nilai_skp, nilai_perilaku, *, with_peer_input=False) -> Decimal:
    """70 % SKP + 30 % perilaku, or 60/40 where peers and subordinates give input."""
    skp_weight, behaviour_weight = (Decimal("0.6"), Decimal("0.4")) if with_peer_input else (
        Decimal("0.7"), Decimal("0.3"))
    value = Decimal(nilai_skp) * skp_weight + Decimal(nilai_perilaku) * behaviour_weight
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


NUMERIC_BANDS = [  # PP 46/2011: (lowest score of the band, title)
    (Decimal("90.5"), _l("Sangat Baik")), (Decimal("75.5"), _l("Baik")), (Decimal("60.5"), _l("Cukup")),
    (Decimal("50.5"), _l("Kurang")), (Decimal(0), _l("Buruk")),
]


def numeric_predicate(score):
    """≥ 91 Sangat Baik, 76–90 Baik, 61–75 Cukup, 51–60 Kurang, ≤ 50 Buruk (scores rounded)."""
    score = Decimal(score)
    return next(title for floor, title in NUMERIC_BANDS if score >= floor)


# ---------------------------------------------------------------- IKM
IKM_ELEMENTS = 9
IKM_GRADES = [(Decimal("88.31"), IkmGrade.A), (Decimal("76.61"), IkmGrade.B),
              (Decimal("65.00"), IkmGrade.C), (Decimal(0), IkmGrade.D)]


def ikm_index(responses) -> Decimal | None:
    """IKM (25–100) from responses, each nine scores 1–4: the mean of the nine elements' means
    (equal weights), × 25, rounded to 0.01. None without responses. Raises ValueError for a
    response that is not nine scores of 1–4."""
    responses = [tuple(r) for r in responses]
    if not responses:
        return None
    for response in responses:
        if len(response) != IKM_ELEMENTS or any(int(s) != s or not 1 <= s <= 4 for s in response):
            raise ValueError("an IKM response is nine scores from 1 to 4")
    n = Decimal(len(responses))
    return ikm_index_from_means([sum(Decimal(r[i]) for r in responses) / n for i in range(IKM_ELEMENTS)])


def ikm_index_from_means(element_means) -> Decimal:
    """IKM from the nine elements' mean scores (as a database aggregates them)."""
    means = [Decimal(str(m)) for m in element_means]
    if len(means) != IKM_ELEMENTS:
        raise ValueError("the IKM has nine elements")
    return (sum(means) / IKM_ELEMENTS * 25).quantize(Decimal("0.01"), ROUND_HALF_UP)


def ikm_grade(index) -> IkmGrade | None:
    if index is None:
        return None
    index = Decimal(index)
    return next(grade for floor, grade in IKM_GRADES if index >= floor)


# ---------------------------------------------------------------- suggestion for the penilai
ABOVE_FROM = Decimal(110)  # mean capaian (each IKI capped at 120 %) from which Di Atas is suggested
MEETS_FROM = Decimal(90)   # … and from which Sesuai is suggested; below it, Di Bawah


@dataclass
class Suggestion:
    rating: Rating | None
    mean: Decimal | None
    reasons: list = field(default_factory=list)


def suggest_hasil_rating(capaian_by_indicator: dict) -> Suggestion:
    """A suggested rating of hasil kerja from {IKI label: capaian % or None}, with reasons.

    Only a suggestion (the penilai judges realisasi against target with the bukti dukung): the
    mean capaian of the IKIs that have one, each capped at 120 % so one outlier does not hide
    another IKI's shortfall; ≥ 110 % Di Atas, ≥ 90 % Sesuai, else Di Bawah. IKIs under 90 % are
    named. Without any figure there is no suggestion.
    """
    figures = {label: Decimal(c) for label, c in capaian_by_indicator.items() if c is not None}
    if not figures:
        return Suggestion(None, None, [_l("Belum ada capaian berangka untuk disarankan.")])
    mean = (sum(min(c, Decimal(120)) for c in figures.values()) / len(figures)).quantize(
        Decimal("0.01"), ROUND_HALF_UP)
    rating = Rating.ABOVE if mean >= ABOVE_FROM else Rating.MEETS if mean >= MEETS_FROM else Rating.BELOW
    reasons = [_l("Rata-rata capaian %(mean)s %% dari %(n)s IKI berangka.", mean=_percent(mean), n=len(figures))]
    reasons += [_l("%(iki)s: capaian %(c)s %%, di bawah %(limit)s %%.", iki=label, c=_percent(c),
                   limit=int(MEETS_FROM)) for label, c in figures.items() if c < MEETS_FROM]
    return Suggestion(rating, mean, reasons)
