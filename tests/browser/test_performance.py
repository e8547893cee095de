"""The supervisor's inbox and the pegawai's performance home in a real browser: the penilai
returns one realisasi inline with a reason (after being told a reason is needed), verifies
another and approves a plan, all without leaving the page; the pegawai's home shows the plan,
this month's status and the capaian chart."""
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.extensions import db
from portal.people.models import Employee
from portal.plans.models import Aspect, Feedback, PerformancePlan, PlanStatus, Realisation, RealisationStatus
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.factories import Factory
from tests.plans.sample import make_period, make_plan


def _employee(name):
    return db.session.scalar(sa.select(Employee).where(Employee.name == name))


@pytest.fixture(scope="module")
def inbox_data(app, live_data):
    """This year's period; Agus (the pegawai) with an approved SKP, earlier months verified and
    this month's realisasi submitted; Dewi with a submitted SKP; Rahmat with an approved SKP and
    nothing submitted this month."""
    today = date.today()
    with app.app_context():
        period = make_period(today.year)
        month = next(sp for sp in period.subperiods if sp.start_date <= today <= sp.end_date)
        agus, dewi, rahmat = _employee("Agus Prasetyo"), _employee("Dewi Lestari"), _employee("Rahmat Hidayat")
        plan = make_plan(agus, period, PlanStatus.APPROVED, results=[
            ("Surat dinas terproses tepat waktu", [(Aspect.QUANTITY, "Jumlah surat dinas diproses", 240)]),
            ("Arsip puskesmas tertata", [(Aspect.QUANTITY, "Jumlah berkas diarsipkan", 120)]),
        ])
        letters, archive = [r.indicators[0] for r in plan.results]
        for sp in period.subperiods:
            if sp.number < month.number:
                db.session.add_all([
                    Realisation(indicator=letters, subperiod=sp, plan=plan, value=Decimal(22),
                                status=RealisationStatus.VERIFIED),
                    Realisation(indicator=archive, subperiod=sp, plan=plan, value=Decimal(8),
                                status=RealisationStatus.VERIFIED)])
        current = [Realisation(indicator=letters, subperiod=month, plan=plan, value=Decimal(20),
                               narrative="20 surat dinas diproses.", status=RealisationStatus.SUBMITTED),
                   Realisation(indicator=archive, subperiod=month, plan=plan, value=Decimal(9),
                               narrative="9 berkas diarsipkan.", status=RealisationStatus.SUBMITTED)]
        db.session.add_all(current)
        db.session.flush()
        supervisor = agus.supervisor.user
        db.session.add(Feedback(realisation=current[0], author=supervisor, body="Pertahankan ketepatan waktunya."))
        waiting = make_plan(dewi, period, PlanStatus.SUBMITTED, results=[
            ("Data kunjungan pasien tersaji", [(Aspect.QUANTITY, "Jumlah rekap kunjungan", 12)])])
        quiet = make_plan(rahmat, period, PlanStatus.APPROVED, results=[
            ("Obat tercatat", [(Aspect.QUANTITY, "Jumlah laporan stok obat", 12)])])
        Factory().user(rahmat)
        ids = {"plan": plan.id, "waiting": waiting.id, "quiet": quiet.id, "month": month.label,
               "letters": current[0].id, "archive": current[1].id}
        db.session.commit()
    return ids


def test_supervisor_decides_inline_and_pegawai_sees_the_home(
        page, app, live_server, live_data, inbox_data, console_errors):
    letters, archive, waiting = inbox_data["letters"], inbox_data["archive"], inbox_data["waiting"]
    sign_in(page, live_server, live_data.logins["supervisor"])
    page.goto(f"{live_server}/kinerja/persetujuan")
    expect(page.get_by_role("heading", name="Persetujuan", level=1)).to_be_visible()
    expect(page.locator(f"#skp-{waiting}")).to_contain_text("Dewi Lestari")
    expect(page.locator(f"#realisasi-{letters}")).to_contain_text("Jumlah surat dinas diproses")
    expect(page.locator(f"#pengingat-{inbox_data['quiet']}")).to_contain_text("Rahmat Hidayat")
    assert_accessible(page, "inbox")
    # Screenshots resize the page, after which htmx's swap trips the CSP in headless Chromium:
    # take this one in a second tab.
    shot = page.context.new_page()
    shot.goto(page.url)
    screenshot(shot, "performance-inbox")
    shot.close()

    # Return the letters realisasi: first without a reason (told why), then with one.
    row = page.locator(f"#realisasi-{letters}")
    row.locator("summary", has_text="Kembalikan").click()
    row.get_by_role("button", name="Kembalikan", exact=True).click()
    row = page.locator(f"#realisasi-{letters}")
    expect(row.get_by_text("Tuliskan alasan pengembalian")).to_be_visible()
    assert_accessible(page, "inbox, reason missing")
    row.get_by_label("Alasan pengembalian").fill("Lampirkan daftar surat yang dikirim.")
    row.get_by_role("button", name="Kembalikan", exact=True).click()
    expect(page.locator(f"#realisasi-{letters}")).to_contain_text("dikembalikan kepada Agus Prasetyo")
    expect(page.locator(f"#realisasi-{letters} form")).to_have_count(0)

    # Verify the archive realisasi, approve Dewi's plan, remind Rahmat.
    page.locator(f"#realisasi-{archive}").get_by_role("button", name="Verifikasi").click()
    expect(page.locator(f"#realisasi-{archive}")).to_contain_text("diverifikasi")
    page.locator(f"#skp-{waiting}").get_by_role("button", name="Setujui").click()
    expect(page.locator(f"#skp-{waiting}")).to_contain_text("disetujui dan ditetapkan")
    page.locator(f"#pengingat-{inbox_data['quiet']}").get_by_role("button", name="Kirim pengingat").click()
    expect(page.locator(f"#pengingat-{inbox_data['quiet']}")).to_contain_text("Pengingat realisasi")
    assert_accessible(page, "inbox after decisions")
    screenshot(page, "performance-inbox-decided")

    with app.app_context():
        statuses = dict(db.session.execute(sa.select(Realisation.id, Realisation.status).where(
            Realisation.id.in_([letters, archive]))).all())
        reason = db.session.get(Realisation, letters).return_reason
        plan_status = db.session.get(PerformancePlan, waiting).status
    assert statuses == {letters: RealisationStatus.RETURNED, archive: RealisationStatus.VERIFIED}
    assert reason == "Lampirkan daftar surat yang dikirim."
    assert plan_status is PlanStatus.APPROVED

    # The pegawai's home: the plan, this month (one returned), the chart and the feedback.
    page.context.clear_cookies()
    sign_in(page, live_server, live_data.logins["pegawai"])
    # from the home page's card
    page.locator("main").get_by_role("link", name="Kinerja saya").click()
    expect(page.get_by_role("heading", name="Kinerja saya", level=1)).to_be_visible()
    year = date.today().year
    skp = page.get_by_role("region", name=f"SKP {year}")
    expect(skp).to_contain_text("Disetujui")
    expect(skp.get_by_role("link", name="Unduh PDF")).to_have_attribute("href", f"/dokumen/skp/{inbox_data['plan']}.pdf")
    month = page.get_by_role("region", name=f"Realisasi {inbox_data['month']}")
    expect(month).to_contain_text("1 realisasi dikembalikan penilai")
    chart = page.get_by_role("img", name="Capaian IKI (persen dari target; garis tebal = 100 %)")
    expect(chart).to_be_visible()
    expect(page.get_by_role("region", name="Capaian per IKI")).to_contain_text("Jumlah berkas diarsipkan")
    expect(page.get_by_role("region", name="Umpan balik terbaru")).to_contain_text("Pertahankan ketepatan waktunya.")
    assert_accessible(page, "performance home")
    screenshot(page, "performance-home")
