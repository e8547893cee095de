"""Which model predicate decides each route's object check, for the security suite and the
permission matrix.

A route that is not listed is held to the generic rule: every object in its URL that has
``can_view`` must be viewable by the user. A key may be an endpoint or (endpoint, method) when
reading and acting differ (a plan's month page: everyone who may see the plan reads it, only
its owner posts to it).
"""
from tests.security import (
    rules_catalogue_browse,
    rules_competencies,
    rules_eval_documents,
    rules_eval_page,
    rules_eval_team_org,
    rules_feedback,
    rules_idp,
    rules_learning,
    rules_objections_peer,
    rules_programme_admin,
    rules_tna_talent,
)


def _edit_employee(user, o):
    return o["employee_id"].can_edit(user)


def _edit_unit(user, o):
    return o["unit_id"].can_edit(user)


def _manage_unit(user, o):
    return user.manages_unit(o["unit_id"])


def _view_batch(user, o):
    return o["batch_id"].can_view(user)


def _manage_team(user, o):
    return o["team_id"].can_manage(user)


def _create_team(user, o):
    from portal.plans.team_services import can_create_team
    return can_create_team(user)


def _realisation_owner(user, o):
    return o["realisation_id"].plan.is_owner(user)


def _realisation_appraiser(user, o):
    return o["realisation_id"].plan.is_appraiser(user)


OBJECT_RULES = {
    "people.show_employee": lambda user, o: o["employee_id"].can_view(user),
    "people.edit_employee": _edit_employee,
    "people.transfer_employee": _edit_employee,
    "people.change_supervisor": _edit_employee,
    "units.show_unit": lambda user, o: o["unit_id"].can_view(user),
    "units.edit_unit": _edit_unit,
    "units.deactivate_unit": _edit_unit,
    "units.activate_unit": _edit_unit,
    "units.new_position": _manage_unit,
    "units.edit_position": _manage_unit,
    "imports.show_import": _view_batch,
    "imports.download_report": _view_batch,
    "imports.commit_import": _view_batch,
    "imports.discard_import": _view_batch,
    # Realisasi: the owner reports, the plan's appraiser decides, the dialog is theirs.
    ("realisations.report", "POST"): lambda user, o: o["plan_id"].is_owner(user),
    "realisations.verify_realisation": _realisation_appraiser,
    "realisations.return_realisation": _realisation_appraiser,
    "realisations.add_feedback": lambda user, o: o["realisation_id"].can_give_feedback(user),
    "realisations.upload_evidence": _realisation_owner,
    "realisations.add_link": _realisation_owner,
    "realisations.remove_evidence": lambda user, o: o["evidence_id"].realisation.plan.is_owner(user),
    "realisations.download_evidence": lambda user, o: o["evidence_id"].can_download(user),
    # Daily log: visible to the owner's chain and admins, written by its owner.
    "activities.edit_entry": lambda user, o: o["activity_id"].can_edit(user),
    "activities.delete_entry": lambda user, o: o["activity_id"].can_edit(user),
    "activities.add_comment": lambda user, o: o["activity_id"].can_comment(user),
    # Teams: everyone reads them; the leader, the owning unit's admin and BKPSDM manage them.
    "teams.new_team": _create_team,
    **{f"teams.{name}": _manage_team for name in (
        "edit_team", "deactivate_team", "activate_team", "add_member", "remove_member",
        "new_goal", "edit_goal", "delete_goal")},
    # Evaluation (issue 5): one file per area.
    **rules_eval_page.RULES,
    **rules_eval_team_org.RULES,
    **rules_objections_peer.RULES,
    **rules_feedback.RULES,
    **rules_eval_documents.RULES,
    **rules_competencies.RULES,
    **rules_programme_admin.RULES,
    **rules_catalogue_browse.RULES,
    **rules_idp.RULES,
    **rules_learning.RULES,
    **rules_tna_talent.RULES,
}
BLUEPRINT_RULES = {"accounts": lambda user, o: user.can_manage_accounts()}


def generic_rule(user, objects):
    return all(obj.can_view(user) for obj in objects.values() if hasattr(obj, "can_view"))


def object_rule(endpoint, method="GET"):
    if (endpoint, method) in OBJECT_RULES:
        return OBJECT_RULES[(endpoint, method)]
    if endpoint in OBJECT_RULES:
        return OBJECT_RULES[endpoint]
    return BLUEPRINT_RULES.get(endpoint.split(".")[0], generic_rule)
