"""The employee's performance home and the supervisor's inbox (reading, inline decisions,
verify a month, reminders), with permissions and query counts."""
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.notifications.models import Notification
from portal.plans import performance_services as services
from portal.plans.models import (
    Aggregation,
    Aspect,
    Direction,
    Feedback,
    Indicator,
    Measure,
    PeriodStatus,
    PlanComment,
    PlanStatus,
    Realisation,
    RealisationStatus,
    ResultKind,
    ResultPlan,
)
from tests.conftest import count_statements
from tests.plans.sample import make_period, make_plan, sample_plan

TODAY = date(2026, 11, 23)  # inside the sample's November 2026
HX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    monkeypatch.setattr(services, "_today", lambda today=None: today or TODAY)


def audit_actions(obj):
    return [e.action for e in db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.object_type == type(obj).__name__,
                                    AuditEntry.object_id == obj.id).order_by(AuditEntry.id))]


def notifications_of(user, kind=None):
    stmt = sa.select(Notification).where(Notification.user_id == user.id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return db.session.scalars(stmt.order_by(Notification.id)).all()


def page(response):
    return " ".join(response.get_data(as_text=True).split())


def subordinate(world, factory, name, *, with_account=True):
    employee = factory.employee(position=factory.position(world.bidang_a1, f"Analis {name}"),
                                supervisor=world.chief_a1, name=name)
    if with_account:
        factory.user(employee)
    return employee


def submitted(plan, subperiod, values=(1,)):
    """Submitted realisasi on the plan's first IKIs in ``subperiod``."""
    indicators = [i for r in plan.results for i in r.indicators]
    rows = []
    for indicator, value in zip(indicators, values, strict=False):
        rows.append(Realisation(indicator=indicator, subperiod=subperiod, plan=plan, value=Decimal(value),
                                narrative="Selesai", status=RealisationStatus.SUBMITTED))
    db.session.add_all(rows)
    db.session.flush()
    return rows


def november(period):
    return next(sp for sp in period.subperiods if sp.number == 11)


# ---------------------------------------------------------------- home
def test_home_without_a_period(world, login_as):
    text = page(login_as("pegawai").get("/kinerja/"))
    assert "Belum ada periode kinerja 2026" in text
    assert "Buat SKP" not in text


def test_home_without_a_plan_invites_to_create_one(world, login_as):
    make_period(2026)
    response = login_as("pegawai").get("/kinerja/")
    text = page(response)
    assert response.status_code == 200
    assert "Anda belum memiliki SKP untuk tahun 2026" in text
    assert 'href="/skp/baru"' in text and "Buat SKP" in text
    assert "Batas penetapan SKP 31 Januari 2026 sudah lewat" in text  # today is in November
    assert "Belum ada umpan balik" in text


def test_home_when_the_period_is_not_open(world, login_as):
    make_period(2026, status=PeriodStatus.CLOSED)
    text = page(login_as("pegawai").get("/kinerja/"))
    assert "Periode kinerja 2026 berstatus Ditutup" in text
    assert "Buat SKP" not in text


def test_home_without_a_supervisor_warns(world, login_as, factory):
    make_period(2026)
    text = page(login_as(factory.user(world.staff_b)).get("/kinerja/"))
    assert "Atasan langsung Anda belum tercatat" in text


def test_home_shows_plan_month_progress_and_feedback(world, login_as):
    s = sample_plan(world)
    # a minute later (MariaDB keeps whole seconds)
    db.session.add(PlanComment(plan=s.plan, author=world.users["supervisor"], body="Target dataset sudah tepat.",
                               created_dt=s.feedback.created_dt + timedelta(minutes=1)))
    db.session.flush()
    text = page(login_as("pegawai").get("/kinerja/"))
    # the plan
    assert "SKP 2026" in text and "Disetujui" in text
    assert f'href="/skp/{s.plan.id}"' in text and f'href="/dokumen/skp/{s.plan.id}.pdf"' in text
    assert "Batas penetapan" not in text  # approved
    # this month: 3 IKIs, one submitted
    assert "Realisasi November 2026" in text
    assert f'href="/realisasi/skp/{s.plan.id}/{s.november.id}"' in text
    status = text.split('class="row small mb-2 month-status"', 1)[1].split("</dl>", 1)[0]
    assert "IKI dalam SKP</dt><dd class=\"col-4 text-end mb-1\">3" in status
    assert "Belum diisi</dt><dd class=\"col-4 text-end mb-1\">2" in status
    assert "Diajukan</dt><dd class=\"col-4 text-end mb-1\">1" in status
    # progress per IKI: 1 of 12 dokumen = 8,33 %, with the chart
    assert "Jumlah dataset" in text and "12 dokumen" in text and "8,33 %" in text
    assert '<svg' in text and 'role="img"' in text
    # feedback from others, newest first; the pegawai's own message is not listed
    assert text.index("Target dataset sudah tepat.") < text.index("Bagus.")
    assert "Mohon arahan." not in text


def test_home_shows_a_returned_plan_with_its_reason(world, login_as):
    period = make_period(2026)
    plan = make_plan(world.staff_a1, period, PlanStatus.RETURNED,
                     results=[("Rekap", [(Aspect.QUANTITY, "Jumlah rekap", 12)])])
    plan.return_reason = "Tambahkan IKI kualitas."
    db.session.flush()
    text = page(login_as("pegawai").get("/kinerja/"))
    assert "Dikembalikan" in text and "Tambahkan IKI kualitas." in text
    assert "Realisasi dilaporkan setiap bulan setelah SKP disetujui" in text


def test_home_is_for_employees_only(world, login_as):
    assert login_as("superadmin").get("/kinerja/").status_code == 403


def test_home_query_count_does_not_grow_with_the_plan(world, login_as):
    s = sample_plan(world)
    client = login_as("pegawai")
    client.get("/kinerja/")  # warm-up (sign-in, caches)
    with count_statements() as small:
        client.get("/kinerja/")
    laporan = s.plan.results[1].indicators[0]
    for sp in s.period.subperiods[:10]:
        db.session.add(Realisation(indicator=laporan, subperiod=sp, plan=s.plan, value=Decimal(1),
                                   status=RealisationStatus.VERIFIED))
    for n in range(8):
        db.session.add(Feedback(realisation=s.realisation, author=world.users["supervisor"], body=f"Catatan {n}"))
        db.session.add(PlanComment(plan=s.plan, author=world.users["supervisor"], body=f"Dialog {n}"))
    for n in range(4):
        result = ResultPlan(kind=ResultKind.MAIN, position=10 + n, text=f"RHK tambahan {n}")
        result.indicators.append(Indicator(aspect=Aspect.QUANTITY, text=f"IKI tambahan {n}", measure=Measure.NUMERIC,
                                           target_value=Decimal(4), target_unit="laporan",
                                           direction=Direction.HIGHER, aggregation=Aggregation.SUM))
        s.plan.results.append(result)
    db.session.flush()
    with count_statements() as large:
        response = client.get("/kinerja/")
    text = response.get_data(as_text=True)
    assert "Catatan 7" in text and "IKI tambahan 3" in text
    assert len(large) == len(small), "\n".join(sql[:150] for sql in large)


# ---------------------------------------------------------------- inbox: reading
def test_inbox_without_subordinates(world, login_as):
    text = page(login_as("pegawai").get("/kinerja/persetujuan"))
    assert "Anda tidak memiliki bawahan langsung" in text


def test_inbox_lists_plans_realisations_and_stragglers(world, login_as, factory):
    s = sample_plan(world)
    waiting = make_plan(subordinate(world, factory, "Dewi Lestari"), s.period, PlanStatus.SUBMITTED,
                        results=[("Arsip tertata", [(Aspect.QUANTITY, "Jumlah arsip", 100)])])
    quiet = make_plan(subordinate(world, factory, "Agus Prasetyo"), s.period, PlanStatus.APPROVED,
                      results=[("Surat terkirim", [(Aspect.QUANTITY, "Jumlah surat", 50)])])
    response = login_as("supervisor").get("/kinerja/persetujuan")
    text = page(response)
    assert response.status_code == 200
    # the plan waiting for approval
    assert 'id="skp-%d"' % waiting.id in text and "Dewi Lestari" in text
    assert f'action="/kinerja/persetujuan/skp/{waiting.id}"' in text
    # the realisasi, grouped by subordinate and month
    assert f'id="bulan-{s.plan.id}-{s.november.id}"' in text and "Staf Alpha · November 2026" in text
    assert f'id="realisasi-{s.realisation.id}"' in text and "Portal data" in text  # evidence
    # who has not submitted November (an approved plan, nothing submitted)
    assert f'id="pengingat-{quiet.id}"' in text and "Agus Prasetyo" in text
    assert f'id="pengingat-{s.plan.id}"' not in text  # staff_a1 submitted one IKI


def test_inbox_htmx_returns_the_partial(world, login_as):
    sample_plan(world)
    text = login_as("supervisor").get("/kinerja/persetujuan", headers=HX).get_data(as_text=True)
    assert text.lstrip().startswith('<div id="inbox">') and "<html" not in text


def test_inbox_query_count_does_not_grow_with_the_team(world, login_as, factory):
    s = sample_plan(world)
    client = login_as("supervisor")

    def grow(n):
        for i in range(n):
            writer = subordinate(world, factory, f"Penyusun {n}-{i}")
            make_plan(writer, s.period, PlanStatus.SUBMITTED, results=[("RHK", [(Aspect.QUANTITY, "IKI", 5)])])
            reporter = subordinate(world, factory, f"Pelapor {n}-{i}")
            plan = make_plan(reporter, s.period, PlanStatus.APPROVED, results=[
                ("RHK A", [(Aspect.QUANTITY, "IKI A", 5), (Aspect.QUALITY, "IKI B", 5)])])
            submitted(plan, november(s.period), values=(1, 2))
            quiet = subordinate(world, factory, f"Belum {n}-{i}")
            make_plan(quiet, s.period, PlanStatus.APPROVED, results=[("RHK", [(Aspect.QUANTITY, "IKI", 5)])])

    grow(2)
    client.get("/kinerja/persetujuan")
    with count_statements() as small:
        first = client.get("/kinerja/persetujuan")
    grow(4)
    with count_statements() as large:
        second = client.get("/kinerja/persetujuan")
    assert len(re.findall(r'<li [^>]*id="skp-\d+"', first.get_data(as_text=True))) == 2
    assert len(re.findall(r'<li [^>]*id="skp-\d+"', second.get_data(as_text=True))) == 6
    assert len(large) == len(small), (len(small), len(large))


# ---------------------------------------------------------------- inbox: plans
def _waiting_plan(world, factory, s):
    employee = subordinate(world, factory, "Dewi Lestari")
    return make_plan(employee, s.period, PlanStatus.SUBMITTED,
                     results=[("Arsip tertata", [(Aspect.QUANTITY, "Jumlah arsip", 100)])])


def test_approve_a_plan_inline(world, login_as, factory):
    s = sample_plan(world)
    plan = _waiting_plan(world, factory, s)
    response = login_as("supervisor").post(f"/kinerja/persetujuan/skp/{plan.id}", headers=HX,
                                            data={f"skp-{plan.id}-decision": "approve"})
    text = page(response)
    assert response.status_code == 200
    assert f'id="skp-{plan.id}"' in text and "SKP 2026 Dewi Lestari disetujui dan ditetapkan." in text
    assert "<form" not in text and 'role="status"' in text
    db.session.refresh(plan)
    assert plan.status is PlanStatus.APPROVED and plan.snapshot["pegawai"]["name"] == "Dewi Lestari"
    assert "approve_plan" in audit_actions(plan)
    assert [n.kind for n in notifications_of(plan.employee.user)] == ["plans.plan_approved"]


def test_return_a_plan_needs_a_reason(world, login_as, factory):
    s = sample_plan(world)
    plan = _waiting_plan(world, factory, s)
    client = login_as("supervisor")
    response = client.post(f"/kinerja/persetujuan/skp/{plan.id}", headers=HX,
                           data={f"skp-{plan.id}-decision": "return", f"skp-{plan.id}-reason": "  "})
    text = page(response)
    assert response.status_code == 200
    assert "Tuliskan alasan pengembalian" in text and f'id="skp-{plan.id}"' in text and "<form" in text
    assert "<details class=\"decide-return flex-grow-1\" open>" in text
    db.session.refresh(plan)
    assert plan.status is PlanStatus.SUBMITTED and audit_actions(plan) == []

    response = client.post(f"/kinerja/persetujuan/skp/{plan.id}", headers=HX,
                           data={f"skp-{plan.id}-decision": "return",
                                 f"skp-{plan.id}-reason": "Tambahkan IKI kualitas."})
    assert "dikembalikan kepada Dewi Lestari" in page(response)
    db.session.refresh(plan)
    assert plan.status is PlanStatus.RETURNED and plan.return_reason == "Tambahkan IKI kualitas."
    assert audit_actions(plan) == ["return_plan"]
    assert [n.kind for n in notifications_of(plan.employee.user)] == ["plans.plan_returned"]


def test_a_plan_no_longer_waiting_says_so(world, login_as):
    s = sample_plan(world)  # approved already
    response = login_as("supervisor").post(f"/kinerja/persetujuan/skp/{s.plan.id}", headers=HX,
                                           data={f"skp-{s.plan.id}-decision": "approve"})
    assert response.status_code == 200
    assert "Hanya SKP yang diajukan yang dapat disetujui." in page(response)


def test_decision_without_javascript_comes_back_to_the_inbox(world, login_as, factory):
    s = sample_plan(world)
    plan = _waiting_plan(world, factory, s)
    client = login_as("supervisor")
    response = client.post(f"/kinerja/persetujuan/skp/{plan.id}", data={f"skp-{plan.id}-decision": "approve"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/kinerja/persetujuan")
    assert "disetujui dan ditetapkan" in page(client.get("/kinerja/persetujuan"))
    # a bad form re-renders the whole inbox with the message at the row
    other = make_plan(subordinate(world, factory, "Rahmat"), s.period, PlanStatus.SUBMITTED,
                      results=[("RHK", [(Aspect.QUANTITY, "IKI", 5)])])
    response = client.post(f"/kinerja/persetujuan/skp/{other.id}", data={f"skp-{other.id}-decision": "return"})
    assert response.status_code == 200
    text = page(response)
    assert "<html" in text and "Tuliskan alasan pengembalian" in text


def test_unknown_decision_is_refused(world, login_as, factory):
    s = sample_plan(world)
    plan = _waiting_plan(world, factory, s)
    response = login_as("supervisor").post(f"/kinerja/persetujuan/skp/{plan.id}", headers=HX,
                                           data={f"skp-{plan.id}-decision": "hapus"})
    assert "Pilih setujui atau kembalikan." in page(response)
    db.session.refresh(plan)
    assert plan.status is PlanStatus.SUBMITTED


# ---------------------------------------------------------------- inbox: realisasi
def test_verify_a_realisation_inline(world, login_as):
    s = sample_plan(world)
    rid = s.realisation.id
    response = login_as("supervisor").post(f"/kinerja/persetujuan/realisasi/{rid}", headers=HX,
                                           data={f"realisasi-{rid}-decision": "approve"})
    text = page(response)
    assert f'id="realisasi-{rid}"' in text and "Jumlah dataset" in text and "diverifikasi" in text
    db.session.refresh(s.realisation)
    assert s.realisation.status is RealisationStatus.VERIFIED
    assert audit_actions(s.realisation) == ["verify_realisation"]
    assert [n.kind for n in notifications_of(world.users["pegawai"])] == ["realisations.verified"]


def test_return_a_realisation_needs_a_reason(world, login_as):
    s = sample_plan(world)
    rid = s.realisation.id
    client = login_as("supervisor")
    response = client.post(f"/kinerja/persetujuan/realisasi/{rid}", headers=HX,
                           data={f"realisasi-{rid}-decision": "return"})
    assert response.status_code == 200
    assert "Tuliskan alasan pengembalian" in page(response)
    db.session.refresh(s.realisation)
    assert s.realisation.status is RealisationStatus.SUBMITTED

    client.post(f"/kinerja/persetujuan/realisasi/{rid}", headers=HX,
                data={f"realisasi-{rid}-decision": "return", f"realisasi-{rid}-reason": "Lampirkan tautan dataset."})
    db.session.refresh(s.realisation)
    assert s.realisation.status is RealisationStatus.RETURNED
    assert s.realisation.return_reason == "Lampirkan tautan dataset."
    assert audit_actions(s.realisation) == ["return_realisation"]


def test_verify_a_whole_month(world, login_as):
    s = sample_plan(world)
    laporan = s.plan.results[1].indicators[0]
    more = Realisation(indicator=laporan, subperiod=s.november, plan=s.plan, value=Decimal(1),
                       status=RealisationStatus.SUBMITTED)
    db.session.add(more)
    db.session.flush()
    client = login_as("supervisor")
    assert "Verifikasi semua (2)" in page(client.get("/kinerja/persetujuan"))
    response = client.post(f"/kinerja/persetujuan/skp/{s.plan.id}/{s.november.id}/verifikasi-semua", headers=HX)
    text = page(response)
    assert "2 realisasi Staf Alpha bulan November 2026 diverifikasi." in text
    assert text.startswith("<section") and f'id="bulan-{s.plan.id}-{s.november.id}"' in text
    for r in (s.realisation, more):
        db.session.refresh(r)
        assert r.status is RealisationStatus.VERIFIED
    # nothing left: the group answers with a message
    response = client.post(f"/kinerja/persetujuan/skp/{s.plan.id}/{s.november.id}/verifikasi-semua", headers=HX)
    assert "Tidak ada realisasi November 2026 yang menunggu verifikasi." in page(response)


def test_verify_month_of_another_year_is_404(world, login_as):
    s = sample_plan(world)
    other = make_period(2025)
    response = login_as("supervisor").post(
        f"/kinerja/persetujuan/skp/{s.plan.id}/{november(other).id}/verifikasi-semua", headers=HX)
    assert response.status_code == 404


# ---------------------------------------------------------------- permissions
def test_someone_elses_subordinate_is_403(world, login_as, factory):
    """A supervisor outside the chain cannot see, let alone decide, another team's items."""
    s = sample_plan(world)
    plan = _waiting_plan(world, factory, s)
    outsider = login_as(factory.user(world.staff_b))
    urls = [
        (f"/kinerja/persetujuan/skp/{plan.id}", {f"skp-{plan.id}-decision": "approve"}),
        (f"/kinerja/persetujuan/realisasi/{s.realisation.id}", {f"realisasi-{s.realisation.id}-decision": "approve"}),
        (f"/kinerja/persetujuan/skp/{s.plan.id}/{s.november.id}/verifikasi-semua", {}),
        (f"/kinerja/persetujuan/skp/{s.plan.id}/{s.november.id}/pengingat", {}),
    ]
    for url, data in urls:
        assert outsider.post(url, data=data, headers=HX).status_code == 403, url
    db.session.refresh(plan)
    db.session.refresh(s.realisation)
    assert plan.status is PlanStatus.SUBMITTED and s.realisation.status is RealisationStatus.SUBMITTED
    assert "Dewi Lestari" not in page(outsider.get("/kinerja/persetujuan"))


@pytest.mark.parametrize("role", ["pegawai", "admin_opd", "bkpsdm"])
def test_those_who_only_see_a_plan_cannot_decide_it(world, login_as, factory, role):
    s = sample_plan(world)
    client = login_as(role)
    response = client.post(f"/kinerja/persetujuan/realisasi/{s.realisation.id}", headers=HX,
                           data={f"realisasi-{s.realisation.id}-decision": "approve"})
    assert response.status_code == 200
    assert "Hanya pejabat penilai kinerja SKP ini yang dapat memutuskannya." in page(response)
    response = client.post(f"/kinerja/persetujuan/realisasi/{s.realisation.id}",
                           data={f"realisasi-{s.realisation.id}-decision": "approve"})
    assert response.status_code == 303
    db.session.refresh(s.realisation)
    assert s.realisation.status is RealisationStatus.SUBMITTED


def test_the_head_above_the_appraiser_cannot_decide(world, login_as, factory):
    s = sample_plan(world)
    plan = _waiting_plan(world, factory, s)
    head = login_as(factory.user(world.head_a))
    response = head.post(f"/kinerja/persetujuan/skp/{plan.id}", headers=HX,
                         data={f"skp-{plan.id}-decision": "approve"})
    assert "Hanya pejabat penilai kinerja" in page(response)
    db.session.refresh(plan)
    assert plan.status is PlanStatus.SUBMITTED


# ---------------------------------------------------------------- reminders
def test_remind_a_subordinate_once_a_day(world, login_as, factory):
    s = sample_plan(world)
    employee = subordinate(world, factory, "Agus Prasetyo")
    quiet = make_plan(employee, s.period, PlanStatus.APPROVED,
                      results=[("Surat terkirim", [(Aspect.QUANTITY, "Jumlah surat", 50)])])
    client = login_as("supervisor")
    url = f"/kinerja/persetujuan/skp/{quiet.id}/{s.november.id}/pengingat"
    response = client.post(url, headers=HX)
    text = page(response)
    assert "Pengingat realisasi November 2026 sudah dikirim kepada Agus Prasetyo." in text
    sent = notifications_of(employee.user, "performance.reminder")
    assert len(sent) == 1
    assert sent[0].title == "Pengingat: realisasi November 2026 belum diajukan"
    assert sent[0].url == f"/realisasi/skp/{quiet.id}/{s.november.id}"
    assert "Kabid Alpha" in sent[0].body
    # the inbox shows it was sent; a second one the same day is refused
    inbox = page(client.get("/kinerja/persetujuan"))
    row = inbox.split(f'id="pengingat-{quiet.id}"', 1)[1].split("</li>", 1)[0]
    assert "Pengingat sudah dikirim hari ini" in row and "Kirim pengingat" not in row
    response = client.post(url, headers=HX)
    assert "Pengingat untuk Agus Prasetyo sudah dikirim hari ini." in page(response)
    assert len(notifications_of(employee.user, "performance.reminder")) == 1


def test_no_reminder_once_something_is_submitted(world, login_as):
    s = sample_plan(world)  # staff_a1 submitted one IKI in November
    response = login_as("supervisor").post(f"/kinerja/persetujuan/skp/{s.plan.id}/{s.november.id}/pengingat",
                                           headers=HX)
    assert "Staf Alpha sudah mengajukan realisasi November 2026." in page(response)
    assert notifications_of(world.users["pegawai"], "performance.reminder") == []


def test_reminder_service_checks_the_state(world, factory):
    s = sample_plan(world)
    draft = make_plan(subordinate(world, factory, "Putri"), s.period, PlanStatus.DRAFT)
    with pytest.raises(services.PerformanceError):
        services.send_reminder(draft, s.november)
    no_account = make_plan(subordinate(world, factory, "Yusuf", with_account=False), s.period, PlanStatus.APPROVED)
    with pytest.raises(services.PerformanceError, match="belum memiliki akun"):
        services.send_reminder(no_account, s.november)
    s.november.is_closed = True
    ok = make_plan(subordinate(world, factory, "Andi"), s.period, PlanStatus.APPROVED)
    with pytest.raises(services.PerformanceError, match="sudah ditutup"):
        services.send_reminder(ok, s.november)


def test_inbox_pages_the_waiting_realisations(world, login_as, factory):
    """However many subordinates report, one page shows GROUPS_PER_PAGE subordinate-months; the
    badge counts all of them and the next page shows the rest."""
    from portal.plans.performance_services import GROUPS_PER_PAGE
    s = sample_plan(world)  # staff_a1 already has one submitted realisasi in November
    for i in range(GROUPS_PER_PAGE + 1):
        reporter = subordinate(world, factory, f"Pelapor {i:02d}")
        plan = make_plan(reporter, s.period, PlanStatus.APPROVED, results=[
            ("RHK A", [(Aspect.QUANTITY, "IKI A", 5), (Aspect.QUALITY, "IKI B", 5)])])
        submitted(plan, november(s.period), values=(1, 2))
    client = login_as("supervisor")
    first = page(client.get("/kinerja/persetujuan"))
    second = page(client.get("/kinerja/persetujuan?halaman=2"))
    groups = r'id="bulan-\d+-\d+"'
    assert len(re.findall(groups, first)) == GROUPS_PER_PAGE
    assert len(re.findall(groups, second)) == 2
    assert "Halaman 1 dari 2" in first and "Halaman 2 dari 2" in second
    badge = 2 * (GROUPS_PER_PAGE + 1) + 1
    assert f'Realisasi menunggu verifikasi <span class="badge text-bg-primary">{badge}</span>' in first
    assert page(client.get("/kinerja/persetujuan?halaman=99999999")).count("Tidak ada realisasi") == 1
