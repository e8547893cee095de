
import pytest

from portal.extensions import db

ADDRESS = "staf.alpha@example.go.id"


@pytest.fixture
def recipient(world):
    """The pegawai's account, with an e-mail address on its employee record."""
    world.staff_a1.email = ADDRESS
    db.session.flush()
    return world.users["pegawai"]


@pytest.fixture
def mail_server(app, monkeypatch):
    """Configure an SMTP server (e-mails are QUEUED instead of STORED)."""
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.go.id")
    monkeypatch.setitem(app.config, "MAIL_PORT", 587)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", True)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "capaian")
    monkeypatch.setitem(app.config, "MAIL_PASSWORD", "rahasia-smtp")
    monkeypatch.setitem(app.config, "MAIL_FROM", "Capaian <noreply@example.go.id>")
    return app.config


