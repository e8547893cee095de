"""Reading the audit trail: the filtered log for BKPSDM and superadmin, and per-object timelines.

Entries are written by the services themselves (``portal.core.audit.record``); this module
only reads them. Nothing here (nor anywhere in the app) updates or deletes an entry.
"""
