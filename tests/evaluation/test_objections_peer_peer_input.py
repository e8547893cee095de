"""Masukan rekan kerja (360): the penilai asks colleagues, they answer or decline, the penilai
cancels; the panel on the evaluation page is the penilai's alone, named or anonymised."""
import pytest
import sqlalchemy as sa

from portal.core.audit import AuditEntry
from portal.evaluation import peer_services
from portal.evaluation.models import EvaluationStatus, PeerInput, PeerInputStatus, Rating
from portal.extensions import db
from portal.notifications.models import Notification
from portal.plans.models import CoreValue
from tests.conftest import count_rows
from tests.evaluation.sample import sample_evaluation

ALL_MEETS = {f"rating_{v.value}": "sesuai" for v in CoreValue}


@pytest.fixture
def sample(world):
    return sample_evaluation(world)


@pytest.fixture
def colleagues(world, factory):
    """Two more colleagues of staff_a1 in Bidang Alpha Satu (with accounts) and one in Dinas Beta."""
    first = factory.employee(unit=world.bidang_a1, name="Rekan Pertama")
    second = factory.employee(unit=world.bidang_a1, name="Rekan Kedua")
    elsewhere = factory.employee(unit=world.dinas_b, name="Pegawai Beta Lain")
    factory.user(first)
    factory.user(second)
    return first, second, elsewhere


def _text(response):
    return response.get_data(as_text=True)


def _reload():
    db.session.expire_all()


def _answers(rating=Rating.MEETS, note=""):
    return {value: (rating, note) for value in CoreValue}


def _actions(peer_input_id):
    return [a for a in db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.object_type == "PeerInput", AuditEntry.object_id == peer_input_id).order_by(AuditEntry.id))]


# ---------------------------------------------------------------- services
def test_request_notifies_and_audits_and_refuses_duplicates(sample, world, colleagues):
    first, second, _elsewhere = colleagues
    supervisor = world.users["supervisor"]
    created = peer_services.request_peer_input(sample.draft, [first, second], actor=supervisor)
    assert [p.status for p in created] == [PeerInputStatus.REQUESTED] * 2
    assert all(p.requested_by_id == supervisor.id for p in created)
    assert _actions(created[0].id) == ["request_peer_input"]
    notice = db.session.scalar(sa.select(Notification).where(Notification.user_id == first.user.id))
    assert notice.kind == "evaluations.peer_requested" and notice.url == f"/masukan-rekan/{created[0].id}"
    assert world.staff_a1.display_name in notice.title
    with pytest.raises(peer_services.PeerInputError) as error:
        peer_services.request_peer_input(sample.draft, [second, world.head_a], actor=supervisor)
    assert "Rekan Kedua" in str(error.value) and "Kepala Alpha" not in str(error.value)


@pytest.mark.parametrize("who, message", [
    ("staff_a1", "dirinya sendiri"), ("chief_a1", "Pejabat penilai"),
])
def test_neither_the_pegawai_nor_the_penilai_is_asked(sample, world, who, message):
    with pytest.raises(peer_services.PeerInputError) as error:
        peer_services.request_peer_input(sample.draft, [getattr(world, who)])
    assert message in str(error.value)


def test_inactive_colleagues_nobody_and_final_evaluations_are_refused(sample, world, colleagues):
    first = colleagues[0]
    with pytest.raises(peer_services.PeerInputError):
        peer_services.request_peer_input(sample.draft, [])
    first.is_active = False
    with pytest.raises(peer_services.PeerInputError) as error:
        peer_services.request_peer_input(sample.draft, [first])
    assert "tidak lagi aktif" in str(error.value)
    with pytest.raises(peer_services.PeerInputError) as error:
        peer_services.request_peer_input(sample.final, [colleagues[1]])
    assert "draf" in str(error.value)


def test_at_most_ten_requests_per_evaluation(sample, world, factory):
    peers = [factory.employee(unit=world.bidang_a1, name=f"Rekan {n}") for n in range(10)]
    peer_services.request_peer_input(sample.draft, peers[:9])  # plus the sample's own request: 10
    with pytest.raises(peer_services.PeerInputError) as error:
        peer_services.request_peer_input(sample.draft, peers[9:])
    assert "Paling banyak 10" in str(error.value)


def test_a_concurrent_duplicate_is_caught_by_the_unique_constraint(sample, world, colleagues):
    first = colleagues[0]
    assert len(sample.draft.peer_inputs) == 1  # loaded: the check below does not see the next row
    db.session.execute(sa.insert(PeerInput).values(evaluation_id=sample.draft.id, peer_id=first.id,
                                                   status="diminta", requested_dt=sa.func.now()))
    with pytest.raises(peer_services.PeerInputError) as error:
        peer_services.request_peer_input(sample.draft, [first])
    assert "Rekan Pertama" in str(error.value)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PeerInput).where(
        PeerInput.evaluation_id == sample.draft.id)) == 2  # the transaction is still usable


def test_answer_needs_all_seven_ratings_and_short_notes(sample, world):
    peer_input = sample.peer_input
    partial = _answers()
    del partial[CoreValue.LOYAL]
    with pytest.raises(peer_services.PeerInputError) as error:
        peer_services.answer_peer_input(peer_input, partial)
    assert error.value.field == "rating_loyal"
    with pytest.raises(peer_services.PeerInputError) as error:
        peer_services.answer_peer_input(peer_input, {**_answers(), CoreValue.ADAPTIVE: (Rating.ABOVE, "x" * 501)})
    assert error.value.field == "note_adaptif"
    with pytest.raises(peer_services.PeerInputError):
        peer_services.answer_peer_input(peer_input, {**_answers(), CoreValue.ADAPTIVE: ("luar_biasa", "")})
    peer_services.answer_peer_input(peer_input, {**_answers(), CoreValue.ADAPTIVE: (Rating.ABOVE, "  Cepat belajar ")})
    assert peer_input.status is PeerInputStatus.GIVEN and peer_input.answered_dt is not None
    assert peer_input.answers["adaptif"] == {"rating": "di_atas", "note": "Cepat belajar"}
    assert _actions(peer_input.id) == ["give_peer_input"]
    with pytest.raises(peer_services.PeerInputError):
        peer_services.answer_peer_input(peer_input, _answers())
    with pytest.raises(peer_services.PeerInputError):
        peer_services.decline_peer_input(peer_input)


def test_decline_and_cancel(sample, world, colleagues):
    first = colleagues[0]
    peer_services.decline_peer_input(sample.peer_input, "Jarang bekerja bersama")
    assert sample.peer_input.status is PeerInputStatus.DECLINED
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "decline_peer_input"))
    assert entry.summary == "Jarang bekerja bersama"
    with pytest.raises(peer_services.PeerInputError):
        peer_services.cancel_peer_input(sample.peer_input)  # answered already
    (request,) = peer_services.request_peer_input(sample.draft, [first])
    request_id = request.id
    peer_services.cancel_peer_input(request)
    assert db.session.get(PeerInput, request_id) is None
    assert _actions(request_id) == ["request_peer_input", "cancel_peer_input"]
    peer_services.request_peer_input(sample.draft, [first])  # may be asked again


def test_a_final_evaluation_closes_open_requests(sample):
    sample.draft.status = EvaluationStatus.FINAL
    with pytest.raises(peer_services.PeerInputError):
        peer_services.answer_peer_input(sample.peer_input, _answers())
    with pytest.raises(peer_services.PeerInputError):
        peer_services.cancel_peer_input(sample.peer_input)


def test_candidates_are_active_colleagues_of_the_opd_own_unit_first(sample, world, colleagues):
    first, second, elsewhere = colleagues
    people = peer_services.candidates(sample.draft)
    ids = [e.id for e in people]
    assert first.id in ids and second.id in ids and elsewhere.id not in ids
    assert world.staff_a1.id not in ids and world.chief_a1.id not in ids
    assert sample.peer_input.peer_id not in ids  # asked already
    assert world.head_a.id in ids  # Dinas Alpha, the same OPD
    own_unit = [e.org_unit_id == world.bidang_a1.id for e in people]
    assert own_unit == sorted(own_unit, reverse=True)


# ---------------------------------------------------------------- the panel
def _give(sample, colleagues):
    first, second, _elsewhere = colleagues
    peer_services.request_peer_input(sample.draft, [first, second])
    requests = {p.peer_id: p for p in sample.draft.peer_inputs}
    peer_services.answer_peer_input(requests[first.id], {**_answers(Rating.ABOVE), CoreValue.LOYAL: (Rating.BELOW,
                                                                                                      "Sering terlambat")})
    peer_services.answer_peer_input(requests[second.id], _answers(Rating.MEETS, "Baik"))
    db.session.flush()


def test_panel_is_for_the_penilai_only(sample, world, colleagues):
    _give(sample, colleagues)
    for role in ("pegawai", "admin_opd", "bkpsdm", "pimpinan", "superadmin"):
        assert peer_services.panel(sample.draft, world.users[role]) is None, role
    assert peer_services.panel(sample.draft, world.users["supervisor"]) is not None


def test_anonymised_panel_numbers_the_answers_and_sums_them_up(app, sample, world, colleagues):
    _give(sample, colleagues)
    panel = peer_services.panel(sample.draft, world.users["supervisor"])
    assert not panel.named
    assert sorted(a.label for a in panel.given) == ["Rekan 1", "Rekan 2"]
    assert [p.peer_id for p in panel.pending] == [sample.peer_input.peer_id]
    summary = dict(panel.summary)
    assert summary[CoreValue.LOYAL] == {Rating.ABOVE: 0, Rating.MEETS: 1, Rating.BELOW: 1}
    assert summary[CoreValue.SERVICE] == {Rating.ABOVE: 1, Rating.MEETS: 1, Rating.BELOW: 0}
    assert panel.can_request and panel.left == 7
    notes = {note for answer in panel.given for _v, _r, note in answer.answers}
    assert "Sering terlambat" in notes


def test_named_panel_shows_who_said_what(app, sample, world, colleagues):
    _give(sample, colleagues)
    app.config["PEER_INPUT_NAMED"] = True
    try:
        panel = peer_services.panel(sample.draft, world.users["supervisor"])
    finally:
        app.config["PEER_INPUT_NAMED"] = False
    labels = {a.label: a for a in panel.given}
    assert set(labels) == {"Rekan Pertama", "Rekan Kedua"}
    loyal = {v: (r, n) for v, r, n in labels["Rekan Pertama"].answers}[CoreValue.LOYAL]
    assert loyal == (Rating.BELOW, "Sering terlambat")


def test_panel_partial_renders_named_and_anonymised(app, sample, world, colleagues):
    from flask import render_template
    _give(sample, colleagues)
    with app.test_request_context():
        from flask_login import login_user
        login_user(world.users["supervisor"])
        panel = peer_services.panel(sample.draft, world.users["supervisor"])
        html = render_template("evaluation/_peer_panel.html", peer_panel=panel)
        assert "Rekan 1" in html and "Rekan 2" in html and "Sering terlambat" in html
        assert 'id="peer-summary"' in html and 'name="peers"' in html
        assert "Rekan Pertama, Rekan Kedua" not in html  # responders listed alphabetically, not per answer
        answers = html.split('id="peer-answers"')[1]
        assert "Rekan Pertama" not in answers and "Rekan Kedua" not in answers
        app.config["PEER_INPUT_NAMED"] = True
        try:
            named = render_template("evaluation/_peer_panel.html",
                                    peer_panel=peer_services.panel(sample.draft, world.users["supervisor"]))
        finally:
            app.config["PEER_INPUT_NAMED"] = False
        assert "Rekan Pertama" in named.split('id="peer-answers"')[1]
        assert render_template("evaluation/_peer_panel.html", peer_panel=None).strip() == ""


# ---------------------------------------------------------------- views
def test_penilai_requests_through_the_form(sample, world, colleagues, login_as):
    first, second, _elsewhere = colleagues
    client = login_as("supervisor")
    response = client.post(f"/masukan-rekan/evaluasi/{sample.draft.id}", data={"peers": [first.id, second.id]})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/evaluasi/skp/{sample.plan.id}/11#masukan-rekan")
    _reload()
    assert {p.peer_id for p in sample.draft.peer_inputs} >= {first.id, second.id}
    again = client.post(f"/masukan-rekan/evaluasi/{sample.draft.id}", data={"peers": [first.id]},
                        follow_redirects=False)
    assert again.status_code == 303
    with client.session_transaction() as flask_session:
        flashes = flask_session.get("_flashes", [])
    assert any("Sudah dimintai masukan: Rekan Pertama" in message for _c, message in flashes)


@pytest.mark.parametrize("data", [{}, {"peers": ["x", ""]}, {"peers": ["999999"]},
                                  {"peers": [str(n) for n in range(1, 40)]}])
def test_bad_requests_change_nothing(sample, login_as, data):
    before = count_rows(PeerInput)
    response = login_as("supervisor").post(f"/masukan-rekan/evaluasi/{sample.draft.id}", data=data)
    assert response.status_code == 303
    _reload()
    assert count_rows(PeerInput) == before


@pytest.mark.parametrize("role", ["pegawai", "admin_opd", "bkpsdm", "superadmin"])
def test_only_the_penilai_requests_and_cancels(sample, colleagues, login_as, role):
    client = login_as(role)
    assert client.post(f"/masukan-rekan/evaluasi/{sample.draft.id}",
                       data={"peers": [colleagues[0].id]}).status_code == 403
    assert client.post(f"/masukan-rekan/{sample.peer_input.id}/batal").status_code == 403
    assert login_as("supervisor").post(f"/masukan-rekan/evaluasi/{sample.final.id}",
                                       data={"peers": [colleagues[0].id]}).status_code == 403  # final


def test_penilai_cancels_a_pending_request(sample, login_as):
    peer_input_id = sample.peer_input.id
    response = login_as("supervisor").post(f"/masukan-rekan/{peer_input_id}/batal")
    assert response.status_code == 303 and "#masukan-rekan" in response.headers["Location"]
    _reload()
    assert db.session.get(PeerInput, peer_input_id) is None


def test_peer_answers_with_guides_and_all_seven_ratings(sample, world, login_as):
    client = login_as("admin_opd")  # the sample's peer
    url = f"/masukan-rekan/{sample.peer_input.id}"
    page = _text(client.get(url))
    assert world.staff_a1.display_name in page and "November 2026" in page
    assert "Memahami dan memenuhi kebutuhan masyarakat" in page  # a guide behaviour
    assert page.count('type="radio"') == 21
    missing = client.post(url, data={**ALL_MEETS, "rating_loyal": ""})
    assert missing.status_code == 200 and "Pilih rating untuk nilai ini." in _text(missing)
    junk = client.post(url, data={**ALL_MEETS, "rating_loyal": "luar_biasa", "note_loyal": "x" * 501})
    assert "Pilih salah satu rating." in _text(junk) and "Paling banyak 500 karakter." in _text(junk)
    _reload()
    assert sample.peer_input.status is PeerInputStatus.REQUESTED
    done = client.post(url, data={**ALL_MEETS, "note_kompeten": "Rajin membantu rekan"})
    assert done.status_code == 303 and done.headers["Location"].endswith("/masukan-rekan/?tampil=sudah-ditanggapi")
    _reload()
    assert sample.peer_input.status is PeerInputStatus.GIVEN
    assert sample.peer_input.answers["kompeten"] == {"rating": "sesuai", "note": "Rajin membantu rekan"}
    read_back = _text(client.get(url))
    assert "Masukan yang Anda berikan" in read_back and "Rajin membantu rekan" in read_back
    twice = client.post(url, data=ALL_MEETS)
    assert twice.status_code == 200 and "tidak lagi dapat dijawab" in _text(twice)


def test_peer_declines_with_an_optional_reason(sample, login_as):
    client = login_as("admin_opd")
    url = f"/masukan-rekan/{sample.peer_input.id}/tolak"
    long = client.post(url, data={"reason": "x" * 501})
    assert long.status_code == 200 and "Paling banyak 500 karakter." in _text(long)
    assert client.post(url, data={"reason": "Belum pernah satu tim"}).status_code == 303
    _reload()
    assert sample.peer_input.status is PeerInputStatus.DECLINED
    assert "Anda menolak permintaan ini" in _text(client.get(f"/masukan-rekan/{sample.peer_input.id}"))
    assert client.post(url, data={}).status_code == 200  # no second decision


@pytest.mark.parametrize("role", ["pegawai", "supervisor", "bkpsdm", "superadmin"])
def test_nobody_but_the_peer_opens_answers_or_declines(sample, login_as, role):
    client = login_as(role)
    url = f"/masukan-rekan/{sample.peer_input.id}"
    assert client.get(url).status_code == 403  # the penilai too: it would tie a name to the answers
    assert client.post(url, data=ALL_MEETS).status_code == 403
    assert client.post(f"{url}/tolak").status_code == 403
    _reload()
    assert sample.peer_input.status is PeerInputStatus.REQUESTED


def test_unknown_ids_are_404(login_as):
    client = login_as("supervisor")
    assert client.get("/masukan-rekan/999999").status_code == 404
    assert client.post("/masukan-rekan/999999/batal").status_code == 404
    assert client.post("/masukan-rekan/evaluasi/999999", data={"peers": ["1"]}).status_code == 404


def test_list_of_requests_pending_and_answered(sample, world, login_as):
    client = login_as("admin_opd")
    pending = _text(client.get("/masukan-rekan/"))
    assert world.staff_a1.display_name in pending and "Menunggu masukan Anda" in pending
    assert "Belum ada masukan yang Anda berikan" in _text(client.get("/masukan-rekan/?tampil=sudah-ditanggapi"))
    partial = client.get("/masukan-rekan/?page=1", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in _text(partial)
    empty = _text(login_as("pegawai").get("/masukan-rekan/"))
    assert "Tidak ada permintaan yang menunggu" in empty
    assert login_as("superadmin").get("/masukan-rekan/?page=x&tampil=zz").status_code == 200  # no employee
