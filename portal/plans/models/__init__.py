"""Performance plans (SKP) and achievement tracking."""
from portal.plans.models.activities import ActivityComment, ActivityEntry  # noqa: F401
from portal.plans.models.periods import OrgTarget, PerformancePeriod, PeriodStatus, Subperiod, SubperiodLength  # noqa: F401
from portal.plans.models.plans import (  # noqa: F401
    WORKING,
    Aggregation,
    Aspect,
    BehaviourExpectation,
    CoreValue,
    Direction,
    Indicator,
    Measure,
    PerformancePlan,
    PlanApproach,
    PlanComment,
    PlanStatus,
    ResultKind,
    ResultPlan,
)
from portal.plans.models.realisations import Evidence, EvidenceKind, Feedback, Realisation, RealisationStatus  # noqa: F401
from portal.plans.models.teams import Team, TeamGoal, TeamMember  # noqa: F401
