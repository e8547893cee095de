"""Organisational capaian and the team view in a real browser: pimpinan sets the Dinas's capaian
to Butuh Perbaikan for November while its staff are rated Baik, and the unit is flagged on the
list and on its distribution page; the supervisor then rates a subordinate inline in the team
view and sees the predikat appear in the row."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.evaluation.models import Evaluation, EvaluationStatus, OrgAssessment, OrgPredicate, Predicate, Rating
from portal.extensions import db
from portal.people.models import Employee, OrgUnit
from portal.plans.models import PlanStatus
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.evaluation.sample import make_evaluation
from tests.plans.sample import make_period, make_plan

NOV = "tahun=2026&periode=11"


@pytest.fixture(scope="module")
def staff_rated(app, live_data):
    """Approved 2026 SKPs for the Puskesmas staff (appraiser: the kepala puskesmas); four of them
    already have a draft November evaluation with predikat Baik."""
    with app.app_context():
        kapus = db.session.scalar(sa.select(Employee).where(Employee.name == "Sri Wahyuni"))
        period = make_period(2026)
        plans = {}
        for employee in sorted(kapus.subordinates, key=lambda e: e.name):
            plans[employee.name] = make_plan(employee, period, PlanStatus.APPROVED)
        for name in ["Agus Prasetyo", "Andi Wijaya", "Putri Ayu", "Rahmat Hidayat"]:
            make_evaluation(plans[name], 11, hasil=Rating.MEETS, perilaku=Rating.MEETS, predicate=Predicate.GOOD)
        dinas = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.name == "Dinas Kesehatan"))
        ids = {"dinas": dinas.id, "dewi": plans["Dewi Lestari"].id}
        db.session.commit()
    return ids


def test_capaian_flags_the_unit_and_supervisor_rates_inline(page, app, live_server, live_data, staff_rated,
                                                            console_errors):
    dinas = staff_rated["dinas"]
    # --- pimpinan sets Dinas Kesehatan's capaian for November
    sign_in(page, live_server, live_data.logins["pimpinan"])
    page.goto(f"{live_server}/capaian-organisasi/?{NOV}")
    expect(page.get_by_role("heading", name="Capaian kinerja organisasi")).to_be_visible()
    row = page.locator(f"#unit-{dinas}")
    expect(row).to_contain_text("Belum ditetapkan")
    expect(row).to_contain_text("4 dari 7 pegawai")
    assert_accessible(page, "unit list")
    row.get_by_label("Capaian kinerja organisasi Dinas Kesehatan").select_option(label="Butuh Perbaikan")
    row.get_by_label("Catatan capaian Dinas Kesehatan (opsional)").fill("Cakupan imunisasi di bawah target")
    row.get_by_role("button", name="Simpan Dinas Kesehatan").click()
    row = page.locator(f"#unit-{dinas}")
    expect(row.get_by_role("status")).to_contain_text("Capaian kinerja Dinas Kesehatan November 2026: Butuh Perbaikan.")
    expect(row).to_contain_text("Belum sesuai pedoman")
    expect(row).to_contain_text("Butuh Perbaikan 0 % (paling sedikit 60 %)")
    with app.app_context():
        assessment = db.session.scalar(sa.select(OrgAssessment).where(OrgAssessment.org_unit_id == dinas))
        assert assessment.predicate is OrgPredicate.NEEDS_IMPROVEMENT
        assert assessment.note == "Cakupan imunisasi di bawah target"
    assert_accessible(page, "unit list after setting")
    screenshot(page, "eval-org-list")

    # --- the unit's distribution page
    row.get_by_role("link", name="Dinas Kesehatan").click()
    expect(page.get_by_role("heading", name="Dinas Kesehatan", exact=True)).to_be_visible()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Distribusi belum sesuai pedoman: Butuh Perbaikan 0 % (paling sedikit 60 %)")
    expect(page.locator("#draft-notice")).to_contain_text("4 predikat masih draf.")
    expect(page.get_by_text("Paling sedikit 60 % pegawai berpredikat Butuh Perbaikan.")).to_be_visible()
    expect(page.locator("meter.org-meter")).to_have_count(5)
    expect(page.get_by_role("link", name="Dewi Lestari")).to_be_visible()
    assert_accessible(page, "distribution page")
    screenshot(page, "eval-org-distribution")
    page.context.clear_cookies()

    # --- the supervisor rates Dewi inline in the team view
    sign_in(page, live_server, live_data.logins["supervisor"])
    page.goto(f"{live_server}/evaluasi-tim/?{NOV}")
    expect(page.get_by_role("heading", name="Evaluasi tim")).to_be_visible()
    dewi = page.locator(f"#team-row-{staff_rated['dewi']}")
    expect(dewi).to_contain_text("Belum dimulai")
    assert_accessible(page, "team view")
    dewi.get_by_label("Hasil kerja Dewi Lestari").select_option(label="Di Atas Ekspektasi")
    expect(dewi.get_by_role("status")).to_contain_text("Rating Dewi Lestari tersimpan.")
    dewi.get_by_label("Perilaku kerja Dewi Lestari").select_option(label="Sesuai Ekspektasi")
    expect(dewi.get_by_role("status")).to_contain_text("Predikat Dewi Lestari: Baik.")
    expect(dewi.locator(".team-predicate .badge")).to_have_text("Baik")
    expect(dewi).to_contain_text("Draf")
    # the team's distribution follows
    expect(page.locator("#team-distribution")).to_contain_text("Baik 5")
    with app.app_context():
        evaluation = db.session.scalar(sa.select(Evaluation).where(Evaluation.plan_id == staff_rated["dewi"],
                                                                   Evaluation.period_key == 11))
        assert evaluation.status is EvaluationStatus.DRAFT and evaluation.predicate is Predicate.GOOD
    assert_accessible(page, "team view after rating")
    screenshot(page, "eval-team")
