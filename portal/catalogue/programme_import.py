"""Importing programmes from a CSV file: read, check every row, then write all rows or none.

``plan_import(data)`` reads the file and checks every row against the catalogue with a fixed
number of queries (all codes and competencies are looked up at once); ``apply_import(plan, user)``
creates new codes and updates existing ones. The uploaded file waits between the preview and the
confirmation under ``STORAGE_ROOT/programme_imports``, named after its uploader.
"""
import csv
import io
import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from portal.catalogue import recommend
from portal.catalogue.errors import CatalogueError
from portal.catalogue.models import (
    Competency,
    Delivery,
    Leadership,
    Programme,
    ProgrammeCompetency,
    ProgrammeForm,
    ProgrammeStatus,
    ProviderKind,
)
from portal.catalogue.programme_services import ProgrammeData, column_values, parse_rupiah, problems
from portal.core import audit
from portal.extensions import db
from portal.people.models import PositionKind

COLUMNS = ["kode", "judul", "deskripsi", "bentuk", "jp", "penyelenggara_jenis", "penyelenggara_nama", "metode",
           "biaya", "prasyarat", "kepemimpinan", "jenis_jabatan", "golongan_min", "golongan_max", "terbuka_pppk",
           "kompetensi"]
REQUIRED_COLUMNS = ["kode", "judul", "bentuk", "jp", "penyelenggara_jenis", "metode"]
# Where a rule's field is reported in the file.
FIELD_COLUMNS = {"code": "kode", "title": "judul", "description": "deskripsi", "form": "bentuk", "jp": "jp",
                 "provider_kind": "penyelenggara_jenis", "provider_name": "penyelenggara_nama", "delivery": "metode",
                 "cost_per_participant": "biaya", "prerequisites": "prasyarat", "leadership": "kepemimpinan",
                 "position_kinds": "jenis_jabatan", "golongan_min": "golongan_min", "golongan_max": "golongan_max",
                 "open_to_pppk": "terbuka_pppk", "competencies": "kompetensi"}
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10_000
YES = {"ya", "y", "yes", "true", "1", "benar"}
NO = {"tidak", "t", "no", "n", "false", "0", "salah"}
UPLOAD_TTL = 24 * 3600
TOKEN_PATTERN = re.compile(r"^[0-9a-f]{32}$")
CHUNK = 500


@dataclass
class Problem:
    row: int
    column: str
    value: str
    message: str


@dataclass
class PlannedRow:
    number: int
    data: ProgrammeData
    programme_id: int | None  # an existing programme with this code: updated


@dataclass
class ImportPlan:
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(1 for r in self.rows if r.programme_id is None)

    @property
    def updated(self) -> int:
        return sum(1 for r in self.rows if r.programme_id is not None)

    @property
    def problem_rows(self) -> int:
        return len({p.row for p in self.problems})


# ---------------------------------------------------------------- reading
def _canonical(text) -> str:
    name = re.sub(r"[\s\-]+", "_", str(text or "").strip().lower())
    return re.sub(r"_+", "_", name).strip("_")


def read_csv(data: bytes):
    """The file as (header → index, [(row number, cells)]). Raises ``CatalogueError`` (field ``file``)."""
    if not data:
        raise CatalogueError(_("Berkas kosong."), "file")
    if data.startswith(b"PK\x03\x04") or b"\x00" in data:
        raise CatalogueError(_("Berkas bukan CSV. Simpan dari Excel atau LibreOffice sebagai CSV UTF-8."), "file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CatalogueError(_("Berkas tidak dapat dibaca: simpan sebagai CSV UTF-8."), "file") from None
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # Spreadsheets in an Indonesian locale save CSV with ";" (the comma is the decimal mark).
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        records = [(n, cells) for n, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter),
                                                         start=1) if any(c.strip() for c in cells)]
    except csv.Error as exc:
        raise CatalogueError(_("Berkas CSV rusak: %(detail)s", detail=str(exc)), "file") from None
    if not records:
        raise CatalogueError(_("Berkas kosong."), "file")
    header = {}
    for index, label in enumerate(records[0][1]):
        header.setdefault(_canonical(label), index)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise CatalogueError(_("Kolom wajib tidak ditemukan: %(columns)s. Baris pertama harus berisi judul kolom "
                               "(unduh templat untuk contohnya).", columns=", ".join(missing)), "file")
    rows = records[1:]
    if not rows:
        raise CatalogueError(_("Berkas hanya berisi judul kolom, tanpa baris data."), "file")
    if len(rows) > MAX_ROWS:
        raise CatalogueError(_("Berkas berisi %(n)d baris; paling banyak %(max)d baris sekali impor.",
                               n=len(rows), max=MAX_ROWS), "file")
    return header, rows


def _key(text) -> str:
    return " ".join(str(text or "").split()).lower()


def _lookup(enum) -> dict:
    """Value, Indonesian title and displayed title (lower case) → member."""
    out = {}
    for member in enum:
        for name in (member.value, getattr(member.title, "_args", (None,))[0], str(member.title)):
            if name:
                out.setdefault(_key(name), member)
    return out


def _split(text) -> list:
    return [part.strip() for part in re.split(r"[,;|]", text or "") if part.strip()]


class _RowReader:
    def __init__(self, header, number, cells, report):
        self.header, self.number, self.cells, self.report = header, number, cells, report

    def cell(self, column) -> str:
        index = self.header.get(column)
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index].replace("\x00", "").strip()

    def fail(self, column, message):
        self.report.append(Problem(self.number, column, self.cell(column), str(message)))

    def member(self, column, table, message):
        value = self.cell(column)
        if not value:
            return None
        found = table.get(_key(value))
        if found is None:
            self.fail(column, message())
        return found


def _parse_row(reader: _RowReader, lookups, competencies) -> ProgrammeData:
    forms, providers, deliveries, leaderships, kinds = lookups
    jp_text = reader.cell("jp")
    jp = None
    if jp_text:
        try:
            jp = int(jp_text)
        except ValueError:
            reader.fail("jp", _("JP diisi bilangan bulat 1–1000."))
            jp = 0
    try:
        cost = parse_rupiah(reader.cell("biaya"))
    except ValueError:
        reader.fail("biaya", _("Tulis biaya dalam rupiah, misalnya 1.500.000 atau 1500000."))
        cost = 0
    position_kinds = []
    for part in _split(reader.cell("jenis_jabatan")):
        kind = kinds.get(_key(part))
        if kind is None:
            reader.fail("jenis_jabatan", _("Jenis jabatan %(value)s tidak dikenal (gunakan %(known)s).", value=part,
                                           known=", ".join(k.value for k in PositionKind)))
        else:
            position_kinds.append(kind)
    open_text = _key(reader.cell("terbuka_pppk"))
    if open_text and open_text not in YES | NO:
        reader.fail("terbuka_pppk", _("Isi ya atau tidak."))
    competency_ids = []
    for code in _split(reader.cell("kompetensi")):
        found = competencies.get(code.lower())
        if found is None:
            reader.fail("kompetensi", _("Kode kompetensi %(code)s tidak ditemukan.", code=code))
        elif not found[1]:
            reader.fail("kompetensi", _("Kompetensi %(code)s tidak aktif.", code=code))
        else:
            competency_ids.append(found[0])

    def form_problem():
        return _("Bentuk %(value)s tidak dikenal; tulis kode atau nama bentuk (misalnya pelatihan_teknis).",
                 value=reader.cell("bentuk"))
    return ProgrammeData(
        code=reader.cell("kode"), title=reader.cell("judul"), description=reader.cell("deskripsi"),
        form=reader.member("bentuk", forms, form_problem), jp=jp,
        provider_kind=reader.member("penyelenggara_jenis", providers, lambda: _(
            "Jenis penyelenggara tidak dikenal (gunakan %(known)s).", known=", ".join(p.value for p in ProviderKind))),
        provider_name=reader.cell("penyelenggara_nama"),
        delivery=reader.member("metode", deliveries,
                               lambda: _("Metode tidak dikenal (gunakan tatap_muka, daring atau blended).")),
        cost_per_participant=cost, prerequisites=reader.cell("prasyarat"),
        leadership=reader.member("kepemimpinan", leaderships, lambda: _(
            "Jenjang kepemimpinan tidak dikenal (gunakan %(known)s).", known=", ".join(m.value for m in Leadership))),
        position_kinds=position_kinds,
        golongan_min=reader.cell("golongan_min") or None, golongan_max=reader.cell("golongan_max") or None,
        open_to_pppk=open_text not in NO, competency_ids=competency_ids)


def plan_import(data: bytes) -> ImportPlan:
    """Read and check a CSV file; writes nothing. Raises ``CatalogueError`` when the file as a whole
    is unusable; row problems are in ``plan.problems``."""
    header, records = read_csv(data)
    existing = {code.lower(): pid for pid, code in db.session.execute(sa.select(Programme.id, Programme.code))}
    competencies = {code.lower(): (cid, active) for cid, code, active in
                    db.session.execute(sa.select(Competency.id, Competency.code, Competency.is_active))}
    lookups = (_lookup(ProgrammeForm), _lookup(ProviderKind), _lookup(Delivery), _lookup(Leadership),
               _lookup(PositionKind))
    plan, seen = ImportPlan(), {}
    for number, cells in records:
        reader = _RowReader(header, number, cells, plan.problems)
        start = len(plan.problems)
        row = _parse_row(reader, lookups, competencies)
        programme_id = existing.get(row.code.lower())
        # A value the reader refused is reported once, by the reader.
        reported = {p.column for p in plan.problems[start:]}
        for name, message in problems(row, programme_id=programme_id, existing_codes=existing):
            column = FIELD_COLUMNS.get(name, name)
            if column not in reported:
                reader.fail(column, message)
        if row.code:
            first = seen.setdefault(row.code.lower(), number)
            if first != number:
                reader.fail("kode", _("Kode %(code)s sudah ada di baris %(row)d berkas ini.", code=row.code, row=first))
        plan.rows.append(PlannedRow(number, row, programme_id))
    return plan


def apply_import(plan: ImportPlan, user) -> tuple:
    """Write every row of a problem-free plan: (created, updated). Raises ``CatalogueError``.

    Thousands of rows: written with executemany statements, not one ORM object each; units are
    kept (the file has no unit column), competencies replaced, lock_version bumped on updates (an
    edit form opened before the import is then refused as stale). Expires the session.
    """
    if plan.problems:
        raise CatalogueError(_("Berkas masih berisi kesalahan; tidak ada yang disimpan."))
    new = [r for r in plan.rows if r.programme_id is None]
    old = [r for r in plan.rows if r.programme_id is not None]
    if new:
        db.session.execute(Programme.__table__.insert(), [
            {**column_values(r.data), "status": ProgrammeStatus.ACTIVE} for r in new])
        ids = {}
        codes = [r.data.code for r in new]
        for start in range(0, len(codes), CHUNK):
            ids.update(db.session.execute(sa.select(Programme.code, Programme.id)
                                          .where(Programme.code.in_(codes[start:start + CHUNK]))).all())
        for r in new:
            r.programme_id = ids[r.data.code]
    if old:
        table = Programme.__table__
        names = list(column_values(old[0].data))
        stmt = (table.update().where(table.c.id == sa.bindparam("row_id"))
                .values({**{name: sa.bindparam(f"new_{name}") for name in names},
                         "lock_version": table.c.lock_version + 1}))
        db.session.execute(stmt, [{"row_id": r.programme_id,
                                   **{f"new_{k}": v for k, v in column_values(r.data).items()}} for r in old])
        old_ids = [r.programme_id for r in old]
        for start in range(0, len(old_ids), CHUNK):
            db.session.execute(sa.delete(ProgrammeCompetency)
                               .where(ProgrammeCompetency.programme_id.in_(old_ids[start:start + CHUNK])),
                               execution_options={"synchronize_session": False})
    links = [{"programme_id": r.programme_id, "competency_id": cid}
             for r in plan.rows for cid in dict.fromkeys(r.data.competency_ids)]
    if links:
        db.session.execute(ProgrammeCompetency.__table__.insert(), links)
    db.session.expire_all()
    audit.record("programme.imported", object_type="Programme",
                 summary=_("Impor CSV: %(created)d program baru, %(updated)d diperbarui.", created=len(new),
                           updated=len(old)), actor=user)
    recommend.queue_recompute(user)
    return len(new), len(old)


def template_csv() -> str:
    """The downloadable template: the header and two example rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow(["DIG-10", "Literasi Digital untuk Administrasi", "Pengolahan dokumen dan data secara daring.",
                     "pelatihan_teknis", "16", "bkpsdm", "BKPSDM Kabupaten", "daring", "750.000", "",
                     "", "pelaksana,fungsional_keterampilan", "II/a", "III/d", "ya", ""])
    writer.writerow(["PKP-2027", "Pelatihan Kepemimpinan Pengawas", "", "pelatihan_kepemimpinan", "300",
                     "bpsdm_provinsi", "BPSDM Provinsi", "blended", "12000000", "Menduduki jabatan pengawas",
                     "pkp", "pengawas", "", "", "tidak", ""])
    return "\ufeff" + out.getvalue()  # BOM: Excel then reads UTF-8


# ---------------------------------------------------------------- the upload between preview and confirmation
def _folder() -> Path:
    folder = Path(current_app.config["STORAGE_ROOT"]) / "programme_imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(token, user) -> Path | None:
    if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
        return None
    return _folder() / f"u{int(user.id)}-{token}.csv"


def max_bytes() -> int:
    return int(current_app.config.get("PROGRAMME_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def read_upload(stream) -> bytes:
    """The uploaded file's bytes. Raises ``CatalogueError`` when it is larger than the limit."""
    limit = max_bytes()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise CatalogueError(_("Berkas terlalu besar (paling besar %(mb)s MB).", mb=f"{limit / 1024 / 1024:g}"), "file")
    return data


def keep_upload(data: bytes, user) -> str:
    """Keep a previewed file for ``user``'s confirmation; returns its token. Old files are removed."""
    folder = _folder()
    cutoff = time.time() - UPLOAD_TTL
    for old in folder.glob("u*-*.csv"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass
    token = secrets.token_hex(16)
    _path(token, user).write_bytes(data)
    return token


def load_upload(token, user) -> bytes:
    """The file ``user`` previewed under ``token``. Raises ``CatalogueError`` when it is gone."""
    path = _path(token, user)
    if path is None or not path.is_file():
        raise CatalogueError(_("Pratinjau impor sudah tidak tersedia. Unggah berkasnya lagi."))
    return path.read_bytes()


def discard_upload(token, user):
    path = _path(token, user)
    if path is not None:
        path.unlink(missing_ok=True)
