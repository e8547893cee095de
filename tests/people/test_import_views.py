"""SIASN import pages: upload → preview → commit (a background job), discard, the row report, refusals,
permissions, htmx."""
import io
import re
from unittest.mock import patch

import sqlalchemy as sa

from portal.extensions import db
from portal.jobs import services as jobs
from portal.jobs.models import Job, JobStatus
from portal.people import importing
from portal.people.importing import writing
from portal.people.models import Employee, ImportBatch, ImportStatus, OrgUnit, Position
from tests.conftest import count_rows
from tests.people.test_importer import HEADER, by_nip, nip, person, write_csv, write_xlsx


def _csv_bytes(tmp_path, rows, **options):
    return write_csv(tmp_path / "upload.csv", rows, **options).read_bytes()


def _upload(client, content, filename="siasn.csv", parent=None, **extra):
    data = {"file": (io.BytesIO(content), filename)}
    if parent is not None:
        data["parent_unit"] = str(parent)
    return client.post("/impor/", data=data, content_type="multipart/form-data", **extra)


def _batch_id(response):
    match = re.search(r"/impor/(\d+)$", response.headers["Location"])
    assert match, response.headers.get("Location")
    return int(match.group(1))


def _stored_files():
    return sorted(p.name for p in importing.storage_dir().iterdir())


def test_form_defaults_to_the_instansi_and_explains_the_columns(login_as, world):
    page = login_as("bkpsdm").get("/impor/").get_data(as_text=True)
    assert f'<option selected value="{world.root.id}">' in page
    assert 'enctype="multipart/form-data"' in page
    for column in ("nip_baru", "unor_nama", "nip_atasan", "jenis_jabatan"):
        assert column in page
    assert "/impor/templat.csv" in page
    assert "Belum ada impor" in page


def test_template_download(login_as, world):
    response = login_as("bkpsdm").get("/impor/templat.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    header = response.get_data(as_text=True).lstrip("\ufeff").strip().split(",")
    assert header == importing.TEMPLATE_COLUMNS
    assert set(importing.REQUIRED_COLUMNS) <= set(header)


def test_upload_preview_commit_flow(tmp_path, login_as, world):
    client = login_as("bkpsdm")
    rows = [person(1, jabatan="Kepala Dinas Gamma", jenis_jabatan="JPT Pratama"), person(2, nip_atasan=nip(1))]
    response = _upload(client, _csv_bytes(tmp_path, rows), parent=world.root.id)
    assert response.status_code == 302
    batch = db.session.get(ImportBatch, _batch_id(response))
    assert batch.status is ImportStatus.PREVIEWED and batch.count_new == 2 and batch.count_rejected == 0
    assert batch.created_by_id == world.users["bkpsdm"].id and batch.parent_unit_id == world.root.id
    assert batch.stored_name in _stored_files() and batch.filename == "siasn.csv"
    assert by_nip(nip(1)) is None

    page = client.get(f"/impor/{batch.id}").get_data(as_text=True)
    assert "Simpan ke database" in page and "Batalkan" in page and "data-confirm=" in page
    assert 'class="display-6 mb-0">2<' in page
    assert re.search(r'id="new-units">\s*<li>Dinas Gamma</li>', page) and "2 jabatan baru" in page
    assert "Pratinjau siap" in page  # the flash message

    # The commit is a background job: the answer is its page (in tests the job runs at once).
    response = client.post(f"/impor/{batch.id}/simpan")
    job = _job(response)
    assert job.kind == "import_commit" and (job.object_type, job.object_id) == ("ImportBatch", batch.id)
    assert job.created_by_id == world.users["bkpsdm"].id and job.title == "Simpan impor siasn.csv"
    assert job.status is JobStatus.SUCCEEDED and job.progress == 100
    assert job.result["counts"] == {"new": 2, "changed": 0, "unchanged": 0, "rejected": 0}
    page = client.get(f"/tugas/{job.id}").get_data(as_text=True)
    assert "Impor tersimpan: 2 pegawai baru, 0 diperbarui, 0 tidak berubah." in page
    assert f'href="/impor/{batch.id}">Lihat hasil impor</a>' in page
    db.session.expire_all()
    assert batch.status is ImportStatus.COMMITTED
    assert by_nip(nip(2)).supervisor_id == by_nip(nip(1)).id
    page = client.get(f"/impor/{batch.id}").get_data(as_text=True)
    assert "Simpan ke database" not in page and 'data-status="committed"' in page
    # The batch is listed on the upload page.
    assert "siasn.csv" in client.get("/impor/").get_data(as_text=True)


def _job(response):
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    match = re.search(r"/tugas/(\d+)$", response.headers["Location"])
    assert match, response.headers["Location"]
    db.session.expire_all()
    return db.session.get(Job, int(match.group(1)))


def test_commit_reports_its_progress(tmp_path, login_as, world):
    rows = [person(n) for n in range(1, 6)]
    batch_id = _batch_id(_upload(login_as("bkpsdm"), _csv_bytes(tmp_path, rows), parent=world.root.id))
    batch = db.session.get(ImportBatch, batch_id)
    seen = []
    chunks = writing._chunks
    with patch.object(writing, "_chunks", lambda items: chunks(items, 2)):
        importing.commit_import(batch, world.users["bkpsdm"], progress=lambda *step: seen.append(step))
    assert [percent for percent, _ in seen] == [2, 10, 44, 78, 95]  # checked, then per chunk of 2 rows
    assert seen[-1][1] == "Menyimpan pegawai: 5 dari 5"


def test_a_batch_is_not_queued_twice(tmp_path, login_as, world):
    client = login_as("bkpsdm")
    batch_id = _batch_id(_upload(client, _csv_bytes(tmp_path, [person(1)]), parent=world.root.id))
    batch = db.session.get(ImportBatch, batch_id)
    # A commit job waiting for a worker (this transaction never commits, so it is never sent).
    waiting = jobs.enqueue(importing.COMMIT_JOB, "Simpan impor", object=batch, user=world.users["bkpsdm"])

    page = client.get(f"/impor/{batch_id}").get_data(as_text=True)
    assert "sedang disimpan di latar belakang" in page and f'href="/tugas/{waiting.id}"' in page
    assert "Simpan ke database" not in page and "Batalkan" not in page

    page = client.post(f"/impor/{batch_id}/simpan", follow_redirects=True).get_data(as_text=True)
    assert "Impor ini sedang disimpan. Tunggu sampai selesai." in page
    page = client.post(f"/impor/{batch_id}/batal", follow_redirects=True).get_data(as_text=True)
    assert "sedang disimpan dan tidak dapat dibatalkan" in page
    db.session.expire_all()
    assert count_rows(Job) == 1 and batch.status is ImportStatus.PREVIEWED and by_nip(nip(1)) is None


def test_a_failed_commit_job_says_why_on_both_pages(tmp_path, login_as, world):
    client = login_as("bkpsdm")
    batch_id = _batch_id(_upload(client, _csv_bytes(tmp_path, [person(1)]), parent=world.root.id))
    # The stored file is gone since the preview: the job fails, and the batch records why.
    importing.stored_path(db.session.get(ImportBatch, batch_id)).unlink()
    job = _job(client.post(f"/impor/{batch_id}/simpan"))
    assert job.status is JobStatus.FAILED and "sudah tidak ada atau berubah" in job.message
    batch = db.session.get(ImportBatch, batch_id)
    assert batch.status is ImportStatus.FAILED and "sudah tidak ada" in batch.error  # the batch's record is kept
    page = client.get(f"/tugas/{job.id}").get_data(as_text=True)
    assert "sudah tidak ada atau berubah" in page and f'href="/impor/{batch_id}"' in page
    assert "Coba lagi" in page


def test_rejected_rows_are_listed_and_block_the_commit(tmp_path, login_as, world):
    client = login_as("bkpsdm")
    rows = [person(1), person(2, tanggal_lahir="01-01-1991"), person(3, nip_atasan=nip(77))]
    batch_id = _batch_id(_upload(client, _csv_bytes(tmp_path, rows), parent=world.root.id))
    page = client.get(f"/impor/{batch_id}").get_data(as_text=True)
    assert "Baris yang ditolak" in page and "Tanggal lahir tidak sesuai dengan NIP" in page
    assert "Atasan di luar instansi" in page and "<td data-label=\"Baris\">3</td>" in page
    assert "Simpan ke database" not in page and "belum dapat disimpan" in page

    employees = count_rows(Employee)
    response = client.post(f"/impor/{batch_id}/simpan", follow_redirects=True)
    assert response.status_code == 200 and "2 baris yang ditolak" in response.get_data(as_text=True)
    assert count_rows(Employee) == employees
    assert db.session.get(ImportBatch, batch_id).status is ImportStatus.PREVIEWED


def test_report_csv_download(tmp_path, login_as, world):
    client = login_as("bkpsdm")
    rows = [person(1), person(2, jenis_kelamin="P"), person(3, nama="=HYPERLINK(\"x\")", nip_baru="123")]
    batch_id = _batch_id(_upload(client, _csv_bytes(tmp_path, rows), parent=world.root.id))
    response = client.get(f"/impor/{batch_id}/laporan.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert f"laporan-impor-{batch_id}.csv" in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "baris,kolom,nilai,pesan"
    assert any(line.startswith("3,jenis_kelamin,P,Jenis kelamin tidak sesuai") for line in lines)
    assert any(line.startswith("4,nip_baru,123,") for line in lines)


def test_long_reports_show_the_first_200(tmp_path, login_as, world):
    rows = [person(i, nip_baru=f"12345{i}") for i in range(1, 206)]
    client = login_as("bkpsdm")
    batch_id = _batch_id(_upload(client, _csv_bytes(tmp_path, rows), parent=world.root.id))
    page = client.get(f"/impor/{batch_id}").get_data(as_text=True)
    assert page.count('<td data-label="Baris">') == 200
    assert "dan 5 lainnya" in page


def test_discard_deletes_the_file(tmp_path, login_as, world):
    client = login_as("bkpsdm")
    batch_id = _batch_id(_upload(client, _csv_bytes(tmp_path, [person(1)]), parent=world.root.id))
    stored = db.session.get(ImportBatch, batch_id).stored_name
    response = client.post(f"/impor/{batch_id}/batal")
    assert response.status_code == 302 and response.headers["Location"].endswith("/impor/")
    batch = db.session.get(ImportBatch, batch_id)
    db.session.refresh(batch)
    assert batch.status is ImportStatus.DISCARDED and stored not in _stored_files()
    assert by_nip(nip(1)) is None
    # Neither commit nor a second discard is possible now.
    page = client.post(f"/impor/{batch_id}/simpan", follow_redirects=True).get_data(as_text=True)
    assert "tidak dapat disimpan lagi" in page
    assert client.post(f"/impor/{batch_id}/batal").status_code == 302
    assert by_nip(nip(1)) is None


def test_file_changed_since_preview_fails_the_batch(tmp_path, login_as, world):
    client = login_as("bkpsdm")
    batch_id = _batch_id(_upload(client, _csv_bytes(tmp_path, [person(1)]), parent=world.root.id))
    batch = db.session.get(ImportBatch, batch_id)
    importing.stored_path(batch).write_bytes(_csv_bytes(tmp_path, [person(1), person(2)]))
    response = client.post(f"/impor/{batch_id}/simpan", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "berubah sejak pratinjau" in page and "/tugas/" in response.request.path
    db.session.refresh(batch)
    assert batch.status is ImportStatus.FAILED and by_nip(nip(1)) is None


def _assert_refused(client, content, filename, parent, fragment):
    """The upload comes back as the form with a message; no batch and no stored file remain."""
    files = _stored_files()
    response = _upload(client, content, filename, parent=parent)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:500]
    assert fragment in page and 'class="invalid-feedback d-block"' in page
    assert count_rows(ImportBatch) == 0
    assert _stored_files() == files


def test_wrong_extension(login_as, world, tmp_path):
    _assert_refused(login_as("bkpsdm"), _csv_bytes(tmp_path, [person(1)]), "siasn.txt", world.root.id,
                    "Hanya berkas .csv atau .xlsx")


def test_empty_file(login_as, world):
    _assert_refused(login_as("bkpsdm"), b"", "kosong.csv", world.root.id, "Berkas kosong")


def test_binary_upload(login_as, world):
    _assert_refused(login_as("bkpsdm"), bytes(range(256)) * 40, "gambar.csv", world.root.id, "data biner")


def test_garbage_xlsx(login_as, world):
    _assert_refused(login_as("bkpsdm"), b"nip_baru,nama\n1,2\n", "palsu.xlsx", world.root.id, "bukan XLSX yang sah")


def test_missing_columns(login_as, world, tmp_path):
    header = [h for h in HEADER if h != "tanggal_lahir"]
    _assert_refused(login_as("bkpsdm"), _csv_bytes(tmp_path, [person(1)], header=header), "siasn.csv",
                    world.root.id, "Kolom wajib tidak ditemukan: tanggal_lahir")


def test_empty_post_rerenders_the_form(login_as, world):
    response = login_as("bkpsdm").post("/impor/", data={})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Pilih berkas yang akan diimpor." in page
    assert count_rows(ImportBatch) == 0


def test_upload_of_50_mb_answers_413(login_as, world):
    files = _stored_files()
    response = _upload(login_as("bkpsdm"), b"a" * (50 * 1024 * 1024), "besar.csv", parent=world.root.id)
    assert response.status_code == 413
    assert "Berkas terlalu besar" in response.get_data(as_text=True)
    assert count_rows(ImportBatch) == 0
    assert _stored_files() == files


def test_xlsx_upload(tmp_path, login_as, world):
    path = write_xlsx(tmp_path / "siasn.xlsx", [person(1), person(2, nip_atasan=nip(1))])
    client = login_as("superadmin")
    response = _upload(client, path.read_bytes(), "siasn.xlsx", parent=world.dinas_b.id)
    batch = db.session.get(ImportBatch, _batch_id(response))
    assert batch.count_new == 2 and batch.parent_unit_id == world.dinas_b.id
    units, positions = count_rows(OrgUnit), count_rows(Position)
    client.post(f"/impor/{batch.id}/simpan")
    assert count_rows(OrgUnit) == units + 1 and count_rows(Position) == positions + 1
    assert by_nip(nip(1)).org_unit.parent_id == world.dinas_b.id


def test_only_bkpsdm_and_superadmin(tmp_path, login_as, world):
    batch_id = _batch_id(_upload(login_as("bkpsdm"), _csv_bytes(tmp_path, [person(1)]), parent=world.root.id))
    for role in ("pegawai", "supervisor", "admin_opd", "pimpinan"):
        client = login_as(role)
        assert client.get("/impor/").status_code == 403
        assert client.get(f"/impor/{batch_id}").status_code == 403
        assert client.get(f"/impor/{batch_id}/laporan.csv").status_code == 403
        assert client.post(f"/impor/{batch_id}/simpan").status_code == 403
        assert client.post(f"/impor/{batch_id}/batal").status_code == 403
    assert db.session.get(ImportBatch, batch_id).status is ImportStatus.PREVIEWED
    assert by_nip(nip(1)) is None
    anonymous = login_as(None).get("/impor/")
    assert anonymous.status_code == 302 and "/masuk" in anonymous.headers["Location"]
    assert login_as("superadmin").get(f"/impor/{batch_id}").status_code == 200


def test_recent_batches_list_is_an_htmx_partial(tmp_path, login_as, world, app):
    client = login_as("bkpsdm")
    for number in range(app.config["PER_PAGE"] + 2):
        _upload(client, _csv_bytes(tmp_path, [person(number + 1)]), f"berkas-{number}.csv", parent=world.root.id)
    full = client.get("/impor/").get_data(as_text=True)
    assert "<html" in full and 'data-hx-boost="true"' in full and 'id="recent-batches"' in full
    assert "?page=2" in full

    partial = client.get("/impor/?page=2", headers={"HX-Request": "true", "HX-Boosted": "true"})
    body = partial.get_data(as_text=True)
    assert partial.status_code == 200 and "<html" not in body and "<form" not in body
    assert "berkas-0.csv" in body and "berkas-26.csv" not in body  # newest first: page 2 holds the oldest
    assert body.count("<tr>") == 2 + 1  # two batches and the header row
    assert "HX-Request" in partial.headers.get("Vary", "")


def test_batches_of_the_list_link_to_their_preview(tmp_path, login_as, world):
    client = login_as("bkpsdm")
    batch_id = _batch_id(_upload(client, _csv_bytes(tmp_path, [person(1)]), parent=world.root.id))
    page = client.get("/impor/").get_data(as_text=True)
    assert f'href="/impor/{batch_id}"' in page
    assert db.session.scalar(sa.select(ImportBatch.filename).where(ImportBatch.id == batch_id)) == "siasn.csv"
