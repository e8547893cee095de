"""Time the SKP PDF: a typical approved plan (6 RHK, 2 IKI each, perilaku, lampiran).

    .venv/bin/python -m bench.skp_pdf_timing [--runs 7] [--results 6] [--out /tmp/skp.pdf]

Builds the plan in a throwaway SQLite database (a temporary directory, removed afterwards),
renders it ``--runs`` times inside a request and prints one JSON object: the first render
(which includes importing WeasyPrint), the median and the slowest of the others, the page count.
"""
import argparse
import json
import shutil
import statistics
import subprocess
import tempfile
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

RESULTS = [
    ("Tersusunnya dokumen perencanaan perangkat daerah tepat waktu",
     "Meningkatnya kualitas perencanaan pembangunan daerah"),
    ("Terlaksananya pengelolaan data sektoral yang mutakhir dan terbuka",
     "Tersedianya data pembangunan yang akurat"),
    ("Tersedianya laporan kinerja instansi pemerintah yang akuntabel", "Meningkatnya akuntabilitas kinerja"),
    ("Terlaksananya pelayanan administrasi kepegawaian yang cepat", "Meningkatnya kualitas layanan ASN"),
    ("Terselenggaranya monitoring dan evaluasi program", "Meningkatnya efektivitas program"),
    ("Tersusunnya kajian kebijakan pelayanan publik", "Meningkatnya kualitas kebijakan publik"),
]


def build_plan(n_results):
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
        Indicator,
        Measure,
        PerformancePeriod,
        PerformancePlan,
        PeriodStatus,
        PlanStatus,
        ResultKind,
        ResultPlan,
        Subperiod,
        SubperiodLength,
    )

    root = services.create_unit("Pemerintah Kabupaten Contoh", UnitKind.INSTANSI, None)
    dinas = services.create_unit("Badan Perencanaan Pembangunan Daerah", UnitKind.BADAN, root)

    def person(nip, name, position, golongan, supervisor=None):
        return services.create_employee(services.EmployeeData(
            nip=nip, kind=EmployeeKind.PNS, name=name, gender=Gender.MALE, birth_date=date(1980, 5, 17),
            org_unit=dinas, position=position, supervisor=supervisor, golongan=golongan,
            civil_status=CivilStatus.PNS))

    head = person("198005172005011001", "Ahmad Fauzi",
                  services.create_position("Kepala Bidang Perencanaan", PositionKind.ADMINISTRATOR, dinas,
                                           is_head=True), "IV/a")
    staff = person("198005172008011002", "Budi Santoso",
                   services.create_position("Perencana Ahli Muda", PositionKind.FUNGSIONAL_KEAHLIAN, dinas,
                                           grade=PositionGrade.AHLI_MUDA),
                   "III/c", supervisor=head)
    period = PerformancePeriod(year=2026, start_date=date(2026, 1, 1), end_date=date(2026, 12, 31),
                               subperiod_length=SubperiodLength.MONTHLY, status=PeriodStatus.OPEN,
                               plan_deadline=rules.default_plan_deadline(2026))
    for number, start, end in rules.subperiod_ranges(2026, "bulanan"):
        period.subperiods.append(Subperiod(number=number, start_date=start, end_date=end))
    plan = PerformancePlan(
        employee=staff, period=period, status=PlanStatus.APPROVED, org_unit=dinas, position=staff.position,
        appraiser=head, start_date=period.start_date, end_date=period.end_date,
        approved_dt=datetime(2026, 1, 28, 9, 0),
        resources="Aplikasi perencanaan daerah\nAnggaran kegiatan bidang\nAkses data sektoral",
        accountability="Realisasi dilaporkan setiap bulan kepada pejabat penilai kinerja beserta bukti dukung.",
        consequences="Capaian di bawah target dibahas dalam dialog kinerja dan bimbingan kinerja.")
    # As plan_services.approve_plan freezes them.
    plan.snapshot = {role: {"name": e.display_name, "nip": e.nip_display, "pangkat": e.golongan_label,
                            "jabatan": e.position.name, "unit": e.org_unit.name}
                     for role, e in (("pegawai", staff), ("penilai", head))}
    leader_plan = PerformancePlan(
        employee=head, period=period, status=PlanStatus.APPROVED, org_unit=dinas, position=head.position,
        start_date=period.start_date, end_date=period.end_date)
    for value in CoreValue:
        plan.expectations.append(BehaviourExpectation(
            value=value, expectation="Menyelesaikan tugas tepat waktu dan membantu rekan" if value in (
                CoreValue.SERVICE, CoreValue.COLLABORATIVE) else ""))
    for position in range(n_results):
        text, leader = RESULTS[position % len(RESULTS)]
        kind = ResultKind.MAIN if position < n_results - 1 else ResultKind.ADDITIONAL
        result = ResultPlan(kind=kind, position=position, text=text)
        result.intervened_result = ResultPlan(kind=ResultKind.MAIN, position=position, text=leader)
        leader_plan.results.append(result.intervened_result)
        result.indicators.append(Indicator(
            aspect=Aspect.QUANTITY, text=f"Jumlah dokumen {text.split()[1].lower()}", measure=Measure.NUMERIC,
            target_value=Decimal(12), target_unit="dokumen", direction=Direction.HIGHER,
            aggregation=Aggregation.SUM))
        result.indicators.append(Indicator(
            aspect=Aspect.QUALITY, text="Persentase dokumen yang diterima tanpa revisi",
            measure=Measure.NUMERIC, target_value=Decimal(90), target_unit="%",
            direction=Direction.HIGHER, aggregation=Aggregation.AVERAGE))
        plan.results.append(result)
    db.session.add_all([plan, leader_plan])
    db.session.commit()
    return plan.id


def _page_count(data, tmp):
    """Pages of the PDF, from poppler's pdfinfo (None without it)."""
    if not shutil.which("pdfinfo"):
        return None
    path = tmp / "skp.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=False).stdout
    return next((int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:")), None)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--results", type=int, default=6)
    parser.add_argument("--out", type=Path, help="also write the PDF here")
    args = parser.parse_args(argv)

    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db
    from portal.plans import documents
    from portal.plans.models import PerformancePlan

    with tempfile.TemporaryDirectory(prefix="capaian-bench-") as tmp:
        tmp = Path(tmp)
        app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}",
                          "STORAGE_ROOT": str(tmp / "storage")})
        with app.app_context():
            upgrade()
            plan_id = build_plan(args.results)
        timings, data = [], b""
        for _ in range(args.runs):
            with app.test_request_context("/"):
                db.session.expire_all()
                started = time.perf_counter()
                plan = db.session.get(PerformancePlan, plan_id, options=documents.plan_document_options())
                data = documents.skp_pdf(plan)
                timings.append(time.perf_counter() - started)
                db.session.remove()
        if args.out:
            args.out.write_bytes(data)
        pages = _page_count(data, tmp)
        rest = timings[1:] or timings
        print(json.dumps({
            "results": args.results, "indicators": args.results * 2, "runs": args.runs,
            "first_render_s": round(timings[0], 3), "median_s": round(statistics.median(rest), 3),
            "max_s": round(max(rest), 3), "pdf_bytes": len(data), "pages": pages,
        }, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
