"""Career development for a seeded instansi: the competency dictionary, the BerAKHLAK mapping, the
programme catalogue, competency tags on the RHK, a year of training sessions, the JP ledger they
fed, leadership programmes completed, external certificates, talent potential, a few IDPs, and
finally the recommendations (``recommend.recompute_recommendations``).

``seed_demo_catalogue`` gives the demo kabupaten (today is ``plans.TODAY``) the catalogue of
``catalogue_texts`` (about 55 programmes); ``seed_scale_catalogue`` adds about 300 generated
programmes (topic × form) and learning records for most employees, and times the full
recomputation. Written like ``plans``: planned in memory with the seed's ``random.Random``, Core bulk
inserts; nothing commits.
"""
import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from portal.auth.models import Role, User, UserRole
from portal.catalogue import rules
from portal.catalogue.models import (
    CertificateKind,
    CertificateStatus,
    Competency,
    CompetencyGroup,
    CoreValueCompetency,
    Delivery,
    DevelopmentPlan,
    DevelopmentPlanItem,
    ExternalCertificate,
    IdpStatus,
    LearningRecord,
    LearningSource,
    Potential,
    Programme,
    ProgrammeCompetency,
    ProgrammeForm,
    ProgrammeUnit,
    ResultCompetency,
    TalentAssessment,
)
from portal.catalogue.recommend import recompute_recommendations
from portal.extensions import db
from portal.people.models import PositionKind
from portal.people.seeding import catalogue_texts as texts
from portal.people.seeding.plans import TODAY, _insert
from portal.sessions.models import SessionStatus, TrainingSession

YEAR = TODAY.year
# Individual activities: no class sessions.
NO_SESSIONS = {ProgrammeForm.SELF_STUDY, ProgrammeForm.COACHING, ProgrammeForm.MENTORING, ProgrammeForm.ON_THE_JOB}
ROMAN = ["I", "II", "III", "IV", "V", "VI"]
# Share of the holders of a structural post who completed its leadership programme.
LEADERSHIP_DONE = 0.85
STRUCTURAL = {PositionKind.PENGAWAS, PositionKind.ADMINISTRATOR, PositionKind.JPT_PRATAMA, PositionKind.JPT_MADYA}


@dataclass
class CatalogueCounts:
    competencies: int = 0
    mappings: int = 0
    programmes: int = 0
    tags: int = 0
    sessions: int = 0
    learning_records: int = 0
    certificates: int = 0
    assessments: int = 0
    idps: int = 0
    recommendations: int = 0
    recompute_seconds: float = 0.0


@dataclass(eq=False)
class ProgrammeInfo:
    id: int
    text: texts.ProgrammeText
    facts: rules.ProgrammeFacts

    @property
    def is_open(self) -> bool:
        """No eligibility restriction at all (the scale seed's ledger draws only from these)."""
        f = self.facts
        return (not f.position_kinds and not f.golongan_min and not f.golongan_max and f.open_to_pppk
                and not f.unit_paths and self.text.leadership is None)


# ---------------------------------------------------------------- dictionary and catalogue
def _write_competencies(counts) -> dict:
    rows = [dict(code=code, name=name, competency_group=CompetencyGroup.MANAGERIAL, field=None, description=description)
            for code, name, description in texts.MANAGERIAL]
    rows += [dict(code=code, name=name, competency_group=CompetencyGroup.SOCIOCULTURAL, field=None, description=description)
             for code, name, description in texts.SOCIOCULTURAL]
    rows += [dict(code=code, name=name, competency_group=CompetencyGroup.TECHNICAL, field=field, description="")
             for field, items in texts.TECHNICAL.items() for code, name in items]
    counts.competencies = _insert(Competency, rows)
    ids = dict(db.session.execute(sa.select(Competency.code, Competency.id)).all())
    counts.mappings = _insert(CoreValueCompetency, [dict(core_value=value, competency_id=ids[code])
                                                     for value, codes in texts.CORE_VALUE_MAP.items()
                                                     for code in codes])
    return ids


def _write_programmes(programme_texts, competency_ids, unit_paths, counts) -> list[ProgrammeInfo]:
    """The programmes, their competencies and unit restrictions (units missing from this instansi
    are left out)."""
    rows = [dict(code=t.code, title=t.title, description=t.description, form=t.form, jp=t.jp,
                 provider_kind=t.provider_kind, provider_name=t.provider_name, delivery=t.delivery,
                 cost_per_participant=Decimal(t.cost), prerequisites=t.prerequisites, leadership=t.leadership,
                 position_kinds=[k.value for k in t.position_kinds], golongan_min=t.golongan_min,
                 golongan_max=t.golongan_max, open_to_pppk=t.open_to_pppk) for t in programme_texts]
    counts.programmes += _insert(Programme, rows)
    ids = dict(db.session.execute(sa.select(Programme.code, Programme.id)).all())
    _insert(ProgrammeCompetency, [dict(programme_id=ids[t.code], competency_id=competency_ids[code])
                                  for t in programme_texts for code in t.competencies])
    _insert(ProgrammeUnit, [dict(programme_id=ids[t.code], org_unit_id=unit_paths[name][0])
                            for t in programme_texts for name in t.units if name in unit_paths])
    return [ProgrammeInfo(ids[t.code], t, rules.ProgrammeFacts(
        position_kinds=tuple(k.value for k in t.position_kinds), golongan_min=t.golongan_min,
        golongan_max=t.golongan_max, open_to_pppk=t.open_to_pppk,
        unit_paths=tuple(unit_paths[name][1] for name in t.units if name in unit_paths)))
        for t in programme_texts]


def _generated_programmes(rng) -> list[texts.ProgrammeText]:
    """The scale seed's extra programmes: every topic in every form (about 300)."""
    out = []
    for i, ((topic, competencies), (form, prefix, jps, delivery, provider, (low, high))) in enumerate(
            (t, f) for t in texts.SCALE_TOPICS for f in texts.SCALE_FORMS):
        cost = rng.randrange(low, high + 1, 50_000) if high else 0
        out.append(texts.ProgrammeText(
            f"GEN-{i + 1:03d}", f"{prefix} {topic}", form, rng.choice(jps), provider,
            texts.SCALE_PROVIDERS[provider], delivery, cost, competencies,
            f"{form.title} tentang {topic.lower()} untuk ASN pemerintah daerah."))
    return out


def _tag_results(specs, competency_ids, rng, share=1.0) -> int:
    """Tag RHK with the teknis competencies their words name (``share`` of the RHK)."""
    rows = []
    for spec in specs:
        for result in spec.results:
            if result.id is None or (share < 1 and rng.random() >= share):
                continue
            text = result.text.lower()
            codes = {code for words, code in texts.RHK_KEYWORDS if any(w in text for w in words)}
            rows += [dict(result_id=result.id, competency_id=competency_ids[code]) for code in sorted(codes)]
    return _insert(ResultCompetency, rows)


# ---------------------------------------------------------------- sessions
@dataclass
class SessionInfo:
    id: int | None
    programme: ProgrammeInfo
    start: date
    end: date
    status: SessionStatus


def _session_days(jp: int) -> int:
    return max(1, min(40, -(-jp // 8)))  # eight JP a day


def _plan_sessions(programmes, rng, *, past_range=(1, 3), upcoming_share=0.6) -> list[dict]:
    rows = []
    for programme in programmes:
        t = programme.text
        if t.form in NO_SESSIONS:
            continue
        leadership = t.leadership is not None
        past = 1 if leadership else rng.randint(*past_range)
        upcoming = 1 if leadership or rng.random() < upcoming_share else 0
        days = _session_days(t.jp) if not leadership else 75
        starts = sorted(date(YEAR, 1, 12) + timedelta(days=rng.randint(0, 250)) for _ in range(past))
        starts += [TODAY + timedelta(days=rng.randint(10, 120)) for _ in range(upcoming)]
        for n, start in enumerate(starts):
            end = start + timedelta(days=days - 1)
            status = (SessionStatus.COMPLETED if end < TODAY else SessionStatus.RUNNING if start <= TODAY
                      else SessionStatus.OPEN)
            online = t.delivery is Delivery.ONLINE
            capacity = 40 if leadership else (100 if t.form is ProgrammeForm.SEMINAR else rng.choice((25, 30, 35)))
            rows.append(dict(programme_id=programme.id, name=f"Angkatan {ROMAN[n]} {start.year}", start_date=start,
                             end_date=end, place="" if online else rng.choice(texts.SESSION_PLACES),
                             online_url=f"https://belajar.contohkab.go.id/kelas/{t.code.lower()}-{n + 1}"
                             if online or t.delivery is Delivery.BLENDED else None,
                             capacity=capacity, registration_close_date=start - timedelta(days=7),
                             planned_cost=Decimal(t.cost) * capacity, status=status))
    return rows


def _write_sessions(programmes, rows, counts) -> list[SessionInfo]:
    counts.sessions = _insert(TrainingSession, rows)
    by_id = {p.id: p for p in programmes}
    return [SessionInfo(row.id, by_id[row.programme_id], row.start_date, row.end_date, row.status)
            for row in db.session.execute(sa.select(TrainingSession.id, TrainingSession.programme_id,
                                                    TrainingSession.start_date, TrainingSession.end_date,
                                                    TrainingSession.status).order_by(TrainingSession.id))]


# ---------------------------------------------------------------- the JP ledger and leadership
def _facts(slot) -> rules.EmployeeFacts:
    p = slot.person
    return rules.EmployeeFacts(kind=p["kind"], position_kind=slot.job.kind, golongan=p["golongan"],
                               unit_path=slot.unit.path)


def _jp_goal(rng) -> int:
    """This year's JP so far: about a quarter past 20 JP, most below, some none yet."""
    roll = rng.random()
    if roll < 0.25:
        return rng.randint(20, 44)
    if roll < 0.8:
        return rng.randint(2, 16)
    return 0


def _ledger_rows(slot, sessions, goal, rng) -> list[dict]:
    rows, total, taken = [], 0, set()
    cap = goal + 12 if goal >= 20 else 19  # those below 20 JP stay below
    for session in rng.sample(sessions, min(len(sessions), 12)):
        if total >= goal:
            break
        programme = session.programme
        if programme.id in taken or total + programme.text.jp > cap:
            continue
        taken.add(programme.id)
        total += programme.text.jp
        rows.append(dict(key=f"session:{session.id}:e:{slot.id}", employee_id=slot.id, year=session.end.year,
                         source=LearningSource.SESSION, jp=programme.text.jp, title=programme.text.title[:200],
                         completed_date=session.end, programme_id=programme.id, session_id=session.id))
    return rows


def _leadership_rows(slots, programmes, rng, *, missing=()) -> list[dict]:
    """Structural officials who completed their post's programme years ago (all but ``missing`` and
    about one in seven of those without a demo account)."""
    by_level = {p.text.leadership: p for p in programmes if p.text.leadership is not None}
    rows = []
    for slot in slots:
        level = rules.required_leadership(slot.job.kind, slot.person.get("civil_status"))
        if slot.job.kind not in STRUCTURAL or level not in by_level or slot in missing:
            continue
        if slot.fixed is None and rng.random() >= LEADERSHIP_DONE:  # the other demo accounts have theirs
            continue
        programme = by_level[level]
        year = rng.randint(2012, YEAR - 1)
        rows.append(dict(key=f"riwayat:{level.value}:e:{slot.id}", employee_id=slot.id, year=year,
                         source=LearningSource.SESSION, jp=programme.text.jp,
                         title=f"{programme.text.title} Angkatan {rng.randint(1, 40)} Tahun {year}"[:200],
                         completed_date=date(year, rng.randint(3, 11), rng.randint(1, 28)),
                         programme_id=programme.id, session_id=None))
    return rows


def _bkpsdm_user():
    return db.session.scalar(sa.select(User.id).join(UserRole, UserRole.user_id == User.id)
                             .where(UserRole.role == Role.BKPSDM).order_by(User.id).limit(1))


def _certificates(slots, rng, bkpsdm_user, *, submitted, verified, must=()) -> tuple[int, int]:
    """Certificates waiting for BKPSDM (``submitted``, the ``must`` slots first) and verified ones
    with their ledger line."""
    chosen = list(must) + rng.sample([s for s in slots if s not in must], submitted + verified - len(must))
    objects = []
    for n, slot in enumerate(chosen):
        kind, name, course_type, organiser, jp = texts.CERTIFICATES[n % len(texts.CERTIFICATES)]
        end = date(YEAR, rng.randint(2, 10), rng.randint(1, 26))
        start = end - timedelta(days=max(0, jp // 8 - 1))
        done = n >= submitted
        objects.append(ExternalCertificate(
            employee_id=slot.id, kind=CertificateKind(kind), name=name, course_type=course_type,
            number=f"{'DK' if kind == 'diklat' else 'KS'}/{YEAR}/{rng.randint(100, 9999):04d}",
            certificate_date=end + timedelta(days=3), start_date=start, end_date=end, year=YEAR, jp=jp,
            organiser=organiser, status=CertificateStatus.VERIFIED if done else CertificateStatus.SUBMITTED,
            verified_by_id=bkpsdm_user if done else None,
            verified_dt=datetime.combine(end + timedelta(days=10), datetime.min.time()) if done else None))
    db.session.add_all(objects)
    db.session.flush()
    ledger = [dict(key=f"cert:{c.id}", employee_id=c.employee_id, year=c.year, source=LearningSource.CERTIFICATE,
                   jp=c.jp, title=c.name, completed_date=c.end_date, programme_id=None, session_id=None,
                   certificate_id=c.id) for c in objects if c.status is CertificateStatus.VERIFIED]
    return len(objects), _insert(LearningRecord, ledger)


def _potentials(slots, rng, bkpsdm_user, *, structural_share, other_share, always=()) -> int:
    rows = []
    for slot in slots:
        share = structural_share if slot.job.kind in STRUCTURAL else other_share
        if slot not in always and rng.random() >= share:
            continue
        potential = rng.choices([Potential.LOW, Potential.MEDIUM, Potential.HIGH], [0.2, 0.5, 0.3])[0]
        rows.append(dict(employee_id=slot.id, year=YEAR, potential=potential,
                         note="Hasil asesmen kompetensi UPT Penilaian Kompetensi Provinsi" if slot.job.kind in STRUCTURAL
                         else "Usulan komite talenta", assessed_by_id=bkpsdm_user))
    return _insert(TalentAssessment, rows)


def _recompute(counts):
    started = time.perf_counter()
    stats = recompute_recommendations(year=YEAR, today=TODAY)
    counts.recompute_seconds = round(time.perf_counter() - started, 2)
    counts.recommendations = stats.inserted
    return stats


# ---------------------------------------------------------------- the demo
def _demo_idps(slots, fixed, programmes, rng) -> int:
    """The demo pegawai's draft, one plan waiting for the demo supervisor, one approved, and a few
    approved plans elsewhere."""
    supervisor, pegawai = fixed.get("supervisor"), fixed.get("pegawai")
    by_code = {p.text.code: p for p in programmes}
    team = [s for s in slots if supervisor is not None and s.supervisor is supervisor and s is not pegawai]
    others = [s for s in slots if s.supervisor is not None and s.supervisor is not supervisor and not s.fixed]
    plans = []
    if pegawai is not None:
        # Activities only, so that any of her recommendations can still be accepted into it.
        plans.append((pegawai, IdpStatus.DRAFT, list(texts.DEMO_DRAFT_ACTIVITIES)))
    if len(team) >= 2:
        first, second = rng.sample(team, 2)
        plans.append((first, IdpStatus.SUBMITTED, ["EXC-PRIMA", "COACH-KIN", "MAGANG-MPP"]))
        plans.append((second, IdpStatus.APPROVED, ["MAN-KOL", "DIG-LIT", "KOM-BELAJAR"]))
    for slot in rng.sample(others, min(5, len(others))):
        plans.append((slot, IdpStatus.APPROVED, rng.sample(["EXC-PRIMA", "DIG-SPRD", "MAN-KOM", "DIG-LIT",
                                                            "MANDIRI-ASN", "OUTBOUND-TIM"], 3)))
    for slot, status, codes in plans:
        submitted = datetime(YEAR, rng.randint(2, 10), rng.randint(1, 28), 9) if status is not IdpStatus.DRAFT else None
        plan = DevelopmentPlan(employee_id=slot.id, year=YEAR, status=status,
                               approver_id=slot.supervisor.id if submitted and slot.supervisor else None,
                               submitted_dt=submitted,
                               approved_dt=submitted + timedelta(days=3) if status is IdpStatus.APPROVED else None)
        for code in codes:
            target = date(YEAR, 12, rng.randint(1, 20))
            if isinstance(code, tuple):  # an activity outside the catalogue
                form, title, jp = code
                plan.items.append(DevelopmentPlanItem(form=form, title=title, jp_planned=jp, target_date=target))
                continue
            t = by_code[code].text
            plan.items.append(DevelopmentPlanItem(programme_id=by_code[code].id, form=t.form, title=t.title,
                                                  jp_planned=t.jp, target_date=target))
        db.session.add(plan)
    db.session.flush()
    return len(plans)


def seed_demo_catalogue(slots, root, plan_counts, rng: random.Random | None = None) -> CatalogueCounts:
    """The demo's competency dictionary, catalogue, tags, sessions, JP ledger, leadership history,
    certificates, potentials and IDPs, then its recommendations."""
    rng = rng or random.Random(2026)
    counts = CatalogueCounts()
    fixed = {s.fixed: s for s in slots if s.fixed}
    unit_paths = {u.name: (u.id, u.path) for u in root.walk()}
    competency_ids = _write_competencies(counts)
    programmes = _write_programmes(texts.PROGRAMMES + texts.SELF_STUDY, competency_ids, unit_paths, counts)
    counts.tags = _tag_results(plan_counts.specs if plan_counts else [], competency_ids, rng)
    sessions = _write_sessions(programmes, _plan_sessions(programmes, rng), counts)

    done = [s for s in sessions if s.status is SessionStatus.COMPLETED and s.programme.text.leadership is None]
    ledger = []
    for slot in slots:
        facts = _facts(slot)
        fitting = [s for s in done if rules.is_eligible(s.programme.facts, facts)]
        ledger += _ledger_rows(slot, fitting, _jp_goal(rng), rng)
    # The demo supervisor (a pengawas) and a few others have no PKP yet: it shows as mandatory.
    missing = {fixed["supervisor"]} if "supervisor" in fixed else set()
    ledger += _leadership_rows(slots, programmes, rng, missing=missing)
    counts.learning_records = _insert(LearningRecord, ledger)

    bkpsdm_user = _bkpsdm_user()
    must = [fixed["pegawai"]] if "pegawai" in fixed else []
    counts.certificates, verified = _certificates(slots, rng, bkpsdm_user, submitted=5, verified=3, must=must)
    counts.learning_records += verified
    counts.assessments = _potentials(slots, rng, bkpsdm_user, structural_share=0.75, other_share=0.04,
                                     always=[s for key, s in fixed.items() if key in ("supervisor", "pegawai")])
    counts.idps = _demo_idps(slots, fixed, programmes, rng)
    _recompute(counts)
    return counts


# ---------------------------------------------------------------- the scale seed
def seed_scale_catalogue(slots, root, plan_counts, rng: random.Random | None = None) -> CatalogueCounts:
    """The demo catalogue plus about 300 generated programmes with their sessions, learning records
    for most employees, tags on half the RHK, potentials for about 5 %, and a timed recomputation."""
    rng = rng or random.Random(18)
    counts = CatalogueCounts()
    unit_paths = {u.name: (u.id, u.path) for u in root.walk()}
    competency_ids = _write_competencies(counts)
    programmes = _write_programmes(texts.PROGRAMMES + texts.SELF_STUDY + _generated_programmes(rng),
                                   competency_ids, unit_paths, counts)
    counts.tags = _tag_results(plan_counts.specs if plan_counts else [], competency_ids, rng, share=0.5)
    sessions = _write_sessions(programmes, _plan_sessions(programmes, rng, past_range=(1, 2), upcoming_share=0.4),
                               counts)
    # Only programmes open to everyone, so that no eligibility check runs per employee.
    done = [s for s in sessions if s.status is SessionStatus.COMPLETED and s.programme.is_open]
    ledger = []
    for slot in slots:
        if rng.random() < 0.85:
            ledger += _ledger_rows(slot, done, _jp_goal(rng) or rng.randint(2, 8), rng)
    ledger += _leadership_rows(slots, programmes, rng)
    counts.learning_records = _insert(LearningRecord, ledger)
    bkpsdm_user = _bkpsdm_user()
    counts.certificates, verified = _certificates(slots, rng, bkpsdm_user, submitted=20, verified=10)
    counts.learning_records += verified
    counts.assessments = _potentials(slots, rng, bkpsdm_user, structural_share=0.25, other_share=0.03)
    _recompute(counts)
    return counts

