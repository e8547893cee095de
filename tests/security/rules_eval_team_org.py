"""Object rules for the permission matrix and object-access suite (merged in object_rules.py):
team evaluations and organisational capaian."""


def _set_assessment(user, o):
    from portal.evaluation.models import can_set_org_assessment
    return can_set_org_assessment(user)


def _view_distribution(user, o):
    from portal.evaluation.org_services import can_view_distribution
    return can_view_distribution(user, o["unit_id"])


RULES = {
    # Only the plan's appraiser fills a row of the team view.
    "team_evaluations.rate_row": lambda user, o: o["plan_id"].is_appraiser(user),
    # Pimpinan (and BKPSDM, superadmin for them) set a unit's capaian.
    ("org_capaian.set_assessment", "POST"): _set_assessment,
    # A unit's distribution: instansi-wide readers, the unit's admin OPD, heads of it or above it.
    ("org_capaian.show_distribution", "GET"): _view_distribution,
}
