"""The competency dictionary, the BerAKHLAK mapping, thresholds and RHK/IKI tags (services)."""
import pytest
import sqlalchemy as sa

from portal.catalogue import competency_services as services
from portal.catalogue.errors import CatalogueError
from portal.catalogue.models import (
    Competency,
    CompetencyGroup,
    CoreValueCompetency,
    IndicatorCompetency,
    Recommendation,
    ResultCompetency,
)
from portal.catalogue.recommend import RECOMPUTE_JOB
from portal.core.audit import AuditEntry
from portal.evaluation.models import DevelopmentNeed, NeedKind
from portal.extensions import db
from portal.jobs.models import Job
from portal.plans.models import CoreValue
from tests.catalogue.sample import sample_catalogue
from tests.conftest import count_rows
from tests.evaluation.sample import sample_evaluation


@pytest.fixture
def sample(world):
    return sample_catalogue(world)


@pytest.fixture
def kolaboratif_need(world, sample):
    """staff_a1's October evaluation rated Kolaboratif Di Bawah Ekspektasi."""
    final = sample_evaluation(world).final
    need = DevelopmentNeed(key=f"e{final.id}:nilai:kolaboratif", evaluation_id=final.id, employee_id=world.staff_a1.id,
                           period_id=final.period_id, period_key=final.period_key, kind=NeedKind.CORE_VALUE,
                           core_value=CoreValue.COLLABORATIVE,
                           reason="Rating perilaku Kolaboratif Di Bawah Ekspektasi pada Oktober 2026")
    db.session.add(need)
    db.session.flush()
    return need


def _actions(action):
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)).all()


def _jobs():
    return db.session.scalars(sa.select(Job).where(Job.kind == RECOMPUTE_JOB)).all()


# ---------------------------------------------------------------- dictionary
def test_create_competency_upper_cases_code_and_audits(sample):
    competency = services.create_competency(code=" t-kes-01 ", name="Manajemen Puskesmas",
                                            group=CompetencyGroup.TECHNICAL, field="Kesehatan", description="Uraian")
    assert (competency.code, competency.field, competency.is_active) == ("T-KES-01", "Kesehatan", True)
    assert [e.object_id for e in _actions("competency.created")] == [competency.id]


@pytest.mark.parametrize("data, field, message", [
    (dict(code="", name="X", group=CompetencyGroup.MANAGERIAL), "code", "Isi kode"),
    (dict(code="A" * 21, name="X", group=CompetencyGroup.MANAGERIAL), "code", "paling banyak 20"),
    (dict(code="m-ks", name="Lain", group=CompetencyGroup.MANAGERIAL), "code", "sudah dipakai"),
    (dict(code="M-NEW", name="", group=CompetencyGroup.MANAGERIAL), "name", "Isi nama"),
    (dict(code="M-NEW", name="kerja sama", group=CompetencyGroup.MANAGERIAL), "name", "sudah ada di kelompok"),
    (dict(code="T-NEW", name="Statistik", group=CompetencyGroup.TECHNICAL, field=" "), "field", "harus punya bidang"),
    (dict(code="M-NEW", name="X", group=None), "group", "Pilih kelompok"),
])
def test_create_competency_refuses_bad_input(sample, data, field, message):
    before = count_rows(Competency)
    with pytest.raises(CatalogueError) as caught:
        services.create_competency(**data)
    assert caught.value.field == field and message in str(caught.value)
    assert count_rows(Competency) == before


def test_same_name_allowed_in_another_group_and_field_dropped_outside_teknis(sample):
    competency = services.create_competency(code="S-KS", name="Kerja Sama", group=CompetencyGroup.SOCIOCULTURAL,
                                            field="Diabaikan")
    assert competency.field is None


def test_update_competency_records_the_changes(sample):
    services.update_competency(sample.data, code="T-DIG-01", name="Analisis Data Dasar",
                               group=CompetencyGroup.TECHNICAL, field="Digital", description="")
    (entry,) = _actions("competency.updated")
    assert entry.changes == {"name": ["Analisis Data", "Analisis Data Dasar"]}
    with pytest.raises(CatalogueError, match="sudah dipakai"):
        services.update_competency(sample.data, code="M-KS", name="Analisis Data", group=CompetencyGroup.TECHNICAL,
                                   field="Digital")


def test_deactivate_and_activate(sample):
    services.set_competency_active(sample.komunikasi, False)
    assert not sample.komunikasi.is_active and sample.komunikasi not in services.active_competencies()
    with pytest.raises(CatalogueError, match="sudah nonaktif"):
        services.set_competency_active(sample.komunikasi, False)
    services.set_competency_active(sample.komunikasi, True)
    assert sample.komunikasi.is_active
    assert len(_actions("competency.deactivated")) == len(_actions("competency.activated")) == 1


def test_dictionary_groups_teknis_by_field_and_searches(sample):
    services.create_competency(code="T-KES-01", name="Manajemen Puskesmas", group=CompetencyGroup.TECHNICAL,
                               field="Kesehatan")
    titles = [s.title for s in services.dictionary()]
    assert titles == ["Teknis — Digital", "Teknis — Kesehatan", "Manajerial"]
    sections = services.dictionary("komun")
    assert [[c.code for c in s.competencies] for s in sections] == [["M-KOM"]]
    assert services.programme_counts()[sample.kerja_sama.id] == 1


# ---------------------------------------------------------------- BerAKHLAK mapping
def test_preview_counts_the_employees_whose_recommendations_change(sample, kolaboratif_need):
    assert services.preview_core_value_map({CoreValue.COLLABORATIVE: {sample.kerja_sama.id}}) == 0
    # Kolaboratif now developed by data analysis: staff_a1 would get the analytics programme instead.
    assert services.preview_core_value_map({CoreValue.COLLABORATIVE: {sample.data.id}}) == 1
    # A value nobody fell short on changes nobody's recommendations.
    assert services.preview_core_value_map({CoreValue.LOYAL: {sample.data.id}}) == 0
    assert count_rows(CoreValueCompetency) == 2  # a preview writes nothing


def test_save_mapping_replaces_rows_audits_and_queues_recompute(sample, world):
    changed = services.save_core_value_map({CoreValue.COLLABORATIVE: {sample.komunikasi.id, sample.data.id}},
                                           user=world.users["bkpsdm"])
    assert changed == {CoreValue.COLLABORATIVE: (["Kerja Sama"], ["Analisis Data", "Komunikasi"])}
    mapping = services.core_value_map()
    assert mapping[CoreValue.COLLABORATIVE] == {sample.komunikasi.id, sample.data.id}
    assert mapping[CoreValue.SERVICE] == {sample.pelayanan.id}  # untouched
    (entry,) = _actions("competency.mapping_changed")
    assert entry.changes == {"kolaboratif": ["Kerja Sama", "Analisis Data, Komunikasi"]}
    assert len(_jobs()) == 1
    # Saving the same mapping again changes nothing.
    assert services.save_core_value_map({CoreValue.COLLABORATIVE: {sample.komunikasi.id, sample.data.id}}) == {}
    assert len(_actions("competency.mapping_changed")) == 1


def test_mapping_can_be_emptied_and_refuses_unknown_ids(sample):
    services.save_core_value_map({CoreValue.COLLABORATIVE: set()})
    assert services.core_value_map()[CoreValue.COLLABORATIVE] == frozenset()
    with pytest.raises(CatalogueError, match="tidak dikenal"):
        services.save_core_value_map({CoreValue.SERVICE: {999_999}})


# ---------------------------------------------------------------- thresholds
def test_settings_preview_and_save(sample, kolaboratif_need, world):
    current = {name: getattr(sample.settings, name) for name in services.SETTING_RANGES}
    assert services.preview_settings(current) == 0
    assert services.preview_settings({**current, "coaching_jp": 4}) == 0  # not read by the engine
    # One programme per need instead of three does not change staff_a1's (only one fits Kolaboratif) ...
    assert services.preview_settings({**current, "per_need": 1}) == 0
    # ... while a JP target of 6 takes away staff_a1's JP-shortfall suggestion (6 JP recorded); the
    # others still fall short (their reasons are only reworded, which does not count).
    assert services.preview_settings({**current, "jp_target": 6}) == 1
    services.update_settings({**current, "coaching_jp": 4}, user=world.users["bkpsdm"])
    assert sample.settings.coaching_jp == 4 and not _jobs()  # nothing to recompute
    services.update_settings({**current, "coaching_jp": 4, "jp_target": 24})
    (first, second) = _actions("catalogue_settings.updated")
    assert first.changes == {"coaching_jp": [2, 4]} and second.changes == {"jp_target": [20, 24]}
    assert len(_jobs()) == 1


@pytest.mark.parametrize("name, value", [("jp_target", 0), ("per_need", 11), ("coaching_score_max", 5),
                                         ("jp_suggestions", "dua")])
def test_settings_refuse_values_out_of_range(sample, name, value):
    with pytest.raises(CatalogueError) as caught:
        services.update_settings({name: value})
    assert caught.value.field == name
    assert getattr(sample.settings, name) != value


# ---------------------------------------------------------------- RHK / IKI tags
def test_tags_on_results_and_indicators(sample, world):
    p = sample_evaluation(world).plan_sample
    services.add_tag(sample.kerja_sama, result=p.result)
    services.add_tag(sample.data, indicator=p.indicator)
    with pytest.raises(CatalogueError, match="sudah ditandai"):
        services.add_tag(sample.kerja_sama, result=p.result)
    results, result_tags, indicator_tags = services.load_plan_tags(p.plan)
    assert p.result in results
    assert result_tags[p.result.id] == [sample.kerja_sama] and indicator_tags[p.indicator.id] == [sample.data]
    services.remove_tag(sample.kerja_sama, result=p.result)
    assert count_rows(ResultCompetency) == 0 and count_rows(IndicatorCompetency) == 1
    with pytest.raises(CatalogueError, match="tidak ditandai"):
        services.remove_tag(sample.kerja_sama, result=p.result)
    assert [e.object_id for e in _actions("competency.tagged")] == [p.plan.id, p.plan.id]
    sample.komunikasi.is_active = False
    with pytest.raises(CatalogueError, match="nonaktif"):
        services.add_tag(sample.komunikasi, result=p.result)


def test_who_may_tag(sample, world, factory):
    plan = sample_evaluation(world).plan
    users = world.users
    assert services.can_tag(plan, users["pegawai"]) and services.can_tag(plan, users["supervisor"])
    assert services.can_tag(plan, users["bkpsdm"]) and services.can_tag(plan, users["superadmin"])
    assert not services.can_tag(plan, users["pimpinan"]) and not services.can_tag(plan, users["admin_opd"])
    assert not services.can_tag(plan, factory.user(world.staff_b))


def test_tagging_a_result_that_fell_short_recomputes_the_employee(sample, world):
    ev = sample_evaluation(world)
    result = ev.plan_sample.result
    db.session.add(DevelopmentNeed(key=f"e{ev.final.id}:rhk:{result.id}", evaluation_id=ev.final.id,
                                   employee_id=world.staff_a1.id, period_id=ev.final.period_id,
                                   period_key=ev.final.period_key, kind=NeedKind.RESULT_PLAN, result_id=result.id,
                                   reason="RHK belum tercapai pada Oktober 2026"))
    db.session.flush()
    services.add_tag(sample.data, result=result)
    programmes = set(db.session.scalars(sa.select(Recommendation.programme_id).where(
        Recommendation.employee_id == world.staff_a1.id)))
    assert sample.analytics.id in programmes
