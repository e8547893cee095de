"""Realisasi services: writing, submitting a month, verify/return, umpan balik, daily-log narrative."""
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.notifications.models import Notification
from portal.plans import realisation_services as services
from portal.plans.models import ActivityEntry, PeriodStatus, RealisationStatus
from tests.plans.sample import sample_plan


@pytest.fixture
def s(world):
    return sample_plan(world)


@pytest.fixture
def october(s):
    return next(sp for sp in s.period.subperiods if sp.number == 10)


def _indicators(s):
    numeric, descriptive = s.plan.results[0].indicators
    return numeric, descriptive, s.plan.results[1].indicators[0]


def _notes(user, kind):
    return db.session.scalars(sa.select(Notification).where(
        Notification.user_id == user.id, Notification.kind == kind)).all()


def _audits(action, obj=None):
    q = sa.select(AuditEntry).where(AuditEntry.action == action)
    if obj is not None:
        q = q.where(AuditEntry.object_type == type(obj).__name__, AuditEntry.object_id == obj.id)
    return db.session.scalars(q).all()


@pytest.mark.parametrize("raw, expected", [
    ("12", Decimal(12)), ("12,5", Decimal("12.5")), ("1.250", Decimal(1250)), ("1.250,75", Decimal("1250.75")),
    ("0", Decimal(0)), ("0.5", Decimal("0.5")), (" 7 ", Decimal(7)), ("", None), (None, None),
])
def test_parse_value_reads_indonesian_numbers(raw, expected):
    assert services.parse_value(raw) == expected


@pytest.mark.parametrize("raw, message", [
    ("dua belas", "harus berupa angka"), ("-1", "tidak boleh negatif"), ("NaN", "harus berupa angka"),
    ("Infinity", "harus berupa angka"), ("1e400", "harus berupa angka"),
    ("1.000.000.000.000.000", "terlalu besar"), ("1,234", "dua angka di belakang koma"),
    ("12abc", "harus berupa angka"),
])
def test_parse_value_refuses_bad_numbers(raw, message):
    with pytest.raises(services.RealisationError) as exc:
        services.parse_value(raw)
    assert message in str(exc.value) and exc.value.field == "value"


def test_realisation_for_creates_a_draft_only_when_asked(s, october):
    numeric, _d, _o = _indicators(s)
    assert services.realisation_for(numeric, october) is None
    created = services.realisation_for(numeric, october, create=True)
    assert created.status is RealisationStatus.DRAFT and created.plan_id == s.plan.id
    assert services.realisation_for(numeric, october) is created


def test_save_realisation_writes_and_audits(s, october):
    numeric, descriptive, _o = _indicators(s)
    r = services.realisation_for(numeric, october, create=True)
    services.save_realisation(r, value="3", narrative="Tiga dataset")
    assert r.value == Decimal(3) and r.narrative == "Tiga dataset"
    assert _audits("create", r)[-1].changes["value"] == [None, "3"]
    services.save_realisation(r, value="4", narrative="Empat dataset", lock_version=r.lock_version)
    assert _audits("update", r)[-1].changes["value"] == ["3", "4"]
    d = services.realisation_for(descriptive, october, create=True)
    services.save_realisation(d, value="", narrative="Sesuai standar")
    assert d.value is None


@pytest.mark.parametrize("value, narrative, field, message", [
    ("", "tanpa angka", "value", "Isi angka realisasi"),
    ("-2", "", "value", "tidak boleh negatif"),
    ("abc", "", "value", "harus berupa angka"),
])
def test_save_realisation_refuses_bad_numeric_values(s, october, value, narrative, field, message):
    numeric, _d, _o = _indicators(s)
    r = services.realisation_for(numeric, october, create=True)
    with pytest.raises(services.RealisationError) as exc:
        services.save_realisation(r, value=value, narrative=narrative)
    assert exc.value.field == field and message in str(exc.value)


def test_descriptive_iki_takes_no_number(s, october):
    _n, descriptive, _o = _indicators(s)
    r = services.realisation_for(descriptive, october, create=True)
    with pytest.raises(services.RealisationError, match="deskriptif"):
        services.save_realisation(r, value="5", narrative="x")
    with pytest.raises(services.RealisationError, match="narasi"):
        services.save_realisation(r, value="", narrative="")


def test_closed_subperiod_and_closed_year_refuse_writing(s, october):
    numeric, _d, _o = _indicators(s)
    r = services.realisation_for(numeric, october, create=True)
    october.is_closed = True
    with pytest.raises(services.RealisationError, match="Subperiode Oktober 2026 sudah ditutup"):
        services.save_realisation(r, value="1", narrative="")
    october.is_closed = False
    s.period.status = PeriodStatus.CLOSED
    with pytest.raises(services.RealisationError, match="Periode kinerja 2026 sudah ditutup"):
        services.save_realisation(r, value="1", narrative="")
    with pytest.raises(services.RealisationError, match="sudah ditutup"):
        services.submit_month(s.plan, october)


def test_submitted_realisation_cannot_be_edited(s):
    with pytest.raises(services.RealisationError, match="diajukan"):
        services.save_realisation(s.realisation, value="2", narrative="")


def test_stale_lock_version_is_refused(s, october):
    numeric, _d, _o = _indicators(s)
    r = services.realisation_for(numeric, october, create=True)
    services.save_realisation(r, value="1", narrative="tab A")
    db.session.flush()
    old = r.lock_version
    services.save_realisation(r, value="2", narrative="tab A lagi", lock_version=old)
    with pytest.raises(services.StaleEdit, match="tab atau perangkat lain"):
        services.save_realisation(r, value="3", narrative="tab B", lock_version=old)


def test_save_month_reports_every_bad_row_and_a_row_created_meanwhile(s, october):
    numeric, descriptive, other = _indicators(s)
    rows = [services.MonthRow(numeric, "-1", "", 0), services.MonthRow(descriptive, "", "", 0),
            services.MonthRow(other, "", "", 0)]
    with pytest.raises(services.MonthErrors) as exc:
        services.save_month(s.plan, october, rows)
    assert set(exc.value.errors) == {numeric.id}  # empty rows without a realisasi are skipped
    services.realisation_for(other, october, create=True)  # another tab saved it meanwhile
    with pytest.raises(services.MonthErrors) as exc:
        services.save_month(s.plan, october, [services.MonthRow(other, "2", "", 0)])
    assert isinstance(exc.value.errors[other.id], services.StaleEdit)


def test_submit_month_submits_all_and_notifies_the_appraiser_once(s, october, world):
    numeric, descriptive, other = _indicators(s)
    services.save_month(s.plan, october, [
        services.MonthRow(numeric, "2", "dua", 0), services.MonthRow(descriptive, "", "Sesuai", 0),
        services.MonthRow(other, "1", "", 0)])
    count = services.submit_month(s.plan, october)
    assert count == 3
    month = services.month_realisations(s.plan, october)
    assert {r.status for r in month.values()} == {RealisationStatus.SUBMITTED}
    assert all(r.submitted_dt for r in month.values())
    notes = _notes(world.users["supervisor"], "realisations.submitted")
    assert len(notes) == 1 and "Oktober 2026" in notes[0].title
    assert len(_audits("submit_realisation")) >= 3
    with pytest.raises(services.RealisationError, match="Tidak ada realisasi"):
        services.submit_month(s.plan, october)


def test_submit_month_refuses_a_numeric_iki_without_value(s, october):
    numeric, _d, _o = _indicators(s)
    r = services.realisation_for(numeric, october, create=True)
    r.narrative = "tanpa angka"
    with pytest.raises(services.RealisationError, match="Isi angka realisasi") as exc:
        services.submit_month(s.plan, october)
    assert numeric.text in str(exc.value)
    assert r.status is RealisationStatus.DRAFT


def test_submit_month_refuses_a_closed_subperiod(s, october):
    october.is_closed = True
    with pytest.raises(services.RealisationError, match="sudah ditutup"):
        services.submit_month(s.plan, october)


def test_verify_and_return_notify_the_owner(s, world):
    supervisor, owner = world.users["supervisor"], world.users["pegawai"]
    services.return_realisation(s.realisation, "Lampirkan daftar dataset.", actor=supervisor)
    assert s.realisation.status is RealisationStatus.RETURNED
    assert s.realisation.return_reason == "Lampirkan daftar dataset."
    returned = _notes(owner, "realisations.returned")
    assert len(returned) == 1 and "Lampirkan daftar dataset." in returned[0].body
    assert _audits("return_realisation", s.realisation)[-1].to_state == "returned"
    # the pegawai fixes it and submits again; the appraiser verifies
    services.save_realisation(s.realisation, value="2", narrative="Dua dataset, daftar terlampir")
    services.submit_month(s.plan, s.november)
    services.verify_realisation(s.realisation, actor=supervisor)
    assert s.realisation.status is RealisationStatus.VERIFIED and s.realisation.verified_by is supervisor
    assert s.realisation.return_reason is None
    assert len(_notes(owner, "realisations.verified")) == 1
    assert _audits("verify_realisation", s.realisation)[-1].from_state == "submitted"


def test_return_needs_a_reason(s, world):
    with pytest.raises(services.RealisationError, match="alasan") as exc:
        services.return_realisation(s.realisation, "   ", actor=world.users["supervisor"])
    assert exc.value.field == "reason"
    assert s.realisation.status is RealisationStatus.SUBMITTED


def test_only_the_appraiser_decides(s, world, factory):
    head = factory.user(world.head_a)  # above the appraiser in the chain, but not the appraiser
    for actor in (head, world.users["pegawai"], world.users["bkpsdm"]):
        with pytest.raises(services.RealisationError, match="pejabat penilai"):
            services.verify_realisation(s.realisation, actor=actor)
    assert s.realisation.status is RealisationStatus.SUBMITTED


def test_only_submitted_realisations_are_decided(s, world, october):
    numeric, _d, _o = _indicators(s)
    draft = services.realisation_for(numeric, october, create=True)
    with pytest.raises(services.RealisationError, match="sedang diajukan"):
        services.verify_realisation(draft, actor=world.users["supervisor"])


def test_feedback_goes_to_the_other_side_at_any_status(s, world, factory):
    supervisor, owner = world.users["supervisor"], world.users["pegawai"]
    services.verify_realisation(s.realisation, actor=supervisor)
    services.add_feedback(s.realisation, "Pertahankan.", author=supervisor)
    assert _notes(owner, "realisations.feedback")[-1].body == "Pertahankan."
    services.add_feedback(s.realisation, "Terima kasih, Pak.", author=owner)
    assert len(_notes(supervisor, "realisations.feedback")) == 1
    head = factory.user(world.head_a)  # the chain above the appraiser may give feedback too
    services.add_feedback(s.realisation, "Bagus sekali.", author=head)
    assert len(_notes(owner, "realisations.feedback")) == 2
    with pytest.raises(services.RealisationError):
        services.add_feedback(s.realisation, "Saya ikut.", author=world.users["bkpsdm"])
    with pytest.raises(services.RealisationError, match="Tulis umpan balik"):
        services.add_feedback(s.realisation, "  ", author=owner)


def test_month_narrative_joins_the_months_daily_log(s, world):
    db.session.add_all([
        ActivityEntry(employee=world.staff_a1, entry_date=date(2026, 11, 5), result=s.result,
                      description="Validasi dataset pendidikan", output="2 dataset"),
        ActivityEntry(employee=world.staff_a1, entry_date=date(2026, 10, 30), result=s.result,
                      description="Bulan lalu"),
        ActivityEntry(employee=world.staff_a1, entry_date=date(2026, 11, 6), result=s.plan.results[1],
                      description="RHK lain"),
    ])
    db.session.flush()
    text = services.month_narrative(world.staff_a1, s.november, s.result)
    assert text.splitlines() == ["2 Nov: Membersihkan dataset kesehatan",
                                 "5 Nov: Validasi dataset pendidikan (2 dataset)"]
