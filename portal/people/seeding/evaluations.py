"""Evaluations for a seeded instansi: ratings and predikat, organisational capaian, development
needs, objections, peer input, unit services and public feedback (IKM).

``seed_demo_evaluations`` gives the demo kabupaten (its "today" is ``plans.TODAY``, 23 November
2026) the final annual evaluation of every 2025 plan and the monthly evaluations January–October
2026 of every approved plan (final through September; October mostly drafts, a few final), the
OPDs' organisational capaian for those periods, the development needs that low ratings imply, a
handful of objections and peer inputs, the services of the service units (puskesmas, kecamatan,
kelurahan, perizinan, dukcapil) and IKM responses across 2026. ``seed_scale_evaluations`` gives a
large instansi final evaluations January–October for everyone with an approved plan, November
drafts for a share, organisational capaian per OPD and IKM responses.

Predikat are planned per OPD and period so that the staff distribution fits the guide of the OPD's
capaian (SE MenPANRB 3/2023) — except, in the demo, one OPD's October drafts, so that the flag
shows. Each predikat is the kuadran's (``rules.predicate``) of the two ratings, and the rating of
hasil kerja follows the plan's performance factor (the realisasi were drawn from it). Written like
``plans``: planned in memory with a seeded ``random.Random``, Core bulk inserts in chunks (COPY on
PostgreSQL for the scale seed); nothing commits.
"""
import calendar
import json
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app

from portal.auth.models import User
from portal.evaluation import rules
from portal.evaluation.models import (
    IKM_FIELDS,
    YEAR_KEY,
    BehaviourRating,
    DevelopmentNeed,
    Evaluation,
    EvaluationStatus,
    IkmResponse,
    IndicatorNote,
    NeedKind,
    NeedStatus,
    Objection,
    ObjectionStatus,
    OrgAssessment,
    OrgPredicate,
    PeerInput,
    PeerInputStatus,
    Predicate,
    Rating,
    UnitService,
)
from portal.extensions import db
from portal.people import rules as people_rules
from portal.people.models import EmployeeKind, UnitKind
from portal.people.seeding.plans import TODAY, _copy, _insert, _max_id, _opd_of, domain_of
from portal.plans import rules as plan_rules
from portal.plans.models import CoreValue, Measure, PlanStatus, ResultKind

ABOVE, MEETS, BELOW = Rating.ABOVE, Rating.MEETS, Rating.BELOW
P = Predicate
DRAFT, FINAL = EvaluationStatus.DRAFT, EvaluationStatus.FINAL

# Shares of staff predikat aimed at per OPD and period, by the OPD's capaian (Baik takes the rest).
# Under a Baik capaian at most 70 % may be Baik, so those OPDs carry more Sangat Baik; Istimewa OPDs
# (about a third of the staff each period) carry more Baik: the instansi lands near 13 % Sangat
# Baik, 72 % Baik, 10 % Butuh Perbaikan, 2.5 % Kurang/Misconduct and a few Sangat Kurang.
TARGETS = {
    OrgPredicate.OUTSTANDING: {P.VERY_GOOD: 0.09, P.NEEDS_IMPROVEMENT: 0.075, P.POOR: 0.02, P.VERY_POOR: 0.0},
    OrgPredicate.GOOD: {P.VERY_GOOD: 0.145, P.NEEDS_IMPROVEMENT: 0.12, P.POOR: 0.03, P.VERY_POOR: 0.004},
    OrgPredicate.NEEDS_IMPROVEMENT: {P.VERY_GOOD: 0.0, P.NEEDS_IMPROVEMENT: 0.62, P.POOR: 0.04, P.VERY_POOR: 0.0},
}
# The one OPD whose October drafts break its guide: nearly everyone Baik, nobody below.
LENIENT = {P.VERY_GOOD: 0.1, P.NEEDS_IMPROVEMENT: 0.0, P.POOR: 0.0, P.VERY_POOR: 0.0}
OUTSTANDING_SHARE = (0.32, 0.45)  # of the staff under an Istimewa capaian, each period

TITLES_ID = {  # the BerAKHLAK values as the reasons name them (the instansi's language)
    CoreValue.SERVICE: "Berorientasi Pelayanan", CoreValue.ACCOUNTABLE: "Akuntabel",
    CoreValue.COMPETENT: "Kompeten", CoreValue.HARMONIOUS: "Harmonis", CoreValue.LOYAL: "Loyal",
    CoreValue.ADAPTIVE: "Adaptif", CoreValue.COLLABORATIVE: "Kolaboratif",
}

# ---------------------------------------------------------------- texts
HASIL_REASONS = {
    ABOVE: ["Realisasi seluruh IKI melampaui target bulan ini dengan bukti dukung lengkap.",
            "Target terlampaui dan ada inisiatif perbaikan layanan yang sudah berjalan.",
            "Capaian di atas target; laporan dan bukti dukung tersusun rapi dan tepat waktu."],
    MEETS: ["Realisasi sesuai target bulanan.", "IKI utama tercapai sesuai rencana; bukti dukung lengkap.",
            "Capaian sesuai ekspektasi.", "", ""],
    BELOW: ["Realisasi beberapa IKI di bawah target bulanan.",
            "Target utama belum tercapai dan bukti dukung belum lengkap.",
            "Laporan terlambat dan capaian kuantitas di bawah target; perlu rencana perbaikan."],
}
ANNUAL_REASONS = {
    ABOVE: ["Capaian tahunan melampaui target pada sebagian besar IKI.",
            "Target tahunan terlampaui; kontribusi nyata pada sasaran unit."],
    MEETS: ["Target tahunan tercapai.", "Capaian tahunan sesuai ekspektasi.", ""],
    BELOW: ["Sebagian target tahunan tidak tercapai.", "Capaian tahunan di bawah target pada IKI utama."],
}
PERILAKU_NOTES = {
    ABOVE: ["Menjadi teladan rekan kerja dan sigap membantu tim.",
            "Proaktif, berinisiatif, dan menjaga suasana kerja yang baik."],
    MEETS: ["", "", "", "Perilaku kerja sesuai ekspektasi."],
    BELOW: ["Beberapa kali tidak hadir rapat koordinasi tanpa keterangan; perlu pembinaan.",
            "Kurang responsif terhadap permintaan layanan dan arahan atasan.",
            "Perlu memperbaiki kedisiplinan dan cara berkomunikasi dengan rekan kerja."],
}
VALUE_NOTES = {  # (positive, negative) notes per BerAKHLAK value
    CoreValue.SERVICE: (["Ramah dan cepat melayani masyarakat; keluhan ditangani tuntas.",
                         "Mengusulkan perbaikan alur layanan yang memangkas waktu tunggu."],
                        ["Beberapa keluhan masyarakat tentang sikap saat melayani."]),
    CoreValue.ACCOUNTABLE: (["Laporan selalu tepat waktu dan dapat dipertanggungjawabkan."],
                            ["Laporan kegiatan terlambat dan bukti dukung tidak lengkap.",
                             "Kehadiran tidak disiplin pada beberapa hari kerja."]),
    CoreValue.COMPETENT: (["Aktif mengikuti pelatihan dan berbagi ilmu kepada rekan."],
                          ["Perlu meningkatkan penguasaan aplikasi kerja yang baru."]),
    CoreValue.HARMONIOUS: (["Membangun suasana kerja yang saling menghargai."],
                           ["Sempat terjadi perselisihan dengan rekan kerja yang mengganggu layanan."]),
    CoreValue.LOYAL: (["Menjaga nama baik instansi dalam setiap kegiatan."],
                      ["Membagikan informasi internal di media sosial tanpa izin."]),
    CoreValue.ADAPTIVE: (["Cepat menyesuaikan diri dengan aplikasi dan prosedur baru."],
                         ["Lambat menyesuaikan diri dengan perubahan prosedur kerja."]),
    CoreValue.COLLABORATIVE: (["Terbuka bekerja sama lintas bidang dan tim kerja."],
                              ["Kurang terlibat dalam kegiatan tim kerja lintas bidang."]),
}
LOW_VALUES = [CoreValue.ACCOUNTABLE, CoreValue.ACCOUNTABLE, CoreValue.COLLABORATIVE, CoreValue.SERVICE,
              CoreValue.HARMONIOUS, CoreValue.ADAPTIVE, CoreValue.COMPETENT, CoreValue.LOYAL]
INDICATOR_NOTES = {
    ABOVE: ["Capaian melampaui target; pertahankan.", "Bagus, rekap bulanan sudah rapi."],
    MEETS: ["Sesuai target; lampirkan rekap register pada bulan berikutnya.", "Realisasi sesuai rencana.",
            "Bukti dukung cukup; tambahkan dokumentasi kegiatan."],
    BELOW: ["Realisasi di bawah target; susun rencana percepatan.",
            "Target belum tercapai; koordinasikan kendala dengan atasan.",
            "Bukti dukung belum lengkap sehingga capaian belum dapat diakui."],
}
OBJECTION_REASONS = [
    "Realisasi IKI bulan ini sudah mencapai target dan bukti dukung sudah saya unggah, tetapi belum "
    "dipertimbangkan dalam penilaian.",
    "Sebagian target tertunda karena saya ditugaskan atasan membantu kegiatan vaksinasi massal; "
    "mohon penugasan tersebut dipertimbangkan.",
    "Saya tidak menerima umpan balik selama bulan berjalan sehingga tidak dapat memperbaiki kinerja "
    "sebelum penilaian.",
    "Penilaian perilaku tidak mempertimbangkan kontribusi saya pada tim kerja lintas bidang.",
]
DECISION_UPHELD = [
    "Setelah memeriksa realisasi dan bukti dukung, rating yang diberikan pejabat penilai sudah sesuai. "
    "Predikat dipertahankan.",
    "Bukti dukung yang diajukan tidak menunjukkan target tercapai. Predikat dipertahankan; pegawai "
    "diminta menyusun rencana perbaikan bersama pejabat penilai.",
]
DECISION_CHANGED = [
    "Bukti dukung menunjukkan target tercapai setelah penugasan tambahan diperhitungkan; rating diubah.",
    "Penugasan dari atasan yang menunda target belum dipertimbangkan pejabat penilai; rating diubah.",
]
PEER_NOTES = ["Selalu siap membantu saat layanan ramai.", "Komunikasinya baik dengan pasien dan rekan.",
              "Laporan bersama sering diselesaikan tepat waktu berkat bantuannya.",
              "Sesekali terlambat saat apel pagi.", "Terbuka menerima masukan."]

SERVICES = {
    "puskesmas": ["Pemeriksaan umum", "Kesehatan ibu dan anak (KIA)", "Imunisasi", "Pemeriksaan laboratorium"],
    "kecamatan": ["Rekomendasi dan surat pengantar", "Legalisasi dokumen", "Izin usaha mikro dan kecil",
                  "Pelayanan administrasi kependudukan"],
    "kelurahan": ["Surat keterangan domisili", "Surat pengantar nikah", "Surat keterangan tidak mampu"],
    "perizinan": ["Perizinan berusaha berbasis risiko (OSS)", "Persetujuan Bangunan Gedung (PBG)",
                  "Izin praktik tenaga kesehatan", "Konsultasi perizinan"],
    "dukcapil": ["KTP elektronik", "Kartu Keluarga", "Akta kelahiran", "Kartu Identitas Anak"],
}
# Responses a month per unit: service units get most; a few other OPDs get the odd response.
IKM_VOLUME = {"puskesmas": 45, "kecamatan": 30, "kelurahan": 10, "perizinan": 50, "dukcapil": 60, "other": 4}
IKM_COMMENTS = {
    "good": ["Pelayanan cepat dan ramah.", "Petugas membantu dengan sabar, terima kasih.",
             "Ruang tunggu bersih dan nyaman.", "Prosesnya jelas dan tidak dipungut biaya.",
             "Alurnya sudah jelas, papan informasinya membantu."],
    "bad": ["Antrean terlalu lama, mohon tambah loket.", "Informasi persyaratan di papan pengumuman kurang jelas.",
            "Petugas datang terlambat, layanan baru dibuka pukul sembilan.", "Parkir sempit dan panas.",
            "Nomor pengaduan tidak dijawab."],
}


# ---------------------------------------------------------------- the plan in memory
@dataclass(eq=False, slots=True)
class EvalSpec:
    """One evaluation as the seed plans it; the predikat is always the kuadran's of the ratings."""

    plan: object  # plans.PlanSpec
    key: int
    status: EvaluationStatus = DRAFT
    rated: bool = True  # both ratings set (a draft the penilai has not finished is not)
    hasil: Rating | None = None
    perilaku: Rating | None = None
    from_org: bool = False
    org: OrgPredicate | None = None  # the capaian of the plan's unit when it is an OPD (snapshot)
    created: datetime | None = None
    finalised: datetime | None = None
    acknowledged: datetime | None = None
    values: dict | None = None  # CoreValue → (Rating | None, note), where behaviour rows are written
    note: tuple | None = None  # (indicator id, body) of an IKI note
    id: int | None = None

    @property
    def predicate(self) -> Predicate | None:
        if self.hasil is None or self.perilaku is None:
            return None
        return rules.predicate(self.hasil, self.perilaku)

    @property
    def slot(self):
        return self.plan.slot


@dataclass
class EvaluationCounts:
    evaluations: int = 0
    finals: int = 0
    behaviours: int = 0
    notes: int = 0
    needs: int = 0
    org_assessments: int = 0
    objections: int = 0
    peer_inputs: int = 0
    services: int = 0
    ikm_responses: int = 0


def _bulk(model, rows, *, copy=False):
    """``_insert``, or ``_copy`` (COPY on PostgreSQL) with JSON values written as text."""
    if not copy:
        return _insert(model, rows)
    connection = db.session.connection()
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        rows = ({k: json.dumps(v) if isinstance(v, dict) else v for k, v in row.items()} for row in rows)
    return _copy(model, rows)


def _at(day: date, rng, first=8, last=15) -> datetime:
    return datetime.combine(day, time(rng.randint(first, last), rng.randint(0, 59)))


def _person(slot) -> dict:
    """Name, NIP, pangkat, jabatan and unit as ``services.finalise_evaluation`` freezes them."""
    p = slot.person
    kind = p["kind"]
    pangkat = people_rules.pangkat_of(p["golongan"]) if kind is EmployeeKind.PNS else ""
    name = f"{p.get('gelar_depan') or ''} {p['name']}".strip()
    if p.get("gelar_belakang"):
        name = f"{name}, {p['gelar_belakang']}"
    golongan = p.get("golongan") or ""
    return {"name": name, "nip": people_rules.format_nip(p["nip"], kind.value),
            "pangkat": f"{pangkat} ({golongan})" if pangkat else golongan,
            "jabatan": slot.job.name, "unit": slot.unit.name}


def _period_label(year: int, key: int) -> str:
    if key == YEAR_KEY:
        return f"Tahunan {year}"
    return str(plan_rules.subperiod_label("bulanan", key, year))


def _is_opd(unit) -> bool:
    return unit.parent is not None and unit.parent.parent is None


# ---------------------------------------------------------------- organisational capaian
def _plan_org(opds, headcount, periods, rng, *, weak=None) -> dict:
    """(OPD, period id, key) → OrgPredicate: mostly Baik, about a third of the staff under Istimewa
    each period, and ``weak`` ((OPD, period id, key)) Butuh Perbaikan."""
    total = sum(headcount.get(o, 0) for o in opds) or 1
    out = {}
    for period_id, key in periods:
        order = list(opds)
        rng.shuffle(order)
        share = 0.0
        for opd in order:
            own = headcount.get(opd, 0) / total
            outstanding = share < OUTSTANDING_SHARE[0] and share + own <= OUTSTANDING_SHARE[1]
            if outstanding:
                share += own
            out[(opd, period_id, key)] = OrgPredicate.OUTSTANDING if outstanding else OrgPredicate.GOOD
    if weak is not None:
        out[weak] = OrgPredicate.NEEDS_IMPROVEMENT
    return out


ORG_NOTES = {
    OrgPredicate.OUTSTANDING: ["Seluruh IKU unit melampaui target dan serapan anggaran sesuai rencana.",
                               "Capaian IKU di atas target; inovasi layanan mendapat penghargaan."],
    OrgPredicate.GOOD: ["", "", "Capaian IKU sesuai target.", "IKU tercapai; serapan anggaran sedikit di bawah "
                        "rencana."],
    OrgPredicate.NEEDS_IMPROVEMENT: ["Capaian IKU dan serapan anggaran di bawah target; rencana aksi perbaikan "
                                     "diminta paling lambat akhir bulan depan."],
}


def _org_rows(org_plan, subperiod_of, set_by, rng):
    for (opd, period_id, key), predicate in org_plan.items():
        when = subperiod_of[(period_id, key)][1]
        yield dict(org_unit_id=opd.id, period_id=period_id,
                   subperiod_id=subperiod_of[(period_id, key)][0], period_key=key, predicate=predicate,
                   note=rng.choice(ORG_NOTES[predicate]), set_by_id=set_by, created_dt=when, updated_dt=when)


# ---------------------------------------------------------------- ratings per OPD and period
def _quotas(n: int, org: OrgPredicate, shares: dict, rng, *, strict: bool) -> Counter:
    """How many of ``n`` staff get each predikat: the target shares (rounded at random, so that
    the instansi's totals keep the shares), nudged until the guide of ``org`` holds when strict."""
    quota = Counter({p: int(share * n + rng.random()) for p, share in shares.items()})
    if org is OrgPredicate.NEEDS_IMPROVEMENT:
        quota[P.NEEDS_IMPROVEMENT] = max(quota[P.NEEDS_IMPROVEMENT], math.ceil(0.6 * n))
    while sum(quota.values()) > n:
        quota[max(quota, key=quota.get)] -= 1
    quota[P.GOOD] = n - sum(quota.values())
    if not strict:
        return quota
    for _ in range(3 * n):
        breaches = rules.distribution_breaches(org, quota)
        if not breaches:
            break
        bound = breaches[0].bound
        target = bound.predicates[0]
        if bound.at_least:
            donor = P.GOOD if quota[P.GOOD] else max(quota, key=quota.get)
            quota[donor] -= 1
            quota[target] += 1
        else:
            quota[target] -= 1
            quota[P.VERY_GOOD if target is P.GOOD else P.GOOD] += 1
    return +quota


def _rate_group(members: list, org: OrgPredicate, rng, *, shares=None):
    """Ratings for the rated evaluations of one OPD and period. Heads of the OPD take hasil kerja
    from ``org``; the others are ranked by their plan's performance factor (with some noise): the
    lowest get hasil Di Bawah, the highest Sangat Baik, a few in between perilaku Di Bawah."""
    if not members:
        return
    quota = _quotas(len(members), org, shares or TARGETS[org], rng, strict=shares is None)
    heads = [e for e in members if e.from_org]
    staff = [e for e in members if not e.from_org]
    for e in heads:
        e.hasil = rules.head_hasil_rating(org)
        e.perilaku = ABOVE if e.hasil is ABOVE and quota[P.VERY_GOOD] else MEETS
        if quota[e.predicate] > 0:
            quota[e.predicate] -= 1
        else:  # take the place of someone else's predikat
            quota[max(quota, key=quota.get)] -= 1
    order = sorted(staff, key=lambda e: e.plan.perf * rng.uniform(0.94, 1.06))
    very_poor, low = quota[P.VERY_POOR], quota[P.VERY_POOR] + quota[P.NEEDS_IMPROVEMENT]
    rest = order[low:]
    top = min(quota[P.VERY_GOOD], len(rest))
    middle = rest[:len(rest) - top]
    poor = set(rng.sample(middle, min(quota[P.POOR], len(middle))))
    good = [e for e in middle if e not in poor]
    strong = set(good[int(len(good) * 0.8):])
    for i, e in enumerate(order[:low]):
        e.hasil = BELOW
        e.perilaku = BELOW if i < very_poor else ABOVE if rng.random() < 0.1 else MEETS
    for e in rest[len(rest) - top:] if top else []:
        e.hasil, e.perilaku = ABOVE, ABOVE
    for e in middle:
        if e in poor:
            e.hasil, e.perilaku = (ABOVE if rng.random() < 0.2 else MEETS), BELOW
        elif e in strong:
            e.hasil, e.perilaku = ABOVE, MEETS
        else:
            e.hasil, e.perilaku = MEETS, ABOVE if rng.random() < 0.1 else MEETS


def _rate_unfinished(e: EvalSpec, org: OrgPredicate | None, rng):
    """A draft the penilai has not finished: hasil kerja only (suggested from performance, or the
    capaian of a head's OPD), or nothing."""
    if e.from_org:
        e.hasil = rules.head_hasil_rating(org)
    else:
        e.hasil = _suggested(e) if rng.random() < 0.5 else None
    e.perilaku = None


def _suggested(e: EvalSpec) -> Rating | None:
    """What the portal would suggest from the capaian figures (None without realisasi: 2025)."""
    if e.plan.period.year < TODAY.year:
        return None
    perf = e.plan.perf
    return ABOVE if perf >= 1.08 else MEETS if perf >= 0.9 else BELOW


def _behaviours(e: EvalSpec, rng) -> dict:
    """Per BerAKHLAK value (rating or None, note): most without rating; Di Bawah on a value for most
    evaluations with perilaku Di Bawah, Di Atas on one for some with perilaku Di Atas."""
    out = {value: (None, "") for value in CoreValue}
    if e.perilaku is None:
        return out
    if e.perilaku is BELOW and rng.random() < 0.8:
        for value in dict.fromkeys(rng.choice(LOW_VALUES) for _ in range(rng.randint(1, 2))):
            out[value] = (BELOW, rng.choice(VALUE_NOTES[value][1]))
    elif e.perilaku is ABOVE and rng.random() < 0.5:
        value = rng.choice(list(CoreValue))
        out[value] = (ABOVE, rng.choice(VALUE_NOTES[value][0]))
    if rng.random() < 0.15:
        value = rng.choice(list(CoreValue))
        if out[value] == (None, ""):
            out[value] = (None, rng.choice(VALUE_NOTES[value][0]))
    return out


def _indicator_note(e: EvalSpec, rng):
    """An umpan balik on one IKI: on every hasil Di Bawah, on a few others."""
    if e.hasil is None or (e.hasil is not BELOW and rng.random() > 0.08):
        return None
    indicators = [i for r in e.plan.results if r.kind is ResultKind.MAIN for i in r.indicators
                  if i.measure is Measure.NUMERIC] or [i for r in e.plan.results for i in r.indicators]
    if not indicators:
        return None
    return rng.choice(indicators).id, rng.choice(INDICATOR_NOTES[e.hasil])


# ---------------------------------------------------------------- rows
def _evaluation_rows(specs, users, snapshots, rng):
    objection_days = timedelta(days=current_app.config["OBJECTION_DAYS"])
    for e in specs:
        slot, period = e.slot, e.plan.period
        final = e.status is FINAL
        reasons = ANNUAL_REASONS if e.key == YEAR_KEY else HASIL_REASONS
        snapshot = None
        if final:
            snapshot = {"pegawai": snapshots(slot), "penilai": snapshots(slot.supervisor)}
            if e.org is not None:
                snapshot["capaian_organisasi"] = e.org.value
        saves = 1 + (e.hasil is not None or e.perilaku is not None) + final
        yield dict(plan_id=e.plan.id, employee_id=slot.id, appraiser_id=slot.supervisor.id,
                   org_unit_id=slot.unit.id, period_id=period.id,
                   subperiod_id=period.subperiods[e.key] if e.key != YEAR_KEY else None, period_key=e.key,
                   status=e.status, hasil_rating=e.hasil,
                   hasil_reason="" if e.hasil is None or e.from_org else rng.choice(reasons[e.hasil]),
                   suggested_rating=None if e.from_org or e.hasil is None else _suggested(e),
                   hasil_from_org=e.from_org, perilaku_rating=e.perilaku,
                   perilaku_note="" if e.perilaku is None else rng.choice(PERILAKU_NOTES[e.perilaku]),
                   predicate=e.predicate, finalised_dt=e.finalised,
                   finalised_by_id=users.get(slot.supervisor.id) if final else None,
                   acknowledged_dt=e.acknowledged,
                   objection_deadline=e.finalised.date() + objection_days if final else None,
                   snapshot=snapshot, lock_version=saves, created_dt=e.created,
                   updated_dt=e.acknowledged or e.finalised or e.created)


def _write_evaluations(specs, users, rng, *, copy=False) -> int:
    before = _max_id(Evaluation)
    snapshot_cache = {}

    def snapshots(slot):
        if slot not in snapshot_cache:
            snapshot_cache[slot] = _person(slot)
        return snapshot_cache[slot]

    count = _bulk(Evaluation, _evaluation_rows(specs, users, snapshots, rng), copy=copy)
    index = {(e.plan.id, e.key): e for e in specs}
    for evaluation_id, plan_id, key in db.session.execute(
            sa.select(Evaluation.id, Evaluation.plan_id, Evaluation.period_key).where(Evaluation.id > before)):
        index[(plan_id, key)].id = evaluation_id
    return count


def _write_details(specs, *, copy=False) -> tuple[int, int]:
    """Behaviour rows (seven per evaluation that has them) and IKI notes."""
    behaviours = _bulk(BehaviourRating, (
        dict(evaluation_id=e.id, value=value, rating=rating, note=note)
        for e in specs if e.values is not None for value, (rating, note) in e.values.items()), copy=copy)
    notes = _bulk(IndicatorNote, (dict(evaluation_id=e.id, indicator_id=e.note[0], body=e.note[1])
                                  for e in specs if e.note is not None), copy=copy)
    return behaviours, notes


def _needs(e: EvalSpec, rng) -> list:
    """Development needs of a final evaluation, as ``services.development_needs_of`` words them."""
    if e.status is not FINAL or (e.hasil is not BELOW and e.perilaku is not BELOW and not e.values):
        return []
    label = _period_label(e.plan.period.year, e.key)
    rows = []

    def need(kind, reason, core_value=None, result_id=None):
        suffix = core_value.value if core_value is not None else (str(result_id) if result_id else "")
        rows.append(dict(key=f"{e.id}/{kind.value}/{suffix}", evaluation_id=e.id, employee_id=e.slot.id,
                         period_id=e.plan.period.id, period_key=e.key, kind=kind, core_value=core_value,
                         result_id=result_id, reason=reason[:500], status=NeedStatus.OPEN,
                         addressed_by=None, created_dt=e.finalised))

    if e.hasil is BELOW:
        need(NeedKind.RESULT, f"Rating hasil kerja Di Bawah Ekspektasi pada {label}")
        mains = [r for r in e.plan.results if r.kind is ResultKind.MAIN] or e.plan.results
        if mains:
            result = rng.choice(mains)
            need(NeedKind.RESULT_PLAN, f"RHK \u201c{result.text[:300]}\u201d belum tercapai pada {label}",
                 result_id=result.id)
    if e.perilaku is BELOW:
        need(NeedKind.BEHAVIOUR, f"Rating perilaku kerja Di Bawah Ekspektasi pada {label}")
    for value, (rating, _note) in (e.values or {}).items():
        if rating is BELOW:
            need(NeedKind.CORE_VALUE, f"Rating perilaku {TITLES_ID[value]} Di Bawah Ekspektasi pada {label}",
                 core_value=value)
    return rows


# ---------------------------------------------------------------- the periods, people and groups
def _carrying(specs, year):
    """The plans of ``year`` that can be evaluated (approved), by slot."""
    return {s.slot: s for s in specs if s.period.year == year and s.status is PlanStatus.APPROVED}


def _new_specs(plans, key, opd_of, org_plan):
    out = []
    for spec in plans:
        opd = opd_of[spec.slot.unit]
        org = org_plan.get((opd, spec.period.id, key))
        from_org = org is not None and spec.slot.is_head and spec.slot.unit is opd
        out.append(EvalSpec(spec, key, from_org=from_org,
                            org=org if spec.slot.unit is opd else None))
    return out


def _group_and_rate(specs, opd_of, org_plan, rng, *, lenient=None):
    """Rate every rated evaluation by OPD and period; returns {(OPD, period id, key): [EvalSpec]}."""
    groups = defaultdict(list)
    for e in specs:
        group_key = (opd_of[e.slot.unit], e.plan.period.id, e.key)
        if e.rated:
            groups[group_key].append(e)
        else:
            _rate_unfinished(e, org_plan.get(group_key), rng)
    for group_key in sorted(groups, key=lambda k: (k[1], k[2], k[0].id)):
        org = org_plan.get(group_key, OrgPredicate.GOOD)
        _rate_group(groups[group_key], org, rng, shares=LENIENT if group_key == lenient else None)
    return groups


def _users():
    return dict(db.session.execute(sa.select(User.employee_id, User.id).where(User.employee_id.is_not(None))).all())


def _opd_index(root):
    opds = [u for u in root.children]
    opd_of = {u: _opd_of(u) for u in root.walk() if u.parent is not None}
    return opds, opd_of


def _headcount(slots, opd_of):
    return Counter(opd_of[s.unit] for s in slots if s.unit in opd_of)


# ---------------------------------------------------------------- services and IKM
def _service_kind(unit) -> str | None:
    if unit.kind is UnitKind.KECAMATAN:
        return "kecamatan"
    if unit.kind is UnitKind.KELURAHAN:
        return "kelurahan"
    if unit.kind is UnitKind.UPT and domain_of(unit) == "puskesmas":
        return "puskesmas"
    if _is_opd(unit) and "Pelayanan Terpadu" in unit.name:
        return "perizinan"
    if _is_opd(unit) and "Kependudukan" in unit.name:
        return "dukcapil"
    return None


def _seed_services_and_ikm(root, rng, counts, *, months_to=TODAY, copy=False, volume=1.0):
    """Two to four services per service unit, and IKM responses from January to ``months_to``."""
    service_units = [(u, kind) for u in root.walk() if (kind := _service_kind(u))]
    created = datetime(TODAY.year, 1, 6, 9, 0)
    rows = []
    for unit, kind in service_units:
        names = SERVICES[kind]
        for name in rng.sample(names, rng.randint(2, min(4, len(names)))):
            rows.append(dict(org_unit_id=unit.id, name=name, is_active=True, created_dt=created, updated_dt=created))
    before = _max_id(UnitService)
    counts.services = _insert(UnitService, rows)
    services = defaultdict(list)
    for service_id, unit_id in db.session.execute(
            sa.select(UnitService.id, UnitService.org_unit_id).where(UnitService.id > before)
            .order_by(UnitService.id)):
        services[unit_id].append(service_id)
    others = [(u, "other") for u in root.children if u.kind is UnitKind.DINAS and _service_kind(u) is None
              and domain_of(u) in ("kebersihan", "disdik", "dinkes")]
    counts.ikm_responses = _bulk(IkmResponse, _ikm_rows(service_units + others, services, rng, months_to, volume),
                                 copy=copy)


def _ikm_rows(units, services, rng, until: date, volume: float):
    for unit, kind in units:
        quality = rng.uniform(-0.12, 0.2)  # some units serve better than others
        per_month = IKM_VOLUME[kind] * volume
        for month in range(1, until.month + 1):
            last_day = until.day - 1 if month == until.month else calendar.monthrange(until.year, month)[1]
            share = last_day / 30
            for _ in range(int(per_month * share * rng.uniform(0.8, 1.2) + rng.random())):
                day = date(until.year, month, rng.randint(1, last_day))
                if day.weekday() == 6:
                    day -= timedelta(days=1)
                scores = [_score(quality + (0.08 if f == "u4" else -0.1 if f in ("u3", "u8") else 0), rng)
                          for f in IKM_FIELDS]
                comment = None
                if rng.random() < 0.08:
                    comment = rng.choice(IKM_COMMENTS["bad" if min(scores) <= 2 else "good"])
                ids = services.get(unit.id)
                yield dict(org_unit_id=unit.id, service_id=rng.choice(ids) if ids and rng.random() < 0.9 else None,
                           **dict(zip(IKM_FIELDS, scores, strict=True)), comment=comment, source_hash=None,
                           created_dt=_at(day, rng, 7, 15))


def _score(quality: float, rng) -> int:
    """1–4, mostly 3 and 4, some 2, rarely 1."""
    roll = rng.random()
    four = 0.36 + quality
    if roll < four:
        return 4
    if roll < four + 0.5:
        return 3
    if roll < 0.985:
        return 2
    return 1


# ---------------------------------------------------------------- objections and peer input
SEVERITY = {P.VERY_POOR: 0, P.POOR: 1, P.NEEDS_IMPROVEMENT: 2, P.GOOD: 3, P.VERY_GOOD: 4}


def _choose_open_objection(specs, pimpinan, rng) -> EvalSpec | None:
    """The October evaluation the open objection is filed against: of someone whose decider (the
    penilai's own supervisor) is the pimpinan, the lowest predikat; it becomes final if need be."""
    if pimpinan is None:
        return None
    candidates = sorted((e for e in specs if e.key == 10 and e.predicate is not None and not e.slot.fixed
                         and e.slot.supervisor.supervisor is pimpinan),
                        key=lambda e: (SEVERITY[e.predicate], e.status is not FINAL, rng.random()))
    if not candidates:
        return None
    chosen = candidates[0]
    if chosen.status is not FINAL:
        chosen.status = FINAL
        chosen.finalised = _at(date(TODAY.year, 11, rng.randint(10, 16)), rng)
        chosen.acknowledged = None
    return chosen


def _plan_objections(finals, groups, opd_of, org_plan, fixed, users, rng, open_objection=None):
    """Objection rows (and the ratings of the changed evaluations): decided ones on low predikat,
    one by a member of the demo supervisor's team first, and ``open_objection`` still filed."""
    supervisor, bkpsdm = fixed.get("supervisor"), fixed.get("bkpsdm")
    rows, used = [], {open_objection.slot} if open_objection is not None else set()

    def group_of(e):
        return groups[(opd_of[e.slot.unit], e.plan.period.id, e.key)]

    def fits_after(e, hasil, perilaku):
        org = org_plan.get((opd_of[e.slot.unit], e.plan.period.id, e.key), OrgPredicate.GOOD)
        counts = Counter(x.predicate for x in group_of(e) if x.predicate is not None)
        counts[e.predicate] -= 1
        counts[rules.predicate(hasil, perilaku)] += 1
        return not rules.distribution_breaches(org, +counts)

    def objection(e, decided: bool, change: bool, filed: datetime):
        decider = e.slot.supervisor.supervisor
        original = (e.hasil, e.perilaku, e.predicate)
        row = dict(evaluation_id=e.id, employee_id=e.slot.id, decider_id=decider.id if decider else None,
                   reason=rng.choice(OBJECTION_REASONS), status=ObjectionStatus.FILED,
                   original_hasil=original[0], original_perilaku=original[1], original_predicate=original[2],
                   new_predicate=None, decision_reason=None, decided_dt=None, decided_by_id=None,
                   created_dt=filed, updated_dt=filed)
        if decided:
            decided_dt = filed + timedelta(days=rng.randint(3, 9), hours=rng.randint(0, 5))
            if change:
                e.hasil, e.perilaku = _better(e)
                row.update(status=ObjectionStatus.CHANGED, decision_reason=rng.choice(DECISION_CHANGED))
            else:
                row.update(status=ObjectionStatus.UPHELD, decision_reason=rng.choice(DECISION_UPHELD))
            row.update(new_predicate=e.predicate, decided_dt=decided_dt, updated_dt=decided_dt,
                       decided_by_id=users.get(decider.id) if decider else users.get(bkpsdm.id) if bkpsdm else None)
        rows.append(row)
        used.add(e.slot)

    def filed_at(e):
        deadline = e.finalised.date() + timedelta(days=current_app.config["OBJECTION_DAYS"])
        last = min(deadline, TODAY - timedelta(days=1))
        day = e.finalised.date() + timedelta(days=rng.randint(1, max(1, (last - e.finalised.date()).days)))
        return _at(min(day, last), rng, 8, 16)

    # Decided: on low predikat of closed months and of 2025, one by a member of the supervisor's team.
    low = [e for e in finals if e.key != 10 and e.predicate in (P.NEEDS_IMPROVEMENT, P.POOR)]
    rng.shuffle(low)
    team = [e for e in low if e.slot.supervisor is supervisor]
    candidates = team[:1] + [e for e in low if e.slot.supervisor is not supervisor]
    for e in candidates:  # upheld and changed by turns; a change must keep the OPD within its guide
        if len(rows) >= 5:
            break
        change = len(rows) % 2 == 1
        if e.slot in used or e.slot.fixed or change and not fits_after(e, *_better(e)):
            continue
        objection(e, decided=True, change=change, filed=filed_at(e))
    if open_objection is not None:
        objection(open_objection, decided=False, change=False, filed=filed_at(open_objection))
    return rows


def _better(e: EvalSpec) -> tuple:
    """The ratings an upheld complaint would give: the rating that fell short moves to Sesuai."""
    if e.hasil is BELOW:
        return MEETS, e.perilaku
    if e.perilaku is BELOW:
        return e.hasil, MEETS
    return e.hasil, ABOVE


def _peer_rows(drafts, finals, fixed, users, rng):
    """On the demo supervisor's October drafts: requests to colleagues in the puskesmas, most
    given, one still waiting for the demo pegawai, one declined; a few given on September finals."""
    supervisor, pegawai = fixed.get("supervisor"), fixed.get("pegawai")
    rows = []
    sup_user = users.get(supervisor.id) if supervisor else None

    def answers():
        out = {}
        for value in CoreValue:
            rating = ABOVE if rng.random() < 0.2 else BELOW if rng.random() < 0.04 else MEETS
            out[value.value] = {"rating": rating.value, "note": rng.choice(PEER_NOTES) if rng.random() < 0.25 else ""}
        return out

    def request(e, peer, status, requested_by, requested):
        answered = min(requested + timedelta(days=rng.randint(1, 3), hours=rng.randint(1, 6)),
                       datetime.combine(TODAY, time(7, 30)))
        rows.append(dict(evaluation_id=e.id, peer_id=peer.id, requested_by_id=requested_by, status=status,
                         answers=answers() if status is PeerInputStatus.GIVEN else None,
                         requested_dt=requested,
                         answered_dt=answered if status is not PeerInputStatus.REQUESTED else None))

    team = [e for e in drafts if supervisor is not None and e.slot.supervisor is supervisor and e.slot is not pegawai]
    colleagues = sorted({e.slot for e in team} | ({pegawai} if pegawai else set()), key=lambda s: s.id)
    for n, e in enumerate(team[:3]):
        peers = [s for s in colleagues if s is not e.slot]
        chosen = rng.sample(peers, min(2, len(peers)))
        if n == 0 and pegawai is not None and pegawai not in chosen and pegawai is not e.slot:
            chosen[-1] = pegawai
        requested = e.created + timedelta(hours=rng.randint(1, 30))
        for peer in chosen:
            status = (PeerInputStatus.REQUESTED if peer is pegawai
                      else PeerInputStatus.DECLINED if n == 2 and peer is chosen[-1] else PeerInputStatus.GIVEN)
            request(e, peer, status, sup_user, requested)
    # Given before finalisation elsewhere (the penilai asked through the portal).
    september = [e for e in finals if e.key == 9 and e.slot.supervisor is not supervisor]
    for e in rng.sample(september, min(2, len(september))):
        colleagues = [x.slot for x in september if x.slot.unit is e.slot.unit and x.slot is not e.slot]
        if colleagues:
            request(e, rng.choice(colleagues), PeerInputStatus.GIVEN, users.get(e.slot.supervisor.id),
                    e.finalised - timedelta(days=6))
    return rows


# ---------------------------------------------------------------- the demo
def seed_demo_evaluations(slots, root, plan_counts, rng: random.Random | None = None) -> EvaluationCounts:
    """The demo's evaluations, organisational capaian, needs, objections, peer input, services and IKM."""
    rng = rng or random.Random(2026)
    counts = EvaluationCounts()
    users = _users()
    fixed = {s.fixed: s for s in slots if s.fixed}
    opds, opd_of = _opd_index(root)
    headcount = _headcount(slots, opd_of)
    specs_by_year = {year: _carrying(plan_counts.specs, year) for year in (TODAY.year - 1, TODAY.year)}
    last_period = next(iter(specs_by_year[TODAY.year - 1].values())).period
    period = next(iter(specs_by_year[TODAY.year].values())).period

    # Organisational capaian: 2025 and January–October 2026; the smallest OPD falls short in March.
    keys = [(last_period.id, YEAR_KEY)] + [(period.id, m) for m in range(1, 11)]
    weak_opd = min(opds, key=lambda o: (headcount.get(o, 0), o.id))
    org_plan = _plan_org(opds, headcount, keys, rng, weak=(weak_opd, period.id, 3))
    supervisor, pegawai = fixed.get("supervisor"), fixed.get("pegawai")
    flagged = opd_of[supervisor.unit] if supervisor is not None else max(opds, key=lambda o: headcount.get(o, 0))
    org_plan[(flagged, period.id, 10)] = OrgPredicate.GOOD

    # 2025: the annual evaluation of every plan, final in January 2026.
    specs = _new_specs(specs_by_year[TODAY.year - 1].values(), YEAR_KEY, opd_of, org_plan)
    for e in specs:
        e.status = FINAL
        e.created = _at(date(TODAY.year, 1, rng.randint(5, 12)), rng)
        e.finalised = _at(date(TODAY.year, 1, rng.randint(13, 28)), rng)
    # 2026: January–September final, October mostly drafts (a few final, the demo pegawai's too).
    for month in range(1, 11):
        month_specs = _new_specs(specs_by_year[TODAY.year].values(), month, opd_of, org_plan)
        for e in month_specs:
            if month <= 9 or e.slot is pegawai or (e.slot.supervisor is not supervisor and rng.random() < 0.12):
                e.status = FINAL
                e.created = _at(date(TODAY.year, month + 1, rng.randint(2, 9)), rng)
                e.finalised = _at(date(TODAY.year, month + 1, rng.randint(10, 20)), rng)
            else:
                e.rated = rng.random() < 0.8
                e.created = _at(date(TODAY.year, 11, rng.randint(2, 20)), rng)
        specs += month_specs
    for e in specs:  # most pegawai acknowledge within days; the demo pegawai's October waits
        if e.status is FINAL and rng.random() < 0.88 and not (e.slot is pegawai and e.key == 10):
            acknowledged = e.finalised + timedelta(hours=rng.randint(2, 96))
            e.acknowledged = acknowledged if acknowledged.date() < TODAY else None
    groups = _group_and_rate(specs, opd_of, org_plan, rng, lenient=(flagged, period.id, 10))
    open_objection = _choose_open_objection(specs, fixed.get("pimpinan"), rng)

    for e in specs:
        e.values = _behaviours(e, rng)
        e.note = _indicator_note(e, rng)
    finals = [e for e in specs if e.status is FINAL]
    counts.evaluations = _write_evaluations(specs, users, rng)
    # Objections need the evaluations' ids; a changed predikat rewrites the ratings (and so the needs).
    objections = _plan_objections(finals, groups, opd_of, org_plan, fixed, users, rng, open_objection)
    changed = {row["evaluation_id"] for row in objections if row["status"] is ObjectionStatus.CHANGED}
    if changed:
        by_id = {e.id: e for e in specs}
        db.session.execute(sa.update(Evaluation.__table__).where(Evaluation.__table__.c.id == sa.bindparam("eid"))
                           .values(hasil_rating=sa.bindparam("h"), perilaku_rating=sa.bindparam("p"),
                                   predicate=sa.bindparam("pr")),
                           [{"eid": i, "h": by_id[i].hasil, "p": by_id[i].perilaku, "pr": by_id[i].predicate}
                            for i in changed])
    counts.objections = _insert(Objection, objections)
    counts.finals = len(finals)
    counts.behaviours, counts.notes = _write_details(specs)
    counts.needs = _insert(DevelopmentNeed, (row for e in finals for row in _needs(e, rng)))
    subperiod_of = {(last_period.id, YEAR_KEY): (None, datetime(TODAY.year, 1, 8, 10))}
    for m in range(1, 11):
        subperiod_of[(period.id, m)] = (period.subperiods[m], _at(date(TODAY.year, m + 1, rng.randint(2, 7)), rng))
    pimpinan_user = users.get(fixed["pimpinan"].id) if "pimpinan" in fixed else None
    counts.org_assessments = _insert(OrgAssessment, _org_rows(org_plan, subperiod_of, pimpinan_user, rng))
    drafts = [e for e in specs if e.status is DRAFT]
    counts.peer_inputs = _insert(PeerInput, _peer_rows(drafts, finals, fixed, users, rng))
    _seed_services_and_ikm(root, rng, counts)
    return counts


# ---------------------------------------------------------------- the scale seed
NOVEMBER_SHARE = 0.6  # of the plans that have a November draft
DETAIL_KEYS = (10, 11)  # behaviour rows and IKI notes: the last final month and the November drafts


def seed_scale_evaluations(slots, root, plan_counts, rng: random.Random | None = None) -> EvaluationCounts:
    """Final evaluations January–October for every approved plan, November drafts for a share (always
    the demo pegawai's), organisational capaian per OPD, development needs, services and IKM.

    Behaviour rows (seven per evaluation) and IKI notes are written only for October and November,
    the months the measured pages open: for ten months of 12,000 people that would be 840,000 rows
    that no measured page reads. The needs of the other months still name the BerAKHLAK value that
    fell short.
    """
    rng = rng or random.Random(18)
    counts = EvaluationCounts()
    users = _users()
    fixed = {s.fixed: s for s in slots if s.fixed}
    opds, opd_of = _opd_index(root)
    headcount = _headcount(slots, opd_of)
    plans = _carrying(plan_counts.specs, TODAY.year)
    if not plans:
        return counts
    period = next(iter(plans.values())).period
    keys = [(period.id, m) for m in range(1, 11)]
    weak_opd = min(opds, key=lambda o: (headcount.get(o, 0), o.id))
    org_plan = _plan_org(opds, headcount, keys, rng, weak=(weak_opd, period.id, 3))
    pegawai = fixed.get("pegawai")

    specs = []
    for month in range(1, 12):
        month_specs = _new_specs(plans.values(), month, opd_of, org_plan)
        if month == 11:
            month_specs = [e for e in month_specs if e.slot is pegawai or rng.random() < NOVEMBER_SHARE]
        for e in month_specs:
            if month <= 10:
                e.status = FINAL
                e.created = _at(date(TODAY.year, month + 1, rng.randint(2, 9)), rng)
                e.finalised = _at(date(TODAY.year, month + 1, rng.randint(10, 20)), rng)
                if rng.random() < 0.88 and e.finalised.date() < TODAY - timedelta(days=4):
                    e.acknowledged = e.finalised + timedelta(hours=rng.randint(2, 96))
            else:
                e.rated = rng.random() < 0.6
                e.created = _at(date(TODAY.year, 11, rng.randint(16, 22)), rng)
        specs += month_specs
    _group_and_rate(specs, opd_of, org_plan, rng)
    for e in specs:
        if e.key in DETAIL_KEYS:
            e.values = _behaviours(e, rng)
            e.note = _indicator_note(e, rng)
        elif e.perilaku is BELOW and rng.random() < 0.8:  # the needs name the value that fell short
            value = rng.choice(LOW_VALUES)
            e.values = {value: (BELOW, rng.choice(VALUE_NOTES[value][1]))}
    counts.evaluations = _write_evaluations(specs, users, rng, copy=True)
    counts.finals = sum(1 for e in specs if e.status is FINAL)
    counts.needs = _bulk(DevelopmentNeed, (row for e in specs for row in _needs(e, rng)), copy=True)
    for e in specs:  # the needs are written: only October and November keep behaviour rows
        if e.key not in DETAIL_KEYS:
            e.values = None
    counts.behaviours, counts.notes = _write_details(specs, copy=True)
    subperiod_of = {(period.id, m): (period.subperiods[m], _at(date(TODAY.year, m + 1, rng.randint(2, 7)), rng))
                    for m in range(1, 11)}
    pimpinan_user = users.get(fixed["pimpinan"].id) if "pimpinan" in fixed else None
    counts.org_assessments = _insert(OrgAssessment, _org_rows(org_plan, subperiod_of, pimpinan_user, rng))
    _seed_services_and_ikm(root, rng, counts, copy=True, volume=0.5)
    return counts
