"""How an audit entry reads to a person: titles of types, actions and states, field labels,
names behind ids and links to the objects, in the reader's language.

Names are looked up with one query per referenced table for a whole list of entries, so a
page of the log costs the same few statements whatever it shows.
"""
import json
import re
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

from portal.auth.models import Role, User, UserRole
from portal.catalogue import audit_titles as catalogue_titles
from portal.catalogue import models as catalogue_models
from portal.core.audit import AuditEntry
from portal.core.permissions import access_of, user_may
from portal.evaluation.models import (
    Evaluation,
    EvaluationStatus,
    Objection,
    ObjectionStatus,
    OrgAssessment,
    OrgPredicate,
    PeerInput,
    PeerInputStatus,
    Predicate,
    UnitService,
)
from portal.extensions import db
from portal.jobs.models import Job, JobStatus
from portal.people.models import (
    AssignmentReason,
    Employee,
    EmployeeAssignment,
    ImportBatch,
    ImportStatus,
    OrgUnit,
    Position,
)
from portal.plans.models import (
    OrgTarget,
    PerformancePeriod,
    PerformancePlan,
    PeriodStatus,
    PlanStatus,
    Realisation,
    RealisationStatus,
    Team,
)

# What object types and actions look like (the filter refuses anything else).
NAME_PATTERN = r"^[A-Za-z_]{1,64}$"


@dataclass(frozen=True)
class ObjectType:
    title: object
    model: type | None = None
    endpoint: str | None = None  # the object's page, when it has one
    argument: str | None = None


# The object types the app's services audit, in the order the filter lists them. A module that
# starts auditing a new model adds it here (the filter still accepts types not listed).
OBJECT_TYPES = {
    "Employee": ObjectType(_l("Pegawai"), Employee, "people.show_employee", "employee_id"),
    "OrgUnit": ObjectType(_l("Unit kerja"), OrgUnit, "units.show_unit", "unit_id"),
    "Position": ObjectType(_l("Jabatan"), Position),
    "User": ObjectType(_l("Akun"), User, "accounts.show_user", "user_id"),
    "ImportBatch": ObjectType(_l("Impor SIASN"), ImportBatch, "imports.show_import", "batch_id"),
    "Job": ObjectType(_l("Tugas latar belakang"), Job, "jobs.show_job", "job_id"),
    "Seed": ObjectType(_l("Data contoh")),
    "PerformancePeriod": ObjectType(_l("Periode kinerja"), PerformancePeriod, "periods.show_period",
                                    "period_id"),
    "OrgTarget": ObjectType(_l("Perjanjian Kinerja"), OrgTarget),
    "PerformancePlan": ObjectType(_l("SKP"), PerformancePlan, "plans.show_plan", "plan_id"),
    "Realisation": ObjectType(_l("Realisasi"), Realisation, "realisations.show_realisation",
                              "realisation_id"),
    "Team": ObjectType(_l("Tim kerja"), Team, "teams.show_team", "team_id"),
    "Evaluation": ObjectType(_l("Evaluasi kinerja"), Evaluation, "evaluation.open_evaluation", "evaluation_id"),
    "Objection": ObjectType(_l("Keberatan"), Objection, "objections.show_objection", "objection_id"),
    "OrgAssessment": ObjectType(_l("Capaian kinerja organisasi"), OrgAssessment),
    "PeerInput": ObjectType(_l("Masukan rekan kerja"), PeerInput),
    "UnitService": ObjectType(_l("Layanan unit"), UnitService),
    **{name: ObjectType(title, getattr(catalogue_models, name), endpoint, argument)
       for name, (title, endpoint, argument) in catalogue_titles.OBJECT_TYPES.items()},
}

ACTION_TITLES = {
    "create": _l("Dibuat"),
    "update": _l("Diubah"),
    "activate": _l("Diaktifkan"),
    "deactivate": _l("Dinonaktifkan"),
    AssignmentReason.TRANSFER.value: AssignmentReason.TRANSFER.title,
    AssignmentReason.SUPERVISOR.value: AssignmentReason.SUPERVISOR.title,
    "create_account": _l("Akun dibuat"),
    "reset_password": _l("Kata sandi sekali pakai diterbitkan"),
    "change_password": _l("Kata sandi diganti pemilik akun"),
    "login": _l("Berhasil masuk"),
    "grant_role": _l("Peran diberikan"),
    "revoke_role": _l("Peran dicabut"),
    "activate_account": _l("Akun diaktifkan"),
    "deactivate_account": _l("Akun dinonaktifkan"),
    "preview_import": _l("Pratinjau impor"),
    "commit_import": _l("Impor disimpan"),
    "discard_import": _l("Impor dibatalkan"),
    "fail_import": _l("Impor gagal"),
    "seed": _l("Data contoh dibuat"),
    "enqueue_job": _l("Tugas dijadwalkan"),
    "start_job": _l("Tugas dimulai"),
    "finish_job": _l("Tugas selesai"),
    "fail_job": _l("Tugas gagal"),
    "retry_job": _l("Tugas diulang"),
    "delete": _l("Dihapus"),
    # Plans and realisasi
    "create_period": _l("Periode dibuat"),
    "open_period": _l("Periode dibuka"),
    "close_period": _l("Periode ditutup"),
    "close_subperiod": _l("Subperiode ditutup"),
    "reopen_subperiod": _l("Subperiode dibuka kembali"),
    "create_plan": _l("SKP dibuat"),
    "submit_plan": _l("SKP diajukan"),
    "return_plan": _l("SKP dikembalikan"),
    "approve_plan": _l("SKP disetujui"),
    "revise_plan": _l("Revisi SKP dimulai"),
    "supersede_plan": _l("SKP digantikan revisi"),
    "close_plan": _l("SKP ditutup"),
    "submit_realisation": _l("Realisasi diajukan"),
    "verify_realisation": _l("Realisasi diverifikasi"),
    "return_realisation": _l("Realisasi dikembalikan"),
    "add_evidence": _l("Bukti dukung ditambahkan"),
    "remove_evidence": _l("Bukti dukung dihapus"),
    "add_member": _l("Anggota ditambahkan"),
    "remove_member": _l("Anggota dikeluarkan"),
    # Evaluation
    "start_evaluation": _l("Evaluasi dimulai"),
    "rate_evaluation": _l("Rating evaluasi disimpan"),
    "finalise_evaluation": _l("Evaluasi difinalkan"),
    "acknowledge_evaluation": _l("Evaluasi diterima pegawai"),
    "change_predicate": _l("Predikat diubah atas keberatan"),
    "file_objection": _l("Keberatan diajukan"),
    "decide_objection": _l("Keberatan diputuskan"),
    "set_org_assessment": _l("Capaian kinerja organisasi ditetapkan"),
    "request_peer_input": _l("Masukan rekan diminta"),
    "give_peer_input": _l("Masukan rekan diberikan"),
    "decline_peer_input": _l("Permintaan masukan ditolak"),
    "cancel_peer_input": _l("Permintaan masukan dibatalkan"),
    "add_unit_service": _l("Layanan unit ditambahkan"),
    "edit_unit_service": _l("Layanan unit diubah"),
    "deactivate_unit_service": _l("Layanan unit dinonaktifkan"),
    "activate_unit_service": _l("Layanan unit diaktifkan"),
    **catalogue_titles.ACTION_TITLES,
}

STATE_TITLES = {
    "active": _l("Aktif"),
    "inactive": _l("Tidak aktif"),
    # Account activation records the flag itself.
    "True": _l("Aktif"),
    "False": _l("Nonaktif"),
    **{status.value: status.title for status in ImportStatus},
    **{status.value: status.title for status in JobStatus},
    **{role.value: role.title for role in Role},
    **{status.value: status.title for status in PeriodStatus},
    **{status.value: status.title for status in RealisationStatus},
    **{status.value: status.title for status in PlanStatus},
    **{status.value: status.title for status in EvaluationStatus if status.value not in ("draft",)},
    **{status.value: status.title for status in ObjectionStatus},
    **{status.value: status.title for status in PeerInputStatus},
    **{p.value: p.title for p in OrgPredicate},
    **{p.value: p.title for p in Predicate},
    **catalogue_titles.STATE_TITLES,
}

FIELD_LABELS = {
    "hasil_rating": _l("Rating hasil kerja"),
    "perilaku_rating": _l("Rating perilaku kerja"),
    "predicate": _l("Predikat"),
    "hasil_reason": _l("Alasan rating hasil kerja"),
    "perilaku_note": _l("Catatan perilaku kerja"),
    "nip": _l("NIP"),
    "kind": _l("Jenis"),
    "name": _l("Nama"),
    "gelar_depan": _l("Gelar depan"),
    "gelar_belakang": _l("Gelar belakang"),
    "gender": _l("Jenis kelamin"),
    "birth_date": _l("Tanggal lahir"),
    "tmt_date": _l("TMT"),
    "civil_status": _l("Status"),
    "golongan": _l("Golongan"),
    "email": _l("Email dinas"),
    "phone": _l("Telepon"),
    "is_active": _l("Aktif"),
    "org_unit_id": _l("Unit kerja"),
    "position_id": _l("Jabatan"),
    "supervisor_id": _l("Atasan langsung"),
    "parent_id": _l("Unit induk"),
    "grade": _l("Jenjang"),
    "is_head": _l("Kepala unit"),
    "appraiser_id": _l("Pejabat penilai"),
    # What imports record besides field changes.
    "counts": _l("Jumlah baris"),
    "new": _l("Baru"),
    "changed": _l("Berubah"),
    "unchanged": _l("Tidak berubah"),
    "rejected": _l("Ditolak"),
    "new_units": _l("Unit kerja baru"),
    "new_positions": _l("Jabatan baru"),
    "units_created": _l("Unit kerja dibuat"),
    "positions_created": _l("Jabatan dibuat"),
    "assignments_opened": _l("Penempatan dibuka"),
    **catalogue_titles.FIELD_LABELS,
}

# Where a changed field's column is looked up (for enum titles, dates and names behind ids)
# when the object's own model does not have it, e.g. a role grant's org_unit_id on a User entry.
_COLUMN_MODELS = (Employee, OrgUnit, Position, User, UserRole, ImportBatch, EmployeeAssignment, Job)

# How an object of each table is named in the log (id first): one query per table and page.
_NAME_QUERIES = {
    "employee": lambda: sa.select(Employee.id, Employee.name),
    "org_unit": lambda: sa.select(OrgUnit.id, OrgUnit.name),
    "position": lambda: sa.select(Position.id, Position.name),
    "user_account": lambda: sa.select(User.id, sa.func.coalesce(Employee.name, User.full_name, User.username))
    .outerjoin(Employee, User.employee_id == Employee.id),
    "import_batch": lambda: sa.select(ImportBatch.id, ImportBatch.filename),
    "job": lambda: sa.select(Job.id, Job.title),
}


# ---------------------------------------------------------------- describing entries
@dataclass
class Change:
    label: str
    is_pair: bool           # a field's old → new value, or a plain value (import counts …)
    old: str = ""
    new: str = ""
    value: str = ""


@dataclass
class EntryView:
    entry: AuditEntry
    type_title: str
    object_label: str
    object_url: str | None
    action_title: str
    from_title: str | None
    to_title: str | None
    changes: list = field(default_factory=list)
    detail_url: str | None = None
    time_full: str = ""


def object_type_title(object_type):
    kind = OBJECT_TYPES.get(object_type)
    return str(kind.title) if kind else object_type


def action_title(action):
    return str(ACTION_TITLES.get(action, action))


def state_title(state):
    return None if state is None else str(STATE_TITLES.get(state, state))


def _column(object_type, name):
    kind = OBJECT_TYPES.get(object_type)
    models = ((kind.model,) if kind and kind.model else ()) + _COLUMN_MODELS
    for model in models:
        column = model.__table__.c.get(name)
        if column is not None:
            return column
    return None


def _reference(column):
    """The table an id column points at, when its objects have names."""
    if column is None or not column.foreign_keys:
        return None
    table = next(iter(column.foreign_keys)).column.table.name
    return table if table in _NAME_QUERIES else None


def _is_pair(column, value):
    # audit.diff stores [old, new] under a column's name; other keys carry plain data
    # (an import's counts, the names of new units), even when that data is a two-item list.
    return column is not None and isinstance(value, list) and len(value) == 2


def _references(entries):
    """(table, id) pairs an entry list mentions: its objects and the ids in its changes."""
    wanted = set()
    for entry in entries:
        kind = OBJECT_TYPES.get(entry.object_type)
        if (kind and kind.model is not None and entry.object_id is not None
                and kind.model.__tablename__ in _NAME_QUERIES):
            wanted.add((kind.model.__tablename__, entry.object_id))
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        for name, value in changes.items():
            column = _column(entry.object_type, name)
            table = _reference(column)
            if table and _is_pair(column, value):
                wanted.update((table, v) for v in value if isinstance(v, int) and not isinstance(v, bool))
    return wanted


def _names(wanted) -> dict:
    """{(table, id): name} with one query per table."""
    names = {}
    by_table = {}
    for table, object_id in wanted:
        by_table.setdefault(table, set()).add(object_id)
    for table, ids in sorted(by_table.items()):
        stmt = _NAME_QUERIES[table]()
        stmt = stmt.where(stmt.selected_columns[0].in_(sorted(ids)))
        names.update({(table, row[0]): row[1] for row in db.session.execute(stmt)})
    return names


def _format_value(value, column, names) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, dict):
        return ", ".join(f"{field_label(k)}: {_format_value(v, None, names)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_format_value(v, None, names) for v in value)
    if column is not None:
        table = _reference(column)
        if table is not None:
            return names.get((table, value)) or f"#{value}"
        enum_class = getattr(column.type, "enum_class", None)
        if enum_class is not None:
            try:
                return str(enum_class(value).title)
            except ValueError:
                return str(value)
        if isinstance(column.type, sa.Date) and not isinstance(column.type, sa.DateTime):
            try:
                return format_date(date.fromisoformat(value), "d MMM yyyy")
            except (TypeError, ValueError):
                return str(value)
    return str(value)


def field_label(name) -> str:
    return str(FIELD_LABELS.get(name, name))


def _changes(entry, names) -> list[Change]:
    if not entry.changes:
        return []
    if not isinstance(entry.changes, dict):
        return [Change(label="", is_pair=False, value=_format_value(entry.changes, None, names))]
    out = []
    for name, value in entry.changes.items():
        column = _column(entry.object_type, name)
        if _is_pair(column, value) and value[0] == value[1]:
            continue  # recorded for completeness (a role without a unit), nothing changed
        if _is_pair(column, value):
            out.append(Change(field_label(name), True, old=_format_value(value[0], column, names),
                              new=_format_value(value[1], column, names)))
        else:
            out.append(Change(field_label(name), False, value=_format_value(value, column, names)))
    return out


def _object_url(entry, names, user):
    """The object's page, when it has one that still exists and ``user`` may open it."""
    kind = OBJECT_TYPES.get(entry.object_type)
    if kind is None or kind.endpoint is None or kind.model is None or entry.object_id is None:
        return None
    if (kind.model.__tablename__, entry.object_id) not in names:
        return None
    if kind.endpoint not in current_app.view_functions or not user_may(user, access_of(kind.endpoint)):
        return None
    try:
        return url_for(kind.endpoint, **{kind.argument: entry.object_id})
    except BuildError:
        return None


def describe(entries, user, *, detail_links=False) -> list[EntryView]:
    """How ``entries`` read to ``user``: titles, names behind ids, links they may follow.

    ``detail_links`` adds the link to each entry's own page (for readers of the log).
    """
    names = _names(_references(entries))
    views = []
    for entry in entries:
        kind = OBJECT_TYPES.get(entry.object_type)
        name = names.get((kind.model.__tablename__, entry.object_id)) if kind and kind.model else None
        label = name or (f"#{entry.object_id}" if entry.object_id is not None else "")
        views.append(EntryView(
            entry=entry, type_title=object_type_title(entry.object_type), object_label=label,
            object_url=_object_url(entry, names, user), action_title=action_title(entry.action),
            from_title=state_title(entry.from_state), to_title=state_title(entry.to_state),
            changes=_changes(entry, names),
            detail_url=url_for("audit.show_entry", entry_id=entry.id) if detail_links else None,
            time_full=format_datetime(entry.created_dt, "d MMM yyyy HH:mm:ss zzz")))
    return views


def pretty_changes(entry) -> str:
    """The stored changes as indented JSON (the template escapes it)."""
    if entry.changes is None:
        return ""
    return json.dumps(entry.changes, indent=2, ensure_ascii=False, sort_keys=True, default=str)


# ---------------------------------------------------------------- filter choices
def object_type_choices(also=None):
    """(value, title) for the object type filter; ``also`` keeps an unlisted current value."""
    choices = [(name, kind.title) for name, kind in OBJECT_TYPES.items()]
    if also and also not in OBJECT_TYPES and re.match(NAME_PATTERN, also):
        choices.append((also, also))
    return choices


def action_choices(also=None):
    choices = sorted(((a, t) for a, t in ACTION_TITLES.items()), key=lambda c: str(c[1]).lower())
    if also and also not in ACTION_TITLES and re.match(NAME_PATTERN, also):
        choices.append((also, also))
    return choices
