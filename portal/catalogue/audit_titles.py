"""How the audit log reads career-development entries (merged into portal.audit.reading).

Every audit action a catalogue service records needs a title here; one section per area."""
from flask_babel import lazy_gettext as _l

from portal.catalogue.models import (
    CertificateStatus,
    IdpItemStatus,
    IdpStatus,
    Potential,
    ProgrammeStatus,
    RecommendationStatus,
)
from portal.plans.models import CoreValue

# Object type name → (title, endpoint of its page or None, URL argument or None).
OBJECT_TYPES = {
    "Competency": (_l("Kompetensi"), None, None),
    "Programme": (_l("Program pengembangan"), "catalogue.show_programme", "programme_id"),
    "Recommendation": (_l("Rekomendasi pelatihan"), None, None),
    "DevelopmentPlan": (_l("Rencana pengembangan (IDP)"), "idp.show_plan", "idp_id"),
    "ExternalCertificate": (_l("Sertifikat eksternal"), "learning.show_certificate", "certificate_id"),
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
    # IDP (helper: idp)
    "idp.item_changed": _l("Kegiatan rencana pengembangan diubah"),
    "idp.item_removed": _l("Kegiatan dihapus dari rencana pengembangan"),
    "idp.item_status": _l("Status kegiatan rencana pengembangan diubah"),
    "idp.items_synced": _l("Kegiatan rencana pengembangan selesai menurut catatan JP"),
    "idp.reopened": _l("Rencana pengembangan yang disetujui diubah kembali ke draf"),
    "idp.submitted": _l("Rencana pengembangan diajukan kepada atasan"),
    "idp.approved": _l("Rencana pengembangan disetujui"),
    "idp.returned": _l("Rencana pengembangan dikembalikan"),
    "recommendation.reopened": _l("Rekomendasi dibuka kembali (kegiatan dihapus dari rencana)"),
    # competencies / settings (helper: competencies)
    "competency.created": _l("Kompetensi ditambahkan ke kamus"),
    "competency.updated": _l("Kompetensi diubah"),
    "competency.deactivated": _l("Kompetensi dinonaktifkan"),
    "competency.activated": _l("Kompetensi diaktifkan kembali"),
    "competency.mapping_changed": _l("Kompetensi untuk nilai BerAKHLAK diubah"),
    "competency.tagged": _l("Kompetensi ditandai pada RHK/IKI"),
    "competency.untagged": _l("Tanda kompetensi dihapus dari RHK/IKI"),
    "catalogue_settings.updated": _l("Ambang rekomendasi diubah"),
    # programme catalogue (helper: programme admin)
    "programme.created": _l("Program pengembangan ditambahkan"),
    "programme.updated": _l("Program pengembangan diubah"),
    "programme.archived": _l("Program pengembangan diarsipkan"),
    "programme.restored": _l("Program pengembangan dipulihkan"),
    "programme.imported": _l("Program pengembangan diimpor dari CSV"),
    # learning hours (helper: learning)
    "certificate.submitted": _l("Sertifikat eksternal diunggah"),
    "certificate.updated": _l("Sertifikat eksternal diubah"),
    "certificate.deleted": _l("Sertifikat eksternal dihapus"),
    "certificate.verified": _l("Sertifikat eksternal diverifikasi"),
    "certificate.rejected": _l("Sertifikat eksternal ditolak"),
    # talent (helper: tna/talent)
    "talent.potential_set": _l("Potensial talenta dicatat"),
}

STATE_TITLES = {
    **{s.value: s.title for s in RecommendationStatus},
    **{s.value: s.title for s in IdpStatus},
    **{s.value: s.title for s in IdpItemStatus},
    **{s.value: s.title for s in CertificateStatus},
    **{s.value: s.title for s in ProgrammeStatus},
    **{s.value: s.title for s in Potential},
}

FIELD_LABELS = {
    # talent (helper: tna/talent)
    "potential": _l("Potensial"),
    # competencies / settings (helper: competencies)
    "group": _l("Kelompok kompetensi"),
    "field": _l("Bidang"),
    "jp_target": _l("Target JP per tahun"),
    "short_jp_max": _l("Batas JP program singkat"),
    "per_need": _l("Program per kebutuhan"),
    "jp_suggestions": _l("Saran untuk kekurangan JP"),
    "coaching_jp": _l("JP per coaching"),
    "mentoring_jp": _l("JP per mentoring"),
    "coaching_score_max": _l("Batas skor coaching"),
    **{value.value: value.title for value in CoreValue},
    # IDP (helper: idp)
    "target_date": _l("Tanggal target"),
    "jp_planned": _l("JP direncanakan"),
    "note": _l("Catatan"),
    # programme catalogue (helper: programme admin)
    "code": _l("Kode"),
    "title": _l("Judul"),
    "description": _l("Deskripsi"),
    "form": _l("Bentuk pengembangan"),
    "jp": _l("JP"),
    "provider_kind": _l("Jenis penyelenggara"),
    "provider_name": _l("Nama penyelenggara"),
    "delivery": _l("Metode pelaksanaan"),
    "cost_per_participant": _l("Biaya per peserta"),
    "prerequisites": _l("Prasyarat"),
    "leadership": _l("Jenjang kepemimpinan"),
    "position_kinds": _l("Jenis jabatan"),
    "golongan_min": _l("Golongan minimum"),
    "golongan_max": _l("Golongan maksimum"),
    "open_to_pppk": _l("Terbuka untuk PPPK"),
    "competencies": _l("Kompetensi"),
    "units": _l("Unit"),
    # learning hours (helper: learning)
    "course_type": _l("Jenis kursus"),
    "number": _l("Nomor sertifikat"),
    "certificate_date": _l("Tanggal sertifikat"),
    "organiser": _l("Penyelenggara"),
    "file_name": _l("Berkas pindaian"),
    "programme_id": _l("Diakui sebagai program"),
}
