"""Periods and sub-periods: BKPSDM creates, opens and closes; everyone reads."""
import sqlalchemy as sa

from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.plans import period_services
from portal.plans.models import PerformancePeriod, PeriodStatus
from tests.plans.sample import make_period


def _actions():
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_bkpsdm_creates_opens_and_closes_a_year(world, login_as):
    client = login_as("bkpsdm")
    response = client.post("/periode/baru", data={"year": "2030", "subperiod_length": "triwulanan"})
    assert response.status_code == 303
    period = db.session.scalar(sa.select(PerformancePeriod).where(PerformancePeriod.year == 2030))
    assert period.status is PeriodStatus.DRAFT and len(period.subperiods) == 4
    assert str(period.plan_deadline) == "2030-01-31"
    duplicate = client.post("/periode/baru", data={"year": "2030", "subperiod_length": "bulanan"})
    assert duplicate.status_code == 200 and "sudah ada" in duplicate.get_data(as_text=True)
    bad = client.post("/periode/baru", data={"year": "1990", "subperiod_length": "bulanan"})
    assert "antara 2000 dan 2100" in bad.get_data(as_text=True)
    client.post(f"/periode/{period.id}/buka")
    client.post(f"/periode/subperiode/{period.subperiods[0].id}/tutup")
    db.session.expire_all()
    assert period.is_open and period.subperiods[0].is_closed
    client.post(f"/periode/subperiode/{period.subperiods[0].id}/buka")
    client.post(f"/periode/{period.id}/tutup")
    db.session.expire_all()
    assert period.status is PeriodStatus.CLOSED and all(s.is_closed for s in period.subperiods)
    refused = client.post(f"/periode/subperiode/{period.subperiods[1].id}/buka", follow_redirects=True)
    assert "selama periode tahunannya dibuka" in refused.get_data(as_text=True)
    assert [a for a in _actions() if "period" in a] == [
        "create_period", "open_period", "close_subperiod", "reopen_subperiod", "close_period"]


def test_everyone_reads_managers_act(world, login_as):
    period = make_period(2026)
    pegawai = login_as("pegawai")
    page = pegawai.get(f"/periode/{period.id}").get_data(as_text=True)
    assert "Januari 2026" in page and "Tutup periode" not in page
    assert pegawai.post(f"/periode/{period.id}/tutup").status_code == 403
    assert login_as("admin_opd").post("/periode/baru", data={"year": "2031"}).status_code == 403
    assert "Tutup periode" in login_as("bkpsdm").get(f"/periode/{period.id}").get_data(as_text=True)


def test_services_refuse_wrong_states(world):
    period = make_period(2026)
    import pytest
    with pytest.raises(period_services.PeriodError):
        period_services.open_period(period)
    with pytest.raises(period_services.PeriodError):
        period_services.reopen_subperiod(period.subperiods[0])
