"""BKPSDM tunes the BerAKHLAK → competency mapping in a real browser (issue 6, "done when"): opens
the mapping page, changes Kolaboratif's competencies, sees how many employees' recommendations the
change moves (htmx preview), saves, and the mapping follows; the dictionary and an SKP's RHK tags
are usable too."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.catalogue.models import CompetencyGroup, CoreValueCompetency, ResultCompetency
from portal.evaluation.models import DevelopmentNeed, EvaluationStatus, NeedKind, Predicate, Rating
from portal.extensions import db
from portal.people.models import Employee
from portal.plans.models import Aspect, CoreValue, PlanStatus
from tests.browser.conftest import assert_accessible, count, screenshot, sign_in
from tests.catalogue.sample import make_competency, make_programme
from tests.evaluation.sample import make_evaluation
from tests.plans.sample import make_period, make_plan


@pytest.fixture(scope="module")
def journey(app, live_data):
    """A small dictionary (Kolaboratif → Kerja Sama), two programmes, and the pegawai's final
    October evaluation with Kolaboratif Di Bawah Ekspektasi (a development need)."""
    with app.app_context():
        kerja_sama = make_competency("M-KS", "Kerja Sama")
        make_competency("M-KOM", "Komunikasi")
        data = make_competency("T-DIG-01", "Analisis Data", CompetencyGroup.TECHNICAL, "Digital")
        db.session.flush()
        db.session.add(CoreValueCompetency(core_value=CoreValue.COLLABORATIVE, competency=kerja_sama))
        make_programme("PKS-01", "Pelatihan Kerja Sama Tim", jp=16, competencies=[kerja_sama])
        make_programme("DIG-01", "Analisis Data untuk Administrasi", jp=6, competencies=[data])
        staff = db.session.scalar(sa.select(Employee).where(Employee.nip == live_data.staff_nip))
        plan = make_plan(staff, make_period(2026), PlanStatus.APPROVED, results=[
            ("Layanan administrasi puskesmas tertib", [(Aspect.QUANTITY, "Jumlah surat diproses", 240)])])
        october = make_evaluation(plan, 10, status=EvaluationStatus.FINAL, hasil=Rating.MEETS,
                                  perilaku=Rating.BELOW, predicate=Predicate.NEEDS_IMPROVEMENT,
                                  deadline=date.today() + timedelta(days=14))
        db.session.add(DevelopmentNeed(key=f"e{october.id}:nilai:kolaboratif", evaluation_id=october.id,
                                       employee_id=staff.id, period_id=october.period_id, period_key=10,
                                       kind=NeedKind.CORE_VALUE, core_value=CoreValue.COLLABORATIVE,
                                       reason="Rating perilaku Kolaboratif Di Bawah Ekspektasi pada Oktober 2026"))
        ids = {"plan": plan.id, "result": plan.results[0].id, "data": data.id, "kerja_sama": kerja_sama.id}
        db.session.commit()
    return ids


def _mapping(app):
    with app.app_context():
        return set(db.session.scalars(sa.select(CoreValueCompetency.competency_id).where(
            CoreValueCompetency.core_value == CoreValue.COLLABORATIVE)))


def test_bkpsdm_changes_a_mapping_and_sees_the_preview_count(page, app, live_server, live_data, journey,
                                                              console_errors):
    sign_in(page, live_server, live_data.logins["bkpsdm"])
    page.goto(f"{live_server}/kompetensi/berakhlak")
    row = page.locator("#nilai-kolaboratif")
    expect(row).to_contain_text("Kerja Sama")
    assert_accessible(page, "mapping overview")
    page.get_by_role("link", name="Ubah kompetensi untuk Kolaboratif").click()
    expect(page.get_by_role("heading", name="Kompetensi untuk Kolaboratif")).to_be_visible()
    page.get_by_label("Kerja Sama").uncheck()
    page.get_by_label("Analisis Data").check()
    page.get_by_role("button", name="Pratinjau perubahan").click()
    # htmx swapped in the count: the pegawai's Kolaboratif need now points at another programme.
    expect(page.locator("#preview-count")).to_have_text("Perubahan ini mengubah rekomendasi 1 pegawai.")
    assert "berakhlak?nilai=kolaboratif" in page.url  # the page was not reloaded
    assert _mapping(app) == {journey["kerja_sama"]}  # nothing saved by the preview
    assert_accessible(page, "mapping preview")
    screenshot(page, "competencies-mapping-preview")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_text("Kompetensi untuk nilai Kolaboratif disimpan.")).to_be_visible()
    expect(page.locator("#nilai-kolaboratif")).to_contain_text("Analisis Data")
    expect(page.locator("#nilai-kolaboratif")).not_to_contain_text("Kerja Sama")
    assert _mapping(app) == {journey["data"]}
    screenshot(page, "competencies-mapping-saved")

    # The thresholds page has the same preview-then-save flow.
    page.get_by_role("link", name="Ambang rekomendasi").click()
    page.get_by_label("JP per coaching").fill("3")
    page.get_by_role("button", name="Pratinjau perubahan").click()
    expect(page.locator("#preview-count")).to_have_text("Perubahan ini tidak mengubah rekomendasi pegawai.")
    assert_accessible(page, "thresholds preview")
    screenshot(page, "competencies-settings-preview")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_text("Pengaturan rekomendasi disimpan.")).to_be_visible()
    expect(page.get_by_label("JP per coaching")).to_have_value("3")


def test_dictionary_and_rhk_tags(page, app, live_server, live_data, journey, console_errors):
    sign_in(page, live_server, live_data.logins["bkpsdm"])
    page.goto(f"{live_server}/kompetensi/")
    expect(page.get_by_role("heading", name="Teknis — Digital")).to_be_visible()
    page.get_by_label("Cari kompetensi").fill("komun")
    expect(page.locator("#result-count")).to_have_text("1 kompetensi")  # filtered as you type
    assert_accessible(page, "dictionary")
    screenshot(page, "competencies-dictionary")
    page.context.clear_cookies()

    # The pegawai tags their RHK with a competency, inline.
    sign_in(page, live_server, live_data.logins["pegawai"])
    page.goto(f"{live_server}/kompetensi/skp/{journey['plan']}")
    editor = page.locator(f"#rhk-tags-{journey['result']}")
    editor.get_by_label("Kompetensi untuk ditandai pada RHK").select_option(label="Komunikasi")
    editor.get_by_role("button", name="Tandai").click()
    expect(page.locator(f"#rhk-tags-{journey['result']} .badge")).to_have_text("Komunikasi")
    assert count(app, ResultCompetency, ResultCompetency.result_id == journey["result"]) == 1
    assert_accessible(page, "RHK tags")
    screenshot(page, "competencies-plan-tags")
