"""Career-development rules, pure functions: eligibility, the leadership programme a post
requires, the 9-box (PermenPANRB 3/2020), and the 70-20-10 split."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.catalogue.models.programmes import IdpBucket, Leadership
from portal.people import rules as people_rules
from portal.people.models import CivilStatus, EmployeeKind, PositionKind

PNS_GOLONGAN_ORDER = list(people_rules.GOLONGAN_PNS)

# The leadership programme each structural post requires (LAN). Latsar is for CPNS.
REQUIRED_LEADERSHIP = {
    PositionKind.PENGAWAS: Leadership.PKP,
    PositionKind.ADMINISTRATOR: Leadership.PKA,
    PositionKind.JPT_PRATAMA: Leadership.PKN_II,
    PositionKind.JPT_MADYA: Leadership.PKN_I,
}
# The next level up, for high performers with high potential (talent pool).
NEXT_LEADERSHIP = {
    PositionKind.PELAKSANA: Leadership.PKP,
    PositionKind.FUNGSIONAL_KETERAMPILAN: Leadership.PKP,
    PositionKind.FUNGSIONAL_KEAHLIAN: Leadership.PKA,
    PositionKind.PENGAWAS: Leadership.PKA,
    PositionKind.ADMINISTRATOR: Leadership.PKN_II,
    PositionKind.JPT_PRATAMA: Leadership.PKN_I,
}
# Leadership programmes that count as done once a higher one is (someone with PKA needs no PKP).
LEADERSHIP_ORDER = [Leadership.LATSAR, Leadership.PKP, Leadership.PKA, Leadership.PKN_II, Leadership.PKN_I]


def required_leadership(position_kind: PositionKind | None, civil_status: CivilStatus | None = None
                        ) -> Leadership | None:
    """The leadership programme the holder of such a post must have (None: none)."""
    if civil_status is CivilStatus.CPNS:
        return Leadership.LATSAR
    return REQUIRED_LEADERSHIP.get(position_kind)


def has_leadership(done: set, required: Leadership) -> bool:
    """True when ``done`` (the Leadership programmes completed) covers ``required``: that one or
    a higher one (Latsar is covered only by itself)."""
    if required in done:
        return True
    if required is Leadership.LATSAR:
        return False
    rank = LEADERSHIP_ORDER.index(required)
    return any(LEADERSHIP_ORDER.index(d) > rank for d in done if d is not Leadership.LATSAR)


@dataclass(frozen=True)
class EmployeeFacts:
    """What eligibility looks at, detached from the database (unit_path: "/1/5/23/")."""

    kind: EmployeeKind
    position_kind: PositionKind | None
    golongan: str | None
    unit_path: str


@dataclass(frozen=True)
class ProgrammeFacts:
    position_kinds: tuple        # PositionKind values; empty: every kind
    golongan_min: str | None
    golongan_max: str | None
    open_to_pppk: bool
    unit_paths: tuple            # paths of the units whose subtrees may take it; empty: all


def ineligibility_reasons(programme: ProgrammeFacts, employee: EmployeeFacts) -> list[str]:
    """Why ``employee`` may not take ``programme``, in words (empty: eligible)."""
    reasons = []
    if programme.position_kinds and (employee.position_kind is None
                                     or employee.position_kind.value not in programme.position_kinds):
        titles = ", ".join(str(PositionKind(v).title) for v in programme.position_kinds)
        reasons.append(str(_l("Hanya untuk jenis jabatan: %(kinds)s.", kinds=titles)))
    if employee.kind is EmployeeKind.PPPK:
        if not programme.open_to_pppk:
            reasons.append(str(_l("Tidak terbuka untuk PPPK.")))
    elif programme.golongan_min or programme.golongan_max:
        rank = PNS_GOLONGAN_ORDER.index(employee.golongan) if employee.golongan in PNS_GOLONGAN_ORDER else None
        low = PNS_GOLONGAN_ORDER.index(programme.golongan_min) if programme.golongan_min else 0
        high = (PNS_GOLONGAN_ORDER.index(programme.golongan_max) if programme.golongan_max
                else len(PNS_GOLONGAN_ORDER) - 1)
        if rank is None or not low <= rank <= high:
            reasons.append(str(_l("Golongan %(low)s sampai %(high)s.", low=PNS_GOLONGAN_ORDER[low],
                                  high=PNS_GOLONGAN_ORDER[high])))
    if programme.unit_paths and not any(employee.unit_path.startswith(p) for p in programme.unit_paths):
        reasons.append(str(_l("Hanya untuk pegawai unit kerja tertentu.")))
    return reasons


def is_eligible(programme: ProgrammeFacts, employee: EmployeeFacts) -> bool:
    return not ineligibility_reasons(programme, employee)


# ---------------------------------------------------------------- 9-box
class KinerjaLevel:
    ABOVE, MEETS, BELOW = "di_atas", "sesuai", "di_bawah"


# (kinerja, potential) → box number; potential values of Potential.
NINE_BOX = {
    ("di_atas", "rendah"): 4, ("di_atas", "menengah"): 7, ("di_atas", "tinggi"): 9,
    ("sesuai", "rendah"): 2, ("sesuai", "menengah"): 5, ("sesuai", "tinggi"): 8,
    ("di_bawah", "rendah"): 1, ("di_bawah", "menengah"): 3, ("di_bawah", "tinggi"): 6,
}

BOX_ACTIONS = {
    1: _l("Diproses sesuai ketentuan"),
    2: _l("Bimbingan kinerja; pengembangan kompetensi; penempatan sesuai"),
    3: _l("Bimbingan dan konseling kinerja; pengembangan kompetensi"),
    4: _l("Rotasi; pengembangan kompetensi"),
    5: _l("Penempatan sesuai; bimbingan kinerja; pengembangan kompetensi"),
    6: _l("Penempatan sesuai; bimbingan dan konseling kinerja"),
    7: _l("Dipertahankan; rencana suksesi; rotasi/pengayaan; pengembangan; tugas belajar"),
    8: _l("Dipertahankan; suksesi; rotasi/perluasan; bimbingan kinerja"),
    9: _l("Promosi; suksesi instansi/nasional; penghargaan"),
}

# What the catalogue offers for each box: the next leadership programme (talent pool), coaching
# and mentoring programmes (bimbingan kinerja), or competency development in general.
TALENT_POOL_BOXES = {7, 8, 9}
COACHING_BOXES = {2, 3, 5, 6, 8}
DEVELOPMENT_BOXES = {2, 3, 4, 5, 7}


def kinerja_of_predicate(predicate_value: str | None) -> str | None:
    """The kinerja axis from an evaluation's predikat: Sangat Baik is above expectations, Baik
    meets them, the rest are below (None: no final evaluation)."""
    if predicate_value is None:
        return None
    if predicate_value == "sangat_baik":
        return KinerjaLevel.ABOVE
    if predicate_value == "baik":
        return KinerjaLevel.MEETS
    return KinerjaLevel.BELOW


def nine_box(kinerja: str | None, potential: str | None) -> int | None:
    if kinerja is None or potential is None:
        return None
    return NINE_BOX.get((kinerja, potential))


# ---------------------------------------------------------------- 70-20-10
IDP_TARGET_SHARES = {IdpBucket.EXPERIENCE: 70, IdpBucket.SOCIAL: 20, IdpBucket.FORMAL: 10}


def bucket_shares(jp_by_bucket: dict) -> dict:
    """Per bucket the share (0–100, whole percent) of the planned JP; all zero when nothing is planned."""
    total = sum(jp_by_bucket.get(b, 0) for b in IdpBucket)
    if not total:
        return {b: 0 for b in IdpBucket}
    return {b: round(100 * jp_by_bucket.get(b, 0) / total) for b in IdpBucket}
