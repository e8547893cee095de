"""Object rules for the permission matrix and object-access suite (merged in object_rules.py)."""

RULES = {}
