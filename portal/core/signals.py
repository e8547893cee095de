"""Events one module raises and another reacts to, so that dependencies keep pointing one way
(evaluation and people do not import the catalogue; the catalogue listens).

Receivers run inside the sender's transaction and must only flush, never commit.
"""
from blinker import Namespace

_signals = Namespace()

# An employee's development needs changed (evaluation finalised, objection decided, coaching
# scores recorded). Sent with ``employee_ids``.
needs_changed = _signals.signal("needs-changed")
# Employees moved to another position or unit. Sent with ``employee_ids``.
positions_changed = _signals.signal("positions-changed")
