"""Every user-visible string has an English translation."""
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.live
def test_english_catalogue_is_complete(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "--ignore-dirs=.*", "-F", "babel.cfg",
                    "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."], cwd=ROOT, check=True,
                   capture_output=True)
    with pot.open("rb") as f:
        template = read_po(f)
    with (ROOT / "portal/translations/en/LC_MESSAGES/messages.po").open("rb") as f:
        english = read_po(f)
    missing = [m.id for m in template if m.id and (m.id not in english or not english[m.id].string
                                                    or english[m.id].fuzzy)]
    assert not missing, f"{len(missing)} strings lack an English translation, e.g. {missing[:10]}"
