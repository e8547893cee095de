"""The schema comes from migrations only: they must agree with the models, and go down and up."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal.extensions import db


@pytest.mark.live  # inspects the real schema, outside the per-test transaction
def test_migrations_match_models(app):
    with app.app_context():
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = compare_metadata(context, db.metadata)
    assert diffs == [], f"models and migrations disagree: {diffs}"


@pytest.mark.live
def test_every_migration_has_a_downgrade():
    from pathlib import Path
    versions = Path(__file__).resolve().parent.parent / "migrations" / "versions"
    files = sorted(versions.glob("*.py"))
    assert files
    for path in files:
        text = path.read_text()
        assert "def downgrade():" in text and "pass\n" not in text.split("def downgrade():")[1][:40], path.name
        assert path.name[:8].isdigit(), f"{path.name}: migration file names start with the date"
