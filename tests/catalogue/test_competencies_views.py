"""The competency pages: dictionary, BerAKHLAK mapping with preview, thresholds, RHK/IKI tags."""
import re

import pytest
import sqlalchemy as sa

from portal.catalogue import competency_services as services
from portal.catalogue.models import Competency, IndicatorCompetency, ResultCompetency
from portal.core.audit import AuditEntry
from portal.evaluation.models import DevelopmentNeed, NeedKind
from portal.extensions import db
from portal.plans.models import CoreValue
from tests.catalogue.sample import sample_catalogue
from tests.conftest import count_rows, count_statements
from tests.evaluation.sample import sample_evaluation

HX = {"HX-Request": "true"}


@pytest.fixture
def sample(world):
    return sample_catalogue(world)


@pytest.fixture
def kolaboratif_need(world, sample):
    final = sample_evaluation(world).final
    db.session.add(DevelopmentNeed(key=f"e{final.id}:nilai:kolaboratif", evaluation_id=final.id,
                                   employee_id=world.staff_a1.id, period_id=final.period_id,
                                   period_key=final.period_key, kind=NeedKind.CORE_VALUE,
                                   core_value=CoreValue.COLLABORATIVE,
                                   reason="Rating perilaku Kolaboratif Di Bawah Ekspektasi pada Oktober 2026"))
    db.session.flush()


def _text(response):
    return response.get_data(as_text=True)


def _reload():
    db.session.expire_all()


def _fingerprint(html):
    return re.search(r'name="previewed" value="([0-9a-f]+)"', html).group(1)


# ---------------------------------------------------------------- dictionary
def test_everyone_reads_the_dictionary_only_bkpsdm_edits(sample, login_as):
    html = _text(login_as("pegawai").get("/kompetensi/"))
    assert "Teknis — Digital" in html and "Manajerial" in html and "Kerja Sama" in html
    assert "Tambah kompetensi" not in html and "/ubah" not in html
    html = _text(login_as("bkpsdm").get("/kompetensi/"))
    assert "Tambah kompetensi" in html and f"/kompetensi/{sample.kerja_sama.id}/ubah" in html
    assert login_as("pimpinan").get("/kompetensi/baru").status_code == 403
    assert login_as("admin_opd").post(f"/kompetensi/{sample.data.id}/nonaktifkan").status_code == 403


def test_dictionary_search_and_htmx_partial(sample, login_as):
    client = login_as("bkpsdm")
    html = _text(client.get("/kompetensi/?q=komun"))
    assert "Komunikasi" in html and "Kerja Sama" not in html and "<html" in html
    partial = _text(client.get("/kompetensi/?q=digital", headers=HX))
    assert "<html" not in partial and "Analisis Data" in partial and "1 kompetensi" in partial
    assert "Tidak ada kompetensi yang cocok" in _text(client.get("/kompetensi/?q=zzz", headers=HX))


def test_dictionary_queries_do_not_grow(sample, login_as):
    client = login_as("bkpsdm")
    client.get("/kompetensi/")
    with count_statements() as few:
        client.get("/kompetensi/")
    for n in range(10):
        db.session.add(Competency(code=f"T-X-{n}", name=f"Teknis {n}", group=sample.data.group, field=f"Bidang {n}"))
    db.session.flush()
    with count_statements() as more:
        client.get("/kompetensi/")
    assert len(more) == len(few)


def test_create_competency(sample, login_as):
    client = login_as("bkpsdm")
    assert "Bidang (untuk kompetensi teknis)" in _text(client.get("/kompetensi/baru"))
    response = client.post("/kompetensi/baru", data={"code": "t-kes-01", "name": "Manajemen Puskesmas",
                                                     "group": "teknis", "field": "Kesehatan", "description": ""})
    assert response.status_code == 303
    _reload()
    created = db.session.scalar(sa.select(Competency).where(Competency.code == "T-KES-01"))
    assert created.field == "Kesehatan"
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.object_id == created.id,
                                                                AuditEntry.object_type == "Competency"))


@pytest.mark.parametrize("data, message", [
    ({"code": "", "name": "X", "group": "manajerial"}, "Isi kode kompetensi."),
    ({"code": "M-KS", "name": "X", "group": "manajerial"}, "Kode M-KS sudah dipakai kompetensi lain."),
    ({"code": "T-1", "name": "Statistik", "group": "teknis", "field": ""}, "Kompetensi teknis harus punya bidang"),
    ({"code": "M-1", "name": "Kerja Sama", "group": "manajerial"}, "sudah ada di kelompok Manajerial"),
    ({"code": "M-1", "name": "X", "group": "bukan"}, "Pilih kelompok kompetensi."),
])
def test_create_competency_bad_input_rerenders(sample, login_as, data, message):
    before = count_rows(Competency)
    response = login_as("bkpsdm").post("/kompetensi/baru", data=data)
    assert response.status_code == 200 and message in _text(response)
    assert "Periksa kembali isian" in _text(response)
    assert count_rows(Competency) == before


def test_edit_and_deactivate_competency(sample, login_as):
    client = login_as("bkpsdm")
    assert 'value="M-KOM"' in _text(client.get(f"/kompetensi/{sample.komunikasi.id}/ubah"))
    response = client.post(f"/kompetensi/{sample.komunikasi.id}/ubah",
                           data={"code": "M-KOM", "name": "Komunikasi Efektif", "group": "manajerial"})
    assert response.status_code == 303
    response = client.post(f"/kompetensi/{sample.komunikasi.id}/nonaktifkan")
    assert response.status_code == 303
    _reload()
    assert sample.komunikasi.name == "Komunikasi Efektif" and not sample.komunikasi.is_active
    assert "Nonaktif" in _text(client.get("/kompetensi/"))
    client.post(f"/kompetensi/{sample.komunikasi.id}/aktifkan")
    _reload()
    assert sample.komunikasi.is_active


# ---------------------------------------------------------------- BerAKHLAK mapping
def test_mapping_page_lists_values_and_edit_is_bkpsdm_only(sample, login_as):
    html = _text(login_as("pegawai").get("/kompetensi/berakhlak"))
    assert "Kolaboratif" in html and "Kerja Sama" in html and "Memahami dan memenuhi kebutuhan masyarakat" in html
    assert "?nilai=" not in html
    assert login_as("pegawai").get("/kompetensi/berakhlak?nilai=kolaboratif").status_code == 403
    assert login_as("pimpinan").post("/kompetensi/berakhlak", data={"nilai": "kolaboratif"}).status_code == 403
    html = _text(login_as("bkpsdm").get("/kompetensi/berakhlak?nilai=kolaboratif"))
    assert f'value="{sample.kerja_sama.id}" id="comp-{sample.kerja_sama.id}" checked' in html
    assert login_as("bkpsdm").post("/kompetensi/berakhlak", data={"nilai": "bukan"}).status_code == 404


def test_mapping_preview_then_save_without_js(sample, kolaboratif_need, login_as):
    client = login_as("bkpsdm")
    data = {"nilai": "kolaboratif", "competencies": [str(sample.data.id)], "action": "pratinjau"}
    html = _text(client.post("/kompetensi/berakhlak", data=data))
    assert "Perubahan ini mengubah rekomendasi 1 pegawai." in html and "<html" in html
    assert services.core_value_map()[CoreValue.COLLABORATIVE] == {sample.kerja_sama.id}  # nothing saved yet
    # Saving a selection other than the one previewed shows a new preview instead.
    other = {**data, "competencies": [str(sample.komunikasi.id)], "action": "simpan", "previewed": _fingerprint(html)}
    assert "Perubahan ini mengubah rekomendasi" in _text(client.post("/kompetensi/berakhlak", data=other))
    _reload()
    assert services.core_value_map()[CoreValue.COLLABORATIVE] == {sample.kerja_sama.id}
    response = client.post("/kompetensi/berakhlak", data={**data, "action": "simpan", "previewed": _fingerprint(html)})
    assert response.status_code == 303 and response.headers["Location"].endswith("/kompetensi/berakhlak")
    _reload()
    assert services.core_value_map()[CoreValue.COLLABORATIVE] == {sample.data.id}


def test_mapping_preview_htmx_returns_the_partial(sample, kolaboratif_need, login_as):
    client = login_as("bkpsdm")
    html = _text(client.post("/kompetensi/berakhlak", headers=HX, data={
        "nilai": "kolaboratif", "competencies": [str(sample.data.id), str(sample.kerja_sama.id)],
        "action": "pratinjau"}))
    assert "<html" not in html and 'id="preview-count"' in html and 'value="simpan"' in html
    unchanged = _text(client.post("/kompetensi/berakhlak", headers=HX, data={
        "nilai": "kolaboratif", "competencies": [str(sample.kerja_sama.id)]}))
    assert "Belum ada perubahan" in unchanged and 'value="simpan"' not in unchanged


def test_mapping_refuses_unknown_competency(sample, login_as):
    html = _text(login_as("bkpsdm").post("/kompetensi/berakhlak", data={
        "nilai": "kolaboratif", "competencies": ["999999"], "action": "pratinjau"}))
    assert "Ada kompetensi yang tidak dikenal" in html


# ---------------------------------------------------------------- thresholds
def _settings_data(sample, **changes):
    return {**{name: str(getattr(sample.settings, name)) for name in services.SETTING_RANGES}, **changes}


def test_settings_preview_then_save(sample, login_as):
    client = login_as("bkpsdm")
    assert 'name="jp_target"' in _text(client.get("/kompetensi/ambang"))
    html = _text(client.post("/kompetensi/ambang", data=_settings_data(sample, coaching_jp="3")))
    assert "tidak mengubah rekomendasi" in html
    response = client.post("/kompetensi/ambang", data=_settings_data(
        sample, coaching_jp="3", action="simpan", previewed=_fingerprint(html)))
    assert response.status_code == 303
    _reload()
    assert sample.settings.coaching_jp == 3
    partial = _text(client.post("/kompetensi/ambang", headers=HX, data=_settings_data(sample, jp_target="6")))
    assert "<html" not in partial and "Perubahan ini mengubah rekomendasi 1 pegawai." in partial


@pytest.mark.parametrize("name, value, message", [("jp_target", "0", "Isi antara 1 dan 200."),
                                                  ("per_need", "x", "Bukan bilangan bulat yang valid."),
                                                  ("coaching_score_max", "9", "Isi antara 1 dan 4.")])
def test_settings_bad_input(sample, login_as, name, value, message):
    client = login_as("bkpsdm")
    response = client.post("/kompetensi/ambang", data=_settings_data(sample, **{name: value}, action="simpan"))
    assert response.status_code == 200 and message in _text(response)
    partial = _text(client.post("/kompetensi/ambang", headers=HX, data=_settings_data(sample, **{name: value})))
    assert "<html" not in partial and message in partial
    _reload()
    assert str(getattr(sample.settings, name)) != value


def test_settings_readers(sample, login_as):
    html = _text(login_as("pimpinan").get("/kompetensi/ambang"))
    assert "Target JP per tahun" in html and "<form method=\"post\" action=\"/kompetensi/ambang\"" not in html
    assert login_as("pegawai").get("/kompetensi/ambang").status_code == 403
    assert login_as("pimpinan").post("/kompetensi/ambang", data=_settings_data(sample)).status_code == 403


# ---------------------------------------------------------------- RHK / IKI tags
def test_plan_tags_page_and_htmx_editor(sample, world, login_as):
    p = sample_evaluation(world).plan_sample
    client = login_as("pegawai")
    html = _text(client.get(f"/kompetensi/skp/{p.plan.id}"))
    assert p.result.text in html and p.indicator.text in html and "Tandai" in html
    partial = _text(client.post(f"/kompetensi/rhk/{p.result.id}/tanda", headers=HX,
                                data={"competency_id": str(sample.kerja_sama.id)}))
    assert "<html" not in partial and f'id="rhk-tags-{p.result.id}"' in partial and "Kerja Sama" in partial
    response = client.post(f"/kompetensi/iki/{p.indicator.id}/tanda", data={"competency_id": str(sample.data.id)})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#iki-{p.indicator.id}")
    assert count_rows(ResultCompetency) == count_rows(IndicatorCompetency) == 1
    again = _text(client.post(f"/kompetensi/rhk/{p.result.id}/tanda", headers=HX,
                              data={"competency_id": str(sample.kerja_sama.id)}))
    assert "sudah ditandai di sini" in again
    empty = _text(client.post(f"/kompetensi/rhk/{p.result.id}/tanda", headers=HX, data={"competency_id": ""}))
    assert "Pilih kompetensi." in empty
    partial = _text(client.post(f"/kompetensi/rhk/{p.result.id}/tanda/{sample.kerja_sama.id}/hapus", headers=HX))
    assert "Belum ada kompetensi." in partial
    assert count_rows(ResultCompetency) == 0


def test_plan_tags_permissions(sample, world, login_as, factory):
    p = sample_evaluation(world).plan_sample
    reader = _text(login_as("pimpinan").get(f"/kompetensi/skp/{p.plan.id}"))
    assert p.result.text in reader and "/tanda\"" not in reader and "Pilih kompetensi…" not in reader
    assert login_as("pimpinan").post(f"/kompetensi/rhk/{p.result.id}/tanda",
                                     data={"competency_id": str(sample.data.id)}).status_code == 403
    outsider = login_as(factory.user(world.staff_b))
    assert outsider.get(f"/kompetensi/skp/{p.plan.id}").status_code == 403
    assert login_as("supervisor").post(f"/kompetensi/iki/{p.indicator.id}/tanda",
                                       data={"competency_id": str(sample.data.id)}).status_code == 303
    assert login_as("bkpsdm").post(f"/kompetensi/iki/{p.indicator.id}/tanda/{sample.data.id}/hapus").status_code == 303
    assert count_rows(IndicatorCompetency) == 0
