from tests.plans.sample import sample_plan
from portal.plans.models import PerformancePlan
def test_sample(world):
    s = sample_plan(world)
    assert s.plan.slot.endswith("/a") and len(s.plan.expectations) == 7
