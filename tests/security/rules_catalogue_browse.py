"""Object rules (merged in object_rules.py) for the catalogue_browse area of career development (issue 6)."""

RULES = {
}
