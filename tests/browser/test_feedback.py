"""The public IKM journey in a real browser: a visitor scans the poster's QR code and answers the
survey on a phone, without an account; the unit's admin then sees the count and the index move,
and lists a new service for the form."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.evaluation.models import IkmResponse, UnitService
from portal.extensions import db
from portal.people.models import OrgUnit
from tests.browser.conftest import PHONE, assert_accessible, count, screenshot, sign_in


@pytest.fixture(scope="module")
def clinic(app, live_data):
    """Puskesmas Sukamaju with one service and one earlier response (all elements 2: IKM 50)."""
    with app.app_context():
        unit = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.name == "Puskesmas Sukamaju"))
        db.session.add(UnitService(org_unit=unit, name="Pemeriksaan umum"))
        db.session.add(IkmResponse(org_unit=unit, **{f"u{n}": 2 for n in range(1, 10)}))
        db.session.commit()
        return {"id": unit.id, "code": unit.public_code}


def test_anonymous_visitor_answers_on_a_phone_and_the_admin_sees_it(page, app, live_server, live_data, clinic,
                                                                     console_errors):
    form_url = f"{live_server}/feedback/{clinic['code']}"

    # --- a visitor at the service desk, on a phone, not signed in
    page.set_viewport_size(PHONE)
    page.goto(form_url)
    expect(page.get_by_role("heading", name="Bagaimana pelayanan kami hari ini?")).to_be_visible()
    expect(page.get_by_text("Puskesmas Sukamaju", exact=True)).to_be_visible()
    expect(page.locator("#website")).not_to_be_in_viewport()  # the honeypot stays out of sight
    assert_accessible(page, "public form")
    screenshot(page, "ikm-public-form")

    # sending nothing asks every question again
    page.get_by_role("button", name="Kirim penilaian").click()
    expect(page.locator("#ikm-errors")).to_be_visible()
    expect(page.get_by_text("Pilih salah satu jawaban.")).to_have_count(9)
    assert_accessible(page, "public form with errors")
    screenshot(page, "ikm-public-form-errors")

    page.get_by_label("Layanan yang Anda terima").select_option(label="Pemeriksaan umum")
    for n in range(1, 10):
        page.locator(f"label[for='u{n}-3']").click()  # the best answer, "Sangat …"
    expect(page.locator("#u1-3")).to_be_checked()
    page.get_by_label("Saran atau masukan").fill("Ruang tunggu bersih, petugas ramah.")
    page.get_by_role("button", name="Kirim penilaian").click()
    expect(page.get_by_role("heading", name="Terima kasih!")).to_be_visible()
    assert_accessible(page, "thank-you page")
    screenshot(page, "ikm-thanks")
    assert count(app, IkmResponse, IkmResponse.org_unit_id == clinic["id"]) == 2

    # --- the admin OPD of the Dinas reads the results: two responses, (2 + 4) / 2 × 25 = 75
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server, live_data.logins["admin_opd"])
    page.goto(f"{live_server}/ikm/")
    expect(page.get_by_role("heading", name="Indeks Kepuasan Masyarakat")).to_be_visible()
    row = page.locator("tr", has_text="Puskesmas Sukamaju")
    expect(row.locator("td").nth(1)).to_have_text("2")
    expect(row.locator("td").nth(2)).to_have_text("75,00")
    assert_accessible(page, "IKM list")
    screenshot(page, "ikm-list")

    row.get_by_role("link", name="Puskesmas Sukamaju").click()
    expect(page.locator("#ikm-count")).to_have_text("2")
    expect(page.locator("#ikm-index")).to_have_text("75,00")
    expect(page.locator("#ikm-grade")).to_have_text("C")
    expect(page.get_by_text("Ruang tunggu bersih, petugas ramah.")).to_be_visible()
    expect(page.locator("#public-url")).to_have_text(form_url)
    assert_accessible(page, "IKM unit page")

    # a new service, through the htmx panel
    page.get_by_label("Nama layanan").fill("Pemeriksaan gigi")
    page.locator("#layanan").get_by_role("button", name="Tambah").click()
    expect(page.locator("#layanan").get_by_text("Layanan Pemeriksaan gigi sudah ditambahkan.")).to_be_visible()
    page.get_by_label("Nama layanan").fill("pemeriksaan GIGI")
    page.locator("#layanan").get_by_role("button", name="Tambah").click()
    expect(page.locator("#service-new-name-error")).to_contain_text("sudah ada")
    assert_accessible(page, "IKM unit page with a service error")
    screenshot(page, "ikm-unit")
    assert count(app, UnitService, UnitService.org_unit_id == clinic["id"]) == 2

    # the poster downloads as a PDF
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh poster QR (PDF)").click()
    assert download.value.suggested_filename.startswith("poster-ikm-Puskesmas-Sukamaju")
