"""The people of a seed: plausible, valid and unique identities for the planned positions.

``PeoplePlanner`` draws names (Faker ``id_ID``), birth and TMT dates, golongan, gelar, e-mail and
phone for PNS and PPPK alike, so that every NIP / NI PPPK agrees with the birth date and gender it
encodes, and dates lie before ``REFERENCE_DATE`` whatever the calendar says.
"""
import random
import unicodedata
from datetime import date

from faker import Faker

from portal.people import rules
from portal.people.models import CivilStatus, EmployeeKind, Gender
from portal.people.seeding.jobs import FIXED, FixedPerson, G, Job, K, SeedError

EMAIL_DOMAIN = "contohkab.go.id"
# Generated dates lie before this day, so the data (and the demo logins) stay the same and valid
# whatever the calendar says.
REFERENCE_DATE = date(2025, 12, 1)


PNS_GOLONGAN = {
    K.JPT_UTAMA: ["IV/d", "IV/e"], K.JPT_MADYA: ["IV/d", "IV/e"], K.JPT_PRATAMA: ["IV/c", "IV/d"],
    K.ADMINISTRATOR: ["IV/a", "IV/b"], K.PENGAWAS: ["III/c", "III/d"],
    G.AHLI_PERTAMA: ["III/a", "III/b"], G.AHLI_MUDA: ["III/c", "III/d"], G.AHLI_MADYA: ["IV/a", "IV/b"],
    G.AHLI_UTAMA: ["IV/d", "IV/e"], G.PEMULA: ["II/a", "II/b"], G.TERAMPIL: ["II/c", "II/d"],
    G.MAHIR: ["III/a", "III/b"], G.PENYELIA: ["III/c", "III/d"],
    "sma": ["II/a", "II/b", "II/c", "II/d"], "d3": ["II/c", "II/d", "III/a"], "s1": ["III/a", "III/b"],
}
PPPK_GOLONGAN = {
    G.AHLI_PERTAMA: "IX", G.AHLI_MUDA: "XI", G.PEMULA: "V", G.TERAMPIL: "VII", G.MAHIR: "VIII",
    "sma": "V", "d3": "VII", "s1": "IX",
}
# Years since TMT CPNS that make each golongan plausible.
SERVICE_YEARS = {
    "II/a": (0, 6), "II/b": (4, 10), "II/c": (0, 12), "II/d": (6, 18), "III/a": (0, 8), "III/b": (3, 14),
    "III/c": (7, 20), "III/d": (9, 26), "IV/a": (12, 30), "IV/b": (16, 32), "IV/c": (20, 33), "IV/d": (24, 35),
    "IV/e": (28, 36),
}
ENTRY_AGE = {"sma": (19, 25), "d3": (21, 28), "s1": (23, 32)}
# PPPK appointment years (the first wave was 2019) and how many came in each.
PPPK_YEARS = {2019: 1, 2020: 1, 2021: 4, 2022: 4, 2023: 3, 2024: 4, 2025: 2}

S1 = {"umum": ["S.Sos.", "S.AP.", "S.IP.", "S.E.", "S.H.", "S.Kom."], "ekonomi": ["S.E.", "S.Ak.", "S.E."],
      "hukum": ["S.H."], "teknik": ["S.T.", "S.T.", "S.Si."], "kom": ["S.Kom.", "S.Kom.", "S.T."],
      "pertanian": ["S.P.", "S.Pt."], "guru": ["S.Pd.", "S.Pd.", "S.Pd.I."], "kesmas": ["S.KM."],
      "sosial": ["S.Sos.", "S.Psi."]}
S2 = {"umum": ["M.M.", "M.Si.", "M.AP."], "ekonomi": ["M.M.", "M.Ak."], "hukum": ["M.H."], "teknik": ["M.T."],
      "kom": ["M.Kom.", "M.T."], "pertanian": ["M.P.", "M.Si."], "guru": ["M.Pd."], "kesmas": ["M.Kes."],
      "dokter": ["M.Kes."], "sosial": ["M.Si."]}
D3 = {"kom": "A.Md.Kom.", "ekonomi": "A.Md.Ak.", "perawat": "A.Md.Kep.", "bidan": "A.Md.Keb.", "lab": "A.Md.AK.",
      "sanitasi": "A.Md.KL.", "gizi": "A.Md.Gz."}
# Professions whose title goes in front: (gelar depan, first gelar belakang)
PROFESSION = {"dokter": ("dr.", ""), "dokter_gigi": ("drg.", ""), "dokter_hewan": ("drh.", ""),
              "ners": ("Ns.", "S.Kep."), "apoteker": ("apt.", "S.Farm."), "bidan": ("", "S.Tr.Keb.")}
PHONE_PREFIXES = ["0811", "0812", "0813", "0821", "0822", "0852", "0853", "0856", "0857", "0858", "0877",
                  "0878", "0881", "0882", "0895", "0896"]


def _max_age(job: Job) -> int:
    # Retirement (BUP): 58 in general, 60 for JPT and ahli madya; keep a year in hand.
    if job.kind in (K.JPT_UTAMA, K.JPT_MADYA, K.JPT_PRATAMA) or job.grade in (G.AHLI_MADYA, G.AHLI_UTAMA):
        return 59
    return 57


def _s2_chance(job: Job) -> float:
    if job.kind in (K.JPT_UTAMA, K.JPT_MADYA, K.JPT_PRATAMA):
        return 0.95
    return {K.ADMINISTRATOR: 0.7, K.PENGAWAS: 0.35}.get(job.kind) or {
        G.AHLI_MADYA: 0.6, G.AHLI_MUDA: 0.3, G.AHLI_PERTAMA: 0.06}.get(job.grade, 0.0)


class PeoplePlanner:
    """Makes plausible, valid and unique people for the planned positions."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.fake = Faker("id_ID")
        self.fake.seed_instance(seed)
        self.nips = {p.nip for p in FIXED.values()}
        self.emails = {p.mailbox for p in FIXED.values()}

    def person(self, job: Job, pppk: bool) -> dict:
        rng = self.rng
        female = rng.random() < job.female
        if female:
            name = f"{self.fake.first_name_female()} {self.fake.last_name_female()}"
        else:
            name = f"{self.fake.first_name_male()} {self.fake.last_name_male()}"
        gender = "2" if female else "1"
        if pppk:
            golongan = PPPK_GOLONGAN[job.grade or job.edu]
            year = rng.choices(list(PPPK_YEARS), weights=list(PPPK_YEARS.values()))[0]
            oldest = _max_age(job) - (REFERENCE_DATE.year - year)
            age = rng.randint(ENTRY_AGE[job.edu][0], min(48, oldest))
            birth = self._birth_date(year - age)
            tmt = date(year, rng.choice([1, 3, 4, 7]), 1)
            nip = self._unique(f"{birth:%Y%m%d}{year:04d}21{gender}")
            civil_status = None
        else:
            golongan = rng.choice(PNS_GOLONGAN.get(job.grade) or PNS_GOLONGAN.get(job.kind)
                                  or PNS_GOLONGAN[job.edu])
            birth, tmt = self._pns_dates(job, golongan)
            nip = self._unique(f"{birth:%Y%m%d}{tmt:%Y%m}{gender}")
            civil_status = CivilStatus.CPNS if tmt.year >= REFERENCE_DATE.year else CivilStatus.PNS
        depan, belakang = self._titles(job, female, REFERENCE_DATE.year - birth.year)
        return dict(nip=nip, kind=EmployeeKind.PPPK if pppk else EmployeeKind.PNS, name=name,
                    gelar_depan=depan, gelar_belakang=belakang,
                    gender=Gender.FEMALE if female else Gender.MALE, birth_date=birth, tmt_date=tmt,
                    civil_status=civil_status, golongan=golongan, email=self._email(name),
                    phone=rng.choice(PHONE_PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(8)),
                    is_active=True)

    def fixed(self, spec: FixedPerson) -> dict:
        parsed = rules.parse_nip(spec.nip)
        return dict(nip=spec.nip, kind=EmployeeKind.PNS, name=spec.name, gelar_depan=spec.gelar_depan,
                    gelar_belakang=spec.gelar_belakang,
                    gender=Gender.MALE if parsed.gender == "L" else Gender.FEMALE,
                    birth_date=parsed.birth_date, tmt_date=parsed.tmt_date, civil_status=CivilStatus.PNS,
                    golongan=spec.golongan, email=f"{spec.mailbox}@{EMAIL_DOMAIN}",
                    phone="0812" + spec.nip[-8:], is_active=True)

    def _birth_date(self, year):
        return date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))

    def _pns_dates(self, job, golongan):
        low, high = SERVICE_YEARS[golongan]
        entry_low, entry_high = ENTRY_AGE[job.edu]
        while True:
            service, entry = self.rng.randint(low, high), self.rng.randint(entry_low, entry_high)
            if entry + service <= _max_age(job):
                break
        tmt_year = REFERENCE_DATE.year - service
        tmt = date(tmt_year, self.rng.randint(1, 12 if tmt_year < REFERENCE_DATE.year else REFERENCE_DATE.month), 1)
        # Entry age ≥ 19 years keeps TMT CPNS after the 18th birthday (a NIP rule).
        return self._birth_date(tmt_year - entry), tmt

    def _unique(self, prefix: str) -> str:
        serial = self.rng.randint(1, 5)
        while f"{prefix}{serial:03d}" in self.nips:
            serial += 1
            if serial > 999:
                raise SeedError(f"no free serial for {prefix}")
        nip = f"{prefix}{serial:03d}"
        self.nips.add(nip)
        return nip

    def _email(self, name: str) -> str:
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
        parts = ["".join(ch for ch in part if ch.isalnum()) for part in ascii_name.split()]
        base = ".".join(p for p in parts if p) or "pegawai"
        local, number = base, 1
        while local in self.emails:
            number += 1
            local = f"{base}{number}"
        self.emails.add(local)
        return f"{local}@{EMAIL_DOMAIN}"

    def _titles(self, job: Job, female: bool, age: int) -> tuple[str, str]:
        rng = self.rng
        profile = job.titles
        if profile == "kesehatan":
            profile = rng.choice(["dokter", "dokter", "kesmas"])
        front, back = [], []
        if job.edu == "sma":
            pass
        elif job.edu == "d3":
            back.append(D3.get(profile, "A.Md."))
        elif profile in PROFESSION:
            depan, first = PROFESSION[profile]
            front += [depan] if depan else []
            back += [first] if first else []
        elif profile == "teknik" and age >= 55 and rng.random() < 0.5:
            front.append("Ir.")
        elif profile in ("umum", "sosial") and age >= 55 and rng.random() < 0.5:
            front.append("Dra." if female else "Drs.")
        else:
            back.append(rng.choice(S1.get(profile, S1["umum"])))
        if job.edu == "s1" and rng.random() < _s2_chance(job):
            back.append(rng.choice(S2.get(profile, S2["umum"])))
        if job.kind in (K.JPT_PRATAMA, K.JPT_MADYA) and rng.random() < 0.15:
            front.insert(0, "Dr.")
        if rng.random() < (0.25 if age >= 45 else 0.08 if age >= 35 else 0.0):
            front.append("Hj." if female else "H.")
        return " ".join(front), ", ".join(back)
