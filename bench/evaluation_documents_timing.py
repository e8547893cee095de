"""Time the evaluation documents: one PDF of a typical plan, and a unit ZIP of many documents.

    .venv/bin/python -m bench.evaluation_documents_timing [--runs 7] [--documents 300] [--out /tmp/e.pdf]

Builds, in a throwaway SQLite database (a temporary directory, removed afterwards), a unit of
``--documents`` employees, each with an approved 2026 SKP of 4 RHK and 8 IKI (quantity and
quality per RHK), a month (November) of realisasi with a link as evidence and a feedback
message per IKI, and the November evaluation (every third one final, the rest drafts, with
penilai notes and perilaku feedback). Then:

- renders one evaluation ``--runs`` times inside a request (load + document + PDF; the first
  render includes importing WeasyPrint) and reports the median and the slowest of the others,
  and, as a baseline measured in the same run, the median of the same plan's SKP PDF (absolute
  figures drift with the machine's load; the ratio does not);
- runs the unit ZIP job in-process (``documents.run_unit_zip``) over all ``--documents``
  evaluations and reports the wall time, documents per second and the archive's size.

Prints one JSON object. The target for one document is under 1 s.
"""
import argparse
import json
import shutil
import statistics
import subprocess
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

RESULTS = [
    ("Tersusunnya dokumen perencanaan perangkat daerah tepat waktu",
     "Meningkatnya kualitas perencanaan pembangunan daerah"),
    ("Terlaksananya pengelolaan data sektoral yang mutakhir dan terbuka",
     "Tersedianya data pembangunan yang akurat"),
    ("Tersedianya laporan kinerja instansi pemerintah yang akuntabel", "Meningkatnya akuntabilitas kinerja"),
    ("Terlaksananya pelayanan administrasi kepegawaian yang cepat", "Meningkatnya kualitas layanan ASN"),
]


def build_unit(n_documents):
    """The unit, its head (the penilai) and ``n_documents`` staff with plans and evaluations.
    Returns (unit id, period id, the id of one draft evaluation)."""
    from portal.evaluation.models import (
        BehaviourRating,
        Evaluation,
        EvaluationStatus,
        IndicatorNote,
        Predicate,
        Rating,
    )
    from portal.extensions import db
    from portal.people import services
    from portal.people.models import CivilStatus, EmployeeKind, Gender, PositionGrade, PositionKind, UnitKind
    from portal.plans import rules
    from portal.plans.models import (
        Aggregation,
        Aspect,
        BehaviourExpectation,
        CoreValue,
        Direction,
        Evidence,
        EvidenceKind,
        Feedback,
        Indicator,
        Measure,
        PerformancePeriod,
        PerformancePlan,
        PeriodStatus,
        PlanStatus,
        Realisation,
        RealisationStatus,
        ResultKind,
        ResultPlan,
        Subperiod,
        SubperiodLength,
    )

    root = services.create_unit("Pemerintah Kabupaten Contoh", UnitKind.INSTANSI, None)
    dinas = services.create_unit("Badan Perencanaan Pembangunan Daerah", UnitKind.BADAN, root)

    def person(index, name, position, golongan, supervisor=None):
        birth = date(1970, 1, 1) + timedelta(days=index)
        return services.create_employee(services.EmployeeData(
            nip=f"{birth:%Y%m%d}200503{1 + index % 2}001", kind=EmployeeKind.PNS, name=name,
            gender=Gender.MALE if index % 2 == 0 else Gender.FEMALE, birth_date=birth, org_unit=dinas,
            position=position, supervisor=supervisor, golongan=golongan, civil_status=CivilStatus.PNS))

    head = person(0, "Ahmad Fauzi", services.create_position(
        "Kepala Badan Perencanaan", PositionKind.JPT_PRATAMA, dinas, is_head=True), "IV/c")
    staff_position = services.create_position("Perencana Ahli Muda", PositionKind.FUNGSIONAL_KEAHLIAN, dinas,
                                              grade=PositionGrade.AHLI_MUDA)
    period = PerformancePeriod(year=2026, start_date=date(2026, 1, 1), end_date=date(2026, 12, 31),
                               subperiod_length=SubperiodLength.MONTHLY, status=PeriodStatus.OPEN,
                               plan_deadline=rules.default_plan_deadline(2026))
    for number, start, end in rules.subperiod_ranges(2026, "bulanan"):
        period.subperiods.append(Subperiod(number=number, start_date=start, end_date=end))
    leader_plan = PerformancePlan(employee=head, period=period, status=PlanStatus.APPROVED, org_unit=dinas,
                                  position=head.position, start_date=period.start_date, end_date=period.end_date)
    leader_results = [ResultPlan(kind=ResultKind.MAIN, position=i, text=leader) for i, (_t, leader) in
                      enumerate(RESULTS)]
    leader_plan.results.extend(leader_results)
    db.session.add_all([period, leader_plan])
    db.session.flush()
    november = next(sp for sp in period.subperiods if sp.number == 11)
    sample_id = None
    for index in range(1, n_documents + 1):
        staff = person(index, f"Pegawai Perencana {index:03d}", staff_position, "III/c", supervisor=head)
        plan = PerformancePlan(employee=staff, period=period, status=PlanStatus.APPROVED, org_unit=dinas,
                               position=staff_position, appraiser=head, start_date=period.start_date,
                               end_date=period.end_date, approved_dt=datetime(2026, 1, 28, 9, 0))
        for value in CoreValue:
            plan.expectations.append(BehaviourExpectation(
                value=value, expectation="Menyelesaikan tugas tepat waktu dan membantu rekan"
                if value in (CoreValue.SERVICE, CoreValue.COLLABORATIVE) else ""))
        for position, (text, _leader) in enumerate(RESULTS):
            result = ResultPlan(kind=ResultKind.MAIN if position < 3 else ResultKind.ADDITIONAL, position=position,
                                text=text, intervened_result=leader_results[position])
            result.indicators.append(Indicator(
                aspect=Aspect.QUANTITY, text=f"Jumlah dokumen {text.split()[1].lower()}", measure=Measure.NUMERIC,
                target_value=Decimal(12), target_unit="dokumen", direction=Direction.HIGHER,
                aggregation=Aggregation.SUM))
            result.indicators.append(Indicator(
                aspect=Aspect.QUALITY, text="Persentase dokumen yang diterima tanpa revisi",
                measure=Measure.NUMERIC, target_value=Decimal(90), target_unit="%",
                direction=Direction.HIGHER, aggregation=Aggregation.AVERAGE))
            plan.results.append(result)
        db.session.add(plan)
        db.session.flush()
        for result in plan.results:
            for indicator in result.indicators:
                realisation = Realisation(
                    indicator=indicator, subperiod=november, plan=plan,
                    value=Decimal(1) if indicator.aspect is Aspect.QUANTITY else Decimal(92),
                    narrative="Dokumen disusun, dibahas bersama bidang terkait dan disampaikan tepat waktu.",
                    status=RealisationStatus.VERIFIED)
                realisation.evidence.append(Evidence(kind=EvidenceKind.LINK, title="Berita acara pembahasan",
                                                     url="https://dokumen.example.go.id/ba/11"))
                realisation.feedback.append(Feedback(body="Sudah baik; lengkapi daftar hadir pembahasan."))
                db.session.add(realisation)
        final = index % 3 == 0
        evaluation = Evaluation(
            plan=plan, employee_id=staff.id, appraiser_id=head.id, org_unit_id=dinas.id, period_id=period.id,
            subperiod=november, period_key=11,
            status=EvaluationStatus.FINAL if final else EvaluationStatus.DRAFT, hasil_rating=Rating.MEETS,
            perilaku_rating=Rating.MEETS if final else None, predicate=Predicate.GOOD if final else None,
            finalised_dt=datetime(2026, 12, 3, 9, 0) if final else None)
        for value in CoreValue:
            evaluation.behaviours.append(BehaviourRating(value=value, note="Konsisten dan dapat diandalkan."))
        evaluation.notes.append(IndicatorNote(indicator_id=plan.results[0].indicators[0].id,
                                              body="Capaian sesuai jadwal; pertahankan."))
        db.session.add(evaluation)
        db.session.flush()
        if sample_id is None and not final:
            sample_id = evaluation.id
        if index % 50 == 0:
            db.session.commit()
    db.session.commit()
    return dinas.id, period.id, sample_id


def _page_count(data, tmp):
    if not shutil.which("pdfinfo"):
        return None
    path = tmp / "evaluasi.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=False).stdout
    return next((int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:")), None)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--out", type=Path, help="also write one PDF here")
    args = parser.parse_args(argv)

    from flask_migrate import upgrade

    from portal import create_app
    from portal.evaluation import documents
    from portal.extensions import db
    from portal.jobs.models import Job, JobStatus
    from portal.plans import documents as skp
    from portal.plans.models import PerformancePlan

    with tempfile.TemporaryDirectory(prefix="capaian-bench-") as tmp:
        tmp = Path(tmp)
        app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}",
                          "STORAGE_ROOT": str(tmp / "storage")})
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            unit_id, period_id, evaluation_id = build_unit(args.documents)
            build_s = time.perf_counter() - started

        timings, skp_timings, data = [], [], b""
        for _ in range(args.runs):
            with app.test_request_context("/"):
                db.session.expire_all()
                started = time.perf_counter()
                evaluation = documents.load_evaluation(evaluation_id)
                data = documents.evaluation_pdf(evaluation)
                timings.append(time.perf_counter() - started)
                plan_id = evaluation.plan_id
                db.session.expire_all()
                started = time.perf_counter()
                skp.skp_pdf(db.session.get(PerformancePlan, plan_id, options=skp.plan_document_options()))
                skp_timings.append(time.perf_counter() - started)
                db.session.remove()
        if args.out:
            args.out.write_bytes(data)
        pages = _page_count(data, tmp)

        with app.app_context():  # as the worker runs it: an app context, no request
            job = Job(kind=documents.ZIP_JOB, title="bench", status=JobStatus.RUNNING, object_type="OrgUnit",
                      object_id=unit_id, params={"period_id": period_id, "period_key": 11})
            db.session.add(job)
            db.session.commit()
            started = time.perf_counter()
            result = documents.run_unit_zip(job)
            zip_s = time.perf_counter() - started
            db.session.rollback()

        rest = timings[1:] or timings
        skp_median = statistics.median(skp_timings[1:] or skp_timings)
        print(json.dumps({
            "one_document": {"rhk": len(RESULTS), "iki": 2 * len(RESULTS), "runs": args.runs,
                             "first_render_s": round(timings[0], 3), "median_s": round(statistics.median(rest), 3),
                             "max_s": round(max(rest), 3), "pdf_bytes": len(data), "pages": pages,
                             "skp_pdf_median_s": round(skp_median, 3),
                             "ratio_to_skp_pdf": round(statistics.median(rest) / skp_median, 2)},
            "unit_zip": {"documents": result["documents"], "final": result["final"], "draft": result["draft"],
                         "seconds": round(zip_s, 1), "documents_per_s": round(result["documents"] / zip_s, 2),
                         "zip_bytes": result["bytes"]},
            "build_data_s": round(build_s, 1),
        }, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
