"""The evaluation journey in a real browser: the penilai opens the pegawai's November evaluation,
picks ratings and sees the predikat follow the kuadran without a reload, saves and finalises;
the pegawai finds it in "Evaluasi saya", reads it and acknowledges it."""
from decimal import Decimal

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.evaluation.models import Evaluation, EvaluationStatus, Predicate
from portal.extensions import db
from portal.people.models import Employee
from portal.plans.models import Aspect, Evidence, EvidenceKind, PlanStatus, Realisation, RealisationStatus
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.plans.sample import make_period, make_plan


@pytest.fixture(scope="module")
def journey(app, live_data):
    """An approved 2026 SKP of the pegawai (penilai: the supervisor) with a November realisasi."""
    with app.app_context():
        staff = db.session.scalar(sa.select(Employee).where(Employee.nip == live_data.staff_nip))
        period = make_period(2026)
        plan = make_plan(staff, period, PlanStatus.APPROVED, results=[
            ("Surat dinas terproses tepat waktu", [
                (Aspect.QUANTITY, "Jumlah surat dinas diproses", 240),
                (Aspect.QUALITY, "Surat sesuai tata naskah dinas", "Seluruh surat sesuai tata naskah dinas")]),
            ("Arsip puskesmas tertata", [(Aspect.QUANTITY, "Jumlah berkas diarsipkan", 120)]),
        ])
        november = next(sp for sp in period.subperiods if sp.number == 11)
        letters = plan.results[0].indicators[0]
        realisation = Realisation(indicator=letters, subperiod=november, plan=plan, value=Decimal(19),
                                  narrative="19 surat dinas diproses.", status=RealisationStatus.VERIFIED)
        realisation.evidence.append(Evidence(kind=EvidenceKind.LINK, title="Daftar surat November",
                                             url="https://arsip.example.go.id/surat-november"))
        db.session.add(realisation)
        db.session.commit()
        return {"plan": plan.id, "letters": letters.id}


def _evaluation(app, plan_id):
    with app.app_context():
        return db.session.scalar(sa.select(Evaluation).where(Evaluation.plan_id == plan_id,
                                                             Evaluation.period_key == 11))


def test_rate_finalise_acknowledge_journey(page, app, live_server, live_data, journey, console_errors):
    page_url = f"{live_server}/evaluasi/skp/{journey['plan']}/11"

    # --- the penilai opens November: nothing started yet
    sign_in(page, live_server, live_data.logins["supervisor"])
    page.goto(page_url)
    expect(page.get_by_role("heading", name="Evaluasi kinerja November 2026")).to_be_visible()
    expect(page.get_by_role("link", name="Daftar surat November")).to_have_attribute("rel", "noopener noreferrer nofollow")
    assert_accessible(page, "evaluation page (not started)")

    # --- ratings: the predikat follows the kuadran at once, without a reload
    page.evaluate("window.__sameDocument = true")
    page.locator("#hasil_rating-1").check()       # Sesuai Ekspektasi
    page.locator("#perilaku_rating-1").check()    # Sesuai Ekspektasi
    word = page.locator("#predikat-word")
    expect(word).to_have_text("Baik")
    expect(page.locator(".kuadran td.is-current")).to_have_text("Baik (pilihan saat ini)")
    page.locator("#hasil_rating-2").check()       # Di Bawah Ekspektasi
    expect(word).to_have_text("Butuh Perbaikan")
    expect(page.locator(".kuadran td.is-current")).to_have_count(1)
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded"
    assert _evaluation(app, journey["plan"]) is None  # previews save nothing

    # --- notes and save (the first save starts the evaluation)
    page.locator(f"#iki_{journey['letters']}").fill("Capaian surat di bawah rencana; percepat disposisi.")
    page.get_by_label("Catatan Kolaboratif").fill("Aktif membantu loket pendaftaran.")
    page.get_by_label("Rating Kolaboratif").select_option("di_atas")
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Evaluasi disimpan.")).to_be_visible()
    expect(page.locator("#predikat-word")).to_have_text("Butuh Perbaikan")
    expect(page.locator(f"#iki_{journey['letters']}")).to_have_value(
        "Capaian surat di bawah rencana; percepat disposisi.")
    assert_accessible(page, "evaluation page (draft)")
    screenshot(page, "evaluation-draft")
    saved = _evaluation(app, journey["plan"])
    assert saved.status is EvaluationStatus.DRAFT and saved.predicate is Predicate.NEEDS_IMPROVEMENT

    # --- finalise through the confirmation
    page.get_by_text("Finalkan evaluasi…").click()
    page.get_by_role("button", name="Ya, finalkan sekarang").click()
    expect(page.get_by_text("Evaluasi difinalkan dengan predikat Butuh Perbaikan")).to_be_visible()
    expect(page.get_by_role("heading", name="Predikat: Butuh Perbaikan")).to_be_visible()
    expect(page.locator("#evaluation-form")).to_have_count(0)
    expect(page.get_by_role("heading", name="Kebutuhan pengembangan")).to_be_visible()
    assert _evaluation(app, journey["plan"]).status is EvaluationStatus.FINAL
    page.context.clear_cookies()

    # --- the pegawai finds it, reads it and acknowledges it
    sign_in(page, live_server, live_data.logins["pegawai"])
    page.goto(f"{live_server}/evaluasi/")
    expect(page.get_by_text("1 evaluasi final menunggu Anda terima")).to_be_visible()
    assert_accessible(page, "my evaluations")
    screenshot(page, "evaluation-list")
    page.get_by_role("link", name="Evaluasi November 2026").click()
    expect(page.get_by_role("heading", name="Predikat: Butuh Perbaikan")).to_be_visible()
    expect(page.get_by_text("Capaian surat di bawah rencana; percepat disposisi.")).to_be_visible()
    assert_accessible(page, "evaluation page (final, pegawai)")
    screenshot(page, "evaluation-final-pegawai")
    page.get_by_role("button", name="Saya sudah membaca evaluasi ini").click()
    expect(page.get_by_text("Terima kasih. Evaluasi ini tercatat sudah Anda terima.")).to_be_visible()
    expect(page.get_by_role("button", name="Saya sudah membaca evaluasi ini")).to_have_count(0)
    assert _evaluation(app, journey["plan"]).acknowledged_dt is not None
