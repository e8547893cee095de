"""The catalogue's thresholds (one row, created on first use)."""
from portal.catalogue.models import CatalogueSettings
from portal.extensions import db

SETTINGS_ID = 1


def current_settings() -> CatalogueSettings:
    """The settings row, added to the session with its defaults when there is none yet."""
    settings = db.session.get(CatalogueSettings, SETTINGS_ID)
    if settings is None:
        settings = CatalogueSettings(id=SETTINGS_ID)
        db.session.add(settings)
        db.session.flush()
    return settings
