"""Keberatan pages: the pegawai files against a final predikat; the atasan pejabat penilai (or
BKPSDM when there is none) upholds or changes it; the list tabs; the audit trail."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import format_date

from portal.core.audit import AuditEntry
from portal.evaluation.models import (
    EvaluationStatus,
    Objection,
    ObjectionStatus,
    Predicate,
    Rating,
)
from portal.extensions import db
from portal.notifications.models import Notification
from tests.conftest import count_rows, count_statements
from tests.evaluation.sample import make_evaluation, sample_evaluation


@pytest.fixture
def sample(world):
    return sample_evaluation(world)


@pytest.fixture
def september(sample):
    """A final September evaluation (Baik) of staff_a1, open to objection for two more weeks."""
    return make_evaluation(sample.plan, 9, status=EvaluationStatus.FINAL, hasil=Rating.MEETS,
                           perilaku=Rating.MEETS, predicate=Predicate.GOOD,
                           deadline=date.today() + timedelta(days=14))


@pytest.fixture
def head_client(world, factory, login_as):
    """head_a, kepala Dinas Alpha: the appraiser's supervisor, so the decider of objections."""
    return login_as(factory.user(world.head_a))


def _text(response):
    return response.get_data(as_text=True)


def _reload():
    """Requests commit in their own sessions: read what they wrote."""
    db.session.expire_all()


# ---------------------------------------------------------------- filing
def test_pegawai_sees_summary_deadline_and_files(september, world, factory, login_as):
    factory.user(world.head_a)  # the decider has an account: they are told
    client = login_as("pegawai")
    page = client.get(f"/keberatan/evaluasi/{september.id}")
    html = _text(page)
    assert page.status_code == 200
    assert "September 2026" in html and "Baik" in html and world.chief_a1.display_name in html
    assert format_date(september.objection_deadline, "d MMM yyyy") in html and 'name="reason"' in html
    assert world.head_a.display_name in html  # who will decide

    response = client.post(f"/keberatan/evaluasi/{september.id}",
                           data={"reason": "Realisasi September belum diverifikasi saat dinilai."})
    assert response.status_code == 302
    _reload()
    objection = db.session.scalar(sa.select(Objection).where(Objection.evaluation_id == september.id))
    assert response.headers["Location"].endswith(f"/keberatan/{objection.id}")
    assert objection.status is ObjectionStatus.FILED and objection.decider_id == world.head_a.id
    assert objection.original_predicate is Predicate.GOOD
    assert db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.action == "file_objection", AuditEntry.object_id == objection.id)) is not None
    notice = db.session.scalar(sa.select(Notification).where(
        Notification.kind == "evaluations.objection_filed", Notification.user_id == world.head_a.user.id))
    assert notice is not None and notice.url == f"/keberatan/{objection.id}"
    shown = _text(client.get(f"/keberatan/{objection.id}"))
    assert "Realisasi September belum diverifikasi" in shown and "Menunggu keputusan" in shown


def test_empty_and_overlong_reasons_come_back_with_messages(september, login_as):
    client = login_as("pegawai")
    empty = client.post(f"/keberatan/evaluasi/{september.id}", data={"reason": "   "})
    assert empty.status_code == 200 and "Tuliskan alasan keberatan." in _text(empty)
    long = client.post(f"/keberatan/evaluasi/{september.id}", data={"reason": "x" * 2001})
    assert long.status_code == 200 and "Paling banyak 2000 karakter." in _text(long)
    _reload()
    assert september.objection is None and count_rows(Objection) == 1  # the sample's only


def test_after_the_deadline_the_page_says_so_and_posting_is_refused(september, login_as):
    september.objection_deadline = date.today() - timedelta(days=1)
    db.session.flush()
    client = login_as("pegawai")
    page = client.get(f"/keberatan/evaluasi/{september.id}")
    assert page.status_code == 200 and "Batas waktu pengajuan keberatan sudah lewat." in _text(page)
    assert 'name="reason"' not in _text(page)
    assert client.post(f"/keberatan/evaluasi/{september.id}", data={"reason": "Terlambat"}).status_code == 403


def test_a_second_objection_and_a_draft_are_refused(sample, login_as):
    client = login_as("pegawai")
    again = client.get(f"/keberatan/evaluasi/{sample.final.id}")
    assert "sudah mengajukan keberatan" in _text(again)
    assert f"/keberatan/{sample.objection.id}" in _text(again)
    assert client.post(f"/keberatan/evaluasi/{sample.final.id}", data={"reason": "Lagi"}).status_code == 403
    draft = client.get(f"/keberatan/evaluasi/{sample.draft.id}")
    assert draft.status_code == 200 and "belum final" in _text(draft)
    assert client.post(f"/keberatan/evaluasi/{sample.draft.id}", data={"reason": "Draf"}).status_code == 403
    _reload()
    assert count_rows(Objection) == 1


@pytest.mark.parametrize("role", ["supervisor", "admin_opd", "bkpsdm", "superadmin"])
def test_someone_elses_evaluation_is_refused(september, login_as, role):
    client = login_as(role)
    assert client.get(f"/keberatan/evaluasi/{september.id}").status_code == 403
    assert client.post(f"/keberatan/evaluasi/{september.id}", data={"reason": "Bukan milik saya"}).status_code == 403
    _reload()
    assert september.objection is None


def test_unknown_evaluation_is_404(login_as):
    assert login_as("pegawai").get("/keberatan/evaluasi/999999").status_code == 404


# ---------------------------------------------------------------- deciding
def test_only_the_decider_sees_the_form_and_may_decide(sample, head_client, login_as):
    url = f"/keberatan/{sample.objection.id}"
    page = head_client.get(url)
    assert page.status_code == 200 and 'name="decision"' in _text(page)
    assert "Realisasi bulan Oktober belum dipertimbangkan." in _text(page)
    for role in ("pegawai", "supervisor", "bkpsdm"):
        client = login_as(role)
        shown = client.get(url)
        assert shown.status_code == 200 and 'name="decision"' not in _text(shown), role
        assert "Menunggu keputusan atasan pejabat penilai" in _text(shown)
        posted = client.post(f"{url}/putuskan", data={"decision": "pertahankan", "reason": "Tidak berhak"})
        assert posted.status_code == 403, role
    assert login_as("admin_opd").get(url).status_code == 200  # manages Dinas Alpha: may read
    assert login_as("pegawai").get("/keberatan/999999").status_code == 404
    _reload()
    assert sample.objection.status is ObjectionStatus.FILED


def test_staff_of_another_unit_cannot_read_it(sample, world, factory, login_as):
    outsider = factory.user(world.staff_b)
    assert login_as(outsider).get(f"/keberatan/{sample.objection.id}").status_code == 403


def test_uphold_keeps_the_predikat_and_tells_the_pegawai(sample, world, head_client):
    response = head_client.post(f"/keberatan/{sample.objection.id}/putuskan", data={
        "decision": "pertahankan", "reason": "Rating sesuai bukti dukung Oktober.",
        "hasil_rating": "di_atas", "perilaku_rating": "di_atas"})  # ignored when upholding
    assert response.status_code == 302
    _reload()
    objection = sample.objection
    assert objection.status is ObjectionStatus.UPHELD and objection.new_predicate is Predicate.GOOD
    assert sample.final.predicate is Predicate.GOOD and sample.final.hasil_rating is Rating.MEETS
    assert objection.decided_by.id == world.head_a.user.id
    assert db.session.scalar(sa.select(Notification).where(
        Notification.kind == "evaluations.objection_decided", Notification.user_id == world.users["pegawai"].id))
    page = _text(head_client.get(f"/keberatan/{objection.id}"))
    assert "Predikat dipertahankan" in page and "Rating sesuai bukti dukung Oktober." in page
    assert 'name="decision"' not in page


def test_change_through_ratings_rewrites_the_evaluation_and_audits_it(sample, world, head_client, login_as):
    response = head_client.post(f"/keberatan/{sample.objection.id}/putuskan", data={
        "decision": "ubah", "hasil_rating": "di_atas", "perilaku_rating": "di_atas",
        "reason": "Realisasi Oktober melampaui target."})
    assert response.status_code == 302
    _reload()
    evaluation = sample.final
    assert sample.objection.status is ObjectionStatus.CHANGED
    assert (evaluation.hasil_rating, evaluation.perilaku_rating, evaluation.predicate) == (
        Rating.ABOVE, Rating.ABOVE, Predicate.VERY_GOOD)
    actions = set(db.session.scalars(sa.select(AuditEntry.action).where(sa.or_(
        sa.and_(AuditEntry.object_type == "Objection", AuditEntry.object_id == sample.objection.id),
        sa.and_(AuditEntry.object_type == "Evaluation", AuditEntry.object_id == evaluation.id)))))
    assert {"decide_objection", "change_predicate"} <= actions
    page = _text(login_as("pegawai").get(f"/keberatan/{sample.objection.id}"))
    assert "Predikat diubah" in page and "Sangat Baik" in page
    assert "Riwayat keberatan dan evaluasi" in page and "Keberatan diputuskan" in page
    assert "Predikat diubah atas keberatan" in page


def test_change_that_changes_nothing_is_refused(sample, head_client):
    response = head_client.post(f"/keberatan/{sample.objection.id}/putuskan", data={
        "decision": "ubah", "hasil_rating": "sesuai", "perilaku_rating": "sesuai", "reason": "Tetap"})
    assert response.status_code == 200 and "Rating baru sama dengan rating semula" in _text(response)
    _reload()
    assert sample.objection.status is ObjectionStatus.FILED


@pytest.mark.parametrize("data, message", [
    ({"decision": "ubah", "reason": "Tanpa rating"}, "Pilih rating hasil kerja dan perilaku kerja yang baru."),
    ({"decision": "ubah", "hasil_rating": "luar_biasa", "perilaku_rating": "sesuai", "reason": "x"},
     "Pilih salah satu rating."),
    ({"decision": "pertahankan", "reason": " "}, "Tuliskan alasan keputusan."),
    ({"reason": "Tanpa keputusan"}, "Pilih keputusan"),
    ({"decision": "hapus", "reason": "x"}, "Pilih keputusan"),
    ({"decision": "pertahankan", "reason": "x" * 2001}, "Paling banyak 2000 karakter."),
])
def test_bad_decisions_come_back_with_messages(sample, head_client, data, message):
    response = head_client.post(f"/keberatan/{sample.objection.id}/putuskan", data=data)
    assert response.status_code == 200 and message in _text(response)
    _reload()
    assert sample.objection.status is ObjectionStatus.FILED


def test_deciding_twice_is_refused_with_a_message(sample, head_client):
    url = f"/keberatan/{sample.objection.id}/putuskan"
    assert head_client.post(url, data={"decision": "pertahankan", "reason": "Sesuai"}).status_code == 302
    again = head_client.post(url, data={"decision": "ubah", "hasil_rating": "luar_biasa", "perilaku_rating": "di_atas",
                                        "reason": "Berubah pikiran"})
    assert again.status_code == 200 and "Keberatan ini sudah diputuskan." in _text(again)
    _reload()
    assert sample.objection.status is ObjectionStatus.UPHELD and sample.final.predicate is Predicate.GOOD


def test_without_an_atasan_bkpsdm_decides(sample, login_as):
    sample.objection.decider_id = None
    db.session.flush()
    url = f"/keberatan/{sample.objection.id}"
    assert 'name="decision"' in _text(login_as("bkpsdm").get(url))
    assert 'name="decision"' not in _text(login_as("pimpinan").get(url))
    assert login_as("pimpinan").post(f"{url}/putuskan", data={"decision": "pertahankan",
                                                               "reason": "x"}).status_code == 403
    assert login_as("bkpsdm").post(f"{url}/putuskan", data={"decision": "pertahankan",
                                                            "reason": "Sesuai"}).status_code == 302
    _reload()
    assert sample.objection.status is ObjectionStatus.UPHELD


def test_preview_follows_the_kuadran_as_an_htmx_partial(sample, head_client):
    url = f"/keberatan/{sample.objection.id}"
    partial = head_client.get(f"{url}?decision=ubah&hasil_rating=di_bawah&perilaku_rating=di_bawah",
                              headers={"HX-Request": "true"})
    html = _text(partial)
    assert partial.status_code == 200 and "<html" not in html
    assert 'id="predikat-preview"' in html and "Sangat Kurang" in html.split('id="predikat-preview"')[1][:400]
    junk = head_client.get(f"{url}?hasil_rating=x&perilaku_rating=%00", headers={"HX-Request": "true"})
    assert junk.status_code == 200 and "Baik" in _text(junk).split('id="predikat-preview"')[1][:400]


# ---------------------------------------------------------------- the list
def _filed(sample, world, count):
    """``count`` more filed objections on final evaluations of staff_a1 (decider head_a)."""
    for month in range(1, count + 1):
        evaluation = make_evaluation(sample.plan, month, status=EvaluationStatus.FINAL, hasil=Rating.MEETS,
                                     perilaku=Rating.BELOW, predicate=Predicate.POOR,
                                     deadline=date.today() + timedelta(days=3))
        db.session.add(Objection(evaluation=evaluation, employee_id=world.staff_a1.id, decider_id=world.head_a.id,
                                 reason=f"Bulan {month}", original_hasil=Rating.MEETS,
                                 original_perilaku=Rating.BELOW, original_predicate=Predicate.POOR))
    db.session.flush()


def test_tabs_show_what_to_decide_and_what_i_filed(sample, world, head_client, login_as):
    decide = _text(head_client.get("/keberatan/"))
    assert "Perlu diputuskan" in decide and world.staff_a1.display_name in decide and "Oktober 2026" in decide
    mine = _text(login_as("pegawai").get("/keberatan/?tampil=keberatan-saya"))
    assert "Oktober 2026" in mine and "Diajukan" in mine
    nothing = _text(login_as("pegawai").get("/keberatan/"))
    assert "Tidak ada keberatan yang perlu Anda putuskan" in nothing
    # BKPSDM: those without a decider, and everything on its own tab
    bkpsdm = login_as("bkpsdm")
    assert "Tidak ada keberatan yang perlu Anda putuskan" in _text(bkpsdm.get("/keberatan/"))
    assert "Oktober 2026" in _text(bkpsdm.get("/keberatan/?tampil=semua"))
    assert "Semua keberatan" not in _text(login_as("pegawai").get("/keberatan/?tampil=semua"))
    sample.objection.decider_id = None
    db.session.flush()
    assert "Oktober 2026" in _text(bkpsdm.get("/keberatan/"))


def test_status_filter_and_empty_state(sample, head_client):
    assert "Oktober 2026" in _text(head_client.get("/keberatan/?status=diajukan"))
    decided = _text(head_client.get("/keberatan/?status=diubah"))
    assert "Oktober 2026" not in decided and "Tidak ada keberatan yang perlu Anda putuskan" in decided
    junk = head_client.get("/keberatan/?status=%27%20OR%201=1&tampil=zzz&page=-4")
    assert junk.status_code == 200 and "Oktober 2026" in _text(junk)
    partial = head_client.get("/keberatan/?status=semua", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in _text(partial) and "Oktober 2026" in _text(partial)


def test_list_is_paginated_with_a_fixed_number_of_statements(app, sample, world, head_client):
    def statements():
        with count_statements() as seen:
            assert head_client.get("/keberatan/?status=semua").status_code == 200
        return len(seen)

    few = statements()
    _filed(sample, world, 8)
    assert statements() == few
    app.config["PER_PAGE"], per_page = 4, app.config["PER_PAGE"]
    try:
        first = _text(head_client.get("/keberatan/?status=semua"))
        assert "halaman 1 dari 3" in first and 'rel="next"' in first
        assert "halaman 3 dari 3" in _text(head_client.get("/keberatan/?status=semua&page=3"))
    finally:
        app.config["PER_PAGE"] = per_page
