"""Object rules (merged in object_rules.py) for the learning area of career development (issue 6)."""

RULES = {
}
