"""The public IKM form: anonymous, nine elements scored 1–4, a honeypot, a rate limit, CSRF."""
import hashlib
import hmac
import re
from datetime import date

import pytest
import sqlalchemy as sa

from portal.evaluation import feedback_services
from portal.evaluation.models import IKM_FIELDS, IkmResponse, UnitService
from portal.extensions import db, limiter
from tests.security.harness import parse_forms


def _url(unit, suffix=""):
    return f"/feedback/{unit.public_code}{suffix}"


def _answers(score=3, **overrides):
    data = {f: str(score) for f in IKM_FIELDS}
    data.update(overrides)
    return data


def _responses(unit):
    return db.session.scalars(sa.select(IkmResponse).where(IkmResponse.org_unit_id == unit.id)
                              .order_by(IkmResponse.id)).all()


@pytest.fixture
def anonymous(login_as):
    return login_as(None)


@pytest.fixture
def service(world):
    svc = UnitService(org_unit=world.dinas_a, name="Rekomendasi izin penelitian")
    db.session.add(svc)
    db.session.flush()
    return svc


def test_form_shows_the_unit_nine_questions_and_asks_nothing_personal(app, world, anonymous, service):
    hidden = UnitService(org_unit=world.dinas_a, name="Layanan lama", is_active=False)
    db.session.add(hidden)
    db.session.flush()
    response = anonymous.get(_url(world.dinas_a))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Dinas Alpha" in html and app.config["INSTANSI_NAME"] in html
    assert html.count("<fieldset") == 9
    for element in feedback_services.ELEMENTS:
        assert str(element.question) in html
        assert len(re.findall(rf'name="{element.field}"[^>]*type="radio"|type="radio"[^>]*name="{element.field}"', html)) == 4
    assert "Tidak sesuai" in html and "Sangat mudah" in html and "Gratis" in html and "Sangat mahal" in html
    # the service select lists the active services only
    assert "Layanan yang Anda terima" in html and "Rekomendasi izin penelitian" in html and "Layanan lama" not in html
    # no personal data: the only fields are the service, the nine answers, the comment and the honeypot
    form = next(f for f in parse_forms(html) if f.method == "post")
    assert set(form.names) == {"service", *IKM_FIELDS, "comment", "website"}
    honeypot = re.search(r'<input[^>]*name="website"[^>]*>', html).group(0)
    assert 'tabindex="-1"' in honeypot and 'autocomplete="off"' in honeypot
    assert 'for="website"' in html and 'class="ikm-hp"' in html


def test_without_services_there_is_no_service_question(world, anonymous):
    html = anonymous.get(_url(world.dinas_b)).get_data(as_text=True)
    assert "Layanan yang Anda terima" not in html and html.count("<fieldset") == 9


def test_a_valid_response_is_stored_without_the_address(app, world, anonymous, service):
    data = _answers(u1="1", u2="2", u3="3", u4="4", service=str(service.id), comment="  Antrean <b>cepat</b>.  ")
    response = anonymous.post(_url(world.dinas_a), data=data, environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(_url(world.dinas_a, "/terima-kasih"))
    [stored] = _responses(world.dinas_a)
    assert stored.scores == [1, 2, 3, 4, 3, 3, 3, 3, 3]
    assert stored.service_id == service.id and stored.comment == "Antrean <b>cepat</b>."
    today = feedback_services.local_today()
    expected = hmac.new(app.config["SECRET_KEY"].encode(), f"203.0.113.7|{today.isoformat()}".encode(),
                        hashlib.sha256).hexdigest()
    assert stored.source_hash == expected and len(stored.source_hash) == 64
    row = db.session.execute(sa.select(IkmResponse.__table__).where(IkmResponse.id == stored.id)).one()
    assert not any("203.0.113" in str(value) for value in row)
    # the same address on another day hashes differently: nothing links days together
    assert feedback_services.source_hash("203.0.113.7", date(2020, 1, 1)) != expected

    thanks = anonymous.get(response.headers["Location"])
    assert thanks.status_code == 200 and "Terima kasih" in thanks.get_data(as_text=True)


def test_the_service_is_optional(world, anonymous, service):
    assert anonymous.post(_url(world.dinas_a), data=_answers(4, service="")).status_code == 303
    [stored] = _responses(world.dinas_a)
    assert stored.service_id is None and stored.comment is None and stored.scores == [4] * 9


def test_a_filled_honeypot_pretends_success_and_stores_nothing(world, anonymous):
    response = anonymous.post(_url(world.dinas_a), data=_answers(website="http://spam.example"))
    assert response.status_code == 303 and response.headers["Location"].endswith("/terima-kasih")
    assert _responses(world.dinas_a) == []
    # even an otherwise broken body: the bot learns nothing
    assert anonymous.post(_url(world.dinas_a), data={"website": "x", "u1": "9"}).status_code == 303
    assert _responses(world.dinas_a) == []


@pytest.mark.parametrize("bad", ["0", "5", "-1", "abc", "3.5", "", "٣"])
def test_out_of_range_answers_come_back_with_errors_and_kept_answers(world, anonymous, bad):
    data = _answers(u2=bad)
    del data["u7"]
    response = anonymous.post(_url(world.dinas_a), data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _responses(world.dinas_a) == []
    assert 'id="u2-error"' in html and 'id="u7-error"' in html and 'id="u1-error"' not in html
    assert html.count("Pilih salah satu jawaban.") == 2
    # the answers given are still checked
    assert re.search(r'<input[^>]*checked[^>]*id="u1-2"|<input[^>]*id="u1-2"[^>]*checked', html)


def test_an_empty_submission_asks_every_question(world, anonymous):
    response = anonymous.post(_url(world.dinas_a), data={})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.count("Pilih salah satu jawaban.") == 9
    assert _responses(world.dinas_a) == []


def test_a_long_comment_and_a_foreign_service_are_refused(world, anonymous, service):
    other = UnitService(org_unit=world.dinas_b, name="Layanan Beta")
    db.session.add(other)
    db.session.flush()
    long_comment = anonymous.post(_url(world.dinas_a), data=_answers(comment="x" * 1001))
    assert long_comment.status_code == 200 and 'id="comment-error"' in long_comment.get_data(as_text=True)
    for value in (str(other.id), "999999", "abc", str(2**40)):
        response = anonymous.post(_url(world.dinas_a), data=_answers(service=value))
        assert response.status_code == 200 and "Pilih layanan dari daftar." in response.get_data(as_text=True), value
    service.is_active = False
    db.session.flush()
    assert anonymous.post(_url(world.dinas_a), data=_answers(service=str(service.id))).status_code == 200
    assert _responses(world.dinas_a) == []
    assert anonymous.post(_url(world.dinas_a), data=_answers(comment="x" * 1000)).status_code == 303


def test_record_response_checks_its_input(world):
    scores = {f: 3 for f in IKM_FIELDS}
    for bad in ({**scores, "u5": 5}, {**scores, "u5": True}, {k: v for k, v in scores.items() if k != "u9"}):
        with pytest.raises(feedback_services.FeedbackError):
            feedback_services.record_response(world.dinas_a, bad)
    assert _responses(world.dinas_a) == []


@pytest.mark.parametrize("code", ["nosuchcode", "x" * 17, "%27%20OR%201=1", "0000000000"])
def test_a_forged_code_is_not_found(world, anonymous, code):
    assert anonymous.get(f"/feedback/{code}").status_code == 404
    assert anonymous.post(f"/feedback/{code}", data=_answers()).status_code == 404
    assert anonymous.get(f"/feedback/{code}/terima-kasih").status_code == 404


def test_an_inactive_unit_has_no_form(world, anonymous):
    world.dinas_b.is_active = False
    db.session.flush()
    assert anonymous.get(_url(world.dinas_b)).status_code == 404
    assert anonymous.post(_url(world.dinas_b), data=_answers()).status_code == 404
    assert anonymous.get(_url(world.dinas_b, "/terima-kasih")).status_code == 404
    assert _responses(world.dinas_b) == []


def test_signed_in_users_may_answer_too(world, login_as):
    assert login_as("pegawai").post(_url(world.dinas_b), data=_answers()).status_code == 303
    assert len(_responses(world.dinas_b)) == 1


@pytest.fixture
def tiny_limit(app, monkeypatch):
    monkeypatch.setitem(app.config, "IKM_RATE_LIMIT", "2 per hour")
    limiter.reset()
    yield
    limiter.reset()


def test_the_rate_limit_answers_429_with_a_friendly_page(world, anonymous, tiny_limit):
    url = _url(world.dinas_a)
    # a form sent back with errors does not count
    assert anonymous.post(url, data={}).status_code == 200
    assert anonymous.post(url, data=_answers()).status_code == 303
    assert anonymous.post(url, data=_answers(website="bot")).status_code == 303  # the honeypot counts
    limited = anonymous.post(url, data=_answers())
    html = limited.get_data(as_text=True)
    assert limited.status_code == 429
    assert "Terima kasih atas semangat Anda" in html and "Dinas Alpha" in html
    assert "Terjadi kesalahan" not in html
    assert len(_responses(world.dinas_a)) == 1
    # reading the form is not limited; another unit and another address have their own counts
    assert anonymous.get(url).status_code == 200
    assert anonymous.post(_url(world.dinas_b), data=_answers()).status_code == 303
    assert anonymous.post(url, data=_answers(), environ_base={"REMOTE_ADDR": "198.51.100.2"}).status_code == 303


def test_csrf_stays_on_for_anonymous_visitors(app, world, anonymous, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    url = _url(world.dinas_a)
    refused = anonymous.post(url, data=_answers())
    assert refused.status_code == 400 and _responses(world.dinas_a) == []
    page = anonymous.get(url)
    token = next(f.token for f in parse_forms(page.get_data(as_text=True)) if f.method == "post")
    assert token
    accepted = anonymous.post(url, data={**_answers(), "csrf_token": token})
    assert accepted.status_code == 303 and len(_responses(world.dinas_a)) == 1
