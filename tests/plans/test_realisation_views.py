"""Realisasi pages: the month form, the year, one realisasi with its decision and umpan balik."""
from datetime import date

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.notifications.models import Notification
from portal.plans import realisation_services as services
from portal.plans.models import ActivityEntry, Feedback, PeriodStatus, Realisation, RealisationStatus
from tests.conftest import count_statements
from tests.plans.sample import make_plan, sample_plan

HX = {"HX-Request": "true"}


@pytest.fixture
def s(world):
    return sample_plan(world)


@pytest.fixture
def october(s):
    return next(sp for sp in s.period.subperiods if sp.number == 10)


def _url(s, sp):
    return f"/realisasi/skp/{s.plan.id}/{sp.id}"


def _ids(s):
    numeric, descriptive = s.plan.results[0].indicators
    return numeric.id, descriptive.id, s.plan.results[1].indicators[0].id


def _month(s, sp):
    db.session.expire_all()
    return {r.indicator_id: r for r in db.session.scalars(sa.select(Realisation).where(
        Realisation.plan_id == s.plan.id, Realisation.subperiod_id == sp.id))}


def test_month_page_shows_targets_units_and_statuses(s, login_as):
    page = login_as("pegawai").get(_url(s, s.november)).get_data(as_text=True)
    assert "Realisasi November 2026" in page and "Target setahun" in page and "12 dokumen" in page
    assert "Diajukan" in page  # the sample's submitted realisasi is read-only
    assert 'name="value-%d"' % s.indicator.id not in page
    numeric, descriptive, other = _ids(s)
    assert f'name="narrative-{descriptive}"' in page and f'name="value-{other}"' in page
    assert 'enctype="multipart/form-data"' in page


def test_save_then_submit_a_month(s, october, login_as, world):
    client = login_as("pegawai")
    numeric, descriptive, other = _ids(s)
    response = client.post(_url(s, october), data={
        f"value-{numeric}": "3", f"narrative-{numeric}": "Tiga dataset", f"lock-{numeric}": "",
        f"value-{descriptive}": "", f"narrative-{descriptive}": "Sesuai standar", f"lock-{descriptive}": "",
        f"value-{other}": "1,5", f"narrative-{other}": "", f"lock-{other}": "", "save": "1"})
    assert response.status_code == 302
    month = _month(s, october)
    assert {r.status for r in month.values()} == {RealisationStatus.DRAFT}
    assert str(month[other].value) in ("1.50", "1.5")
    page = client.get(_url(s, october)).get_data(as_text=True)
    assert "Realisasi Oktober 2026 tersimpan sebagai draf." in page
    locks = {iid: month[iid].lock_version for iid in month}
    response = client.post(_url(s, october), data={
        **{f"value-{i}": v for i, v in ((numeric, "3"), (other, "2"))}, f"value-{descriptive}": "",
        **{f"narrative-{i}": month[i].narrative for i in month}, **{f"lock-{i}": locks[i] for i in locks},
        "submit": "1"})
    assert response.status_code == 302
    assert {r.status for r in _month(s, october).values()} == {RealisationStatus.SUBMITTED}
    notes = db.session.scalars(sa.select(Notification).where(
        Notification.user_id == world.users["supervisor"].id, Notification.kind == "realisations.submitted")).all()
    assert len(notes) == 1


@pytest.mark.parametrize("value, message", [("dua", "harus berupa angka"), ("-4", "tidak boleh negatif")])
def test_bad_values_come_back_with_messages(s, october, login_as, value, message):
    numeric, _d, _o = _ids(s)
    response = login_as("pegawai").post(_url(s, october), data={
        f"value-{numeric}": value, f"narrative-{numeric}": "catatan saya", f"lock-{numeric}": "", "save": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert "catatan saya" in page and f'value="{value}"' in page  # what was typed is kept
    assert _month(s, october) == {}


def test_submit_without_values_is_refused_with_a_message(s, october, login_as):
    numeric, _d, _o = _ids(s)
    client = login_as("pegawai")
    response = client.post(_url(s, october), data={f"narrative-{numeric}": "belum ada angka", f"lock-{numeric}": "",
                                                   f"value-{numeric}": "", "submit": "1"})
    assert response.status_code == 200 and "Isi angka realisasi" in response.get_data(as_text=True)


def test_two_tabs_saving_the_same_realisasi(s, october, login_as):
    numeric, _d, _o = _ids(s)
    client = login_as("pegawai")
    client.post(_url(s, october), data={f"value-{numeric}": "1", f"narrative-{numeric}": "", f"lock-{numeric}": "",
                                        "save": "1"})
    lock = _month(s, october)[numeric].lock_version
    first = client.post(_url(s, october), data={f"value-{numeric}": "2", f"narrative-{numeric}": "tab A",
                                                f"lock-{numeric}": lock, "save": "1"})
    second = client.post(_url(s, october), data={f"value-{numeric}": "5", f"narrative-{numeric}": "tab B",
                                                 f"lock-{numeric}": lock, "save": "1"})
    assert first.status_code == 302
    assert second.status_code == 200 and "tab atau perangkat lain" in second.get_data(as_text=True)
    assert _month(s, october)[numeric].narrative == "tab A"
    # a tab that still showed an empty row when another one created it is told too
    _d2, descriptive, _o2 = _ids(s)
    client.post(_url(s, october), data={f"narrative-{descriptive}": "tab A", f"lock-{descriptive}": "", "save": "1"})
    again = client.post(_url(s, october), data={f"narrative-{descriptive}": "tab B", f"lock-{descriptive}": "",
                                                "save": "1"})
    assert again.status_code == 200 and "tab atau perangkat lain" in again.get_data(as_text=True)


def test_closed_subperiod_is_read_only_and_refuses_posts(s, october, login_as):
    october.is_closed = True
    db.session.flush()
    numeric, _d, _o = _ids(s)
    client = login_as("pegawai")
    page = client.get(_url(s, october)).get_data(as_text=True)
    assert "Subperiode Oktober 2026 sudah ditutup" in page and f'name="value-{numeric}"' not in page
    response = client.post(_url(s, october), data={f"value-{numeric}": "1", f"lock-{numeric}": "", "save": "1"})
    assert response.status_code == 200 and "sudah ditutup" in response.get_data(as_text=True)
    assert _month(s, october) == {}


def test_closed_year_refuses_posts(s, october, login_as):
    s.period.status = PeriodStatus.CLOSED
    db.session.flush()
    numeric, _d, _o = _ids(s)
    response = login_as("pegawai").post(_url(s, october), data={f"value-{numeric}": "1", "save": "1"})
    assert response.status_code == 200 and "Periode kinerja 2026 sudah ditutup" in response.get_data(as_text=True)


def test_only_the_owner_posts_the_month(s, october, login_as):
    for role in ("supervisor", "admin_opd", "bkpsdm", "superadmin"):
        assert login_as(role).post(_url(s, october), data={"save": "1"}).status_code == 403


def test_subperiod_of_another_year_is_404(s, login_as, world):
    from tests.plans.sample import make_period
    other = make_period(2025)
    assert login_as("pegawai").get(f"/realisasi/skp/{s.plan.id}/{other.subperiods[0].id}").status_code == 404


def test_narrative_from_the_daily_log_fills_the_form_without_saving(s, october, login_as, world):
    numeric, _d, _o = _ids(s)
    db.session.add(ActivityEntry(employee=world.staff_a1, entry_date=date(2026, 10, 7), result=s.result,
                                 description="Menyusun metadata"))
    db.session.flush()
    page = login_as("pegawai").get(_url(s, october) + f"?dari_log={numeric}").get_data(as_text=True)
    assert "7 Okt: Menyusun metadata" in page and "Narasi diisi dari laporan harian" in page
    assert _month(s, october) == {}


def test_upload_and_link_with_the_month_form(s, october, login_as):
    import io

    from tests.plans.test_evidence import HTML, PDF
    numeric, _d, _o = _ids(s)
    client = login_as("pegawai")
    bad = client.post(_url(s, october), content_type="multipart/form-data", data={
        f"value-{numeric}": "1", f"narrative-{numeric}": "x", f"lock-{numeric}": "", "save": "1",
        f"file-{numeric}": (io.BytesIO(HTML), "palsu.pdf"), f"link_url-{numeric}": "javascript:alert(1)"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "tidak dikenali dari isinya" in page and "https://" in page
    assert _month(s, october) == {}  # nothing of the row was kept
    ok = client.post(_url(s, october), content_type="multipart/form-data", data={
        f"value-{numeric}": "1", f"narrative-{numeric}": "x", f"lock-{numeric}": "", "save": "1",
        f"file-{numeric}": (io.BytesIO(PDF), "bukti.pdf"), f"link_url-{numeric}": "https://data.example.go.id/x",
        f"link_title-{numeric}": "Portal"})
    assert ok.status_code == 302
    evidence = _month(s, october)[numeric].evidence
    assert sorted(e.title for e in evidence) == ["Portal", "bukti.pdf"]


# ---------------------------------------------------------------- one realisasi
def test_appraiser_verifies_with_htmx_and_gets_the_card(s, login_as, world):
    response = login_as("supervisor").post(f"/realisasi/{s.realisation.id}/verifikasi", headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="decision"' in body and "<html" not in body
    assert "Diverifikasi" in body
    db.session.expire_all()
    assert db.session.get(Realisation, s.realisation.id).status is RealisationStatus.VERIFIED


def test_return_needs_a_reason_and_shows_it(s, login_as):
    client = login_as("supervisor")
    empty = client.post(f"/realisasi/{s.realisation.id}/kembalikan", data={"reason": " "}, headers=HX)
    assert empty.status_code == 200 and "Tuliskan alasan pengembalian" in empty.get_data(as_text=True)
    plain = client.post(f"/realisasi/{s.realisation.id}/kembalikan", data={"reason": ""})
    assert plain.status_code == 200
    done = client.post(f"/realisasi/{s.realisation.id}/kembalikan", data={"reason": "Bukti kurang."}, headers=HX)
    assert "Bukti kurang." in done.get_data(as_text=True)
    page = login_as("pegawai").get(_url(s, s.november)).get_data(as_text=True)
    assert "Dikembalikan penilai" in page and "Bukti kurang." in page
    assert f'name="value-{s.indicator.id}"' in page  # editable again


def test_not_the_appraiser_cannot_decide(s, login_as, factory, world):
    head = factory.user(world.head_a)  # the appraiser's own supervisor
    for who in (head, "pegawai", "admin_opd", "bkpsdm", "superadmin"):
        client = login_as(who)
        assert client.post(f"/realisasi/{s.realisation.id}/verifikasi").status_code == 403
        assert client.post(f"/realisasi/{s.realisation.id}/kembalikan", data={"reason": "x"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Realisation, s.realisation.id).status is RealisationStatus.SUBMITTED


def test_verifying_own_realisasi_is_impossible(world, login_as, factory):
    from portal.plans.models import Aspect, PlanStatus
    from tests.plans.sample import make_period
    period = make_period(2026)
    # even with oneself set as appraiser (the database refuses that), the owner never decides
    plan = make_plan(world.chief_a1, period, PlanStatus.APPROVED, results=[("RHK", [(Aspect.QUANTITY, "IKI", 4)])])
    r = services.realisation_for(plan.results[0].indicators[0], period.subperiods[0], create=True)
    services.save_realisation(r, value="1", narrative="")
    services.submit_month(plan, period.subperiods[0])
    db.session.flush()
    assert not r.can_verify(world.users["supervisor"])
    assert login_as("supervisor").post(f"/realisasi/{r.id}/verifikasi").status_code == 403


def test_verifying_twice_is_a_clear_refusal(s, login_as):
    client = login_as("supervisor")
    client.post(f"/realisasi/{s.realisation.id}/verifikasi")
    again = client.post(f"/realisasi/{s.realisation.id}/verifikasi")
    assert again.status_code == 200 and "sedang diajukan" in again.get_data(as_text=True)


def test_feedback_thread_appends_with_htmx(s, login_as, world):
    response = login_as("supervisor").post(f"/realisasi/{s.realisation.id}/umpan-balik",
                                           data={"body": "Tambahkan metadata."}, headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="umpan-balik"' in body and "<html" not in body
    assert body.index("Bagus.") < body.index("Tambahkan metadata.")
    empty = login_as("pegawai").post(f"/realisasi/{s.realisation.id}/umpan-balik", data={"body": ""}, headers=HX)
    assert empty.status_code == 200 and "Tulis umpan balik lebih dulu." in empty.get_data(as_text=True)
    assert login_as("bkpsdm").post(f"/realisasi/{s.realisation.id}/umpan-balik",
                                   data={"body": "x"}).status_code == 403


def test_show_page_offers_actions_by_role(s, login_as):
    url = f"/realisasi/{s.realisation.id}"
    appraiser = login_as("supervisor").get(url).get_data(as_text=True)
    assert "Verifikasi" in appraiser and "Kembalikan" in appraiser and "Portal data" in appraiser
    owner = login_as("pegawai").get(url).get_data(as_text=True)
    assert "/verifikasi" not in owner and "Kirim umpan balik" in owner
    reader = login_as("pimpinan").get(url).get_data(as_text=True)
    assert "Kirim umpan balik" not in reader and "/verifikasi" not in reader


def test_overview_shows_the_grid_and_a_safe_chart(s, login_as):
    page = login_as("pegawai").get(f"/realisasi/skp/{s.plan.id}").get_data(as_text=True)
    assert "Realisasi dan capaian SKP 2026" in page and "Jumlah dataset" in page
    assert "<svg" in page and "8,33 %" in page  # 1 of 12 dokumen
    assert "<script" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


def _add_months(s, count):
    for sp in s.period.subperiods[:count]:
        for ind in (s.plan.results[0].indicators[0], s.plan.results[1].indicators[0]):
            r = services.realisation_for(ind, sp, create=True)
            if r.status in services.EDITABLE:
                services.save_realisation(r, value="1", narrative="x")
                services.add_link_evidence(r, "https://contoh.go.id/", "Contoh")
            r.feedback.append(Feedback(body="ok"))
    db.session.flush()


def test_query_counts_do_not_grow_with_data(s, login_as):
    client = login_as("pegawai")
    urls = [f"/realisasi/skp/{s.plan.id}", _url(s, s.period.subperiods[0])]

    def measure():
        counts = []
        for url in urls:
            with count_statements() as statements:
                assert client.get(url).status_code == 200
            counts.append(len(statements))
        return counts
    _add_months(s, 1)
    before = measure()
    _add_months(s, 6)
    after = measure()
    assert after == before, (before, after)
