"""Object rules (merged in object_rules.py) for the learning area of career development (issue 6).

An employee's ledger is personal data (``can_view_details``); a certificate is read and its scan
downloaded by whoever may see it, changed or deleted by its owner while not verified, and decided
by BKPSDM (a certificate no longer waiting answers with a message, not a 403).
"""

RULES = {
    "learning.show_ledger": lambda user, o: o["employee_id"].can_view_details(user),
    "learning.show_certificate": lambda user, o: o["certificate_id"].can_view(user),
    "learning.download_certificate": lambda user, o: o["certificate_id"].can_view(user),
    "learning.edit_certificate": lambda user, o: o["certificate_id"].can_edit(user),
    "learning.delete_certificate": lambda user, o: o["certificate_id"].can_edit(user),
    "learning.verify_certificate": lambda user, o: user.manages_whole_instansi,
    "learning.reject_certificate": lambda user, o: user.manages_whole_instansi,
}
