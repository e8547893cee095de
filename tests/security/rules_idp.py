"""Object rules (merged in object_rules.py) for the idp area of career development (issue 6).

Whoever may see a plan reads it (the employee, their supervisor chain, admin OPD in scope,
BKPSDM, pimpinan); only the employee changes it while it is not waiting for a decision (a
refused change on a submitted plan is a 403); only the direct supervisor posts a decision (a plan
decided meanwhile is refused on the page, not with a 403). Adding an activity needs an employee
record (the plan is created for it).
"""


def _edit(user, o):
    return o["idp_id"].can_edit(user)


def _supervisor(user, o):
    me = user.employee if user.is_authenticated else None
    plan = o["idp_id"]
    return me is not None and plan.employee is not None and plan.employee.supervisor_id == me.id


RULES = {
    "idp.add_activity": lambda user, o: user.is_authenticated and user.employee is not None,
    "idp.edit_item": _edit,
    "idp.remove_item": _edit,
    "idp.set_item_status": _edit,
    "idp.submit_plan": _edit,
    "idp.decide_plan": _supervisor,
}
