"""Object rules for the permission matrix and object-access suite (merged in object_rules.py).

The evaluation PDF follows ``Evaluation.can_download``; the unit ZIP pages follow
``documents.can_export_unit``. A ZIP is downloaded by whoever started the job (or the
superadmin) once it has succeeded: any other job is refused (403). A ZIP job of one's own that
has not finished answers 404, which a yes/no rule cannot say; no such job exists in the suite's
data, and tests/evaluation/test_eval_documents_zip.py covers it.
"""
from portal.evaluation import documents


def _export_unit(user, o):
    return documents.can_export_unit(user, o["unit_id"])


def _download_zip(user, o):
    return documents.can_download_zip(user, o["job_id"]) and documents.finished_zip(o["job_id"]) is not None


RULES = {
    "evaluation_documents.download_evaluation": lambda user, o: o["evaluation_id"].can_download(user),
    "evaluation_documents.unit_exports": _export_unit,
    "evaluation_documents.start_unit_zip": _export_unit,
    "evaluation_documents.download_unit_zip": _download_zip,
}
