""""Rekomendasi untuk saya" in a real browser (issue 6, done-when): (a) the pegawai whose evaluation
was finalised with perilaku Di Bawah Ekspektasi on Kolaboratif reads a recommendation with that
reason and accepts it into the IDP; (b) an employee newly appointed pengawas sees PKP as mandatory.
Both recommendations come from the real triggers: ``finalise_evaluation`` (needs → signal →
recompute) and ``transfer_employee`` (position → signal → recompute)."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.catalogue.models import (
    Competency,
    CompetencyGroup,
    CoreValueCompetency,
    Delivery,
    DevelopmentPlan,
    DevelopmentPlanItem,
    Leadership,
    Programme,
    ProgrammeCompetency,
    ProgrammeForm,
    ProviderKind,
    Recommendation,
    RecommendationStatus,
)
from portal.evaluation import services as evaluation_services
from portal.evaluation.models import EvaluationStatus, Rating
from portal.extensions import db
from portal.people import services as people_services
from portal.people.models import Employee, PositionKind
from portal.plans.models import Aspect, CoreValue, PlanStatus
from portal.sessions.models import SessionStatus, TrainingSession
from tests.browser.conftest import assert_accessible, count, screenshot, sign_in
from tests.evaluation.sample import make_evaluation
from tests.factories import Factory
from tests.plans.sample import make_period, make_plan

REASON = "Rating perilaku Kolaboratif Di Bawah Ekspektasi pada"


def _programme(code, title, *, form, jp, competencies=(), leadership=None, position_kinds=(), cost="1500000"):
    programme = Programme(code=code, title=title, description=f"{title} untuk ASN Kabupaten.", form=form, jp=jp,
                          provider_kind=ProviderKind.BKPSDM, provider_name="BKPSDM Kabupaten",
                          delivery=Delivery.IN_PERSON, cost_per_participant=Decimal(cost), leadership=leadership,
                          position_kinds=list(position_kinds))
    for competency in competencies:
        programme.competency_links.append(ProgrammeCompetency(competency=competency))
    db.session.add(programme)
    return programme


@pytest.fixture(scope="module")
def journey(app, live_data):
    """The catalogue (Kolaboratif → Kerja Sama, a teamwork training with a session next month, PKP for
    pengawas); the pegawai's October evaluation finalised with perilaku and Kolaboratif Di Bawah
    Ekspektasi; Dewi Lestari moved into a pengawas post."""
    with app.app_context():
        kerja_sama = Competency(code="M-KS", name="Kerja Sama", group=CompetencyGroup.MANAGERIAL)
        db.session.add(kerja_sama)
        db.session.flush()
        db.session.add(CoreValueCompetency(core_value=CoreValue.COLLABORATIVE, competency=kerja_sama))
        teamwork = _programme("PKS-01", "Pelatihan Kerja Sama Tim", form=ProgrammeForm.MANAGERIAL, jp=16,
                              competencies=[kerja_sama])
        pkp = _programme("PKP-01", "Pelatihan Kepemimpinan Pengawas", form=ProgrammeForm.LEADERSHIP, jp=300,
                         leadership=Leadership.PKP, position_kinds=[PositionKind.PENGAWAS.value], cost="12000000")
        db.session.flush()
        start = date.today() + timedelta(days=30)
        db.session.add(TrainingSession(programme=teamwork, name="Angkatan I", start_date=start,
                                       end_date=start + timedelta(days=1), place="Aula BKPSDM", capacity=30,
                                       registration_close_date=start - timedelta(days=7), status=SessionStatus.OPEN))

        staff = db.session.scalar(sa.select(Employee).where(Employee.nip == live_data.staff_nip))
        plan = make_plan(staff, make_period(2026), PlanStatus.APPROVED, results=[
            ("Layanan administrasi puskesmas tertib", [(Aspect.QUANTITY, "Jumlah surat diproses", 240)])])
        evaluation = make_evaluation(plan, 10)
        evaluation_services.save_evaluation(
            evaluation, hasil_rating=Rating.MEETS, hasil_reason="Target surat tercapai.", perilaku_rating=Rating.BELOW,
            perilaku_note="Jarang berbagi informasi dengan tim.",
            behaviours={CoreValue.COLLABORATIVE: (Rating.BELOW, "Tidak hadir di rapat koordinasi.")})
        evaluation_services.finalise_evaluation(evaluation)
        assert evaluation.status is EvaluationStatus.FINAL
        # the signal recomputed the pegawai's recommendations within the same transaction
        rec = db.session.scalar(sa.select(Recommendation).where(Recommendation.employee_id == staff.id,
                                                                Recommendation.programme_id == teamwork.id))
        assert rec is not None and rec.reason.startswith(REASON) and rec.status is RecommendationStatus.OPEN

        dewi = db.session.scalar(sa.select(Employee).where(Employee.name == "Dewi Lestari"))
        account = Factory().user(dewi)
        kasubbag = people_services.create_position("Kepala Subbagian Tata Usaha", PositionKind.PENGAWAS,
                                                   dewi.org_unit)
        people_services.transfer_employee(dewi, org_unit=dewi.org_unit, position=kasubbag, supervisor=dewi.supervisor,
                                          start_date=date.today())
        ids = {"staff": staff.id, "teamwork": teamwork.id, "pkp": pkp.id, "recommendation": rec.id,
               "dewi": dewi.id, "dewi_login": account.login_name}
        db.session.commit()
    return ids


def test_low_kolaboratif_rating_recommendation_accepted_into_idp(page, app, live_server, live_data, journey,
                                                                 console_errors):
    sign_in(page, live_server, live_data.logins["pegawai"])
    page.goto(f"{live_server}/")
    page.get_by_role("button", name="Pengembangan").click()
    page.get_by_role("link", name="Rekomendasi untuk saya").click()
    expect(page.get_by_role("heading", name="Rekomendasi untuk saya")).to_be_visible()
    card = page.locator(f"#rec-{journey['recommendation']}")
    expect(card).to_contain_text("Rating perilaku Kolaboratif Di Bawah Ekspektasi pada Oktober 2026")
    expect(card).to_contain_text("Pelatihan Kerja Sama Tim")
    expect(card).to_contain_text("16 JP")
    expect(page.locator("#jp-progress-text")).to_contain_text("0 dari 20 JP")
    assert_accessible(page, "recommendations (open)")
    screenshot(page, "recommendations-open")

    card.get_by_label("Target selesai (opsional)").fill(f"{date.today().year}-12-15")
    card.get_by_role("button", name="Masukkan ke IDP").click()  # htmx swaps the card
    expect(card).to_contain_text("Dimasukkan ke rencana pengembangan")
    expect(card.get_by_role("button", name="Masukkan ke IDP")).to_have_count(0)
    assert_accessible(page, "recommendations (accepted card)")
    screenshot(page, "recommendations-accepted")
    with app.app_context():
        assert count(app, DevelopmentPlanItem, DevelopmentPlanItem.recommendation_id == journey["recommendation"]) == 1
        item = db.session.scalar(sa.select(DevelopmentPlanItem).where(
            DevelopmentPlanItem.recommendation_id == journey["recommendation"]))
        assert item.programme_id == journey["teamwork"] and item.target_date == date(date.today().year, 12, 15)
        assert db.session.get(DevelopmentPlan, item.plan_id).employee_id == journey["staff"]
        assert db.session.get(Recommendation, journey["recommendation"]).status is RecommendationStatus.ACCEPTED

    page.get_by_role("link", name="Masuk rencana").click()
    expect(page.locator("main")).to_contain_text("Rating perilaku Kolaboratif Di Bawah Ekspektasi pada Oktober 2026")

    # the catalogue shows the programme with its session; its page says the pegawai is eligible
    page.goto(f"{live_server}/katalog/")
    page.get_by_label("Cari program").fill("kerja sama")
    expect(page.locator("#results")).not_to_contain_text("Pelatihan Kepemimpinan Pengawas")
    assert "q=kerja" in page.url  # the filtered view can be bookmarked
    assert_accessible(page, "catalogue")
    screenshot(page, "catalogue-list")
    page.get_by_role("link", name="Pelatihan Kerja Sama Tim").click()
    expect(page.locator("#eligibility-result")).to_contain_text("Anda memenuhi syarat program ini.")
    expect(page.locator("main")).to_contain_text("Aula BKPSDM")
    assert_accessible(page, "programme page")
    screenshot(page, "catalogue-programme")


def test_new_pengawas_sees_pkp_as_mandatory(page, app, live_server, journey, console_errors):
    with app.app_context():
        rec = db.session.scalar(sa.select(Recommendation).where(Recommendation.employee_id == journey["dewi"],
                                                                Recommendation.programme_id == journey["pkp"]))
        assert rec is not None and rec.is_mandatory
    sign_in(page, live_server, journey["dewi_login"])
    page.goto(f"{live_server}/rekomendasi/")
    card = page.locator(f"#rec-{rec.id}")
    expect(card).to_contain_text("Wajib")
    expect(card).to_contain_text("Pelatihan Kepemimpinan Pengawas")
    expect(card).to_contain_text("Kepala Subbagian Tata Usaha (Pengawas) mewajibkan")
    expect(card).to_contain_text("tidak dapat diabaikan")
    expect(card.get_by_text("Abaikan", exact=True)).to_have_count(0)
    # mandatory first
    expect(page.locator("article.recommendation-card").first).to_have_id(f"rec-{rec.id}")
    assert_accessible(page, "recommendations (mandatory)")
    screenshot(page, "recommendations-mandatory")

    page.get_by_role("link", name="Pelatihan Kepemimpinan Pengawas").click()
    expect(page.locator("#eligibility-result")).to_contain_text("Anda memenuhi syarat program ini.")
    expect(page.locator("main")).to_contain_text("Wajib")
    assert_accessible(page, "PKP programme page")
