"""The audit trail in a browser: an edit shows on the profile's timeline and in the filtered log."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, screenshot, sign_in


def test_edit_shows_on_the_timeline_and_in_the_log(page, live_server, live_data, console_errors):
    sign_in(page, live_server, live_data.logins["bkpsdm"])
    page.goto(f"{live_server}/pegawai/?q={live_data.staff_nip}")
    page.locator("#results").get_by_role("link", name="Agus Prasetyo", exact=True).click()
    page.get_by_role("link", name="Ubah data").click()
    page.get_by_label("Golongan").select_option("III/c")
    page.get_by_label("Nomor telepon").fill("0812 3456 7890")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Data pegawai sudah disimpan.")).to_be_visible()

    timeline = page.locator("#audit-timeline")
    expect(timeline.get_by_role("heading", name="Jejak perubahan")).to_be_visible()
    latest = timeline.locator("li[data-entry]").first
    expect(latest).to_contain_text("Diubah")
    expect(latest).to_contain_text("Rina Marlina")
    expect(latest).to_contain_text(re.compile(r"Golongan: III/a\s*→\s*menjadi\s*III/c"))
    assert_accessible(page, "profile with timeline")
    timeline.scroll_into_view_if_needed()
    screenshot(page, "audit-timeline")

    # "Lihat semua" opens the log filtered to this employee
    timeline.get_by_role("link", name=re.compile("Lihat semua")).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Jejak audit", exact=True)).to_be_visible()
    assert "object_type=Employee" in page.url
    expect(page.locator("#audit-entries tbody tr")).to_have_count(2)  # created, then edited

    # The whole log, then live filters (htmx, the URL follows)
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Jejak audit").click()
    page.wait_for_load_state()  # htmx (a deferred script) is bound to the form
    expect(page.locator("#audit-entries")).to_be_visible()
    page.get_by_label("Tindakan").select_option(label="Diubah")
    expect(page.locator("#audit-entries tbody tr")).to_have_count(1)
    assert "action=update" in page.url
    page.get_by_label("Pelaku (NIP atau nama pengguna)").press_sequentially(live_data.logins["pimpinan"], delay=5)
    expect(page.locator("#results")).to_contain_text("Tidak ada entri yang cocok")
    page.get_by_label("Pelaku (NIP atau nama pengguna)").fill(live_data.logins["bkpsdm"])
    page.get_by_label("Pelaku (NIP atau nama pengguna)").dispatch_event("input")
    expect(page.locator("#audit-entries tbody tr")).to_have_count(1)
    row = page.locator("#audit-entries tbody tr").first
    expect(row).to_contain_text("Agus Prasetyo")
    expect(row).to_contain_text("Rina Marlina")
    assert_accessible(page, "filtered audit log")
    screenshot(page, "audit-log")

    # One entry in full
    row.get_by_role("link", name=re.compile("rincian entri")).click()
    expect(page.get_by_role("heading", name=re.compile(r"Entri jejak audit #\d+"))).to_be_visible()
    expect(page.locator("pre")).to_contain_text('"golongan"')
    assert_accessible(page, "audit entry")


def test_log_works_without_javascript(browser, live_server, live_data):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, live_data.logins["superadmin"])
    page.goto(f"{live_server}/audit/")
    page.get_by_label("Jenis objek").select_option(label="Akun")
    page.get_by_role("button", name="Saring").click()
    assert "object_type=User" in page.url
    rows = page.locator("#audit-entries tbody tr")
    expect(rows.first).to_be_visible()
    assert all("Akun" in t for t in rows.locator("td[data-label='Objek']").all_inner_texts())
    context.close()


def test_other_roles_do_not_see_the_log(page, live_server, live_data, console_errors):
    sign_in(page, live_server, live_data.logins["admin_opd"])
    expect(page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Jejak audit")).to_have_count(0)
