"""CSV import of programmes: reading (BOM, ";"), every bad row reported, nothing written on failure,
existing codes updated, a fixed number of queries whatever the number of rows."""
import csv
import io

import pytest
import sqlalchemy as sa

from portal.catalogue import programme_import as importing
from portal.catalogue.errors import CatalogueError
from portal.catalogue.models import Delivery, Leadership, Programme, ProgrammeForm, ProviderKind
from portal.catalogue.recommend import RECOMPUTE_JOB
from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.jobs.models import Job
from tests.catalogue.sample import sample_catalogue
from tests.conftest import count_rows, count_statements

GOOD = {"kode": "SIG-01", "judul": "Pelayanan Prima", "deskripsi": "Standar layanan publik.", "bentuk": "bimtek",
        "jp": "12", "penyelenggara_jenis": "bkpsdm", "penyelenggara_nama": "BKPSDM Kabupaten", "metode": "daring",
        "biaya": "1.500.000", "prasyarat": "", "kepemimpinan": "", "jenis_jabatan": "pelaksana, pengawas",
        "golongan_min": "II/a", "golongan_max": "III/d", "terbuka_pppk": "tidak", "kompetensi": "M-PP,M-KOM"}


def make_csv(rows, delimiter=",", bom=False, columns=importing.COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def row(**overrides):
    return {**GOOD, **overrides}


@pytest.fixture
def sample(world):
    return sample_catalogue(world)


def _by_code(code):
    return db.session.scalar(sa.select(Programme).where(Programme.code == code))


def test_good_file_creates_programmes(world, sample):
    plan = importing.plan_import(make_csv([row(), row(kode="PKA-02", judul="PKA Angkatan II",
                                                   bentuk="Pelatihan kepemimpinan", kepemimpinan="pka", jp="400",
                                                   metode="Tatap muka", penyelenggara_jenis="LAN", biaya="25000000",
                                                   jenis_jabatan="administrator", terbuka_pppk="ya", kompetensi="")]))
    assert plan.problems == [] and (plan.created, plan.updated) == (2, 0)
    assert importing.apply_import(plan, world.users["bkpsdm"]) == (2, 0)
    db.session.expire_all()
    first = _by_code("SIG-01")
    assert first.form is ProgrammeForm.TECHNICAL_GUIDANCE and first.delivery is Delivery.ONLINE
    assert first.cost_per_participant == 1500000 and first.jp == 12
    assert first.position_kinds == ["pelaksana", "pengawas"] and not first.open_to_pppk
    assert (first.golongan_min, first.golongan_max) == ("II/a", "III/d")
    assert {c.code for c in first.competencies} == {"M-PP", "M-KOM"}
    second = _by_code("PKA-02")
    assert second.leadership is Leadership.PKA and second.provider_kind is ProviderKind.LAN
    assert second.delivery is Delivery.IN_PERSON and second.open_to_pppk
    [entry] = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "programme.imported")).all()
    assert "2 program baru" in entry.summary and entry.actor_id == world.users["bkpsdm"].id
    assert count_rows(Job) == db.session.scalar(sa.select(sa.func.count()).select_from(Job)
                                                .where(Job.kind == RECOMPUTE_JOB)) == 1


def test_bom_and_semicolons(world, sample):
    plan = importing.plan_import(make_csv([row(biaya="1.500.000,50")], delimiter=";", bom=True))
    assert plan.problems == []
    importing.apply_import(plan, world.users["bkpsdm"])
    assert str(_by_code("SIG-01").cost_per_participant) in ("1500000.50", "1500000.5")


def test_existing_code_is_updated_keeping_units_and_status(world, sample):
    from portal.catalogue.models import ProgrammeUnit
    sample.analytics.unit_links.append(ProgrammeUnit(org_unit_id=world.dinas_a.id))
    db.session.flush()
    version = sample.analytics.lock_version
    plan = importing.plan_import(make_csv([row(kode="dig-01", judul="Analisis Data Lanjut", jp="10",
                                               kompetensi="T-DIG-01")]))
    assert plan.problems == [] and (plan.created, plan.updated) == (0, 1)
    importing.apply_import(plan, world.users["bkpsdm"])
    db.session.expire_all()
    programme = db.session.get(Programme, sample.analytics.id)
    assert programme.title == "Analisis Data Lanjut" and programme.jp == 10
    assert [u.id for u in programme.units] == [world.dinas_a.id]
    assert [c.code for c in programme.competencies] == ["T-DIG-01"]
    assert programme.lock_version == version + 1  # an edit form opened before the import is stale


def test_every_bad_row_is_reported_and_nothing_written(world, sample):
    before = count_rows(Programme)
    plan = importing.plan_import(make_csv([
        row(),                                                  # row 2: fine
        row(kode="", judul=""),                                 # row 3
        row(kode="X-1", bentuk="tarian"),                       # row 4
        row(kode="X-2", jp="dua belas"),                        # row 5
        row(kode="X-3", metode="pos"),                          # row 6
        row(kode="X-4", kepemimpinan="pkp"),                    # row 7: not a leadership form
        row(kode="X-5", golongan_min="IV/a", golongan_max="II/a"),  # row 8
        row(kode="X-6", kompetensi="M-PP, NOPE"),               # row 9
        row(kode="X-7", jenis_jabatan="presiden"),              # row 10
        row(kode="X-8", terbuka_pppk="mungkin"),                # row 11
        row(kode="X-9", biaya="gratis"),                        # row 12
        row(kode="sig-01"),                                     # row 13: twice in the file
        row(kode="X-10", jp="0"),                               # row 14
        row(kode="X-11", penyelenggara_jenis="warung"),         # row 15
    ]))
    found = {(p.row, p.column) for p in plan.problems}
    assert found == {(3, "kode"), (3, "judul"), (4, "bentuk"), (5, "jp"), (6, "metode"), (7, "kepemimpinan"),
                     (8, "golongan_max"), (9, "kompetensi"), (10, "jenis_jabatan"), (11, "terbuka_pppk"),
                     (12, "biaya"), (13, "kode"), (14, "jp"), (15, "penyelenggara_jenis")}
    by_row = {p.row: p for p in plan.problems}
    assert by_row[4].value == "tarian" and "Bentuk tarian tidak dikenal" in by_row[4].message
    assert "NOPE" in by_row[9].message
    assert "baris 2" in by_row[13].message
    assert plan.problem_rows == 13
    with pytest.raises(CatalogueError):
        importing.apply_import(plan, world.users["bkpsdm"])
    assert count_rows(Programme) == before and count_rows(Job) == 0


def test_inactive_competency_is_refused(world, sample):
    sample.data.is_active = False
    db.session.flush()
    plan = importing.plan_import(make_csv([row(kompetensi="T-DIG-01")]))
    assert [p.message for p in plan.problems] == ["Kompetensi T-DIG-01 tidak aktif."]


@pytest.mark.parametrize("content, message", [
    (b"", "Berkas kosong"),
    (b"PK\x03\x04binary", "bukan CSV"),
    ("kode,judul\n".encode(), "Kolom wajib tidak ditemukan: bentuk, jp"),
    (make_csv([]), "tanpa baris data"),
    ("kode,judul,bentuk,jp,penyelenggara_jenis,metode\nA,\xe9\n".encode("latin-1"), "UTF-8"),
])
def test_unusable_files(world, content, message):
    with pytest.raises(CatalogueError) as caught:
        importing.plan_import(content)
    assert message in str(caught.value) and caught.value.field == "file"


def test_headers_are_matched_loosely(world, sample):
    columns = [c.upper().replace("_", " ") for c in importing.COLUMNS]
    content = make_csv([], columns=columns) + ",".join(GOOD[c] if "," not in GOOD[c] else f'"{GOOD[c]}"'
                                                       for c in importing.COLUMNS).encode()
    plan = importing.plan_import(content)
    assert plan.problems == [] and plan.rows[0].data.code == "SIG-01"


def test_template_reads_back_cleanly(world, sample):
    plan = importing.plan_import(importing.template_csv().encode("utf-8"))
    assert plan.problems == [] and plan.created == 2


def test_many_rows_take_a_fixed_number_of_queries(world, sample):
    content = make_csv([row(kode=f"BULK-{i:04d}") for i in range(1500)] + [row(kode="DIG-01")])
    with count_statements() as statements:
        plan = importing.plan_import(content)
    assert plan.problems == [] and plan.created == 1500 and plan.updated == 1
    assert len(statements) <= 3
    importing.apply_import(plan, world.users["bkpsdm"])
    assert count_rows(Programme) == 1500 + 5


def test_upload_is_kept_per_user(app, world):
    bkpsdm, superadmin = world.users["bkpsdm"], world.users["superadmin"]
    token = importing.keep_upload(b"isi", bkpsdm)
    assert importing.load_upload(token, bkpsdm) == b"isi"
    for bad_token, user in [(token, superadmin), ("../../etc/passwd", bkpsdm), (None, bkpsdm), ("0" * 32, bkpsdm)]:
        with pytest.raises(CatalogueError):
            importing.load_upload(bad_token, user)
    importing.discard_upload(token, bkpsdm)
    with pytest.raises(CatalogueError):
        importing.load_upload(token, bkpsdm)


def test_upload_size_limit(app, monkeypatch):
    monkeypatch.setitem(app.config, "PROGRAMME_IMPORT_MAX_BYTES", 10)
    assert importing.read_upload(io.BytesIO(b"0123456789")) == b"0123456789"
    with pytest.raises(CatalogueError) as caught:
        importing.read_upload(io.BytesIO(b"0123456789x"))
    assert "terlalu besar" in str(caught.value)
