"""Object rules (merged in object_rules.py) for the competencies area of career development (issue 6).

The dictionary, the mapping and the thresholds have no per-object rule beyond the role (BKPSDM
and the superadmin edit every competency). Tags on an SKP: whoever may see the plan reads them
(the generic rule); its owner, its appraiser and BKPSDM add and remove them.
"""


def _tag_result(user, o):
    from portal.catalogue.competency_services import can_tag
    return can_tag(o["result_id"].plan, user)


def _tag_indicator(user, o):
    from portal.catalogue.competency_services import can_tag
    return can_tag(o["indicator_id"].result.plan, user)


def _edit_competency(user, o):
    return o["competency_id"].can_edit(user)


RULES = {
    "competencies.edit_competency": _edit_competency,
    "competencies.deactivate_competency": _edit_competency,
    "competencies.activate_competency": _edit_competency,
    "competencies.add_result_tag": _tag_result,
    "competencies.remove_result_tag": _tag_result,
    "competencies.add_indicator_tag": _tag_indicator,
    "competencies.remove_indicator_tag": _tag_indicator,
}
