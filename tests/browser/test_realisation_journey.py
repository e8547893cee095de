"""The monthly realisasi journey in a real browser: the pegawai reports November with values,
narratives, a PDF and a link and submits; the penilai returns one with a reason and verifies the
others; the pegawai sees the reason."""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.extensions import db
from portal.people.models import Employee
from portal.plans.models import Aspect, PlanStatus, Realisation, RealisationStatus
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.plans.sample import make_period, make_plan

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture(scope="module")
def journey(app, live_data):
    """An approved 2026 SKP of the pegawai (appraiser: the supervisor) with three IKIs."""
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
        ids = {"plan": plan.id, "november": november.id,
               "iki": [i.id for r in plan.results for i in r.indicators]}
        db.session.commit()
    return ids


def _realisations(app, plan_id):
    with app.app_context():
        rows = db.session.scalars(sa.select(Realisation).where(Realisation.plan_id == plan_id)).all()
        return {r.indicator_id: (r.id, r.status, r.return_reason) for r in rows}


def test_report_return_verify_journey(page, app, live_server, live_data, journey, console_errors, tmp_path):
    pdf = tmp_path / "daftar-surat-november.pdf"
    pdf.write_bytes(PDF)
    letters, quality, archive = journey["iki"]
    month_url = f"{live_server}/realisasi/skp/{journey['plan']}/{journey['november']}"

    # --- the pegawai reports November
    sign_in(page, live_server, live_data.logins["pegawai"])
    page.goto(month_url)
    expect(page.get_by_role("heading", name="Realisasi November 2026")).to_be_visible()
    assert_accessible(page, "month form (empty)")
    page.locator(f"#value-{letters}").fill("21")
    page.locator(f"#narrative-{letters}").fill("21 surat dinas diproses dan dikirim tepat waktu.")
    page.locator(f"#file-{letters}").set_input_files(str(pdf))
    page.locator(f"#narrative-{quality}").fill("Semua surat sesuai tata naskah; dua diperbaiki sebelum dikirim.")
    page.locator(f"#value-{archive}").fill("9,5")
    page.locator(f"#link_url-{archive}").fill("https://arsip.example.go.id/november")
    page.locator(f"#link_title-{archive}").fill("Daftar arsip November")
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Realisasi November 2026 tersimpan sebagai draf.")).to_be_visible()
    expect(page.locator(f"#iki-{letters}").get_by_role("link", name="daftar-surat-november.pdf")).to_be_visible()
    expect(page.locator(f"#iki-{archive}").get_by_role("link", name="Daftar arsip November")).to_be_visible()
    expect(page.locator(f"#value-{archive}")).to_have_value("9,5")
    assert_accessible(page, "month form (draft)")
    screenshot(page, "realisation-month-draft")
    page.get_by_role("button", name="Simpan dan ajukan").click()
    expect(page.get_by_text("3 realisasi November 2026 sudah diajukan kepada pejabat penilai.")).to_be_visible()
    expect(page.locator(f"#value-{letters}")).to_have_count(0)  # read-only now
    statuses = _realisations(app, journey["plan"])
    assert {s for _id, s, _r in statuses.values()} == {RealisationStatus.SUBMITTED}
    page.context.clear_cookies()

    # --- the penilai returns one with a reason and verifies the others (htmx, in place)
    sign_in(page, live_server, live_data.logins["supervisor"])
    archive_id = statuses[archive][0]
    page.goto(f"{live_server}/realisasi/{archive_id}")
    expect(page.get_by_role("heading", name="Jumlah berkas diarsipkan")).to_be_visible()
    assert_accessible(page, "show page (appraiser)")
    page.get_by_role("button", name="Kembalikan").click()  # without a reason first
    expect(page.locator("#decision")).to_contain_text("Tuliskan alasan pengembalian")
    page.get_by_label("Alasan pengembalian").fill("Lampirkan foto rak arsip, bukan hanya daftar.")
    page.get_by_role("button", name="Kembalikan").click()
    expect(page.locator("#decision .badge")).to_have_text("Dikembalikan")
    expect(page.locator("#decision")).to_contain_text("Lampirkan foto rak arsip")
    page.get_by_label("Pesan umpan balik").fill("Daftar arsipnya sudah rapi, tinggal foto.")
    page.get_by_role("button", name="Kirim umpan balik").click()
    expect(page.locator("#feedback-thread")).to_contain_text("Daftar arsipnya sudah rapi")
    screenshot(page, "realisation-show-returned")
    for iki in (letters, quality):
        page.goto(f"{live_server}/realisasi/{statuses[iki][0]}")
        page.get_by_role("button", name="Verifikasi").click()
        expect(page.locator("#decision .badge")).to_have_text("Diverifikasi")
    assert_accessible(page, "show page (verified)")
    after = _realisations(app, journey["plan"])
    assert after[archive][1] is RealisationStatus.RETURNED
    assert after[letters][1] is after[quality][1] is RealisationStatus.VERIFIED
    page.context.clear_cookies()

    # --- the pegawai sees the returned one with its reason, editable again
    sign_in(page, live_server, live_data.logins["pegawai"])
    page.goto(month_url)
    returned = page.locator(f"#iki-{archive}")
    expect(returned).to_contain_text("Dikembalikan penilai")
    expect(returned).to_contain_text("Lampirkan foto rak arsip, bukan hanya daftar.")
    expect(page.locator(f"#value-{archive}")).to_be_visible()
    expect(page.locator(f"#iki-{letters}")).to_contain_text("Diverifikasi")
    assert_accessible(page, "month form (returned)")
    screenshot(page, "realisation-month-returned")
    page.goto(f"{live_server}/realisasi/skp/{journey['plan']}")
    expect(page.get_by_role("heading", name=re.compile("Realisasi dan capaian SKP 2026"))).to_be_visible()
    expect(page.locator("svg.capaian-chart")).to_be_visible()
    assert_accessible(page, "year overview")
    screenshot(page, "realisation-overview")
