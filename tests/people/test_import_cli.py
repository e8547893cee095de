"""flask people import: exit codes, --dry-run, --parent, --user and the JSON report."""
import json

import pytest
import sqlalchemy as sa

from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.people.models import ImportBatch, ImportStatus, OrgUnit
from tests.conftest import count_rows
from tests.people.test_importer import HEADER, by_nip, nip, person, snapshot, write_csv


@pytest.fixture
def invoke(app):
    """Run the command in its own app context, hence its own session, as a separate process would
    (its rollback must not undo the test's data)."""
    runner = app.test_cli_runner()

    def _invoke(*args):
        with app.app_context():
            return runner.invoke(args=["people", "import", *[str(a) for a in args]])
    return _invoke


def test_import_commits_a_clean_file(tmp_path, world, invoke):
    path = write_csv(tmp_path / "siasn.csv", [person(1), person(2, nip_atasan=nip(1))])
    result = invoke(path)
    assert result.exit_code == 0, result.output
    assert "2 baru, 0 berubah, 0 tidak berubah, 0 ditolak" in result.output
    assert "Tersimpan" in result.output
    employee = by_nip(nip(2))
    assert employee.supervisor_id == by_nip(nip(1)).id
    assert employee.org_unit.parent_id == world.root.id  # no --parent: the instansi
    batch = db.session.scalar(sa.select(ImportBatch))
    assert batch.status is ImportStatus.COMMITTED and batch.created_by_id is None

    again = invoke(path)
    assert again.exit_code == 0 and "0 baru, 0 berubah, 2 tidak berubah, 0 ditolak" in again.output


def test_dry_run_writes_nothing(tmp_path, world, invoke):
    path = write_csv(tmp_path / "siasn.csv", [person(1), person(2)])
    before = snapshot(), count_rows(ImportBatch), count_rows(AuditEntry)
    result = invoke(path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "2 baru" in result.output and "Uji coba" in result.output
    assert (snapshot(), count_rows(ImportBatch), count_rows(AuditEntry)) == before
    assert by_nip(nip(1)) is None


def test_rejected_rows_exit_1_and_write_the_report(tmp_path, world, invoke):
    rows = [person(1), person(2, jenis_kelamin="P"), person(3, nip_atasan=nip(1)), person(4, nip_atasan=nip(99))]
    path = write_csv(tmp_path / "siasn.csv", rows)
    report = tmp_path / "laporan.json"
    before = snapshot(), count_rows(ImportBatch)
    result = invoke(path, "--report-json", report)
    assert result.exit_code == 1
    assert "2 ditolak" in result.output and "Tidak ada yang disimpan" in result.output
    assert "baris 3, jenis_kelamin (P)" in result.output
    assert (snapshot(), count_rows(ImportBatch)) == before

    payload = json.loads(report.read_text(encoding="utf-8"))
    assert payload["counts"] == {"new": 2, "changed": 0, "unchanged": 0, "rejected": 2}
    assert payload["committed"] is False
    assert [(r["row"], r["column"]) for r in payload["rows"]] == [(3, "jenis_kelamin"), (5, "nip_atasan")]
    assert payload["rows"][1]["value"] == nip(99) and "di luar instansi" in payload["rows"][1]["message"]
    assert set(payload["rows"][0]) == {"row", "column", "value", "message"}


def test_report_json_of_a_clean_import(tmp_path, world, invoke):
    report = tmp_path / "laporan.json"
    result = invoke(write_csv(tmp_path / "siasn.csv", [person(1)]), "--report-json", report)
    assert result.exit_code == 0
    payload = json.loads(report.read_text(encoding="utf-8"))
    assert payload["rows"] == [] and payload["committed"] is True and payload["counts"]["new"] == 1
    assert db.session.get(ImportBatch, payload["batch_id"]).status is ImportStatus.COMMITTED


def test_whole_file_refusal_exits_1(tmp_path, world, invoke):
    path = write_csv(tmp_path / "siasn.csv", [person(1)], header=[h for h in HEADER if h != "jabatan"])
    report = tmp_path / "laporan.json"
    result = invoke(path, "--report-json", report)
    assert result.exit_code == 1 and "Kolom wajib tidak ditemukan: jabatan" in result.output
    assert json.loads(report.read_text())["error"].startswith("Kolom wajib")
    assert count_rows(ImportBatch) == 0


def test_parent_by_id_or_name(tmp_path, world, invoke):
    result = invoke(write_csv(tmp_path / "a.csv", [person(1, unor_nama="Bidang Baru")]), "--parent", world.dinas_b.id)
    assert result.exit_code == 0, result.output
    assert by_nip(nip(1)).org_unit.parent_id == world.dinas_b.id

    result = invoke(write_csv(tmp_path / "b.csv", [person(2, unor_nama="Bidang Lain")]), "--parent", "dinas alpha")
    assert result.exit_code == 0, result.output
    assert by_nip(nip(2)).org_unit.parent_id == world.dinas_a.id


def test_unknown_parent_or_user_is_a_usage_error(tmp_path, world, invoke):
    path = write_csv(tmp_path / "a.csv", [person(1)])
    units = count_rows(OrgUnit)
    assert invoke(path, "--parent", "Dinas Tidak Ada").exit_code == 2
    assert invoke(path, "--parent", "999999").exit_code == 2
    assert invoke(path, "--user", "tidak-ada").exit_code == 2
    assert count_rows(OrgUnit) == units
    assert by_nip(nip(1)) is None


def test_user_is_recorded(tmp_path, world, invoke):
    result = invoke(write_csv(tmp_path / "a.csv", [person(1)]), "--user", "superadmin")
    assert result.exit_code == 0, result.output
    batch = db.session.scalar(sa.select(ImportBatch))
    assert batch.created_by_id == world.users["superadmin"].id
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "commit_import"))
    assert entry.actor_id == world.users["superadmin"].id and entry.changes["new"] == 1


def test_missing_file_is_a_usage_error(tmp_path, world, invoke):
    assert invoke(tmp_path / "tidak-ada.csv").exit_code == 2
