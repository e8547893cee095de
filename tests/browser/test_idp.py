"""The individual development plan in a real browser (issue 6, item 5): the pegawai adds a mentoring
activity to an empty plan and submits it; the supervisor approves it from the inbox; the pegawai
sees it approved."""
from datetime import date

from playwright.sync_api import expect

from portal.catalogue.models import DevelopmentPlan, IdpStatus
from tests.browser.conftest import assert_accessible, count, screenshot, sign_in

YEAR = date.today().year


def test_plan_submitted_and_approved_in_the_browser(page, app, live_server, live_data, console_errors):
    # --- the pegawai starts from an empty plan and adds a mentoring activity
    sign_in(page, live_server, live_data.logins["pegawai"])
    page.goto(f"{live_server}/rencana-pengembangan/")
    expect(page.get_by_text(f"Belum ada rencana pengembangan untuk {YEAR}")).to_be_visible()
    assert_accessible(page, "IDP empty")
    page.locator("#idp-plan").get_by_role("link", name="Tambah kegiatan").click()
    expect(page.get_by_role("heading", name=f"Tambah kegiatan ke rencana {YEAR}")).to_be_visible()
    page.get_by_role("button", name="Simpan").click()  # nothing chosen yet
    expect(page.get_by_text("Pilih bentuk kegiatan.").first).to_be_visible()
    assert_accessible(page, "IDP activity form with errors")
    page.get_by_label("Bentuk kegiatan").select_option("mentoring")
    page.get_by_label("Nama kegiatan").fill("Mentoring pengelolaan arsip dengan Kepala Puskesmas")
    page.get_by_label("Tanggal target").fill(f"{YEAR}-12-20")
    page.get_by_label("JP direncanakan").fill("8")
    screenshot(page, "idp-activity-form")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("ditambahkan ke rencana pengembangan")).to_be_visible()
    expect(page.get_by_role("cell", name="Mentoring pengelolaan arsip dengan Kepala Puskesmas", exact=True)).to_be_visible()
    expect(page.locator("#idp-progress")).to_contain_text("0 dari 1 kegiatan selesai")
    assert_accessible(page, "IDP draft")
    screenshot(page, "idp-draft")

    # --- and submits it to the supervisor
    page.get_by_role("button", name="Ajukan kepada atasan").click()
    expect(page.get_by_text("diajukan kepada Sri Wahyuni")).to_be_visible()
    expect(page.locator("#idp-status")).to_have_text("Menunggu persetujuan")
    page.context.clear_cookies()

    # --- the supervisor approves from the inbox
    sign_in(page, live_server, live_data.logins["supervisor"])
    page.goto(f"{live_server}/rencana-pengembangan/persetujuan")
    assert_accessible(page, "IDP inbox")
    screenshot(page, "idp-inbox")
    page.get_by_role("link", name="Agus Prasetyo").click()
    expect(page.get_by_role("heading", name=f"Rencana pengembangan {YEAR}")).to_be_visible()
    expect(page.get_by_text("Mentoring pengelolaan arsip")).to_be_visible()
    assert_accessible(page, "IDP decision")
    screenshot(page, "idp-decide")
    page.get_by_role("button", name="Kembalikan").click()  # a return needs a reason
    expect(page.get_by_text("Tuliskan alasan pengembalian").first).to_be_visible()
    page.get_by_role("button", name="Setujui rencana").click()
    expect(page.get_by_text("Rencana pengembangan Agus Prasetyo disetujui.")).to_be_visible()
    expect(page.get_by_text("Tidak ada rencana yang menunggu persetujuan Anda")).to_be_visible()
    page.context.clear_cookies()

    # --- the pegawai sees it approved
    sign_in(page, live_server, live_data.logins["pegawai"])
    page.goto(f"{live_server}/rencana-pengembangan/")
    expect(page.locator("#idp-status")).to_have_text("Disetujui")
    expect(page.get_by_text("Disetujui", exact=False).first).to_be_visible()
    screenshot(page, "idp-approved")
    assert count(app, DevelopmentPlan, DevelopmentPlan.status == IdpStatus.APPROVED,
                 DevelopmentPlan.year == YEAR) == 1
