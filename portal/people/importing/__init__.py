"""SIASN-style import of employees from CSV or XLSX: read, validate in memory, preview, commit.

The import is all-or-nothing. ``preview_import`` stores the file, validates every row against
the database as it is and records an ``ImportBatch`` with the counts and the rejected rows.
``commit_import`` is possible only when no row was rejected: it re-reads the stored file
(checking that it is the one previewed), validates again and writes everything with bulk
statements. Services flush and never commit: the view or CLI command commits once.

The work takes a constant number of queries whatever the size of the file: units, positions
and employees are loaded once into dictionaries, rows are checked in memory and the writes are
batched; the batch gets one audit entry, not one per row.

The package, in the order of the work: ``reading`` (file → ``Sheet``), ``values`` (one cell →
a model value), ``validation`` (one row → ``RowData``, problems on the ``Plan``), ``planning``
(the whole file against the database), ``storage`` (the stored copies), ``writing`` (bulk
statements), ``workflow`` (preview, commit, discard) and ``reports`` (batch list, CSV downloads).
"""
from portal.people.importing.planning import build_plan
from portal.people.importing.reading import (
    ALLOWED_EXTENSIONS,
    HEADER_ALIASES,
    REQUIRED_COLUMNS,
    TEMPLATE_COLUMNS,
    ImportFailed,
    Sheet,
    canonical_header,
    extension_of,
    read_sheet,
)
from portal.people.importing.reports import batch_query, preview_summary, report_csv, template_csv
from portal.people.importing.storage import storage_dir, store_upload, stored_path
from portal.people.importing.validation import Plan, RowData
from portal.people.importing.values import (
    KEEP,
    grade_from_name,
    parse_civil_status,
    parse_date,
    parse_employee_kind,
    parse_gender,
    parse_position_kind,
    unit_kind_for,
)
from portal.people.importing.workflow import (
    COMMIT_JOB,
    commit_import,
    commit_job,
    discard_import,
    preview_import,
    request_commit,
)

__all__ = [
    "ALLOWED_EXTENSIONS", "COMMIT_JOB", "HEADER_ALIASES", "KEEP", "REQUIRED_COLUMNS", "TEMPLATE_COLUMNS",
    "ImportFailed", "Plan", "RowData", "Sheet",
    "batch_query", "build_plan", "canonical_header", "commit_import", "commit_job", "discard_import", "extension_of",
    "grade_from_name", "parse_civil_status", "parse_date", "parse_employee_kind", "parse_gender",
    "parse_position_kind", "preview_import", "preview_summary", "read_sheet", "report_csv", "request_commit",
    "store_upload",
    "storage_dir", "stored_path", "template_csv", "unit_kind_for",
]
