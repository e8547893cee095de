"""Object rules (merged in object_rules.py) for the idp area of career development (issue 6)."""

RULES = {
}
