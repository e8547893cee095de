"""Evaluasi tim: the plans a penilai appraises for one period, each with its evaluation's state,
ratings and predikat, and the team's draft distribution.

Readers only; rating goes through ``services.start_evaluation`` / ``services.save_evaluation``.
A page of the team costs the same few queries however many subordinates it holds.
"""
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from portal.evaluation import org_services, rules
from portal.evaluation.models import OrgAssessment
from portal.extensions import db
from portal.people.models import Employee
from portal.plans.models import PerformancePeriod, PerformancePlan

PER_PAGE = 50


@dataclass
class TeamRow:
    """One subordinate's plan for the period, its evaluation (None before the first save) and,
    for the head of a unit, the unit's organisational capaian (which fixes hasil kerja)."""

    plan: PerformancePlan
    period_key: int
    evaluation: object = None
    assessment: OrgAssessment | None = None

    @property
    def employee(self):
        return self.plan.employee

    @property
    def is_head(self) -> bool:
        return self.plan.position is not None and self.plan.position.is_head

    @property
    def hasil_fixed(self) -> bool:
        """Hasil kerja follows the unit's organisational capaian (head of a unit with one)."""
        return self.is_head and self.assessment is not None

    @property
    def hasil_rating(self):
        if self.hasil_fixed:
            return rules.head_hasil_rating(self.assessment.predicate)
        return self.evaluation.hasil_rating if self.evaluation is not None else None

    @property
    def perilaku_rating(self):
        return self.evaluation.perilaku_rating if self.evaluation is not None else None

    @property
    def predicate(self):
        return self.evaluation.predicate if self.evaluation is not None else None

    @property
    def is_final(self) -> bool:
        return self.evaluation is not None and self.evaluation.is_final

    def can_rate(self, user) -> bool:
        """Fill inline: the plan's appraiser, before the evaluation exists or while it is a draft
        that is theirs."""
        if not self.plan.is_appraiser(user):
            return False
        return self.evaluation is None or self.evaluation.can_rate(user)


def team_scope(employee, period: PerformancePeriod, period_key: int) -> list:
    """Conditions on PerformancePlan: plans the employee appraises, evaluated for the period."""
    return [PerformancePlan.appraiser_id == employee.id, *org_services.plan_scope(period, period_key)]


def team_query(employee, period: PerformancePeriod, period_key: int):
    return (sa.select(PerformancePlan)
            .join(Employee, Employee.id == PerformancePlan.employee_id)
            .where(*team_scope(employee, period, period_key))
            .options(contains_eager(PerformancePlan.employee), joinedload(PerformancePlan.position))
            .order_by(Employee.name, PerformancePlan.id))


def rows_for(plans, period: PerformancePeriod, period_key: int) -> list[TeamRow]:
    """TeamRows for a page of plans: their evaluations and the heads' unit assessments (two
    queries at most)."""
    evaluations = org_services.evaluations_of(plans, period_key)
    head_units = {p.position.org_unit_id for p in plans if p.position is not None and p.position.is_head}
    assessments = org_services.assessments_of(head_units, period, period_key)
    return [TeamRow(p, period_key, evaluations.get(p.id),
                    assessments.get(p.position.org_unit_id) if p.position is not None and p.position.is_head
                    else None)
            for p in plans]


def team_page(employee, period: PerformancePeriod, period_key: int, *, page=1, per_page=PER_PAGE):
    """(pagination of TeamRow, Tally of the whole team) for the period."""
    pagination = db.paginate(team_query(employee, period, period_key), page=page, per_page=per_page,
                             error_out=False, count=True)
    pagination.items = rows_for(pagination.items, period, period_key)
    return pagination, org_services.tally(period_key, *team_scope(employee, period, period_key))


def team_row(plan: PerformancePlan, period_key: int) -> TeamRow:
    """The row of one plan (after an inline save)."""
    return rows_for([plan], plan.period, period_key)[0]
