"""Object rules for the permission matrix and object-access suite (merged in object_rules.py).

The public form and its thank-you page (``feedback.public_form``, ``feedback.thanks``) are
``@public`` and take a unit's public code, not an id: the suites treat them as public routes.
"""


def _view_ikm(user, o):
    from portal.evaluation.feedback_services import can_view_ikm
    return can_view_ikm(user, o["unit_id"])


def _edit_service(user, o):
    return o["service_id"].can_edit(user)


RULES = {
    # Pimpinan/BKPSDM/superadmin read every unit, an admin OPD their subtree, others their own OPD.
    "feedback.show_unit": _view_ikm,
    # An inactive unit has no public form, so no poster either (404).
    "feedback.poster_pdf": lambda user, o: _view_ikm(user, o) and o["unit_id"].is_active,
    # The services on the public form: those who manage the unit.
    "feedback.add_service": lambda user, o: user.manages_unit(o["unit_id"]),
    "feedback.edit_service": _edit_service,
    "feedback.toggle_service": _edit_service,
}
