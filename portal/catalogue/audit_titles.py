"""How the audit log reads career-development entries (merged into portal.audit.reading).

Every audit action a catalogue service records needs a title here; one section per area."""
from flask_babel import lazy_gettext as _l

from portal.catalogue.models import (
    CertificateStatus,
    IdpStatus,
    ProgrammeStatus,
    RecommendationStatus,
)

# Object type name → (title, endpoint of its page or None, URL argument or None).
OBJECT_TYPES = {
    "Competency": (_l("Kompetensi"), None, None),
    "Programme": (_l("Program pengembangan"), "catalogue.show_programme", "programme_id"),
    "Recommendation": (_l("Rekomendasi pelatihan"), None, None),
    "DevelopmentPlan": (_l("Rencana pengembangan (IDP)"), "idp.show_plan", "idp_id"),
    "ExternalCertificate": (_l("Sertifikat eksternal"), None, None),
    "TalentAssessment": (_l("Potensial talenta"), None, None),
    "CatalogueSettings": (_l("Pengaturan rekomendasi"), None, None),
}

ACTION_TITLES = {
    # recommendations (lead)
    "recommendation.accepted": _l("Rekomendasi dimasukkan ke rencana pengembangan"),
    "recommendation.dismissed": _l("Rekomendasi diabaikan"),
    # IDP
    "idp.created": _l("Rencana pengembangan dibuat"),
    "idp.item_added": _l("Kegiatan ditambahkan ke rencana pengembangan"),
    # competencies / settings (helper: competencies)
    # programme catalogue (helper: programme admin)
    # learning hours (helper: learning)
    # talent (helper: tna/talent)
}

STATE_TITLES = {
    **{s.value: s.title for s in RecommendationStatus},
    **{s.value: s.title for s in IdpStatus},
    **{s.value: s.title for s in CertificateStatus},
    **{s.value: s.title for s in ProgrammeStatus},
}

FIELD_LABELS = {
}
