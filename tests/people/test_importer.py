"""SIASN import service: reading files, row validation, counts, all-or-nothing commit, history."""
import csv
from datetime import date, datetime, timedelta

import openpyxl
import pytest
import sqlalchemy as sa
from sqlalchemy import event

from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.people import importing
from portal.people.models import (
    AssignmentReason,
    CivilStatus,
    Employee,
    EmployeeAssignment,
    EmployeeKind,
    Gender,
    ImportBatch,
    ImportStatus,
    OrgUnit,
    Position,
    PositionGrade,
    PositionKind,
    UnitKind,
)
from tests.conftest import count_rows

HEADER = ["nip_baru", "nama", "gelar_depan", "gelar_belakang", "tanggal_lahir", "jenis_kelamin", "email_gov",
          "jenis_pegawai", "status_cpns_pns", "tmt_cpns", "gol_akhir", "jenis_jabatan", "jabatan", "unor_nama",
          "nip_atasan"]


# ---------------------------------------------------------------- helpers (shared with the view and CLI tests)
def nip(serial=1, gender="1", born=date(1990, 1, 15), tmt=(2015, 3)):
    """A valid PNS NIP; tests use 1990 birth dates so they never clash with the factories' 1985."""
    return f"{born:%Y%m%d}{tmt[0]:04d}{tmt[1]:02d}{gender}{serial:03d}"


def person(number, **values):
    """A valid SIASN row for ``number`` (its NIP, birth date and gender agree)."""
    gender = values.pop("gender", "1")
    born = values.pop("born", date(1990, 1, 15))
    row = {"nip_baru": nip(number, gender, born), "nama": f"Pegawai Uji {number}", "gelar_depan": "",
           "gelar_belakang": "", "tanggal_lahir": born.strftime("%d-%m-%Y"),
           "jenis_kelamin": "L" if gender == "1" else "P", "email_gov": "", "jenis_pegawai": "PNS",
           "status_cpns_pns": "PNS", "tmt_cpns": "", "gol_akhir": "III/a", "jenis_jabatan": "Pelaksana",
           "jabatan": "Pengadministrasi Umum", "unor_nama": "Dinas Gamma", "nip_atasan": ""}
    row.update(values)
    return row


def write_csv(path, rows, header=None, delimiter=",", encoding="utf-8"):
    header = header or HEADER
    with open(path, "w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(h, "") for h in header] if isinstance(row, dict) else row)
    return path


def write_xlsx(path, rows, header=None):
    header = header or HEADER
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(h) for h in header])
    workbook.save(path)
    return path


def preview(tmp_path, rows, parent, user=None, name="siasn.csv", **csv_options):
    path = write_csv(tmp_path / name, rows, **csv_options)
    return importing.preview_import(path, name, parent, user)


def problems_of(batch, row=None):
    return [p for p in batch.report if row is None or p["row"] == row]


def messages_of(batch, row=None):
    return " | ".join(p["message"] for p in problems_of(batch, row))


def snapshot():
    """Everything an import may touch, to compare before and after."""
    employees = db.session.execute(sa.select(
        Employee.id, Employee.nip, Employee.name, Employee.gelar_depan, Employee.gelar_belakang,
        Employee.org_unit_id, Employee.position_id, Employee.supervisor_id, Employee.golongan,
        Employee.email, Employee.tmt_date, Employee.civil_status).order_by(Employee.id)).all()
    return (employees, count_rows(OrgUnit), count_rows(Position), count_rows(EmployeeAssignment))


def by_nip(value) -> Employee:
    return db.session.scalar(sa.select(Employee).where(Employee.nip == value))


# ---------------------------------------------------------------- values
@pytest.mark.parametrize("raw, expected", [
    ("1990-01-15", date(1990, 1, 15)), ("15-01-1990", date(1990, 1, 15)), ("15/01/1990", date(1990, 1, 15)),
    ("5/1/1990", date(1990, 1, 5)), ("1990-01-15 00:00:00", date(1990, 1, 15)),
    (datetime(1990, 1, 15), date(1990, 1, 15)), (date(1990, 1, 15), date(1990, 1, 15)),
    (32888, date(1990, 1, 15)),  # an Excel serial number
])
def test_dates_in_every_accepted_form(raw, expected):
    assert importing.parse_date(raw) == expected


@pytest.mark.parametrize("raw, fragment", [("31-02-1990", "tidak ada di kalender"), ("1990.01.15", "Format tanggal"),
                                           ("kemarin", "Format tanggal")])
def test_impossible_or_unknown_dates_are_refused(raw, fragment):
    with pytest.raises(ValueError, match=fragment):
        importing.parse_date(raw)


@pytest.mark.parametrize("raw, expected", [
    ("L", Gender.MALE), ("l", Gender.MALE), ("M", Gender.MALE), ("Laki-laki", Gender.MALE), ("LAKI-LAKI", Gender.MALE),
    ("1", Gender.MALE), (1, Gender.MALE), (1.0, Gender.MALE),
    ("P", Gender.FEMALE), ("f", Gender.FEMALE), ("Perempuan", Gender.FEMALE), ("2", Gender.FEMALE),
])
def test_gender_aliases(raw, expected):
    assert importing.parse_gender(raw) is expected


def test_unknown_gender_is_refused():
    with pytest.raises(ValueError, match="Jenis kelamin"):
        importing.parse_gender("X")


@pytest.mark.parametrize("kind, name, expected", [
    ("JPT Pratama", "Kepala Dinas", (PositionKind.JPT_PRATAMA, None)),
    ("jpt_madya", "Sekretaris Daerah", (PositionKind.JPT_MADYA, None)),
    (" administrator ", "Kepala Bidang", (PositionKind.ADMINISTRATOR, None)),
    ("PENGAWAS", "Kepala Seksi", (PositionKind.PENGAWAS, None)),
    ("Pelaksana", "Pengadministrasi Umum", (PositionKind.PELAKSANA, None)),
    ("Fungsional Umum", "Pengadministrasi Umum", (PositionKind.PELAKSANA, None)),
    ("Fungsional Tertentu", "Analis Kebijakan Ahli Muda", (PositionKind.FUNGSIONAL_KEAHLIAN, PositionGrade.AHLI_MUDA)),
    ("Fungsional Tertentu", "Pranata Komputer Terampil", (PositionKind.FUNGSIONAL_KETERAMPILAN, PositionGrade.TERAMPIL)),
    ("Fungsional Tertentu", "Perawat Penyelia", (PositionKind.FUNGSIONAL_KETERAMPILAN, PositionGrade.PENYELIA)),
    ("fungsional-keahlian", "Dokter Ahli Utama", (PositionKind.FUNGSIONAL_KEAHLIAN, PositionGrade.AHLI_UTAMA)),
    ("Fungsional Keterampilan", "Arsiparis Pemula", (PositionKind.FUNGSIONAL_KETERAMPILAN, PositionGrade.PEMULA)),
])
def test_jenis_jabatan_and_siasn_aliases(kind, name, expected):
    assert importing.parse_position_kind(kind, name) == expected


@pytest.mark.parametrize("kind, name, fragment", [
    ("Struktural", "Kepala Bidang", "JPT Pratama, Administrator atau Pengawas"),
    ("Fungsional Tertentu", "Analis Kebijakan", "Jenjang jabatan fungsional tidak terbaca"),
    ("Fungsional Keahlian", "Pranata Komputer Mahir", "tidak sesuai"),
    ("Eselon III", "Kepala Bidang", "tidak dikenal"),
])
def test_jenis_jabatan_refusals(kind, name, fragment):
    with pytest.raises(ValueError, match=fragment):
        importing.parse_position_kind(kind, name)


@pytest.mark.parametrize("name, kind", [
    ("Dinas Kesehatan", UnitKind.DINAS), ("BADAN Kepegawaian", UnitKind.BADAN), ("Kecamatan Utara", UnitKind.KECAMATAN),
    ("Kelurahan Sukamaju", UnitKind.KELURAHAN), ("UPT Sampah", UnitKind.UPT), ("Puskesmas Barat", UnitKind.UPT),
    ("SD Negeri 1", UnitKind.UPT), ("SMP Negeri 2", UnitKind.UPT), ("Bidang Mutasi", UnitKind.BIDANG),
    ("Bagian Umum", UnitKind.BAGIAN), ("Inspektorat", UnitKind.INSPEKTORAT),
    ("Sekretariat Daerah", UnitKind.SETDA), ("Sekretariat DPRD", UnitKind.SETWAN),
    ("SDM Center", UnitKind.LAINNYA), ("Rumah Sakit Umum Daerah", UnitKind.LAINNYA), ("Dinasti", UnitKind.LAINNYA),
])
def test_kind_of_new_units_from_their_names(name, kind):
    assert importing.unit_kind_for(name) is kind


def test_headers_are_matched_tolerantly(tmp_path):
    header = [" NIP Baru ", "NAMA", "Tanggal-Lahir", "jenis kelamin", "Jenis_Pegawai", "JABATAN", "jenis-jabatan",
              "Unor Nama", "NIP Atasan Langsung", "kolom_lain"]
    path = write_csv(tmp_path / "a.csv", [], header=header)
    path.write_text(path.read_text() + "1,2,3,4,5,6,7,8,9,10\n")
    sheet = importing.read_sheet(path, "csv")
    assert set(importing.REQUIRED_COLUMNS) <= set(sheet.columns)
    assert sheet.columns["nip_atasan"] == 8
    assert sheet.labels["nip_baru"] == "NIP Baru"
    assert importing.canonical_header("atasan_nip") == "nip_atasan"


# ---------------------------------------------------------------- whole-file problems
def test_missing_columns_reject_the_whole_file(tmp_path, world):
    header = [h for h in HEADER if h not in ("jenis_kelamin", "unor_nama")]
    path = write_csv(tmp_path / "a.csv", [person(1)], header=header)
    with pytest.raises(importing.ImportFailed) as err:
        importing.preview_import(path, "a.csv", world.root, None)
    assert "jenis_kelamin" in str(err.value) and "unor_nama" in str(err.value)
    assert count_rows(ImportBatch) == 0
    assert not list((importing.storage_dir()).glob("*")) or all(
        p.stat().st_size for p in importing.storage_dir().glob("*"))


@pytest.mark.parametrize("content, fragment", [
    (b"", "kosong"),
    (b"\n\n  \n", "kosong"),
    (",".join(HEADER).encode() + b"\n", "tanpa baris data"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "data biner"),
    (b"nip_baru,nama\n\x01\x02\x03\x04", "data biner"),
    (b"nip_baru;nama\n\x81\x8d\x8f\x90\x9d", "penyandian"),
    (b"PK\x03\x04rest-of-a-zip", "XLSX"),
])
def test_unreadable_csv_files(tmp_path, world, content, fragment):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(importing.ImportFailed, match=fragment):
        importing.preview_import(path, "x.csv", world.root, None)
    assert count_rows(ImportBatch) == 0


@pytest.mark.parametrize("content", [b"nip_baru,nama\n1,2\n", b"PK\x03\x04garbage", b"\x00" * 100])
def test_not_a_real_xlsx(tmp_path, world, content):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    with pytest.raises(importing.ImportFailed, match="XLSX"):
        importing.preview_import(path, "x.xlsx", world.root, None)


@pytest.mark.parametrize("name", ["data.xls", "data.txt", "data", "data.csv.exe"])
def test_wrong_extension(tmp_path, world, name):
    path = write_csv(tmp_path / "a.csv", [person(1)])
    with pytest.raises(importing.ImportFailed, match=r"\.csv atau \.xlsx"):
        importing.preview_import(path, name, world.root, None)


# ---------------------------------------------------------------- new rows and commit
def test_preview_then_commit_creates_units_positions_employees(tmp_path, world):
    head, staff, analyst = nip(1), nip(2, "2"), nip(3)
    rows = [
        person(1, nama="Dr. H. Ahmad Fauzi, S.Kom., M.T.", jabatan="Kepala Dinas Gamma", jenis_jabatan="JPT Pratama",
               gol_akhir="IV/b", nip_atasan=world.head_a.nip, email_gov="Ahmad@Contoh.go.id"),
        person(2, gender="2", nip_atasan=head, gol_akhir="3a", tanggal_lahir="1990-01-15"),
        person(3, jenis_jabatan="Fungsional Tertentu", jabatan="Analis Kebijakan Ahli Muda",
               unor_nama="Puskesmas Gamma", nip_atasan=head, status_cpns_pns="CPNS", tmt_cpns="01/03/2015"),
        person(4, unor_nama="dinas alpha", jabatan="Analis Data", nip_atasan=world.chief_a1.nip),
    ]
    batch = preview(tmp_path, rows, world.root, world.users["bkpsdm"])
    assert batch.status is ImportStatus.PREVIEWED and batch.report == []
    assert (batch.count_new, batch.count_changed, batch.count_unchanged, batch.count_rejected) == (4, 0, 0, 0)
    assert by_nip(head) is None  # a preview writes no people

    counts = importing.commit_import(batch, world.users["bkpsdm"])
    assert counts == {"new": 4, "changed": 0, "unchanged": 0, "rejected": 0}
    assert batch.status is ImportStatus.COMMITTED and batch.committed_dt is not None

    gamma = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.name == "Dinas Gamma"))
    assert gamma.kind is UnitKind.DINAS and gamma.parent_id == world.root.id
    assert gamma.path == f"{world.root.path}{gamma.id}/" and gamma.depth == world.root.depth + 1
    puskesmas = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.name == "Puskesmas Gamma"))
    assert puskesmas.kind is UnitKind.UPT

    chief = by_nip(head)
    assert (chief.gelar_depan, chief.name, chief.gelar_belakang) == ("Dr. H.", "Ahmad Fauzi", "S.Kom., M.T.")
    assert chief.supervisor_id == world.head_a.id and chief.golongan == "IV/b" and chief.email == "ahmad@contoh.go.id"
    assert chief.position.kind is PositionKind.JPT_PRATAMA and chief.org_unit_id == gamma.id
    assert chief.tmt_date == date(2015, 3, 1)  # from the NIP

    second = by_nip(staff)
    assert second.gender is Gender.FEMALE and second.golongan == "III/a" and second.supervisor_id == chief.id
    assert second.civil_status is CivilStatus.PNS
    third = by_nip(analyst)
    assert third.position.kind is PositionKind.FUNGSIONAL_KEAHLIAN and third.position.grade is PositionGrade.AHLI_MUDA
    assert third.civil_status is CivilStatus.CPNS and third.org_unit_id == puskesmas.id
    fourth = by_nip(nip(4))
    assert fourth.org_unit_id == world.dinas_a.id and fourth.supervisor_id == world.chief_a1.id
    assert fourth.position.org_unit_id == world.dinas_a.id and fourth.position.name == "Analis Data"

    history = db.session.scalars(sa.select(EmployeeAssignment).where(EmployeeAssignment.employee_id == chief.id)).all()
    assert [(a.reason, a.end_date, a.org_unit_id, a.supervisor_id) for a in history] == [
        (AssignmentReason.IMPORT, None, gamma.id, world.head_a.id)]
    # One audit entry for the whole batch, none per row.
    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.object_type == "ImportBatch")).all()
    assert sorted(actions) == ["commit_import", "preview_import"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.object_type == "Employee", AuditEntry.object_id == chief.id)) == 0
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "commit_import"))
    assert entry.changes["new"] == 4 and entry.changes["units_created"] == 2


def test_existing_position_and_unit_reused(tmp_path, world):
    rows = [person(1, unor_nama=" BIDANG alpha  satu ", jabatan="analis data", nip_atasan=world.chief_a1.nip)]
    batch = preview(tmp_path, rows, world.root)
    units, positions = count_rows(OrgUnit), count_rows(Position)
    importing.commit_import(batch, None)
    assert (count_rows(OrgUnit), count_rows(Position)) == (units, positions)
    assert by_nip(nip(1)).position_id == world.staff_a1.position_id


def test_pppk_rows(tmp_path, world):
    pppk = "199001152021011001"
    rows = [person(1, nip_baru=pppk, jenis_pegawai="PPPK", gol_akhir="IX", status_cpns_pns="", nama="Budi PPPK"),
            person(2, nip_baru="199001152021012002", tanggal_lahir="15-01-1990", jenis_kelamin="P",
                   jenis_pegawai="pppk", gol_akhir="III/a", status_cpns_pns=""),
            person(3, nip_baru="199001152021011003", jenis_pegawai="PPPK", gol_akhir="IX", status_cpns_pns="PNS")]
    batch = preview(tmp_path, rows, world.root)
    assert "tidak berlaku untuk PPPK" in messages_of(batch, 3)
    assert "hanya berlaku untuk PNS" in messages_of(batch, 4)
    assert batch.count_rejected == 2 and batch.count_new == 1


# ---------------------------------------------------------------- bad rows
def test_bad_rows_are_reported_with_spreadsheet_row_numbers(tmp_path, world):
    rows = [
        person(1),                                                    # row 2: fine
        person(2, nip_baru="19900115 2015"),                          # row 3: malformed NIP
        person(3, nip_baru="199002302015031003", tanggal_lahir="30-02-1990"),  # row 4: impossible date in the NIP
        person(4, tanggal_lahir="31-02-1990"),                        # row 5: impossible birth date
        person(5, tanggal_lahir="16-01-1990"),                        # row 6: birth date ≠ NIP
        person(6, jenis_kelamin="P"),                                 # row 7: gender ≠ NIP
        person(7, nip_atasan=nip(99)),                                # row 8: supervisor outside the instansi
        person(8, nip_atasan=nip(8)),                                 # row 9: own supervisor
        person(9, gol_akhir="IX"),                                    # row 10: PPPK golongan for a PNS
        person(10, jenis_jabatan="Struktural", jabatan="Kepala Bidang"),  # row 11
        person(11, nama=""),                                          # row 12: required value missing
        person(12, email_gov="bukan-email"),                          # row 13
    ]
    batch = preview(tmp_path, rows, world.root)
    assert batch.count_rejected == 11 and batch.count_new == 1
    expected = {
        3: ("nip_baru", "19900115 2015", "18 angka"),
        4: ("nip_baru", "199002302015031003", "bukan tanggal yang sah"),
        5: ("tanggal_lahir", "31-02-1990", "tidak ada di kalender"),
        6: ("tanggal_lahir", "16-01-1990", "Tanggal lahir tidak sesuai dengan NIP (15-01-1990)"),
        7: ("jenis_kelamin", "P", "Jenis kelamin tidak sesuai dengan NIP"),
        8: ("nip_atasan", nip(99), "Atasan di luar instansi"),
        9: ("nip_atasan", nip(8), "atasannya sendiri"),
        10: ("gol_akhir", "IX", "tidak berlaku untuk PNS"),
        11: ("jenis_jabatan", "Struktural", "JPT Pratama, Administrator atau Pengawas"),
        12: ("nama", "", "wajib diisi"),
        13: ("email_gov", "bukan-email", "email tidak valid"),
    }
    for row, (column, value, fragment) in expected.items():
        found = problems_of(batch, row)
        assert any(p["column"] == column and p["value"] == value and fragment in p["message"] for p in found), \
            (row, found)
    assert problems_of(batch, 2) == []
    assert [p["row"] for p in batch.report] == sorted(p["row"] for p in batch.report)


def test_duplicate_nip_names_both_rows(tmp_path, world):
    value = nip(1)
    rows = [person(1), person(2), person(1, nama="Lain"), person(1, nip_baru=f"{value[:8]} {value[8:]}",
                                                                tanggal_lahir="01-01-1991")]
    batch = preview(tmp_path, rows, world.root)
    assert batch.count_rejected == 3 and batch.count_new == 1
    assert "baris 4, 5" in messages_of(batch, 2) and "baris 2, 5" in messages_of(batch, 4)
    assert "baris 2, 4" in messages_of(batch, 5)


def test_nip_with_spaces_is_accepted(tmp_path, world):
    value = nip(1)
    batch = preview(tmp_path, [person(1, nip_baru=f"{value[:8]} {value[8:14]} {value[14]} {value[15:]}")], world.root)
    assert batch.count_new == 1
    importing.commit_import(batch, None)
    assert by_nip(value) is not None


def test_cycle_inside_the_file(tmp_path, world):
    rows = [person(1, nip_atasan=nip(2)), person(2, nip_atasan=nip(3)), person(3, nip_atasan=nip(1)),
            person(4, nip_atasan=nip(1))]
    batch = preview(tmp_path, rows, world.root)
    assert {p["row"] for p in batch.report} == {2, 3, 4}
    assert all("melingkar" in p["message"] for p in batch.report)
    assert batch.count_new == 1


def test_cycle_through_the_database(tmp_path, world):
    # staff_a1 → chief_a1 → head_a in the database; the file makes head_a report to staff_a1.
    head = world.head_a
    row = person(1, nip_baru=head.nip, tanggal_lahir=head.birth_date.isoformat(), nama=head.name,
                 unor_nama="Dinas Alpha", jabatan="Kepala Dinas Alpha", jenis_jabatan="JPT Pratama",
                 gol_akhir="IV/b", nip_atasan=world.staff_a1.nip)
    batch = preview(tmp_path, [row], world.root)
    assert batch.count_rejected == 1
    assert "melingkar" in messages_of(batch, 2)


def test_supervisor_may_be_in_the_database_or_later_in_the_file(tmp_path, world):
    rows = [person(1, nip_atasan=nip(2)), person(2, nip_atasan=world.head_a.nip)]
    batch = preview(tmp_path, rows, world.root)
    assert batch.count_rejected == 0
    importing.commit_import(batch, None)
    assert by_nip(nip(1)).supervisor_id == by_nip(nip(2)).id


def test_ambiguous_unit_name(tmp_path, world, factory):
    factory.unit("Seksi Umum", UnitKind.SUBBAGIAN, world.dinas_a)
    factory.unit("Seksi Umum", UnitKind.SUBBAGIAN, world.dinas_b)
    batch = preview(tmp_path, [person(1, unor_nama="seksi umum")], world.root)
    assert "Nama unit ambigu" in messages_of(batch, 2)
    # Under one dinas the name is unique.
    batch = preview(tmp_path, [person(1, unor_nama="seksi umum")], world.dinas_b, name="b.csv")
    assert batch.count_rejected == 0


def test_new_units_go_under_the_chosen_parent(tmp_path, world):
    batch = preview(tmp_path, [person(1, unor_nama="Bidang Baru")], world.dinas_b)
    importing.commit_import(batch, None)
    unit = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.name == "Bidang Baru"))
    assert unit.parent_id == world.dinas_b.id and unit.kind is UnitKind.BIDANG and unit.is_within(world.dinas_b)


def test_position_kind_must_match_existing_position(tmp_path, world):
    batch = preview(tmp_path, [person(1, unor_nama="Dinas Alpha", jabatan="Kepala Dinas Alpha",
                                      jenis_jabatan="Pengawas")], world.root)
    assert "tercatat sebagai JPT Pratama" in messages_of(batch, 2)


def test_numbers_that_lost_digits_in_excel_are_refused(tmp_path, world):
    rows = [person(1, nip_baru=float(nip(1))), person(2, nip_baru="1.99001E+17")]
    path = write_xlsx(tmp_path / "a.xlsx", rows)
    batch = importing.preview_import(path, "a.xlsx", world.root, None)
    assert "Format kolom NIP sebagai Teks" in messages_of(batch, 2)
    assert "format ilmiah" in messages_of(batch, 3)


# ---------------------------------------------------------------- counts, idempotence, all-or-nothing, history
def test_new_changed_unchanged_counts(tmp_path, world):
    rows = [person(i, nip_atasan=nip(1) if i > 1 else "") for i in range(1, 6)]
    importing.commit_import(preview(tmp_path, rows, world.root), None)
    rows[1]["gol_akhir"] = "III/b"                 # changed personal data
    rows[2]["unor_nama"] = "Dinas Delta"           # changed placement
    rows[3]["nip_atasan"] = ""                     # supervisor removed
    rows.append(person(6))                         # new
    batch = preview(tmp_path, rows, world.root, name="b.csv")
    assert (batch.count_new, batch.count_changed, batch.count_unchanged, batch.count_rejected) == (1, 3, 2, 0)
    importing.commit_import(batch, None)
    assert by_nip(nip(2)).golongan == "III/b"
    assert by_nip(nip(3)).org_unit.name == "Dinas Delta"
    assert by_nip(nip(4)).supervisor_id is None


def test_importing_the_same_file_twice_changes_nothing(tmp_path, world):
    rows = [person(1, nama="Dr. Siti Aminah, M.Kes.", gender="2", jabatan="Dokter Ahli Madya",
                   jenis_jabatan="Fungsional Tertentu", email_gov="siti@contoh.go.id", tmt_cpns="2015-03-01"),
            person(2, nip_atasan=nip(1, "2")), person(3, jenis_pegawai="PNS", gol_akhir="")]
    path = write_csv(tmp_path / "a.csv", rows)
    importing.commit_import(importing.preview_import(path, "a.csv", world.root, None), None)
    before = snapshot()
    again = importing.preview_import(path, "a.csv", world.root, None)
    assert (again.count_new, again.count_changed, again.count_unchanged, again.count_rejected) == (0, 0, 3, 0)
    importing.commit_import(again, None)
    assert snapshot() == before


def test_one_bad_row_writes_nothing(tmp_path, world):
    rows = [person(i) for i in range(1, 30)] + [person(30, tanggal_lahir="01-01-1991")]
    before = snapshot()
    batch = preview(tmp_path, rows, world.root)
    assert batch.count_rejected == 1 and not batch.can_commit(world.users["bkpsdm"])
    with pytest.raises(importing.ImportFailed, match="1 baris yang ditolak"):
        importing.commit_import(batch, None)
    assert snapshot() == before
    assert batch.status is ImportStatus.PREVIEWED


def test_changed_unit_keeps_history(tmp_path, world):
    staff = world.staff_a1
    row = person(1, nip_baru=staff.nip, tanggal_lahir=staff.birth_date.isoformat(), jenis_kelamin="P",
                 nama=staff.name, gol_akhir="III/a", unor_nama="Dinas Beta", jabatan="Pengadministrasi Umum",
                 nip_atasan=world.staff_b.nip)
    batch = preview(tmp_path, [row], world.root)
    assert batch.count_changed == 1
    importing.commit_import(batch, None)
    history = db.session.scalars(sa.select(EmployeeAssignment).where(EmployeeAssignment.employee_id == staff.id)
                                 .order_by(EmployeeAssignment.id)).all()
    assert [(a.reason, a.org_unit_id, a.end_date) for a in history] == [
        (AssignmentReason.INITIAL, world.bidang_a1.id, date.today()),
        (AssignmentReason.IMPORT, world.dinas_b.id, None)]
    assert history[1].supervisor_id == world.staff_b.id and history[1].start_date == date.today()
    db.session.refresh(staff)
    assert staff.org_unit_id == world.dinas_b.id and staff.supervisor_id == world.staff_b.id


def test_personal_change_opens_no_new_period(tmp_path, world):
    rows = [person(1)]
    importing.commit_import(preview(tmp_path, rows, world.root), None)
    rows[0]["email_gov"] = "baru@contoh.go.id"
    importing.commit_import(preview(tmp_path, rows, world.root, name="b.csv"), None)
    employee = by_nip(nip(1))
    assert employee.email == "baru@contoh.go.id"
    assert len(employee.assignments) == 1


def test_empty_optional_cells_keep_current_values(tmp_path, world):
    rows = [person(1, email_gov="a@contoh.go.id", gol_akhir="III/c")]
    importing.commit_import(preview(tmp_path, rows, world.root), None)
    rows[0].update(email_gov="", gol_akhir="")
    batch = preview(tmp_path, rows, world.root, name="b.csv")
    assert batch.count_unchanged == 1
    assert by_nip(nip(1)).golongan == "III/c"


def test_commit_refuses_a_file_changed_since_preview(tmp_path, world):
    batch = preview(tmp_path, [person(1)], world.root)
    stored = importing.stored_path(batch)
    stored.write_text(stored.read_text() + ",".join(person(2).values()) + "\n")
    with pytest.raises(importing.ImportFailed, match="berubah sejak pratinjau"):
        importing.commit_import(batch, None)
    assert batch.status is ImportStatus.FAILED and batch.error
    assert by_nip(nip(1)) is None


def test_commit_revalidates_against_the_database(tmp_path, world, factory):
    batch = preview(tmp_path, [person(1, unor_nama="Seksi Umum")], world.root)
    factory.unit("Seksi Umum", UnitKind.SUBBAGIAN, world.dinas_a)
    factory.unit("Seksi Umum", UnitKind.SUBBAGIAN, world.dinas_b)
    with pytest.raises(importing.ImportFailed, match="berubah sejak pratinjau"):
        importing.commit_import(batch, None)
    assert batch.count_rejected == 1 and "ambigu" in batch.report[0]["message"]
    assert by_nip(nip(1)) is None


def test_commit_only_once_and_discard(tmp_path, world):
    batch = preview(tmp_path, [person(1)], world.root)
    importing.commit_import(batch, None)
    with pytest.raises(importing.ImportFailed, match="tidak dapat disimpan lagi"):
        importing.commit_import(batch, None)
    with pytest.raises(importing.ImportFailed, match="Hanya pratinjau"):
        importing.discard_import(batch, None)

    other = preview(tmp_path, [person(2)], world.root, name="b.csv")
    stored = importing.stored_path(other)
    assert stored.is_file()
    importing.discard_import(other, None)
    assert other.status is ImportStatus.DISCARDED and not stored.exists()


# ---------------------------------------------------------------- formats
def test_xlsx_with_real_dates_and_numbers(tmp_path, world):
    rows = [person(1, tanggal_lahir=datetime(1990, 1, 15), jenis_kelamin=1, tmt_cpns=date(2015, 3, 1)),
            person(2, gender="2", tanggal_lahir=date(1990, 1, 15), gol_akhir=None, nip_atasan=nip(1))]
    path = write_xlsx(tmp_path / "siasn.xlsx", rows)
    batch = importing.preview_import(path, "SIASN.XLSX", world.root, None)
    assert batch.report == [] and batch.count_new == 2
    importing.commit_import(batch, None)
    assert by_nip(nip(2, "2")).supervisor_id == by_nip(nip(1)).id


def test_xlsx_row_numbers_follow_the_sheet(tmp_path, world):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([person(1).get(h) for h in HEADER])
    sheet.append([])  # a blank row is skipped but still counted
    sheet.append([person(2, tanggal_lahir="01-01-1991").get(h) for h in HEADER])
    workbook.save(tmp_path / "a.xlsx")
    batch = importing.preview_import(tmp_path / "a.xlsx", "a.xlsx", world.root, None)
    assert [p["row"] for p in batch.report] == [4]


def test_semicolon_csv_in_cp1252(tmp_path, world):
    rows = [person(1, nama="André Müller", unor_nama="Dinas Pariwisata"), person(2, nip_atasan=nip(1))]
    path = write_csv(tmp_path / "excel.csv", rows, delimiter=";", encoding="cp1252")
    assert b";" in path.read_bytes() and "André".encode("cp1252") in path.read_bytes()
    batch = importing.preview_import(path, "excel.csv", world.root, None)
    assert batch.report == [] and batch.count_new == 2
    importing.commit_import(batch, None)
    assert by_nip(nip(1)).name == "André Müller"


def test_utf8_with_bom(tmp_path, world):
    path = write_csv(tmp_path / "bom.csv", [person(1, nama="Ñoman")], encoding="utf-8-sig")
    batch = importing.preview_import(path, "bom.csv", world.root, None)
    assert batch.count_new == 1


# ---------------------------------------------------------------- scale
def test_constant_number_of_queries(tmp_path, world):
    """Preview and commit issue as many statements for 200 rows as for 20."""
    def statements(size, prefix):
        born = date(1991 if prefix == "b" else 1992, 2, 3)
        rows = [person(i, unor_nama=f"Dinas {prefix} {i % 2}", nip_atasan=nip(1, born=born) if i > 1 else "",
                       born=born) for i in range(1, size + 1)]
        seen = []
        db.session.refresh(world.root)  # loaded before counting: the previous commit expired it

        def count(conn, cursor, statement, parameters, context, executemany):
            seen.append(statement)
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            batch = preview(tmp_path, rows, world.root, name=f"{prefix}.csv")
            importing.commit_import(batch, None)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert batch.count_new == size
        return len(seen)

    assert statements(20, "a") == statements(200, "b")


def test_bench_generator_produces_a_valid_file(tmp_path, world):
    from bench.import_timing import generate_csv
    path = generate_csv(tmp_path / "bench.csv", rows=300, units=12)
    batch = importing.preview_import(path, "bench.csv", world.root, None)
    assert batch.report == [] and batch.count_new == 300
    importing.commit_import(batch, None)
    assert count_rows(Employee) >= 300
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Employee)
                             .where(Employee.supervisor_id.is_(None), Employee.nip.in_(
                                 sa.select(Employee.nip).where(Employee.birth_date > date(1960, 1, 1))))) >= 1


def test_future_tmt_refused(tmp_path, world):
    batch = preview(tmp_path, [person(1, tmt_cpns=(date.today() + timedelta(days=40)).isoformat())], world.root)
    assert "masa depan" in messages_of(batch, 2)


def test_employee_kind_from_jenis_pegawai():
    assert importing.parse_employee_kind("PPPK") is EmployeeKind.PPPK
    assert importing.parse_employee_kind("Pegawai PPPK Guru") is EmployeeKind.PPPK
    assert importing.parse_employee_kind("PNS") is EmployeeKind.PNS
    assert importing.parse_employee_kind("") is EmployeeKind.PNS


def test_nip_cells_as_numbers_or_text():
    assert importing.values._nip_value(199001152015031001) == "199001152015031001"  # an exact integer cell
    assert importing.values._nip_value("'199001152015031001") == "199001152015031001"  # Excel's text marker
    assert importing.values._nip_value(" 19900115 201503 1 001 ") == "199001152015031001"
    with pytest.raises(ValueError, match="angka terakhirnya hilang"):
        importing.values._nip_value(1.99001152015031e17)


def test_display_name_of_uploads():
    assert importing.workflow._display_name("C:\\Users\\bkpsdm\\SIASN Mei.xlsx") == "SIASN Mei.xlsx"
    assert importing.workflow._display_name("../../etc/passwd.csv") == "passwd.csv"
