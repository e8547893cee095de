"""Bukti dukung: upload checks by content, storage outside static, permission-checked downloads."""
import io
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.plans import evidence_storage
from portal.plans import realisation_services as services
from portal.plans.models import Evidence, EvidenceKind, RealisationStatus
from tests.plans.sample import sample_plan

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f1a6e40000000049454e44ae426082")
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"


def _zip(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries:
            z.writestr(name, data)
    return buf.getvalue()


DOCX = _zip([("[Content_Types].xml", "<Types/>"), ("_rels/.rels", "<Relationships/>"),
             ("word/document.xml", "<w:document/>")])
ODT = _zip([("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<office:document/>")])
PLAIN_ZIP = _zip([("catatan.txt", "bukan dokumen"), ("run.bat", "echo hi")])


def _xlsx():
    from openpyxl import Workbook
    buf = io.BytesIO()
    wb = Workbook()
    wb.active["A1"] = "Dataset"
    wb.save(buf)
    return buf.getvalue()


def upload(data, name):
    return FileStorage(stream=io.BytesIO(data), filename=name)


@pytest.fixture
def s(world):
    return sample_plan(world)


@pytest.fixture
def draft(s):
    october = next(sp for sp in s.period.subperiods if sp.number == 10)
    r = services.realisation_for(s.indicator, october, create=True)
    services.save_realisation(r, value="1", narrative="Satu")
    return r


@pytest.mark.parametrize("data, name, mime", [
    (PDF, "laporan.pdf", "application/pdf"),
    (PNG, "foto.png", "image/png"),
    (PNG, "foto-tanpa-ekstensi", "image/png"),  # the name does not decide
    (DOCX, "nota.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (ODT, "nota.odt", "application/vnd.oasis.opendocument.text"),
])
def test_allowed_types_are_recognised_from_content(app, data, name, mime):
    stored = evidence_storage.store_upload(upload(data, name))
    path = evidence_storage.stored_path(stored.stored_name)
    assert stored.content_type == mime and stored.size_bytes == len(data) and path.read_bytes() == data
    assert len(stored.sha256) == 64 and stored.title == name
    # stored outside static, under a random name that has nothing of the user's
    assert path.parent == Path(app.config["STORAGE_ROOT"]) / "evidence"
    assert name.split(".")[0] not in stored.stored_name and "static" not in str(path)


def test_xlsx_made_by_a_spreadsheet_program_is_accepted():
    stored = evidence_storage.store_upload(upload(_xlsx(), "rekap.xlsx"))
    assert stored.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize("data, name, message", [
    (HTML, "laporan.pdf", "tidak dikenali dari isinya"),
    (SVG, "grafik.png", "tidak dikenali dari isinya"),
    (EXE, "laporan.docx", "program yang dapat dijalankan"),
    (PLAIN_ZIP, "laporan.docx", "arsip terkompresi"),
    (b"#!/bin/sh\nrm -rf /\n", "skrip.pdf", "tidak dikenali"),
    (b"", "kosong.pdf", "kosong"),
])
def test_forbidden_or_unknown_files_are_refused_and_not_kept(app, data, name, message):
    before = set(evidence_storage.storage_dir().iterdir())
    with pytest.raises(evidence_storage.EvidenceRejected, match=message) as exc:
        evidence_storage.store_upload(upload(data, name))
    assert name in str(exc.value)
    assert set(evidence_storage.storage_dir().iterdir()) == before


def test_too_large_file_names_the_limit(app, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 1024)
    with pytest.raises(evidence_storage.EvidenceRejected, match="1 KB"):
        evidence_storage.store_upload(upload(PDF + b"0" * 2000, "besar.pdf"))
    assert evidence_storage.human_size(10 * 1024 * 1024) == "10 MB"


def test_clean_names_and_download_names():
    assert evidence_storage.clean_filename("..\\..\\C:\\x\\evil\x00name.pdf") == "evilname.pdf"
    assert evidence_storage.download_name("laporan.html", "application/pdf") == "laporan.pdf"
    assert evidence_storage.download_name("", "image/png") == "berkas.png"
    with pytest.raises(FileNotFoundError):
        evidence_storage.stored_path("../../etc/passwd")


def test_add_file_evidence_is_audited(draft):
    ev = services.add_file_evidence(draft, upload(PDF, "bukti.pdf"))
    assert ev.kind is EvidenceKind.FILE and ev.content_type == "application/pdf"
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "add_evidence")).all()[-1]
    assert entry.object_type == "Realisation" and entry.object_id == draft.id and entry.summary == "bukti.pdf"


def test_evidence_only_while_editable(s):
    assert s.realisation.status is RealisationStatus.SUBMITTED
    with pytest.raises(services.RealisationError, match="tidak dapat diubah"):
        services.add_link_evidence(s.realisation, "https://contoh.go.id", "x")
    with pytest.raises(services.RealisationError):
        services.remove_evidence(s.evidence)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<b>x</b>",
                                 "ftp://contoh.go.id/a", "//contoh.go.id", "https://", "contoh.go.id",
                                 "https://contoh.go.id/a b", " "])
def test_links_must_be_http_or_https(draft, url):
    with pytest.raises(services.RealisationError) as exc:
        services.add_link_evidence(draft, url, "Tautan")
    assert exc.value.field == "url"


def test_removed_file_is_deleted_after_commit_only(draft, app):
    ev = services.add_file_evidence(draft, upload(PDF, "hapus.pdf"))
    path = evidence_storage.stored_path(ev.stored_name)
    services.remove_evidence(ev)
    assert path.exists()  # not before the commit
    db.session.commit()
    assert not path.exists()
    assert db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "remove_evidence")).all()


# ---------------------------------------------------------------- through the routes
def _post_file(client, realisation, data, name):
    return client.post(f"/realisasi/{realisation.id}/bukti", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_upload_route_accepts_pdf_and_download_is_an_attachment(draft, login_as):
    client = login_as("pegawai")
    response = _post_file(client, draft, PDF, "Laporan <Nov>.pdf")
    assert response.status_code == 302
    ev = db.session.scalars(sa.select(Evidence).where(Evidence.realisation_id == draft.id)).one()
    for role in ("pegawai", "supervisor", "admin_opd", "bkpsdm"):
        got = login_as(role).get(f"/realisasi/bukti/{ev.id}")
        assert got.status_code == 200 and got.data == PDF
        assert got.headers["Content-Disposition"].startswith("attachment")
        assert "Laporan" in got.headers["Content-Disposition"] and ".pdf" in got.headers["Content-Disposition"]
        assert got.headers["X-Content-Type-Options"] == "nosniff"
        assert got.headers["Content-Security-Policy"] == "sandbox"
        assert got.mimetype == "application/pdf"


@pytest.mark.parametrize("data, name, message", [
    (HTML, "laporan.pdf", "tidak dikenali dari isinya"),
    (EXE, "laporan.docx", "program yang dapat dijalankan"),
    (b"", "kosong.pdf", "kosong"),
])
def test_upload_route_explains_a_refused_file(draft, login_as, data, name, message):
    response = _post_file(login_as("pegawai"), draft, data, name)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert not db.session.scalars(sa.select(Evidence).where(Evidence.realisation_id == draft.id)).all()


def test_upload_route_too_large(draft, login_as, app, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 1024)
    response = _post_file(login_as("pegawai"), draft, PDF + b" " * 4096, "besar.pdf")
    assert response.status_code == 200 and "Ukuran maksimum bukti dukung adalah 1 KB" in response.get_data(as_text=True)


def test_link_route_refuses_javascript(draft, login_as):
    response = login_as("pegawai").post(f"/realisasi/{draft.id}/tautan",
                                        data={"url": "javascript:alert(1)", "title": "x"})
    assert response.status_code == 200 and "http://" in response.get_data(as_text=True)
    ok = login_as("pegawai").post(f"/realisasi/{draft.id}/tautan",
                                  data={"url": "https://data.example.go.id/a", "title": "Portal"})
    assert ok.status_code == 302
    db.session.expire_all()
    assert [e.url for e in draft.evidence] == ["https://data.example.go.id/a"]


def test_only_the_owner_uploads_or_removes(draft, login_as):
    for role in ("supervisor", "admin_opd", "bkpsdm"):
        assert _post_file(login_as(role), draft, PDF, "x.pdf").status_code == 403
    ev_id = services.add_link_evidence(draft, "https://contoh.go.id/", "Contoh").id
    assert login_as("supervisor").post(f"/realisasi/bukti/{ev_id}/hapus").status_code == 403
    assert login_as("pegawai").post(f"/realisasi/bukti/{ev_id}/hapus").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(Evidence.id).where(Evidence.id == ev_id)) is None


def test_download_by_someone_outside_is_forbidden(draft, login_as, factory, world):
    services.add_file_evidence(draft, upload(PDF, "rahasia.pdf"))
    ev = draft.evidence[-1]
    outsider = factory.user(world.staff_b)
    response = login_as(outsider).get(f"/realisasi/bukti/{ev.id}")
    assert response.status_code == 403 and response.data != PDF
    assert login_as(None).get(f"/realisasi/bukti/{ev.id}").status_code == 302  # to sign-in
