"""The evaluation page through its views: reading, saving (first save starts it), the lock,
finalising, acknowledging, the head of a unit, who may do what, and "Evaluasi saya"."""
import re

import pytest
import sqlalchemy as sa

from portal.core.audit import AuditEntry
from portal.evaluation.models import (
    Evaluation,
    EvaluationStatus,
    IndicatorNote,
    OrgAssessment,
    OrgPredicate,
    Predicate,
    Rating,
)
from portal.extensions import db
from portal.plans.models import Aspect, CoreValue, PlanStatus
from tests.evaluation.sample import sample_evaluation
from tests.plans.sample import make_plan


@pytest.fixture
def s(world):
    return sample_evaluation(world)


def url(plan, key, suffix=""):
    return f"/evaluasi/skp/{plan.id}/{key}{suffix}"


def text(response):
    return response.get_data(as_text=True)


def reload(evaluation_id):
    db.session.expire_all()
    return db.session.get(Evaluation, evaluation_id)


def evaluation_of(plan, key):
    db.session.expire_all()
    return db.session.scalar(sa.select(Evaluation).where(Evaluation.plan_id == plan.id,
                                                         Evaluation.period_key == key))


def form_data(**extra):
    data = {"hasil_rating": "sesuai", "hasil_reason": "Realisasi sesuai target bulan ini.",
            "perilaku_rating": "di_atas", "perilaku_note": "Sigap membantu rekan."}
    for value in CoreValue:
        data[f"rating_{value.value}"] = ""
        data[f"note_{value.value}"] = ""
    data.update(extra)
    return data


# ---------------------------------------------------------------- reading
def test_penilai_reads_the_period_with_rows_evidence_feedback_and_suggestion(s, world, login_as):
    page = text(login_as("supervisor").get(url(s.plan, 11)))
    assert "Evaluasi kinerja November 2026" in page
    assert world.staff_a1.display_name in page and world.chief_a1.display_name in page
    # hasil kerja grouped like the SKP, with the intervened RHK, realisasi and capaian
    assert "A. Utama" in page and "B. Tambahan" in page and "A.1 Dataset sektoral tersusun" in page
    assert "Tersedianya data sektoral yang mutakhir" in page
    assert "Satu dataset selesai" in page and "9,09 %" in page
    # the link evidence opens safely; the feedback thread is collapsed
    assert re.search(r'<a href="https://data\.example\.go\.id/dataset/1" rel="noopener noreferrer[^"]*"', page)
    assert re.search(r"<details[^>]*>\s*<summary>Umpan balik \(1 pesan\)</summary>", page)
    # the suggestion is labelled as one, the form is the penilai's
    assert "hanya saran" in page and "Disarankan: Di Bawah Ekspektasi" in page
    assert f'name="iki_{s.plan_sample.indicator.id}"' in page
    assert 'value="sesuai" checked' in page or re.search(r'checked[^>]*value="sesuai"', page)
    assert "Simpan draf" in page and "Ya, finalkan sekarang" in page
    # the switcher: every month and the year, with status
    assert "Oktober 2026: Final" in page and "November 2026: Draf" in page and "Tahunan 2026: belum dimulai" in page
    assert f'href="/evaluasi/skp/{s.plan.id}/0"' in page
    # BerAKHLAK with guides
    assert "Kolaboratif" in page and "Membantu orang lain belajar" in page


def test_pegawai_reads_without_a_form(s, login_as):
    page = text(login_as("pegawai").get(url(s.plan, 11)))
    assert "Evaluasi ini masih draf pejabat penilai" in page
    assert 'id="evaluation-form"' not in page and "iki_" not in page and "Ya, finalkan" not in page


def test_unstarted_period_shows_an_empty_form_and_writes_nothing(s, login_as):
    before = db.session.scalar(sa.select(sa.func.count(Evaluation.id)))
    page = text(login_as("supervisor").get(url(s.plan, 3)))
    assert "Belum dimulai" in page and "Simpan draf lebih dulu" in page
    assert "Ya, finalkan sekarang" not in page
    assert db.session.scalar(sa.select(sa.func.count(Evaluation.id))) == before
    page = text(login_as("pegawai").get(url(s.plan, 3)))
    assert "Pejabat penilai belum memulai evaluasi periode ini." in page


def test_final_evaluation_shows_predikat_needs_and_objection(s, login_as):
    page = text(login_as("pegawai").get(url(s.plan, 10)))
    assert "Predikat: Baik" in page and "Kebutuhan pengembangan" in page
    assert "Saya sudah membaca evaluasi ini" in page
    assert f'/keberatan/{s.objection.id}' in page and "Diajukan" in page


@pytest.mark.parametrize("key", [13, 99, 2**31, 10**20])
def test_a_period_the_plan_does_not_cover_is_404(s, login_as, key):
    client = login_as("supervisor")
    assert client.get(url(s.plan, key)).status_code == 404
    assert client.post(url(s.plan, key), data=form_data()).status_code == 404
    assert client.get(url(s.plan, key, "/predikat")).status_code == 404


def test_a_closed_plan_covers_only_its_months(s, login_as):
    from datetime import date
    s.plan.status = PlanStatus.CLOSED
    s.plan.end_date = date(2026, 5, 31)
    db.session.flush()
    client = login_as("supervisor")
    assert client.get(url(s.plan, 6)).status_code == 404
    assert client.get(url(s.plan, 5)).status_code == 200


def test_unknown_plan_and_evaluation_are_404(login_as, s):
    client = login_as("supervisor")
    assert client.get("/evaluasi/skp/999999/11").status_code == 404
    assert client.get("/evaluasi/999999").status_code == 404
    assert client.post("/evaluasi/999999/terima").status_code == 404


# ---------------------------------------------------------------- saving
def test_first_save_starts_the_evaluation_then_the_page_shows_it(s, login_as):
    client = login_as("supervisor")
    iki = s.plan_sample.indicator
    response = client.post(url(s.plan, 9), data=form_data(**{
        f"iki_{iki.id}": "Percepat penyusunan dataset.", "rating_kolaboratif": "di_bawah",
        "note_kolaboratif": "Jarang berbagi data."}))
    assert response.status_code == 303 and response.headers["Location"].endswith(url(s.plan, 9))
    evaluation = evaluation_of(s.plan, 9)
    assert evaluation.status is EvaluationStatus.DRAFT
    assert (evaluation.hasil_rating, evaluation.perilaku_rating) == (Rating.MEETS, Rating.ABOVE)
    assert evaluation.predicate is Predicate.GOOD and evaluation.hasil_reason.startswith("Realisasi")
    behaviour = next(b for b in evaluation.behaviours if b.value is CoreValue.COLLABORATIVE)
    assert (behaviour.rating, behaviour.note) == (Rating.BELOW, "Jarang berbagi data.")
    assert [n.body for n in evaluation.notes] == ["Percepat penyusunan dataset."]
    assert evaluation.suggested_rating is None  # no capaian by September: nothing suggested
    actions = set(db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.object_type == "Evaluation", AuditEntry.object_id == evaluation.id)))
    assert {"start_evaluation", "rate_evaluation"} <= actions
    page = text(client.get(url(s.plan, 9)))
    assert "Evaluasi disimpan." in page and "Percepat penyusunan dataset." in page
    assert 'id="predikat-word">Baik<' in page


def test_save_with_the_current_lock_updates_the_draft(s, login_as):
    client = login_as("supervisor")
    response = client.post(url(s.plan, 11), data=form_data(
        hasil_rating="di_bawah", perilaku_rating="sesuai", lock_version=s.draft.lock_version))
    assert response.status_code == 303
    evaluation = reload(s.draft.id)
    assert evaluation.predicate is Predicate.NEEDS_IMPROVEMENT
    assert evaluation.suggested_rating is Rating.BELOW  # what the portal suggested is kept


def test_stale_form_is_refused_and_nothing_typed_is_lost(s, login_as):
    client = login_as("supervisor")
    version = s.draft.lock_version
    assert client.post(url(s.plan, 11), data=form_data(lock_version=version)).status_code == 303
    iki = s.plan_sample.indicator
    response = client.post(url(s.plan, 11), data=form_data(
        lock_version=version, hasil_rating="di_atas", hasil_reason="Alasan dari tab lama",
        **{f"iki_{iki.id}": "Catatan dari tab lama"}))
    page = text(response)
    assert response.status_code == 200
    assert "sudah diubah di tab atau perangkat lain" in page
    assert "Alasan dari tab lama" in page and "Catatan dari tab lama" in page
    assert re.search(r'checked[^>]*value="di_atas"', page)
    evaluation = reload(s.draft.id)
    assert evaluation.hasil_rating is Rating.MEETS and evaluation.hasil_reason != "Alasan dari tab lama"
    # the form now carries the current version: saving again replaces the other tab's changes
    assert f'name="lock_version" type="hidden" value="{evaluation.lock_version}"' in page
    assert client.post(url(s.plan, 11), data=form_data(
        lock_version=evaluation.lock_version, hasil_rating="di_atas")).status_code == 303
    assert reload(s.draft.id).hasil_rating is Rating.ABOVE


def test_a_form_for_a_new_evaluation_is_stale_once_another_tab_started_it(s, login_as):
    client = login_as("supervisor")
    assert client.post(url(s.plan, 9), data=form_data(lock_version="")).status_code == 303
    response = client.post(url(s.plan, 9), data=form_data(lock_version="", hasil_rating="di_bawah"))
    assert response.status_code == 200 and "sudah diubah di tab" in text(response)
    assert evaluation_of(s.plan, 9).hasil_rating is Rating.MEETS


@pytest.mark.parametrize("bad", [{"hasil_rating": "istimewa"}, {"perilaku_rating": "<b>"},
                                 {"rating_loyal": "baik"}, {"hasil_reason": "x" * 2001},
                                 {"lock_version": "bukan angka"}])
def test_bad_input_rerenders_with_a_message_and_saves_nothing(s, login_as, bad):
    client = login_as("supervisor")
    response = client.post(url(s.plan, 11), data=form_data(**{"lock_version": s.draft.lock_version, **bad}))
    assert response.status_code == 200
    page = text(response)
    assert "invalid-feedback" in page or 'role="alert"' in page
    evaluation = reload(s.draft.id)
    assert evaluation.perilaku_rating is None and evaluation.hasil_reason == ""


def test_an_overlong_iki_note_is_shown_on_its_row(s, login_as):
    iki = s.plan_sample.indicator
    response = login_as("supervisor").post(url(s.plan, 11), data=form_data(
        lock_version=s.draft.lock_version, **{f"iki_{iki.id}": "x" * 2001}))
    page = text(response)
    assert response.status_code == 200
    assert f'id="iki_{iki.id}-error"' in page and "Paling banyak 2000 karakter." in page
    assert db.session.scalar(sa.select(sa.func.count(IndicatorNote.id)).where(
        IndicatorNote.evaluation_id == s.draft.id)) == 0


# ---------------------------------------------------------------- who may rate
def test_rating_someone_who_is_not_your_subordinate_is_403(s, world, login_as, factory):
    other = make_plan(world.staff_b, s.plan_sample.period, PlanStatus.APPROVED,
                      results=[("Surat terproses", [(Aspect.QUANTITY, "Jumlah surat", 100)])])
    client = login_as("supervisor")
    assert client.get(url(other, 11)).status_code == 403
    assert client.post(url(other, 11), data=form_data()).status_code == 403
    assert client.post(url(other, 11, "/final")).status_code == 403
    assert client.get(url(other, 11, "/predikat")).status_code == 403
    assert evaluation_of(other, 11) is None
    # the pegawai reads their own evaluation but may not rate it
    pegawai = login_as("pegawai")
    assert pegawai.post(url(s.plan, 11), data=form_data(lock_version=s.draft.lock_version)).status_code == 403
    assert pegawai.post(url(s.plan, 11, "/final")).status_code == 403
    assert reload(s.draft.id).perilaku_rating is None


def test_an_unapproved_plan_cannot_be_started(s, world, login_as):
    s.plan.status = PlanStatus.SUPERSEDED
    db.session.flush()
    client = login_as("supervisor")
    assert client.post(url(s.plan, 9), data=form_data()).status_code == 403
    page = text(client.get(url(s.plan, 9)))
    assert "Evaluasi dapat dimulai setelah SKP disetujui" in page and 'id="evaluation-form"' not in page


def test_admin_and_bkpsdm_read_but_do_not_rate(s, login_as):
    for role in ("admin_opd", "bkpsdm"):
        client = login_as(role)
        assert client.get(url(s.plan, 11)).status_code == 200
        assert client.post(url(s.plan, 11), data=form_data()).status_code == 403
    assert login_as("admin_opd").get(url(s.plan, 11)).get_data(as_text=True).count('id="evaluation-form"') == 0


# ---------------------------------------------------------------- finalising
def test_finalise_without_ratings_is_refused_with_the_reason(s, login_as):
    client = login_as("supervisor")
    response = client.post(url(s.plan, 11, "/final"))
    assert response.status_code == 303
    page = text(client.get(response.headers["Location"]))
    assert "Tetapkan rating perilaku kerja sebelum memfinalkan evaluasi." in page
    assert reload(s.draft.id).status is EvaluationStatus.DRAFT


def test_finalise_before_the_first_save_asks_to_save(s, login_as):
    client = login_as("supervisor")
    response = client.post(url(s.plan, 9, "/final"))
    assert response.status_code == 303
    assert "Simpan evaluasi ini lebih dulu" in text(client.get(response.headers["Location"]))
    assert evaluation_of(s.plan, 9) is None


def test_finalise_locks_and_later_changes_are_refused(s, login_as, world):
    client = login_as("supervisor")
    client.post(url(s.plan, 11), data=form_data(lock_version=s.draft.lock_version, hasil_rating="di_bawah",
                                                perilaku_rating="sesuai"))
    response = client.post(url(s.plan, 11, "/final"))
    page = text(client.get(response.headers["Location"]))
    assert "Evaluasi difinalkan dengan predikat Butuh Perbaikan" in page
    evaluation = reload(s.draft.id)
    assert evaluation.status is EvaluationStatus.FINAL and evaluation.predicate is Predicate.NEEDS_IMPROVEMENT
    assert evaluation.needs and "Kebutuhan pengembangan" in page and "Rating hasil kerja Di Bawah Ekspektasi" in page
    assert 'id="evaluation-form"' not in page
    # a stale tab posting to the final evaluation changes nothing
    response = client.post(url(s.plan, 11), data=form_data(lock_version=evaluation.lock_version,
                                                           hasil_rating="di_atas"))
    assert response.status_code == 303
    assert "Evaluasi yang sudah final tidak dapat diubah." in text(client.get(response.headers["Location"]))
    response = client.post(url(s.plan, 11, "/final"))
    assert "Evaluasi ini sudah final." in text(client.get(response.headers["Location"]))
    assert reload(s.draft.id).hasil_rating is Rating.BELOW
    # the pegawai may now object, from the page
    page = text(login_as("pegawai").get(url(s.plan, 11)))
    assert f'href="/keberatan/evaluasi/{s.draft.id}"' in page and "Ajukan keberatan" in page


# ---------------------------------------------------------------- acknowledging
def test_pegawai_acknowledges_a_final_evaluation_once(s, login_as):
    pegawai = login_as("pegawai")
    assert login_as("supervisor").post(f"/evaluasi/{s.final.id}/terima").status_code == 403
    response = pegawai.post(f"/evaluasi/{s.final.id}/terima")
    assert response.status_code == 303
    page = text(pegawai.get(response.headers["Location"]))
    assert "tercatat sudah Anda terima" in page and "Diterima pegawai pada" in page
    first = reload(s.final.id).acknowledged_dt
    assert first is not None
    response = pegawai.post(f"/evaluasi/{s.final.id}/terima")
    assert "Evaluasi ini sudah Anda terima." in text(pegawai.get(response.headers["Location"]))
    assert reload(s.final.id).acknowledged_dt == first
    # a draft cannot be acknowledged
    response = pegawai.post(f"/evaluasi/{s.draft.id}/terima")
    assert "Evaluasi ini belum final." in text(pegawai.get(response.headers["Location"]))
    assert reload(s.draft.id).acknowledged_dt is None


# ---------------------------------------------------------------- head of a unit
def test_head_of_unit_rating_follows_the_org_capaian(s, world, login_as, factory):
    db.session.add(OrgAssessment(org_unit=world.bidang_a1, period=s.plan_sample.period,
                                 subperiod=s.plan_sample.november, period_key=11,
                                 predicate=OrgPredicate.OUTSTANDING))
    head_user = factory.user(world.head_a)
    db.session.flush()
    chief_plan = s.plan_sample.chief_plan
    client = login_as(head_user)
    page = text(client.get(url(chief_plan, 11)))
    assert "Sebagai kepala unit, rating hasil kerja" in page and "Istimewa" in page
    assert re.search(r'<input checked class="form-check-input" disabled id="hasil_rating-0"', page)
    # the preview follows the fixed rating whatever the query says
    preview = text(client.get(url(chief_plan, 11, "/predikat"),
                              query_string={"hasil_rating": "di_bawah", "perilaku_rating": "sesuai"}))
    assert 'id="predikat-word">Baik<' in preview
    response = client.post(url(chief_plan, 11), data=form_data(hasil_rating="di_bawah", perilaku_rating="di_atas"))
    assert response.status_code == 303
    evaluation = evaluation_of(chief_plan, 11)
    assert evaluation.hasil_from_org and evaluation.hasil_rating is Rating.ABOVE
    assert evaluation.predicate is Predicate.VERY_GOOD


# ---------------------------------------------------------------- by id, and "Evaluasi saya"
def test_open_evaluation_redirects_to_its_page(s, world, login_as, factory):
    response = login_as("pegawai").get(f"/evaluasi/{s.final.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(url(s.plan, 10))
    outsider = factory.user(world.staff_b)
    db.session.flush()
    assert login_as(outsider).get(f"/evaluasi/{s.final.id}").status_code == 403
    assert login_as(outsider).get(url(s.plan, 10)).status_code == 403


def test_my_evaluations_newest_first_with_call_to_action(s, login_as):
    page = text(login_as("pegawai").get("/evaluasi/"))
    assert "1 evaluasi final menunggu Anda terima" in page
    history = page.split('id="h-milik"', 1)[1]
    assert history.index("November 2026") < history.index("Oktober 2026")
    assert "Diajukan" in history  # the objection's state


def test_penilai_sees_drafts_to_finish(s, login_as):
    page = text(login_as("supervisor").get("/evaluasi/"))
    assert "Perlu dievaluasi" in page and "1 evaluasi bawahan masih draf" in page
    assert f'href="{url(s.plan, 11)}"' in page
    assert "Belum ada evaluasi kinerja" in page  # their own list is empty


def test_list_without_an_employee_and_on_a_huge_page(s, login_as):
    assert "Akun Anda tidak terhubung dengan data pegawai" in text(login_as("superadmin").get("/evaluasi/"))
    for page in (2**62, 10**20, "x"):
        assert login_as("pegawai").get("/evaluasi/", query_string={"page": page}).status_code == 200


# ---------------------------------------------------------------- optional numeric scores
def test_numeric_scores_only_behind_the_setting(s, app, login_as, monkeypatch):
    from decimal import Decimal

    from portal.evaluation import rules
    from portal.evaluation.page_services import PERILAKU_SCORES
    from portal.plans.rules import nilai_capaian
    client = login_as("supervisor")
    client.post(url(s.plan, 11), data=form_data(lock_version=s.draft.lock_version))
    assert "Nilai kinerja" not in text(client.get(url(s.plan, 11)))
    monkeypatch.setitem(app.config, "NUMERIC_SCORES_ENABLED", True)
    page = text(client.get(url(s.plan, 11)))
    skp = nilai_capaian(Decimal("9.09"))  # the only numeric IKI with a capaian in November
    total = rules.nilai_kinerja(skp, PERILAKU_SCORES[Rating.ABOVE])
    assert "Nilai angka (pelengkap, bukan predikat resmi)" in page
    assert f"{total}".replace(".", ",") in page and str(rules.numeric_predicate(total)) in page
