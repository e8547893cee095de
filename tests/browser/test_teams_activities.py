"""Daily log and work teams in a real browser.

The pegawai records two activities linked to an RHK; the supervisor opens the team log and
comments; the pegawai sees the comment. A structural official creates a team, adds a member and
a goal, and the team page shows the goal's progress from that member's realisasi.
"""
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.extensions import db
from portal.people.models import Employee
from portal.plans.models import Aspect, PlanStatus, Realisation, RealisationStatus, TeamGoal
from tests.browser.conftest import DESKTOP, assert_accessible, screenshot, sign_in
from tests.plans.sample import make_period, make_plan

YEAR = date.today().year


@pytest.fixture(scope="module")
def plans(app, live_data):
    """This year's period and the pegawai's approved SKP (appraiser: the supervisor)."""
    with app.app_context():
        staff = db.session.scalar(sa.select(Employee).where(Employee.nip == live_data.staff_nip))
        period = make_period(YEAR)
        make_plan(staff, period, PlanStatus.APPROVED, results=[
            ("Arsip puskesmas tertata", [(Aspect.QUANTITY, "Jumlah berkas diarsipkan", 120)]),
            ("Surat dinas terproses", [(Aspect.QUANTITY, "Jumlah surat", 240)])])
        db.session.commit()
        return {"period": period.id}


def _new_page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    return context, context.new_page()


def test_daily_log_with_supervisor_comment(page, browser, live_server, live_data, plans, console_errors):
    sign_in(page, live_server, live_data.logins["pegawai"])
    page.goto(f"{live_server}/laporan-harian/")
    expect(page.get_by_role("heading", name="Catat kegiatan")).to_be_visible()
    assert_accessible(page, "daily log (empty)")
    for rhk, text, output in (("Arsip puskesmas tertata", "Menata arsip rekam medis ruang tunggu", "40 berkas"),
                              ("Surat dinas terproses", "Mengagendakan surat masuk dari Dinas", "12 surat")):
        page.get_by_label("RHK", exact=True).select_option(label=rhk)
        page.get_by_label("Uraian kegiatan").fill(text)
        page.get_by_label("Keluaran (opsional)").fill(output)
        page.get_by_role("button", name="Simpan kegiatan").click()
        expect(page.get_by_role("status")).to_contain_text("Kegiatan sudah dicatat.")
        expect(page.locator("#entries")).to_contain_text(text)
    expect(page.locator("#entries .activity-entry")).to_have_count(2)
    assert page.url.endswith("/laporan-harian/")  # no reload: htmx swapped the list in
    # the form came back empty for the next entry
    expect(page.get_by_label("Uraian kegiatan")).to_have_value("")
    # a date in the future is refused with a message
    page.get_by_label("Tanggal").fill(f"{YEAR + 1}-01-02")
    page.get_by_label("Uraian kegiatan").fill("Rencana besok")
    page.get_by_role("button", name="Simpan kegiatan").click()
    expect(page.get_by_text("Tanggal kegiatan tidak boleh di masa depan.")).to_be_visible()
    assert_accessible(page, "daily log (error)")
    page.goto(f"{live_server}/laporan-harian/")
    assert_accessible(page, "daily log (two entries)")
    screenshot(page, "activity-log")

    context, boss = _new_page(browser)
    sign_in(boss, live_server, live_data.logins["supervisor"])
    boss.goto(f"{live_server}/laporan-harian/tim")
    expect(boss.get_by_role("heading", name="Laporan harian bawahan")).to_be_visible()
    entry = boss.locator(".activity-entry", has_text="Menata arsip rekam medis")
    expect(entry).to_contain_text("Agus Prasetyo")
    entry.get_by_label("Komentar untuk kegiatan ini").fill("Bagus, lanjutkan dengan arsip rawat inap.")
    entry.get_by_role("button", name="Kirim").click()
    expect(entry.locator("ul[aria-label='Komentar']")).to_contain_text("Bagus, lanjutkan dengan arsip rawat inap.")
    assert_accessible(boss, "team log")
    screenshot(boss, "activity-team-log")
    context.close()

    page.reload()
    mine = page.locator(".activity-entry", has_text="Menata arsip rekam medis")
    expect(mine).to_contain_text("Bagus, lanjutkan dengan arsip rawat inap.")
    mine.get_by_label("Balas").fill("Siap, minggu depan.")
    mine.get_by_role("button", name="Kirim").click()
    expect(mine).to_contain_text("Siap, minggu depan.")
    assert_accessible(page, "daily log with comments")
    screenshot(page, "activity-log-comments")


def _member_contributes(app, live_data, plans, goal_name):
    """Dewi Lestari's approved SKP, whose RHK intervenes the goal, with realisasi 30 (verified)
    and 20 (submitted) berkas."""
    with app.app_context():
        from portal.plans.models import PerformancePeriod
        dewi = db.session.scalar(sa.select(Employee).where(Employee.name == "Dewi Lestari"))
        goal = db.session.scalar(sa.select(TeamGoal).where(TeamGoal.text == goal_name))
        period = db.session.get(PerformancePeriod, plans["period"])
        plan = make_plan(dewi, period, PlanStatus.APPROVED, results=[
            ("Rekam medis terdigitalisasi", [(Aspect.QUANTITY, "Jumlah berkas dipindai", 60)])])
        result = plan.results[0]
        result.team_goal_id = goal.id
        indicator = result.indicators[0]
        indicator.target_unit = "berkas"
        for number, value, status in ((1, 30, RealisationStatus.VERIFIED), (2, 20, RealisationStatus.SUBMITTED)):
            subperiod = next(sp for sp in period.subperiods if sp.number == number)
            db.session.add(Realisation(indicator=indicator, subperiod=subperiod, plan=plan,
                                       value=Decimal(value), status=status))
        db.session.commit()


def test_leader_builds_a_team_and_sees_progress(page, app, live_server, live_data, plans, console_errors):
    sign_in(page, live_server, live_data.logins["supervisor"])
    page.goto(f"{live_server}/tim/")
    assert_accessible(page, "teams (empty)")
    page.get_by_role("link", name="Buat tim").click()
    expect(page.get_by_role("heading", name="Buat tim kerja")).to_be_visible()
    page.get_by_label("Nama tim").fill("Tim Digitalisasi Rekam Medis")
    page.get_by_label("Uraian / tujuan tim").fill("Memindai seluruh rekam medis puskesmas.")
    assert_accessible(page, "new team form")
    screenshot(page, "team-new")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name="Tim Digitalisasi Rekam Medis")).to_be_visible()

    page.get_by_label("NIP atau nama pegawai").fill("Dewi")
    page.get_by_label("Peran dalam tim (opsional)").fill("Petugas pemindai")
    page.get_by_role("button", name="Tambah", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Dewi Lestari sudah ditambahkan ke tim.")
    expect(page.locator("#members")).to_contain_text("Petugas pemindai")

    page.get_by_role("link", name="Tambah sasaran").click()
    page.get_by_label("Sasaran (RHK tim)").fill("Rekam medis puskesmas terdigitalisasi")
    page.get_by_label("Indikator").fill("Jumlah berkas rekam medis dipindai")
    page.get_by_label("Target").fill("100")
    page.get_by_label("Satuan").fill("berkas")
    assert_accessible(page, "goal form")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Sasaran tim sudah ditambahkan.")).to_be_visible()
    expect(page.get_by_text("Belum ada RHK anggota")).to_be_visible()

    _member_contributes(app, live_data, plans, "Rekam medis puskesmas terdigitalisasi")
    page.reload()
    goal = page.locator("article", has_text="Rekam medis puskesmas terdigitalisasi")
    expect(goal).to_contain_text("50 / 100 berkas (50 %)")
    expect(goal.locator("progress").first).to_have_attribute("value", "50.00")
    expect(goal).to_contain_text("30 berkas (30 %)")  # verified only
    expect(goal.get_by_role("link", name="Rekam medis terdigitalisasi")).to_be_visible()
    assert_accessible(page, "team page with progress")
    screenshot(page, "team-show")
    page.goto(f"{live_server}/tim/")
    expect(page.get_by_role("link", name="Tim Digitalisasi Rekam Medis")).to_be_visible()
    assert_accessible(page, "teams list")
    screenshot(page, "team-list")
