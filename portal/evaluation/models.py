"""Evaluation (issue 5). So far the regulation's vocabulary: the ratings and predikat enums that
``rules.py`` works with; the evaluation tables come with the evaluation workflow."""
from flask_babel import lazy_gettext as _l

from portal.core.models import TitledEnum


class Rating(TitledEnum):
    """The rating of hasil kerja and of perilaku kerja (PermenPANRB 6/2022)."""

    ABOVE = ("di_atas", _l("Di Atas Ekspektasi"))
    MEETS = ("sesuai", _l("Sesuai Ekspektasi"))
    BELOW = ("di_bawah", _l("Di Bawah Ekspektasi"))


class Predicate(TitledEnum):
    """The predikat kinerja pegawai, from the kuadran of the two ratings."""

    VERY_GOOD = ("sangat_baik", _l("Sangat Baik"))
    GOOD = ("baik", _l("Baik"))
    NEEDS_IMPROVEMENT = ("butuh_perbaikan", _l("Butuh Perbaikan"))
    POOR = ("kurang", _l("Kurang/Misconduct"))
    VERY_POOR = ("sangat_kurang", _l("Sangat Kurang"))


class OrgPredicate(TitledEnum):
    """A unit's organisational capaian (SE MenPANRB 3/2023)."""

    OUTSTANDING = ("istimewa", _l("Istimewa"))
    GOOD = ("baik", _l("Baik"))
    NEEDS_IMPROVEMENT = ("butuh_perbaikan", _l("Butuh Perbaikan"))
    POOR = ("kurang", _l("Kurang"))
    VERY_POOR = ("sangat_kurang", _l("Sangat Kurang"))


class IkmGrade(TitledEnum):
    """Mutu pelayanan from the IKM index (PermenPANRB 14/2017)."""

    A = ("A", _l("Sangat Baik"))
    B = ("B", _l("Baik"))
    C = ("C", _l("Kurang Baik"))
    D = ("D", _l("Tidak Baik"))
