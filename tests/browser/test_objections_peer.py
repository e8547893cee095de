"""Keberatan and masukan rekan in a real browser (issue 5, items 5 and 7): the pegawai objects to
a final predikat, the atasan pejabat penilai changes it through new ratings (the kuadran previewed
with htmx), and the evaluation shows the changed predikat; the penilai asks a colleague for input,
the colleague answers, and the penilai reads it anonymised."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.evaluation.models import EvaluationStatus, Objection, PeerInput, PeerInputStatus, Predicate, Rating
from portal.extensions import db
from portal.people.models import Employee
from portal.plans.models import Aspect, PlanStatus
from tests.browser.conftest import assert_accessible, count, screenshot, sign_in
from tests.evaluation.sample import make_evaluation
from tests.factories import Factory
from tests.plans.sample import make_period, make_plan


@pytest.fixture(scope="module")
def journey(app, live_data):
    """The pegawai's approved 2026 SKP (penilai: the kepala puskesmas, whose own supervisor is the
    kepala dinas, the "admin_opd" account); a final October evaluation (Baik) open to objection and
    a draft November one; an account for a colleague, Dewi Lestari."""
    with app.app_context():
        staff = db.session.scalar(sa.select(Employee).where(Employee.nip == live_data.staff_nip))
        plan = make_plan(staff, make_period(2026), PlanStatus.APPROVED, results=[
            ("Layanan administrasi puskesmas tertib", [(Aspect.QUANTITY, "Jumlah surat diproses", 240)])])
        october = make_evaluation(plan, 10, status=EvaluationStatus.FINAL, hasil=Rating.MEETS,
                                  perilaku=Rating.MEETS, predicate=Predicate.GOOD,
                                  deadline=date.today() + timedelta(days=14))
        november = make_evaluation(plan, 11, hasil=Rating.MEETS)
        dewi = db.session.scalar(sa.select(Employee).where(Employee.name == "Dewi Lestari"))
        colleague = Factory().user(dewi)
        ids = {"plan": plan.id, "october": october.id, "november": november.id, "dewi": dewi.id,
               "colleague": colleague.login_name}
        db.session.commit()
    return ids


def test_objection_raised_and_decided_in_the_browser(page, app, live_server, live_data, journey, console_errors):
    october_url = f"{live_server}/evaluasi/skp/{journey['plan']}/10"

    # --- the pegawai files a keberatan from the evaluation page
    sign_in(page, live_server, live_data.logins["pegawai"])
    page.goto(october_url)
    page.get_by_role("link", name="Ajukan keberatan").click()
    expect(page.get_by_role("heading", name="Ajukan keberatan atas predikat Oktober 2026")).to_be_visible()
    expect(page.get_by_text("Batas pengajuan keberatan:")).to_be_visible()
    assert_accessible(page, "objection form")
    screenshot(page, "objection-new")
    page.get_by_role("button", name="Ajukan keberatan").click()  # no reason first
    expect(page.get_by_text("Tuliskan alasan keberatan.").first).to_be_visible()
    page.get_by_label("Alasan keberatan").fill(
        "Realisasi Oktober sudah 28 surat dari target 20, dengan bukti dukung lengkap; mohon ditinjau kembali.")
    page.get_by_role("button", name="Ajukan keberatan").click()
    expect(page.get_by_text("Keberatan Anda sudah diajukan.")).to_be_visible()
    expect(page.locator("#decision-pending")).to_contain_text("Budi Santoso")  # the penilai's own supervisor
    assert_accessible(page, "objection page (pegawai, filed)")
    page.context.clear_cookies()

    # --- the atasan pejabat penilai finds it on the list and changes the predikat
    sign_in(page, live_server, live_data.logins["admin_opd"])
    page.goto(f"{live_server}/keberatan/")
    expect(page.get_by_role("link", name="Perlu diputuskan")).to_have_attribute("aria-current", "page")
    assert_accessible(page, "objection list")
    screenshot(page, "objection-list")
    page.get_by_role("link", name="Agus Prasetyo").click()
    expect(page.get_by_text("Realisasi Oktober sudah 28 surat")).to_be_visible()
    assert_accessible(page, "objection page (decider)")
    screenshot(page, "objection-decide")
    page.get_by_label("Ubah predikat").check()
    page.locator("#decision").get_by_role("group", name="Rating hasil kerja").get_by_label("Di Atas Ekspektasi").check()
    expect(page.locator("#predikat-preview")).to_contain_text("Baik")
    page.locator("#decision").get_by_role("group", name="Rating perilaku kerja").get_by_label(
        "Di Atas Ekspektasi").check()
    expect(page.locator("#predikat-preview")).to_contain_text("Sangat Baik")  # htmx, from the kuadran
    page.get_by_role("button", name="Simpan keputusan").click()  # no reason yet
    expect(page.get_by_text("Tuliskan alasan keputusan.").first).to_be_visible()
    page.get_by_label("Ubah predikat").check()
    page.get_by_label("Alasan keputusan").fill("Bukti dukung Oktober menunjukkan realisasi melampaui target.")
    page.get_by_role("button", name="Simpan keputusan").click()
    expect(page.get_by_text("Keberatan diputuskan: predikat diubah menjadi Sangat Baik.")).to_be_visible()
    expect(page.locator("#decision-result")).to_contain_text("Predikat diubah")
    expect(page.locator("#audit-timeline")).to_contain_text("Predikat diubah atas keberatan")
    assert_accessible(page, "objection page (decided)")
    screenshot(page, "objection-decided")
    with app.app_context():
        objection = db.session.scalar(sa.select(Objection).where(Objection.evaluation_id == journey["october"]))
        assert objection.new_predicate is Predicate.VERY_GOOD
        assert objection.evaluation.predicate is Predicate.VERY_GOOD
    page.context.clear_cookies()

    # --- the pegawai reads the changed predikat on the evaluation
    sign_in(page, live_server, live_data.logins["pegawai"])
    page.goto(october_url)
    expect(page.locator("main")).to_contain_text("Sangat Baik")
    expect(page.locator("main")).to_contain_text("Predikat diubah")
    page.get_by_role("link", name="Lihat keberatan").click()
    expect(page.locator("#decision-result")).to_contain_text("Bukti dukung Oktober menunjukkan")
    assert_accessible(page, "objection page (pegawai, decided)")


def test_peer_input_requested_and_answered_in_the_browser(page, app, live_server, live_data, journey,
                                                          console_errors):
    november_url = f"{live_server}/evaluasi/skp/{journey['plan']}/11"

    # --- the penilai asks a colleague from the panel on the evaluation page
    sign_in(page, live_server, live_data.logins["supervisor"])
    page.goto(november_url)
    panel = page.locator("#masukan-rekan")
    expect(panel).to_contain_text("Belum ada permintaan masukan.")
    panel.get_by_label("Minta masukan dari rekan kerja").select_option(str(journey["dewi"]))
    panel.get_by_role("button", name="Kirim permintaan masukan").click()
    expect(page.get_by_text("Permintaan masukan terkirim kepada Dewi Lestari.")).to_be_visible()
    expect(page.locator("#peer-pending")).to_contain_text("Dewi Lestari")
    page.context.clear_cookies()

    # --- the colleague answers the seven values
    sign_in(page, live_server, journey["colleague"])
    page.goto(f"{live_server}/masukan-rekan/")
    assert_accessible(page, "peer request list")
    screenshot(page, "peer-list")
    page.get_by_role("link", name="Agus Prasetyo").click()
    expect(page.get_by_role("heading", name="Masukan untuk Agus Prasetyo")).to_be_visible()
    assert_accessible(page, "peer answer form")
    screenshot(page, "peer-answer")
    values = ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif"]
    for value in values[:-1]:
        page.locator(f"#nilai-{value}").get_by_label("Sesuai Ekspektasi").check()
    page.get_by_role("button", name="Kirim masukan").click()  # one value left out
    expect(page.locator("#nilai-kolaboratif")).to_contain_text("Pilih rating untuk nilai ini.")
    page.locator("#nilai-kolaboratif").get_by_label("Di Atas Ekspektasi").check()
    page.locator("#nilai-kolaboratif").get_by_label("Catatan singkat (opsional)").fill(
        "Selalu membagikan data kunjungan kepada tim.")
    page.get_by_role("button", name="Kirim masukan").click()
    expect(page.get_by_text("Terima kasih. Masukan Anda untuk Agus Prasetyo sudah terkirim")).to_be_visible()
    with app.app_context():
        given = db.session.scalar(sa.select(PeerInput).where(PeerInput.evaluation_id == journey["november"]))
        assert given.status is PeerInputStatus.GIVEN and given.answers["kolaboratif"]["rating"] == "di_atas"
    page.context.clear_cookies()

    # --- the penilai reads it anonymised; the pegawai sees no panel at all
    sign_in(page, live_server, live_data.logins["supervisor"])
    page.goto(november_url)
    answers = page.locator("#peer-answers")
    expect(answers).to_contain_text("Rekan 1")
    answers.get_by_text("Rekan 1").click()
    expect(answers).to_contain_text("Selalu membagikan data kunjungan kepada tim.")
    expect(answers).not_to_contain_text("Dewi Lestari")
    expect(page.locator("#peer-summary")).to_be_visible()
    page.locator("#masukan-rekan").scroll_into_view_if_needed()
    assert_accessible(page, "evaluation page with peer panel")
    screenshot(page, "peer-panel")
    page.context.clear_cookies()
    sign_in(page, live_server, live_data.logins["pegawai"])
    page.goto(november_url)
    expect(page.locator("#masukan-rekan")).to_have_count(0)
    assert count(app, PeerInput, PeerInput.evaluation_id == journey["november"]) == 1
