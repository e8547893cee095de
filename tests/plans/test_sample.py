"""The sample data other plan tests build on satisfies the database's own rules."""
from tests.plans.sample import sample_plan


def test_sample_plan_is_approved_with_all_seven_behaviour_rows(world):
    s = sample_plan(world)
    assert s.plan.slot == f"{world.staff_a1.id}/{s.period.id}/a"
    assert len(s.plan.expectations) == 7
    assert s.result.intervened_result.plan is s.chief_plan
