"""Object rules (merged in object_rules.py) for the catalogue_browse area of career development (issue 6).

The catalogue: whoever may see a programme opens it (archived ones: BKPSDM only) and, with an
employee record, adds it to their own IDP. Recommendations: only their employee decides them while
open; a subordinate's list is read by those who see the employee's details.
"""


def _decide(user, o):
    return o["recommendation_id"].can_decide(user)


RULES = {
    "catalogue.show_programme": lambda user, o: o["programme_id"].can_view(user),
    "catalogue.add_to_plan": lambda user, o: o["programme_id"].can_view(user) and user.employee is not None,
    "recommendations.accept_recommendation": _decide,
    "recommendations.dismiss_recommendation": _decide,
    "recommendations.employee_recommendations": lambda user, o: o["employee_id"].can_view_details(user),
}
