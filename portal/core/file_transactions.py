"""Files written alongside a database transaction: a file written during a transaction is removed
if it rolls back; a file marked for deletion is removed only once it commits. One mechanism for
every upload store (evidence, certificates …): stores pass the file's full path."""
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

_WRITTEN = "files_written"
_DOOMED = "files_to_delete"


def _remember(key, path: Path):
    from portal.extensions import db
    db.session().info.setdefault(key, []).append(path)


def written(path: Path) -> None:
    """Record a file just written for the current transaction (deleted if it rolls back)."""
    _remember(_WRITTEN, path)


def delete_after_commit(path: Path) -> None:
    """Delete ``path`` once the current transaction commits (kept if it rolls back)."""
    _remember(_DOOMED, path)


def _unlink(paths):
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass


@event.listens_for(Session, "after_commit")
def _after_commit(session):
    session.info.pop(_WRITTEN, None)
    _unlink(session.info.pop(_DOOMED, ()))


@event.listens_for(Session, "after_rollback")
def _after_rollback(session):
    session.info.pop(_DOOMED, None)
    _unlink(session.info.pop(_WRITTEN, ()))
