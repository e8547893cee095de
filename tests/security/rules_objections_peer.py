"""Object rules for the permission matrix and object-access suite (merged in object_rules.py).

Keberatan: the pegawai opens the filing page of their own evaluation (it says why filing is not
possible when it is not) and files while ``can_object`` holds; whoever may see the objection
reads it; its decider (the atasan pejabat penilai, or BKPSDM when there is none) posts the
decision (a second decision is refused on the page, not with a 403).
Masukan rekan: the penilai asks and cancels; only the colleague asked opens, answers or declines
a request (the penilai reading it there would tie a name to the answers).
"""


def _peer(user, o):
    return o["peer_input_id"].is_peer(user)


RULES = {
    ("objections.new_objection", "GET"): lambda user, o: o["evaluation_id"].is_owner(user),
    ("objections.new_objection", "POST"): lambda user, o: o["evaluation_id"].can_object(user),
    "objections.show_objection": lambda user, o: o["objection_id"].can_view(user),
    "objections.decide_objection": lambda user, o: o["objection_id"].is_decider(user),
    "peer_input.request_input": lambda user, o: o["evaluation_id"].can_request_peer_input(user),
    "peer_input.cancel_input": lambda user, o: o["peer_input_id"].evaluation.is_appraiser(user),
    "peer_input.answer_input": _peer,
    "peer_input.decline_input": _peer,
}
