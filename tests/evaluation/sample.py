"""Evaluation data built straight from the models, on top of ``tests.plans.sample.sample_plan``.

``sample_evaluation(world)`` adds, for staff_a1's approved 2026 SKP (appraiser chief_a1):
- ``draft``: the November evaluation (period_key 11), a draft with ratings partly set;
- ``final``: the October evaluation (period_key 10), final (Baik), with an objection filed
  (``objection``, decider head_a: the appraiser's supervisor);
- ``peer_input``: a request to admin_emp (the "admin_opd" account's employee) on the draft;
- ``assessment``: Dinas Alpha's organisational capaian for November (Baik);
- ``service``: a service of Dinas Alpha with two IKM responses.
Built once per test (cached on the world object).
"""
from datetime import date, datetime, timedelta

from portal.evaluation.models import (
    BehaviourRating,
    Evaluation,
    EvaluationStatus,
    IkmResponse,
    Objection,
    OrgAssessment,
    OrgPredicate,
    PeerInput,
    Predicate,
    Rating,
    UnitService,
)
from portal.extensions import db
from portal.plans.models import CoreValue
from tests.plans.sample import sample_plan


class Sample:
    pass


def make_evaluation(plan, period_key, *, status=EvaluationStatus.DRAFT, hasil=None, perilaku=None,
                    predicate=None, deadline=None):
    subperiod = next((sp for sp in plan.period.subperiods if sp.number == period_key), None)
    evaluation = Evaluation(plan=plan, employee_id=plan.employee_id, appraiser_id=plan.appraiser_id,
                            org_unit_id=plan.org_unit_id, period_id=plan.period_id, subperiod=subperiod,
                            period_key=period_key, status=status, hasil_rating=hasil, perilaku_rating=perilaku,
                            predicate=predicate, objection_deadline=deadline)
    for value in CoreValue:
        evaluation.behaviours.append(BehaviourRating(value=value, note=""))
    if status is EvaluationStatus.FINAL:
        evaluation.finalised_dt = datetime(2026, 11, 5, 9, 0)
    db.session.add(evaluation)
    db.session.flush()
    return evaluation


def sample_evaluation(world):
    cached = getattr(world, "_evaluation_sample", None)
    if cached is not None:
        return cached
    p = sample_plan(world)
    s = Sample()
    s.plan_sample = p
    s.plan = p.plan
    s.draft = make_evaluation(p.plan, 11, hasil=Rating.MEETS)
    s.final = make_evaluation(p.plan, 10, status=EvaluationStatus.FINAL, hasil=Rating.MEETS,
                              perilaku=Rating.MEETS, predicate=Predicate.GOOD,
                              deadline=date.today() + timedelta(days=14))
    s.objection = Objection(evaluation=s.final, employee_id=world.staff_a1.id, decider_id=world.head_a.id,
                            reason="Realisasi bulan Oktober belum dipertimbangkan.",
                            original_hasil=Rating.MEETS, original_perilaku=Rating.MEETS,
                            original_predicate=Predicate.GOOD)
    admin_employee = world.users["admin_opd"].employee
    s.peer_input = PeerInput(evaluation=s.draft, peer_id=admin_employee.id,
                             requested_by=world.users["supervisor"])
    s.assessment = OrgAssessment(org_unit=world.dinas_a, period=p.period, subperiod=p.november, period_key=11,
                                 predicate=OrgPredicate.GOOD, note="")
    s.service = UnitService(org_unit=world.dinas_a, name="Layanan rekomendasi data")
    s.responses = [IkmResponse(org_unit=world.dinas_a, service=s.service, comment="Cepat",
                               **{f"u{n}": 3 for n in range(1, 10)}),
                   IkmResponse(org_unit=world.dinas_a, **{f"u{n}": 4 for n in range(1, 10)})]
    db.session.add_all([s.objection, s.peer_input, s.assessment, s.service, *s.responses])
    db.session.flush()
    world._evaluation_sample = s
    return s
