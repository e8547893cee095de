from datetime import date
from decimal import Decimal

from portal.evaluation import feedback_services, rules
from portal.evaluation.models import IkmGrade
from tests.evaluation.sample import sample_evaluation


def test_unit_ikm_matches_the_rule(world):
    sample_evaluation(world)
    summary = feedback_services.unit_ikm(world.dinas_a, date(2020, 1, 1), date(2100, 1, 1))
    assert summary.count == 2
    assert summary.index == rules.ikm_index([[3] * 9, [4] * 9]) == Decimal("87.50")
    assert summary.grade is IkmGrade.B
    assert summary.element_means == [Decimal("3.50")] * 9
    assert feedback_services.unit_ikm(world.root, date(2020, 1, 1), date(2100, 1, 1)).count == 0
    assert feedback_services.unit_ikm(world.root, date(2020, 1, 1), date(2100, 1, 1), subtree=True).count == 2
    assert feedback_services.unit_ikm(world.dinas_a, date(2000, 1, 1), date(2000, 1, 2)).index is None
