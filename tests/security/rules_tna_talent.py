"""Object rules (merged in object_rules.py) for the tna_talent area of career development (issue 6)."""

RULES = {
}
