"""The evaluation page reads in a fixed number of SQL statements, whatever the number of IKIs,
realisasi, bukti dukung and umpan balik."""
from decimal import Decimal

from portal.evaluation import services
from portal.extensions import db
from portal.plans.models import (
    Aspect,
    Evidence,
    EvidenceKind,
    Feedback,
    PlanStatus,
    Realisation,
    RealisationStatus,
)
from tests.conftest import count_statements
from tests.plans.sample import make_period, make_plan

ASPECTS = [Aspect.QUANTITY, Aspect.QUALITY, Aspect.TIME]


def _plan_with(world, factory, n_results, name):
    """An approved plan of a new subordinate of chief_a1 with ``n_results`` RHK of two IKIs,
    each with a November realisasi, a link, a file and two messages from different people."""
    period = make_period(2026)
    november = next(sp for sp in period.subperiods if sp.number == 11)
    employee = factory.employee(position=factory.position(world.bidang_a1, f"Analis {name}"),
                                supervisor=world.chief_a1, name=name)
    author = factory.user(employee)
    plan = make_plan(employee, period, PlanStatus.APPROVED, results=[
        (f"RHK {n} {name}", [(ASPECTS[0], f"Jumlah dokumen {n}", 12), (ASPECTS[1], f"Mutu {n}", "Sesuai standar")])
        for n in range(n_results)])
    for result in plan.results:
        for indicator in result.indicators:
            realisation = Realisation(indicator=indicator, subperiod=november, plan=plan,
                                      value=Decimal(1) if indicator.target_value else None,
                                      narrative="Dikerjakan", status=RealisationStatus.SUBMITTED)
            realisation.evidence.append(Evidence(kind=EvidenceKind.LINK, title="Tautan",
                                                 url="https://data.example.go.id/x"))
            realisation.evidence.append(Evidence(kind=EvidenceKind.FILE, title="berkas.pdf",
                                                 stored_name=f"{name}-{indicator.id}-{result.id}.pdf",
                                                 content_type="application/pdf", size_bytes=1000))
            realisation.feedback.append(Feedback(author=world.users["supervisor"], body="Bagus"))
            realisation.feedback.append(Feedback(author=author, body="Terima kasih"))
            db.session.add(realisation)
    db.session.flush()
    evaluation = services.start_evaluation(plan, 11)
    services.save_evaluation(evaluation, hasil_rating="sesuai", perilaku_rating="sesuai",
                             notes={i.id: "Catatan" for r in plan.results for i in r.indicators})
    db.session.flush()
    return plan


def _statements(client, plan, key=11):
    db.session.expire_all()
    with count_statements() as statements:
        response = client.get(f"/evaluasi/skp/{plan.id}/{key}")
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


def test_page_statements_do_not_grow_with_ikis(world, login_as, factory):
    small = _plan_with(world, factory, 1, "Kecil")   # 2 IKIs
    large = _plan_with(world, factory, 3, "Besar")   # 6 IKIs
    client = login_as("supervisor")
    _statements(client, small)  # warm-up (first request of the session)
    n_small, page_small = _statements(client, small)
    n_large, page_large = _statements(client, large)
    assert page_large.count("Terima kasih") == 6 and page_small.count("Terima kasih") == 2
    assert page_large.count("berkas.pdf") == 6
    assert n_small == n_large, f"{n_small} statements for 2 IKIs, {n_large} for 6"
    # the year reads every month's realisasi: still flat
    y_small, _page = _statements(client, small, 0)
    y_large, _page = _statements(client, large, 0)
    assert y_small == y_large
    assert n_small < 60
