"""Object rules (merged in object_rules.py) for the programme_admin area of career development (issue 6).

Only those who manage the whole instansi (BKPSDM, superadmin) edit, archive or restore a programme,
archived ones included."""


def _edit(user, o):
    return o["programme_id"].can_edit(user)


RULES = {
    "programme_admin.edit_programme": _edit,
    "programme_admin.archive_programme": _edit,
    "programme_admin.restore_programme": _edit,
}
