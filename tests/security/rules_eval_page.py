"""Object rules for the permission matrix and object-access suite (merged in object_rules.py).

The evaluation page is addressed by plan and ``period_key``; the suite passes the plan only, so
the rules look up the plan's evaluation for the sample ``period_key`` of the permission matrix.
"""


def _evaluation(plan):
    from portal.evaluation import services
    from tests.test_permission_matrix import ARGS
    return services.evaluation_for(plan, ARGS["period_key"](None))


def _view(user, o):
    """Whoever may see the plan, or its evaluation (the evaluation's own penilai included)."""
    plan = o["plan_id"]
    evaluation = _evaluation(plan)
    return plan.can_view(user) or (evaluation is not None and evaluation.can_view(user))


def _act(user, o):
    """The penilai: of the approved (or transfer-closed) plan before the first save, of the
    evaluation after it (a final one answers with a message, not a 403)."""
    from portal.plans.models import PlanStatus
    plan = o["plan_id"]
    evaluation = _evaluation(plan)
    if evaluation is None:
        return plan.is_appraiser(user) and plan.status in (PlanStatus.APPROVED, PlanStatus.CLOSED)
    return evaluation.is_appraiser(user)


RULES = {
    ("evaluation.show_evaluation", "GET"): _view,
    ("evaluation.show_evaluation", "POST"): _act,
    "evaluation.preview_predicate": _view,
    "evaluation.finalise_evaluation": _act,
    "evaluation.open_evaluation": lambda user, o: o["evaluation_id"].can_view(user),
    "evaluation.acknowledge_evaluation": lambda user, o: o["evaluation_id"].is_owner(user),
}
