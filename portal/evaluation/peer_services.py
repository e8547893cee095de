"""Peer input (360) services. Placeholder: ``panel`` is what the evaluation page shows."""


def panel(evaluation, user):
    """What the evaluation page shows about peer input for ``user`` (None: nothing)."""
    return None
