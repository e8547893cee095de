"""Catalogue models: competencies, programmes, recommendations, IDPs, learning hours, talent."""
from portal.catalogue.models.competencies import (  # noqa: F401
    Competency,
    CompetencyGroup,
    CoreValueCompetency,
    IndicatorCompetency,
    ResultCompetency,
)
from portal.catalogue.models.development import (  # noqa: F401
    CertificateKind,
    CertificateStatus,
    DevelopmentPlan,
    DevelopmentPlanItem,
    ExternalCertificate,
    IdpItemStatus,
    IdpStatus,
    LearningRecord,
    LearningSource,
    Potential,
    TalentAssessment,
)
from portal.catalogue.models.programmes import (  # noqa: F401
    CLASSICAL_FORMS,
    Delivery,
    IdpBucket,
    Leadership,
    Programme,
    ProgrammeCompetency,
    ProgrammeForm,
    ProgrammeStatus,
    ProgrammeUnit,
    ProviderKind,
)
from portal.catalogue.models.recommendations import (  # noqa: F401
    CatalogueSettings,
    Priority,
    Recommendation,
    RecommendationSource,
    RecommendationStatus,
)
