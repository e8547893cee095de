"""Flask extensions, created unbound and initialised in create_app()."""
from flask_babel import Babel
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData

# Deterministic constraint names so that migrations work the same on SQLite,
# PostgreSQL and MariaDB (and batch mode can drop constraints by name).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MAX_PAGE = 100_000  # far beyond any real list; keeps OFFSET inside every database's integer range


class PortalSQLAlchemy(SQLAlchemy):
    """Pagination clamps ?page= so that a hand-edited huge number shows the last page, not a 500."""

    def paginate(self, select, *, page=None, per_page=None, **kwargs):
        if page is None:
            from flask import request
            try:
                page = int(request.args.get("page", 1))
            except (TypeError, ValueError):
                page = 1
        return super().paginate(select, page=min(max(page, 1), MAX_PAGE), per_page=per_page, **kwargs)


db = PortalSQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
htmx = HTMX()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
