"""Talent and training needs in a real browser (issue 6, items 4 and 7): BKPSDM records a potential
inline, opens the 9-box and drills into a box; then opens the training needs analysis, filters it
by OPD and downloads the table as XLSX."""
import io
from datetime import date, timedelta

import openpyxl
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.catalogue.models import (
    Leadership,
    Potential,
    Priority,
    ProgrammeForm,
    Recommendation,
    RecommendationSource,
    TalentAssessment,
)
from portal.evaluation.models import EvaluationStatus, Predicate, Rating
from portal.extensions import db
from portal.people.models import Employee, PositionKind
from portal.plans.models import PlanStatus
from portal.sessions.models import SessionStatus, TrainingSession
from tests.browser.conftest import assert_accessible, count, screenshot, sign_in
from tests.catalogue.sample import make_programme
from tests.evaluation.sample import make_evaluation
from tests.plans.sample import make_period, make_plan

YEAR = date.today().year


@pytest.fixture(scope="module")
def journey(app, live_data):
    """Agus Prasetyo's yearly evaluation is final (Sangat Baik); PKP is in the catalogue (the next
    leadership level for a pelaksana); Pelayanan Prima has an open session of 2 places and is
    recommended to three Puskesmas staff."""
    with app.app_context():
        staff = db.session.scalar(sa.select(Employee).where(Employee.nip == live_data.staff_nip))
        plan = make_plan(staff, make_period(YEAR), PlanStatus.APPROVED)
        make_evaluation(plan, 0, status=EvaluationStatus.FINAL, hasil=Rating.ABOVE, perilaku=Rating.ABOVE,
                        predicate=Predicate.VERY_GOOD)
        pkp = make_programme("PKP-B", "Pelatihan Kepemimpinan Pengawas", form=ProgrammeForm.LEADERSHIP, jp=300,
                             leadership=Leadership.PKP, position_kinds=[PositionKind.PENGAWAS], cost="12000000")
        service = make_programme("PP-B", "Pelayanan Prima", jp=8, cost="750000")
        db.session.flush()
        start = date.today() + timedelta(days=20)
        db.session.add(TrainingSession(programme=service, name="Angkatan I", start_date=start, end_date=start,
                                       capacity=2, status=SessionStatus.OPEN))
        for name in ("Agus Prasetyo", "Dewi Lestari", "Rahmat Hidayat"):
            employee = db.session.scalar(sa.select(Employee).where(Employee.name == name))
            db.session.add(Recommendation(key=f"b:{employee.id}:{service.id}", employee_id=employee.id,
                                          programme_id=service.id, year=YEAR, priority=Priority.LOW,
                                          source=RecommendationSource.LEARNING_HOURS, reason="Kurang JP"))
        ids = {"staff": staff.id, "pkp": pkp.id}
        db.session.commit()
    return ids


def test_potential_nine_box_and_training_needs(page, app, live_server, live_data, journey, console_errors):
    sign_in(page, live_server, live_data.logins["bkpsdm"])

    # --- record Agus's potential inline (htmx on the select's change)
    page.goto(f"{live_server}/talenta/potensial")
    expect(page.get_by_role("heading", name="Potensial pegawai")).to_be_visible()
    page.get_by_label("Cari nama atau NIP").fill("Agus")
    row = page.locator(f"#pot-{journey['staff']}")
    expect(page.locator("table.potentials tbody tr")).to_have_count(1)
    assert_accessible(page, "potential list")
    row.get_by_label("Catatan potensial Agus Prasetyo (opsional)").fill("Asesmen kompetensi 2026")
    row.get_by_label("Potensial Agus Prasetyo", exact=True).select_option("tinggi")
    expect(row.get_by_role("status")).to_contain_text("Potensial Agus Prasetyo tahun")
    screenshot(page, "talent-potentials")
    with app.app_context():
        assessment = db.session.scalar(sa.select(TalentAssessment).filter_by(employee_id=journey["staff"], year=YEAR))
        assert assessment.potential is Potential.HIGH and assessment.note == "Asesmen kompetensi 2026"
    # The 9-box source now recommends the next leadership programme.
    assert count(app, Recommendation, Recommendation.employee_id == journey["staff"],
                 Recommendation.source == RecommendationSource.TALENT, Recommendation.programme_id == journey["pkp"]) == 1

    # --- the 9-box, then box 9's people
    page.goto(f"{live_server}/talenta/")
    expect(page.get_by_role("heading", name="Manajemen talenta (9-box)")).to_be_visible()
    box = page.locator(".nine-box-9 a")
    expect(box).to_contain_text("1")
    assert_accessible(page, "nine box")
    box.click()
    expect(page.get_by_role("heading", name="Kotak 9: kinerja Di Atas Ekspektasi, potensial Tinggi")).to_be_visible()
    expect(page.locator("#box-members")).to_contain_text("Agus Prasetyo")
    assert "kotak=9" in page.url
    assert_accessible(page, "nine box with a box open")
    screenshot(page, "talent-nine-box")

    # --- the training needs analysis, filtered by OPD, then the XLSX
    page.goto(f"{live_server}/analisis-kebutuhan/")
    expect(page.get_by_role("heading", name="Analisis kebutuhan pelatihan")).to_be_visible()
    table = page.locator("table.tna-table")
    expect(table).to_contain_text("Pelayanan Prima")
    page.get_by_label("OPD").select_option(label="Badan Kepegawaian dan Pengembangan Sumber Daya Manusia")
    expect(page.get_by_text("Belum ada kebutuhan pelatihan")).to_be_visible()
    page.get_by_label("OPD").select_option(label="Dinas Kesehatan")
    expect(table).to_contain_text("Pelayanan Prima")
    service_row = table.locator("tbody tr", has_text="Pelayanan Prima")
    expect(service_row).to_contain_text("2.250.000")   # 3 employees × Rp 750.000
    expect(service_row.locator("td").last).to_contain_text("1")   # 3 in need, 2 places
    assert "opd=" in page.url
    assert_accessible(page, "training needs")
    screenshot(page, "tna-programmes")
    page.get_by_role("link", name="Pelayanan Prima").click()
    expect(page.locator("#drilldown")).to_contain_text("Dinas Kesehatan")
    assert_accessible(page, "training needs with a programme's OPD breakdown")
    screenshot(page, "tna-drilldown")
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh XLSX").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Program"
    assert any(r[1] == "Pelayanan Prima" and r[4] == 3 for r in rows[1:])
