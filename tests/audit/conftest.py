"""Helpers for the audit trail tests: entries written through the real ``audit.record``."""

import pytest

from portal.core import audit
from portal.extensions import db


@pytest.fixture
def record():
    """record(action, obj=None, *, created_dt=None, **kwargs) → a flushed audit entry."""
    def _record(action, obj=None, *, created_dt=None, **kwargs):
        entry = audit.record(action, obj, **kwargs)
        if created_dt is not None:
            entry.created_dt = created_dt  # still pending: this is the INSERT, not an update
        db.session.flush()
        return entry
    return _record




def text(response):
    return response.get_data(as_text=True)


def main(response):
    """The page's main content (the navigation carries the signed-in user's name)."""
    body = text(response)
    return body[body.index("<main"):body.index("</main>")]


def entry_ids(response):
    """The ids of the log rows on a page, in order."""
    import re
    return [int(i) for i in re.findall(r'<tr data-entry="(\d+)"', text(response))]
