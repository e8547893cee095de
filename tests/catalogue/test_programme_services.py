"""Programme administration services: create, update (changes audited, stale versions refused),
archive, restore; every change queues one recomputation of recommendations."""
from decimal import Decimal

import pytest
import sqlalchemy as sa

from portal.catalogue import programme_services as services
from portal.catalogue.errors import CatalogueError
from portal.catalogue.models import Delivery, Leadership, Programme, ProgrammeForm, ProgrammeStatus, ProviderKind
from portal.catalogue.recommend import RECOMPUTE_JOB
from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.jobs.models import Job
from portal.people.models import PositionKind
from tests.catalogue.sample import sample_catalogue


def data(**overrides):
    values = dict(code="NEW-01", title="Pelayanan Prima", form=ProgrammeForm.TECHNICAL, jp=12,
                  provider_kind=ProviderKind.BKPSDM, delivery=Delivery.BLENDED, provider_name="BKPSDM",
                  cost_per_participant=Decimal("1500000"), description="Sikap dan standar layanan.")
    values.update(overrides)
    return services.ProgrammeData(**values)


def _entries(action):
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)).all()


def _recompute_jobs():
    return db.session.scalar(sa.select(sa.func.count()).select_from(Job).where(Job.kind == RECOMPUTE_JOB))


@pytest.mark.parametrize("text, expected", [
    ("1.500.000", "1500000"), ("1500000", "1500000"), ("Rp 1.500.000", "1500000"), ("Rp. 750.000,50", "750000.50"),
    ("", "0"), ("2500000.5", "2500000.5"), ("1.500", "1500"),
])
def test_parse_rupiah(text, expected):
    assert services.parse_rupiah(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["satu juta", "-5000", "1,5,0", "12abc"])
def test_parse_rupiah_refuses_junk(text):
    with pytest.raises(ValueError):
        services.parse_rupiah(text)


def test_format_rupiah():
    assert services.format_rupiah(Decimal("1500000")) == "1.500.000"
    assert services.format_rupiah(Decimal("750000.50")) == "750.000,50"


def test_create_programme_with_links_audits_and_queues_recompute(world):
    s = sample_catalogue(world)
    user = world.users["bkpsdm"]
    programme = services.create_programme(data(
        position_kinds=[PositionKind.PELAKSANA, PositionKind.PENGAWAS], golongan_min="II/a", golongan_max="III/d",
        open_to_pppk=False, unit_ids=[world.dinas_a.id], competency_ids=[s.pelayanan.id, s.komunikasi.id]), user)
    db.session.expire_all()
    programme = db.session.get(Programme, programme.id)
    assert programme.status is ProgrammeStatus.ACTIVE and programme.lock_version == 1
    assert programme.position_kinds == ["pelaksana", "pengawas"]
    assert {c.code for c in programme.competencies} == {"M-PP", "M-KOM"}
    assert [u.id for u in programme.units] == [world.dinas_a.id]
    assert programme.cost_per_participant == Decimal("1500000")
    [entry] = _entries("programme.created")
    assert entry.object_id == programme.id and entry.actor_id == user.id
    assert _recompute_jobs() == 1


@pytest.mark.parametrize("overrides, field", [
    ({"code": ""}, "code"),
    ({"code": "pks-01"}, "code"),  # taken, whatever the case
    ({"code": "kode dengan spasi"}, "code"),
    ({"title": ""}, "title"),
    ({"jp": 0}, "jp"),
    ({"jp": 1001}, "jp"),
    ({"leadership": Leadership.PKP}, "leadership"),  # not a leadership form
    ({"golongan_min": "III/c", "golongan_max": "II/a"}, "golongan_max"),
    ({"golongan_min": "V/a"}, "golongan_min"),
    ({"cost_per_participant": Decimal("-1")}, "cost_per_participant"),
])
def test_create_refuses_broken_rules(world, overrides, field):
    sample_catalogue(world)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Programme))
    with pytest.raises(CatalogueError) as caught:
        services.create_programme(data(**overrides), world.users["bkpsdm"])
    assert caught.value.field == field
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Programme)) == before


def test_create_refuses_inactive_competency(world):
    s = sample_catalogue(world)
    s.data.is_active = False
    with pytest.raises(CatalogueError) as caught:
        services.create_programme(data(competency_ids=[s.data.id]), world.users["bkpsdm"])
    assert caught.value.field == "competencies"


def test_leadership_programme(world):
    programme = services.create_programme(data(code="PKN-II", form=ProgrammeForm.LEADERSHIP,
                                               leadership=Leadership.PKN_II, jp=400), world.users["bkpsdm"])
    assert programme.is_leadership


def test_update_records_changes_and_bumps_version(world):
    s = sample_catalogue(world)
    programme = s.analytics
    version = programme.lock_version
    changed = services.update_programme(programme, data(code="DIG-01", title="Analisis Data Lanjut", jp=8,
                                                        competency_ids=[s.data.id, s.komunikasi.id]),
                                        world.users["bkpsdm"], lock_version=version)
    assert changed["title"] == ["Analisis Data untuk Administrasi", "Analisis Data Lanjut"]
    assert changed["jp"] == [6, 8]
    assert changed["competencies"][1] == sorted([s.data.id, s.komunikasi.id])
    [entry] = _entries("programme.updated")
    assert entry.changes["jp"] == [6, 8]
    assert programme.lock_version == version + 1
    assert _recompute_jobs() == 1


def test_update_of_links_alone_bumps_version(world):
    s = sample_catalogue(world)
    p = s.analytics
    version = p.lock_version
    same = data(code=p.code, title=p.title, description=p.description, form=p.form, jp=p.jp,
                provider_kind=p.provider_kind, provider_name=p.provider_name, delivery=p.delivery,
                cost_per_participant=p.cost_per_participant, prerequisites=p.prerequisites, competency_ids=[s.data.id])
    assert services.update_programme(p, same, world.users["bkpsdm"], lock_version=version) == {}
    assert p.lock_version == version and _entries("programme.updated") == []
    services.update_programme(p, data(**{**same.__dict__, "unit_ids": [world.dinas_b.id]}), world.users["bkpsdm"],
                              lock_version=version)
    assert p.lock_version == version + 1


def test_update_refuses_stale_version(world):
    s = sample_catalogue(world)
    with pytest.raises(services.StaleEdit):
        services.update_programme(s.analytics, data(code="DIG-01"), world.users["bkpsdm"],
                                  lock_version=s.analytics.lock_version - 1 or 99)
    assert s.analytics.title == "Analisis Data untuk Administrasi"


def test_update_keeps_own_code(world):
    s = sample_catalogue(world)
    services.update_programme(s.teamwork, data(code="pks-01", title="Kerja Sama"), world.users["bkpsdm"])
    assert s.teamwork.code == "pks-01"


def test_archive_and_restore(world):
    s = sample_catalogue(world)
    user = world.users["bkpsdm"]
    services.archive_programme(s.teamwork, user)
    assert s.teamwork.status is ProgrammeStatus.ARCHIVED
    with pytest.raises(CatalogueError):
        services.archive_programme(s.teamwork, user)
    services.restore_programme(s.teamwork, user)
    assert s.teamwork.is_active
    with pytest.raises(CatalogueError):
        services.restore_programme(s.teamwork, user)
    assert [e.to_state for e in _entries("programme.archived")] == ["arsip"]
    assert [e.to_state for e in _entries("programme.restored")] == ["aktif"]
    # One waiting job is enough: it reads the catalogue when it runs.
    assert _recompute_jobs() == 1


def test_admin_query_filters(world):
    s = sample_catalogue(world)

    def codes(**kw):
        return {p.code for p in db.session.scalars(services.admin_query(**kw))}
    assert "OLD-01" in codes()
    assert codes(q="kepemimpinan") == {"PKP-01", "PKA-01"}
    assert codes(q="dig-") == {"DIG-01"}
    assert codes(status=ProgrammeStatus.ARCHIVED) == {"OLD-01"}
    assert codes(form=ProgrammeForm.MANAGERIAL) == {"PKS-01"}
    assert codes(leadership="any") == {"PKP-01", "PKA-01"}
    assert "PKP-01" not in codes(leadership="none")
    assert codes(leadership=Leadership.PKA) == {"PKA-01"}
    assert codes(provider=ProviderKind.LAN) == set()
    assert services.status_counts()[ProgrammeStatus.ARCHIVED] == 1
    assert s.archived.code == "OLD-01"
