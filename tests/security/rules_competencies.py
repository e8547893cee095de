"""Object rules (merged in object_rules.py) for the competencies area of career development (issue 6)."""

RULES = {
}
