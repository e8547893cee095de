"""Object rules (merged in object_rules.py) for the programme_admin area of career development (issue 6)."""

RULES = {
}
