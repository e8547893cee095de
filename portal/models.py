"""Every model module, imported once so that the metadata (and so migrations) sees all tables."""
from portal.auth.models import User, UserRole  # noqa: F401
from portal.catalogue.models import (  # noqa: F401
    CatalogueSettings,
    Competency,
    CoreValueCompetency,
    DevelopmentPlan,
    DevelopmentPlanItem,
    ExternalCertificate,
    IndicatorCompetency,
    LearningRecord,
    Programme,
    ProgrammeCompetency,
    ProgrammeUnit,
    Recommendation,
    ResultCompetency,
    TalentAssessment,
)
from portal.core.audit import AuditEntry  # noqa: F401
from portal.evaluation.models import (  # noqa: F401
    BehaviourRating,
    DevelopmentNeed,
    Evaluation,
    IkmResponse,
    IndicatorNote,
    Objection,
    OrgAssessment,
    PeerInput,
    UnitService,
)
from portal.jobs.models import Job  # noqa: F401
from portal.notifications.models import Notification, OutgoingEmail  # noqa: F401
from portal.people.models import Employee, EmployeeAssignment, ImportBatch, OrgUnit, Position  # noqa: F401
from portal.plans.models import (  # noqa: F401
    ActivityComment,
    ActivityEntry,
    BehaviourExpectation,
    Evidence,
    Feedback,
    Indicator,
    OrgTarget,
    PerformancePeriod,
    PerformancePlan,
    PlanComment,
    Realisation,
    ResultPlan,
    Subperiod,
    Team,
    TeamGoal,
    TeamMember,
)
from portal.sessions.models import TrainingSession  # noqa: F401
