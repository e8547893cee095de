"""The SKP journey in a real browser (issue 4's acceptance): the pegawai drafts and submits a
plan, the supervisor returns it with a reason, the pegawai fixes and resubmits, the supervisor
approves; then the pegawai reports the month with evidence and the supervisor returns one
realisasi and verifies the rest."""
from datetime import date

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.extensions import db
from portal.plans.models import PerformancePlan, Realisation, RealisationStatus, Subperiod
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.browser.test_realisation_journey import PDF


@pytest.fixture(scope="module")
def open_year(app, live_data):
    from tests.plans.sample import make_period
    with app.app_context():
        make_period(date.today().year)
        db.session.commit()
    return date.today().year


def _add_result(page, text, iki, target):
    page.get_by_role("link", name="Tambah RHK utama").click()
    page.get_by_role("textbox", name="Rencana hasil kerja (RHK)").fill(text)
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("RHK sudah ditambahkan")).to_be_visible()
    page.get_by_role("link", name="Tambah IKI").last.click()
    page.get_by_role("textbox", name="Indikator kinerja individu (IKI)").fill(iki)
    page.get_by_label("Target (angka)").fill(target)
    page.get_by_label("Satuan", exact=True).fill("dokumen")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("IKI sudah disimpan")).to_be_visible()


def test_plan_journey(page, app, live_server, live_data, open_year, console_errors, tmp_path):
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_server, live_data.logins["pegawai"])
    page.goto(f"{live_server}/skp/")
    assert_accessible(page, "plan list")
    page.get_by_role("link", name="Buat SKP").first.click()
    page.get_by_role("button", name="Buat draf SKP").click()
    expect(page.get_by_role("heading", name=f"SKP {open_year}")).to_be_visible()
    # a bad target is refused on the field, in place
    page.get_by_role("link", name="Tambah RHK utama").click()
    page.get_by_role("textbox", name="Rencana hasil kerja (RHK)").fill("Surat masuk terdistribusi")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_role("link", name="Tambah IKI").click()
    page.get_by_role("textbox", name="Indikator kinerja individu (IKI)").fill("Jumlah surat")
    page.get_by_label("Target (angka)").fill("0")
    page.get_by_label("Satuan", exact=True).fill("surat")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Target harus lebih besar dari nol.")).to_be_visible()
    page.get_by_label("Target (angka)").fill("1200")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("IKI sudah disimpan")).to_be_visible()
    _add_result(page, "Arsip dinas tertata", "Jumlah berkas diarsipkan", "300")
    assert_accessible(page, "plan draft")
    screenshot(page, "plan-draft")
    page.get_by_role("button", name="Ajukan ke penilai").click()
    expect(page.get_by_text("SKP sudah diajukan")).to_be_visible()
    plan_url = page.url

    supervisor = page.context.browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    boss = supervisor.new_page()
    boss.on("dialog", lambda dialog: dialog.accept())
    sign_in(boss, live_server, live_data.logins["supervisor"])
    boss.goto(plan_url)
    boss.get_by_role("link", name="Kembalikan").click()
    boss.get_by_label("Alasan pengembalian").fill("Tambahkan aspek waktu untuk surat masuk.")
    boss.get_by_role("button", name="Kembalikan SKP").click()
    expect(boss.get_by_text("SKP sudah dikembalikan")).to_be_visible()

    page.goto(plan_url)
    expect(page.locator(".return-reason")).to_have_text("Tambahkan aspek waktu untuk surat masuk.")
    page.get_by_role("link", name="Tambah IKI").first.click()
    page.get_by_label("Aspek", exact=True).select_option("waktu")
    page.get_by_role("textbox", name="Indikator kinerja individu (IKI)").fill("Surat didistribusikan paling lama")
    page.get_by_label("Target (angka)").fill("1")
    page.get_by_label("Satuan", exact=True).fill("hari")
    page.get_by_label("Arah", exact=True).select_option("turun")
    page.get_by_label("Realisasi bulanan").select_option("rata_rata")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("IKI sudah disimpan")).to_be_visible()
    page.get_by_role("button", name="Ajukan ke penilai").click()
    expect(page.get_by_text("SKP sudah diajukan")).to_be_visible()

    boss.goto(plan_url)
    boss.get_by_role("button", name="Setujui SKP").click()
    expect(boss.get_by_text("SKP sudah disetujui")).to_be_visible()
    supervisor.close()

    page.goto(plan_url)
    expect(page.locator(".plan-status")).to_have_text("Disetujui")
    expect(page.get_by_text("seperti saat SKP disetujui")).to_be_visible()
    expect(page.locator("#h-penilai + dl")).to_contain_text("Sri Wahyuni")
    assert_accessible(page, "approved plan")
    screenshot(page, "plan-approved")
    page.goto(f"{live_server}/skp/")
    expect(page.get_by_text("Disetujui")).to_be_visible()
    screenshot(page, "plan-list")

    # --- the pegawai reports the month with evidence, on the plan just approved
    report_and_review(page, app, live_server, live_data, plan_url, tmp_path)


def _ids(app, plan_url):
    plan_id = int(plan_url.split("?")[0].rstrip("/").rsplit("/", 1)[1])
    with app.app_context():
        plan = db.session.get(PerformancePlan, plan_id)
        month = db.session.scalar(sa.select(Subperiod).where(
            Subperiod.period_id == plan.period_id, Subperiod.number == date.today().month))
        indicators = [i.id for r in plan.results for i in r.indicators]
        return plan_id, month.id, indicators


def _statuses(app, plan_id):
    with app.app_context():
        rows = db.session.scalars(sa.select(Realisation).where(Realisation.plan_id == plan_id)).all()
        return {r.indicator_id: (r.id, r.status) for r in rows}


def report_and_review(page, app, live_server, live_data, plan_url, tmp_path):
    plan_id, month_id, (letters, timeliness, archive) = _ids(app, plan_url)
    pdf = tmp_path / "rekap-surat.pdf"
    pdf.write_bytes(PDF)
    month_url = f"{live_server}/realisasi/skp/{plan_id}/{month_id}"
    page.goto(month_url)
    page.locator(f"#value-{letters}").fill("104")
    page.locator(f"#narrative-{letters}").fill("104 surat masuk didistribusikan.")
    page.locator(f"#file-{letters}").set_input_files(str(pdf))
    page.locator(f"#value-{timeliness}").fill("1")
    page.locator(f"#narrative-{timeliness}").fill("Rata-rata satu hari kerja.")
    page.locator(f"#value-{archive}").fill("25")
    page.locator(f"#link_url-{archive}").fill("https://arsip.example.go.id/bulan-ini")
    page.locator(f"#link_title-{archive}").fill("Daftar arsip")
    page.get_by_role("button", name="Simpan dan ajukan").click()
    expect(page.get_by_text("sudah diajukan kepada pejabat penilai")).to_be_visible()
    screenshot(page, "journey-month-submitted")
    statuses = _statuses(app, plan_id)
    assert {s for _id, s in statuses.values()} == {RealisationStatus.SUBMITTED}

    # the supervisor returns one (reason required) and verifies the rest
    page.context.clear_cookies()
    sign_in(page, live_server, live_data.logins["supervisor"])
    page.goto(f"{live_server}/realisasi/{statuses[archive][0]}")
    page.get_by_label("Alasan pengembalian").fill("Lampirkan foto rak arsip.")
    page.get_by_role("button", name="Kembalikan").click()
    expect(page.locator("#decision .badge")).to_have_text("Dikembalikan")
    for iki in (letters, timeliness):
        page.goto(f"{live_server}/realisasi/{statuses[iki][0]}")
        page.get_by_role("button", name="Verifikasi").click()
        expect(page.locator("#decision .badge")).to_have_text("Diverifikasi")
    after = _statuses(app, plan_id)
    assert after[archive][1] is RealisationStatus.RETURNED
    assert after[letters][1] is after[timeliness][1] is RealisationStatus.VERIFIED

    # the pegawai sees the reason, and the SKP PDF downloads
    page.context.clear_cookies()
    sign_in(page, live_server, live_data.logins["pegawai"])
    page.goto(month_url)
    expect(page.locator(f"#iki-{archive}")).to_contain_text("Lampirkan foto rak arsip.")
    response = page.request.get(f"{live_server}/dokumen/skp/{plan_id}.pdf")
    assert response.status == 200 and response.body().startswith(b"%PDF")
