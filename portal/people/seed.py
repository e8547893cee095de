"""flask seed …: a realistic demo kabupaten, and a large synthetic instansi for benchmarks.

Both commands first plan the whole organisation in memory (deterministically: a seeded
``random.Random`` and a seeded Faker ``id_ID``), check every NIP / NI PPPK, golongan and jenjang
against ``rules`` and ``grade_fits``, then write it with bulk inserts and a single audit entry.
The demo accounts are made through the auth services. Nothing here commits: the commands do.
"""
import random
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date

import click
import sqlalchemy as sa
from faker import Faker
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.auth import services as auth_services
from portal.auth.models import Role, User
from portal.core import audit
from portal.extensions import db
from portal.people import rules
from portal.people.models import (
    AssignmentReason,
    CivilStatus,
    Employee,
    EmployeeAssignment,
    EmployeeKind,
    Gender,
    OrgUnit,
    Position,
    PositionGrade,
    PositionKind,
    UnitKind,
    grade_fits,
)

seed_cli = AppGroup("seed", help="Data demo dan data skala.")

DEMO_PASSWORD = "Capaian#2026"
EMAIL_DOMAIN = "contohkab.go.id"
DEMO_SEED = 2026
SCALE_SEED = 18
# Generated dates lie before this day, so the data (and the demo logins) stay the same and valid
# whatever the calendar says.
REFERENCE_DATE = date(2025, 12, 1)
PPPK_SHARE = 0.15
MIN_SCALE_EMPLOYEES = 200
CHUNK = 1000

K = PositionKind
G = PositionGrade


class SeedError(RuntimeError):
    """The seed cannot run (database not empty, size too small) or planned invalid data."""


# ---------------------------------------------------------------- jobs (jabatan)
@dataclass(frozen=True)
class Job:
    """A jabatan as the seed plans it: what kind of person holds it."""

    name: str
    kind: PositionKind
    grade: PositionGrade | None = None
    titles: str = "umum"   # gelar profile (see _titles)
    edu: str = "s1"        # sma, d3 or s1: drives golongan, entry age and gelar
    pppk: float = 0.0      # weight for being filled by a PPPK (0: PNS only)
    female: float = 0.45   # share of women among the holders


def _ahli(name, grade, titles="umum", pppk=0.0, female=0.45):
    return Job(name, K.FUNGSIONAL_KEAHLIAN, grade, titles=titles, pppk=pppk, female=female)


def _terampil(name, grade, titles="d3", pppk=0.0, female=0.45):
    return Job(name, K.FUNGSIONAL_KETERAMPILAN, grade, titles=titles, edu="d3", pppk=pppk, female=female)


def _pelaksana(name, edu, titles="umum", pppk=1.0):
    return Job(name, K.PELAKSANA, titles=titles, edu=edu, pppk=pppk)


# Pelaksana (PermenPANRB 45/2022 nomenclature)
PENELAAH = _pelaksana("Penelaah Teknis Kebijakan", "s1")
PENATA_LAYANAN = _pelaksana("Penata Layanan Operasional", "s1")
PENGELOLA_LAYANAN = _pelaksana("Pengelola Layanan Operasional", "d3", "d3")
PENGOLAH_DATA = _pelaksana("Pengolah Data dan Informasi", "d3", "kom")
PENGADMINISTRASI = _pelaksana("Pengadministrasi Perkantoran", "sma", pppk=1.5)
OPERATOR = _pelaksana("Operator Layanan Operasional", "sma", pppk=2.0)
# Fungsional, general
PRAKOM = _ahli("Pranata Komputer Ahli Pertama", G.AHLI_PERTAMA, "kom", pppk=1.0)
PRANATA_HUMAS = _ahli("Pranata Hubungan Masyarakat Ahli Pertama", G.AHLI_PERTAMA)
ARSIPARIS = _terampil("Arsiparis Terampil", G.TERAMPIL, pppk=1.0)
PERENCANA_AP = _ahli("Perencana Ahli Pertama", G.AHLI_PERTAMA, "ekonomi")
PERENCANA_AM = _ahli("Perencana Ahli Muda", G.AHLI_MUDA, "ekonomi")
KEUANGAN = _ahli("Analis Keuangan Pusat dan Daerah Ahli Pertama", G.AHLI_PERTAMA, "ekonomi")
KEBIJAKAN_AP = _ahli("Analis Kebijakan Ahli Pertama", G.AHLI_PERTAMA)
KEBIJAKAN_AM = _ahli("Analis Kebijakan Ahli Muda", G.AHLI_MUDA)
PENGADAAN = _ahli("Pengelola Pengadaan Barang/Jasa Ahli Pertama", G.AHLI_PERTAMA, "ekonomi")
PERANCANG_UU = _ahli("Perancang Peraturan Perundang-undangan Ahli Pertama", G.AHLI_PERTAMA, "hukum")
ANALIS_HUKUM = _ahli("Analis Hukum Ahli Muda", G.AHLI_MUDA, "hukum")
STATISTISI = _ahli("Statistisi Ahli Pertama", G.AHLI_PERTAMA, "teknik")
PUSTAKAWAN = _terampil("Pustakawan Terampil", G.TERAMPIL, pppk=1.0, female=0.6)
# Inspektorat
AUDITOR_AP = _ahli("Auditor Ahli Pertama", G.AHLI_PERTAMA, "ekonomi")
AUDITOR_AM = _ahli("Auditor Ahli Muda", G.AHLI_MUDA, "ekonomi")
AUDITOR_AMD = _ahli("Auditor Ahli Madya", G.AHLI_MADYA, "ekonomi")
PPUPD = _ahli("Pengawas Penyelenggaraan Urusan Pemerintahan Daerah Ahli Muda", G.AHLI_MUDA)
# BKPSDM
KEPEG_AP = _ahli("Analis Kepegawaian Ahli Pertama", G.AHLI_PERTAMA, pppk=0.5)
KEPEG_AM = _ahli("Analis Kepegawaian Ahli Muda", G.AHLI_MUDA)
SDMA_AP = _ahli("Analis Sumber Daya Manusia Aparatur Ahli Pertama", G.AHLI_PERTAMA, pppk=0.5)
ASESOR = _ahli("Asesor Sumber Daya Manusia Aparatur Ahli Muda", G.AHLI_MUDA)
# Health
DOKTER_AP = _ahli("Dokter Ahli Pertama", G.AHLI_PERTAMA, "dokter", pppk=1.0, female=0.55)
DOKTER_AM = _ahli("Dokter Ahli Muda", G.AHLI_MUDA, "dokter", female=0.5)
DOKTER_AMD = _ahli("Dokter Ahli Madya", G.AHLI_MADYA, "dokter", female=0.45)
DOKTER_GIGI = _ahli("Dokter Gigi Ahli Pertama", G.AHLI_PERTAMA, "dokter_gigi", pppk=0.5, female=0.7)
PERAWAT_AP = _ahli("Perawat Ahli Pertama", G.AHLI_PERTAMA, "ners", pppk=1.5, female=0.75)
PERAWAT_T = _terampil("Perawat Terampil", G.TERAMPIL, "perawat", pppk=2.5, female=0.7)
PERAWAT_M = _terampil("Perawat Mahir", G.MAHIR, "perawat", female=0.7)
BIDAN_T = _terampil("Bidan Terampil", G.TERAMPIL, "bidan", pppk=2.5, female=1.0)
BIDAN_AP = _ahli("Bidan Ahli Pertama", G.AHLI_PERTAMA, "bidan", pppk=1.0, female=1.0)
APOTEKER = _ahli("Apoteker Ahli Pertama", G.AHLI_PERTAMA, "apoteker", pppk=1.0, female=0.7)
LAB = _terampil("Pranata Laboratorium Kesehatan Terampil", G.TERAMPIL, "lab", pppk=1.5, female=0.6)
SANITASI = _terampil("Tenaga Sanitasi Lingkungan Terampil", G.TERAMPIL, "sanitasi", pppk=1.0)
GIZI = _terampil("Nutrisionis Terampil", G.TERAMPIL, "gizi", pppk=1.0, female=0.85)
PENYULUH_KES = _ahli("Penyuluh Kesehatan Masyarakat Ahli Pertama", G.AHLI_PERTAMA, "kesmas", pppk=1.0, female=0.6)
EPIDEMIOLOG = _ahli("Epidemiolog Kesehatan Ahli Muda", G.AHLI_MUDA, "kesmas")
ADMINKES = _ahli("Administrator Kesehatan Ahli Muda", G.AHLI_MUDA, "kesmas")
# Education and culture
GURU_AP = _ahli("Guru Ahli Pertama", G.AHLI_PERTAMA, "guru", pppk=3.0, female=0.65)
GURU_AM = _ahli("Guru Ahli Muda", G.AHLI_MUDA, "guru", female=0.65)
GURU_AMD = _ahli("Guru Ahli Madya", G.AHLI_MADYA, "guru", female=0.6)
PENGAWAS_SEKOLAH = _ahli("Pengawas Sekolah Ahli Madya", G.AHLI_MADYA, "guru")
PAMONG_BUDAYA = _ahli("Pamong Budaya Ahli Pertama", G.AHLI_PERTAMA)
# Environment, licensing and the other services
PLH = _ahli("Pengawas Lingkungan Hidup Ahli Pertama", G.AHLI_PERTAMA, "teknik", pppk=0.5)
PDL = _ahli("Pengendali Dampak Lingkungan Ahli Muda", G.AHLI_MUDA, "teknik")
PERIZINAN_AP = _ahli("Penata Perizinan Ahli Pertama", G.AHLI_PERTAMA, pppk=1.0)
PERIZINAN_AM = _ahli("Penata Perizinan Ahli Muda", G.AHLI_MUDA)
POLPP = _terampil("Polisi Pamong Praja Terampil", G.TERAMPIL, pppk=1.0, female=0.2)
PENYULUH_TANI = _ahli("Penyuluh Pertanian Ahli Pertama", G.AHLI_PERTAMA, "pertanian", pppk=2.0, female=0.35)
PENYULUH_IKAN = _ahli("Penyuluh Perikanan Ahli Pertama", G.AHLI_PERTAMA, "pertanian", pppk=1.0, female=0.35)
DOKTER_HEWAN = _ahli("Medik Veteriner Ahli Pertama", G.AHLI_PERTAMA, "dokter_hewan")
PEKSOS = _ahli("Pekerja Sosial Ahli Pertama", G.AHLI_PERTAMA, "sosial", pppk=1.0, female=0.6)
PENYULUH_KB = _ahli("Penyuluh Keluarga Berencana Ahli Pertama", G.AHLI_PERTAMA, "sosial", pppk=1.0, female=0.7)
TEKNIK_JALAN = _ahli("Teknik Jalan dan Jembatan Ahli Pertama", G.AHLI_PERTAMA, "teknik", female=0.25)
TEKNIK_AIR = _ahli("Teknik Pengairan Ahli Pertama", G.AHLI_PERTAMA, "teknik", female=0.25)
PENATA_RUANG = _ahli("Penata Ruang Ahli Pertama", G.AHLI_PERTAMA, "teknik")
PENGUJI_KB = _terampil("Penguji Kendaraan Bermotor Terampil", G.TERAMPIL, female=0.2)
ADMINDUK = _ahli("Administrator Database Kependudukan Ahli Pertama", G.AHLI_PERTAMA, "kom", pppk=1.0)
SANDIMAN = _ahli("Sandiman Ahli Pertama", G.AHLI_PERTAMA, "kom")
PENGAWAS_KOPERASI = _ahli("Pengawas Koperasi Ahli Pertama", G.AHLI_PERTAMA, "ekonomi")
PENERA = _terampil("Penera Terampil", G.TERAMPIL)
MEDIATOR = _ahli("Mediator Hubungan Industrial Ahli Pertama", G.AHLI_PERTAMA, "hukum")
PENGANTAR_KERJA = _ahli("Pengantar Kerja Ahli Pertama", G.AHLI_PERTAMA)
ADYATAMA = _ahli("Adyatama Kepariwisataan dan Ekonomi Kreatif Ahli Pertama", G.AHLI_PERTAMA)
BENCANA = _ahli("Penata Penanggulangan Bencana Ahli Pertama", G.AHLI_PERTAMA, "teknik")
DAMKAR = _terampil("Analis Kebakaran Terampil", G.TERAMPIL, female=0.15)


# ---------------------------------------------------------------- the demo accounts' people
@dataclass(frozen=True)
class FixedPerson:
    """A person whose identity is fixed, so that the demo logins never change."""

    account: str
    nip: str
    name: str
    gelar_depan: str
    gelar_belakang: str
    golongan: str
    mailbox: str  # the e-mail address before the @


FIXED = {p.account: p for p in [
    FixedPerson("pimpinan", "196903141994031002", "Bambang Sutrisno", "Dr. H.", "S.Sos., M.Si.", "IV/d",
                "bambang.sutrisno"),
    FixedPerson("bkpsdm", "198509172010012004", "Rina Marlina", "", "S.Psi., M.M.", "III/d", "rina.marlina"),
    FixedPerson("admin_opd", "199102232015032001", "Dewi Anggraini", "", "S.Kom.", "III/b", "dewi.anggraini"),
    FixedPerson("supervisor", "198206052009121003", "Andi Pratama", "dr.", "M.Kes.", "III/d", "andi.pratama"),
    FixedPerson("pegawai", "199608112020032005", "Siti Rahmawati", "Ns.", "S.Kep.", "III/a", "siti.rahmawati"),
]}


# ---------------------------------------------------------------- the organisation plan
@dataclass(eq=False)
class UnitPlan:
    name: str
    kind: UnitKind
    head: Job | None
    staff: list = field(default_factory=list)       # [(Job, base count)]
    children: list = field(default_factory=list)
    fixed: dict = field(default_factory=dict)       # job name or "head" → FixedPerson account
    key: str | None = None
    parent: "UnitPlan | None" = None
    id: int | None = None
    path: str = ""
    positions: dict = field(default_factory=dict)   # job name → position id

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def _head(name, kind=K.ADMINISTRATOR, titles="umum", grade=None):
    return Job(name, kind, grade, titles=titles, female=0.3)


def _opd(name, kind, head, titles, staff=(), children=(), key=None, fixed=None):
    return UnitPlan(name, kind, _head(head, K.JPT_PRATAMA, titles), list(staff), list(children),
                    fixed or {}, key)


def _bidang(name, titles, staff=(), children=(), kind=UnitKind.BIDANG, head=None, key=None, fixed=None):
    return UnitPlan(name, kind, _head(head or f"Kepala {name}", K.ADMINISTRATOR, titles), list(staff),
                    list(children), fixed or {}, key)


def _seksi(name, titles, staff=(), kind=UnitKind.SUBBAGIAN, head=None, key=None, fixed=None):
    return UnitPlan(name, kind, _head(head or f"Kepala {name}", K.PENGAWAS, titles), list(staff), [],
                    fixed or {}, key)


def _sekretariat(head, titles, staff, subbagian=(), key=None, fixed=None):
    # A dinas's sekretariat sits at the level of its bidang (administrator).
    return _bidang("Sekretariat", titles, staff, subbagian, head=head, key=key, fixed=fixed)


KECAMATAN_PLACES = [
    "Sukamaju", "Sidomulyo", "Tanjung Harapan", "Karanganyar", "Sumbersari", "Mekarsari", "Margahayu",
    "Sukadana", "Purwodadi", "Tegalrejo", "Banjarsari", "Kedungwaru", "Wonosari", "Bumi Agung",
    "Talang Jaya", "Suka Makmur", "Air Putih", "Batu Ampar", "Gunung Sari", "Pasir Putih", "Sungai Lilin",
    "Rawa Jitu", "Pematang Baru", "Lubuk Raya", "Sidorejo", "Mulyorejo", "Harjosari", "Kota Baru",
    "Sri Bawono", "Way Halim",
]
KELURAHAN_FIRST = ["Pasar", "Kampung", "Tanah", "Kebon", "Sawah", "Bukit", "Pondok", "Talang", "Padang",
                   "Sungai", "Karang", "Rawa", "Batu", "Tanjung"]
KELURAHAN_SECOND = ["Baru", "Lama", "Merah", "Jeruk", "Indah", "Jaya", "Asri", "Permai", "Raya", "Sari"]
ROMAN_SUFFIX = ["", " II", " III", " IV", " V", " VI"]


def _place(places, i):
    return places[i % len(places)] + ROMAN_SUFFIX[min(i // len(places), len(ROMAN_SUFFIX) - 1)]


def _setda():
    return _opd("Sekretariat Daerah", UnitKind.SETDA, "Sekretaris Daerah", "umum", [(PENGADMINISTRASI, 1)], [
        _bidang("Bagian Pemerintahan", "umum", [(KEBIJAKAN_AM, 1), (PENELAAH, 2), (PENGADMINISTRASI, 1)],
                kind=UnitKind.BAGIAN),
        _bidang("Bagian Hukum", "hukum", [(PERANCANG_UU, 2), (ANALIS_HUKUM, 1), (PENGADMINISTRASI, 1)],
                kind=UnitKind.BAGIAN),
        _bidang("Bagian Organisasi", "umum", [(KEBIJAKAN_AP, 2), (PENELAAH, 1)], kind=UnitKind.BAGIAN),
        _bidang("Bagian Umum", "umum", [(PENGADMINISTRASI, 3), (OPERATOR, 2), (ARSIPARIS, 1),
                                        (PENGELOLA_LAYANAN, 1)], kind=UnitKind.BAGIAN),
        _bidang("Bagian Perencanaan dan Keuangan", "ekonomi", [(PERENCANA_AM, 1), (KEUANGAN, 2),
                                                               (PENGOLAH_DATA, 1)], kind=UnitKind.BAGIAN),
        _bidang("Bagian Pengadaan Barang dan Jasa", "ekonomi", [(PENGADAAN, 2), (PENELAAH, 1)],
                kind=UnitKind.BAGIAN),
    ], key="setda", fixed={"head": "pimpinan"})


def _setwan():
    return _opd("Sekretariat DPRD", UnitKind.SETWAN, "Sekretaris DPRD", "umum", [], [
        _bidang("Bagian Umum dan Keuangan", "ekonomi", [(PENGADMINISTRASI, 3), (KEUANGAN, 1), (OPERATOR, 2)],
                kind=UnitKind.BAGIAN),
        _bidang("Bagian Persidangan dan Perundang-undangan", "hukum",
                [(PERANCANG_UU, 1), (PENELAAH, 2), (PRANATA_HUMAS, 1)], kind=UnitKind.BAGIAN),
    ])


def _inspektorat():
    return _opd("Inspektorat", UnitKind.INSPEKTORAT, "Inspektur", "ekonomi", [], [
        _sekretariat("Sekretaris Inspektorat", "umum", [(PENGADMINISTRASI, 2), (PENELAAH, 1), (PENGOLAH_DATA, 1)]),
        _bidang("Inspektorat Pembantu Wilayah I", "ekonomi",
                [(AUDITOR_AMD, 1), (AUDITOR_AM, 2), (AUDITOR_AP, 2), (PPUPD, 1)],
                head="Inspektur Pembantu Wilayah I"),
        _bidang("Inspektorat Pembantu Wilayah II", "ekonomi", [(AUDITOR_AM, 2), (AUDITOR_AP, 2), (PPUPD, 1)],
                head="Inspektur Pembantu Wilayah II"),
    ])


def _bkpsdm():
    return _opd("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", UnitKind.BADAN,
                "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "umum", [], [
        _sekretariat("Sekretaris Badan", "umum", [(PENGADMINISTRASI, 2), (PERENCANA_AP, 1), (KEUANGAN, 1)]),
        _bidang("Bidang Pengadaan, Pemberhentian dan Informasi Kepegawaian", "umum",
                [(KEPEG_AP, 2), (PRAKOM, 2), (PENGOLAH_DATA, 1)]),
        _bidang("Bidang Mutasi dan Promosi", "umum", [(KEPEG_AM, 1), (KEPEG_AP, 2), (PENELAAH, 1)]),
        _bidang("Bidang Pengembangan Kompetensi Aparatur", "umum", [(SDMA_AP, 2), (ASESOR, 1), (PENELAAH, 1)]),
        _bidang("Bidang Penilaian Kinerja Aparatur dan Penghargaan", "umum",
                [(KEPEG_AM, 2), (SDMA_AP, 1), (PENGOLAH_DATA, 1)], fixed={KEPEG_AM.name: "bkpsdm"}),
    ], key="bkpsdm")


def _puskesmas(i):
    name = f"UPT Puskesmas {_place(KECAMATAN_PLACES, i)}"
    head = _head("Kepala Puskesmas", K.PENGAWAS, "kesehatan")
    if i == 0:
        staff = [(DOKTER_AM, 1), (DOKTER_AP, 2), (DOKTER_GIGI, 1), (PERAWAT_AP, 4), (PERAWAT_T, 5), (BIDAN_T, 5),
                 (BIDAN_AP, 1), (APOTEKER, 1), (LAB, 2), (SANITASI, 1), (GIZI, 1), (PENYULUH_KES, 1),
                 (PENGADMINISTRASI, 2)]
        return UnitPlan(name, UnitKind.UPT, head, staff, [], {"head": "supervisor", PERAWAT_AP.name: "pegawai"},
                        key="puskesmas")
    staff = [(DOKTER_AM, 1), (DOKTER_AP, 1), (PERAWAT_AP, 3), (PERAWAT_T, 4), (BIDAN_T, 4), (APOTEKER, 1),
             (LAB, 1), (GIZI, 1), (PENGADMINISTRASI, 2)]
    return UnitPlan(name, UnitKind.UPT, head, staff)


def _rsud():
    return UnitPlan("UPT Rumah Sakit Umum Daerah", UnitKind.UPT, _head("Direktur", K.ADMINISTRATOR, "dokter"), [], [
        _bidang("Bidang Pelayanan Medik", "dokter", [(DOKTER_AMD, 4), (DOKTER_AM, 6), (DOKTER_AP, 6),
                                                     (APOTEKER, 3), (LAB, 4)]),
        _bidang("Bidang Keperawatan", "kesehatan", [(PERAWAT_AP, 15), (PERAWAT_T, 30), (PERAWAT_M, 8),
                                                    (BIDAN_T, 10), (GIZI, 3)]),
        _bidang("Bagian Umum dan Keuangan", "ekonomi", [(PENGADMINISTRASI, 6), (KEUANGAN, 2), (PENGOLAH_DATA, 2),
                                                        (OPERATOR, 4)], kind=UnitKind.BAGIAN),
    ])


def _dinkes(dims):
    children = [
        _sekretariat("Sekretaris Dinas", "kesehatan", [(PERENCANA_AM, 1), (KEUANGAN, 1)], [
            _seksi("Subbagian Umum dan Kepegawaian", "umum", [(PRAKOM, 1), (PENGADMINISTRASI, 2), (SDMA_AP, 1)],
                   fixed={PRAKOM.name: "admin_opd"}),
        ]),
        _bidang("Bidang Kesehatan Masyarakat", "kesehatan", [(PENYULUH_KES, 2), (GIZI, 1), (ADMINKES, 1)]),
        _bidang("Bidang Pencegahan dan Pengendalian Penyakit", "kesehatan",
                [(EPIDEMIOLOG, 1), (SANITASI, 1), (PENELAAH, 1)]),
        _bidang("Bidang Pelayanan dan Sumber Daya Kesehatan", "kesehatan",
                [(ADMINKES, 1), (APOTEKER, 1), (PENELAAH, 1)]),
    ]
    children += [_puskesmas(i) for i in range(dims.puskesmas)]
    if dims.rsud:
        children.append(_rsud())
    return _opd("Dinas Kesehatan", UnitKind.DINAS, "Kepala Dinas Kesehatan", "kesehatan", [], children,
                key="dinkes")


def _school(level, number, place):
    head = _head("Kepala Sekolah", K.FUNGSIONAL_KEAHLIAN, "guru", G.AHLI_MADYA)
    if level == "SD":
        staff = [(GURU_AP, 3), (GURU_AM, 3), (GURU_AMD, 1), (PENGADMINISTRASI, 1)]
    else:
        staff = [(GURU_AP, 4), (GURU_AM, 5), (GURU_AMD, 2), (PUSTAKAWAN, 1), (PENGADMINISTRASI, 1)]
    return UnitPlan(f"{level} Negeri {number} {place}", UnitKind.UPT, head, staff)


def _disdikbud(dims):
    places = KECAMATAN_PLACES[:dims.kecamatan]
    schools = [_school("SD", i // len(places) + 1, places[i % len(places)]) for i in range(dims.sd)]
    schools += [_school("SMP", i // len(places) + 1, places[i % len(places)]) for i in range(dims.smp)]
    return _opd("Dinas Pendidikan dan Kebudayaan", UnitKind.DINAS, "Kepala Dinas Pendidikan dan Kebudayaan",
                "guru", [], [
        _sekretariat("Sekretaris Dinas", "umum", [(PENGADMINISTRASI, 2), (PERENCANA_AP, 1), (KEUANGAN, 1)]),
        _bidang("Bidang Pembinaan Sekolah Dasar", "guru", [(PENGAWAS_SEKOLAH, 2), (PENELAAH, 1)]),
        _bidang("Bidang Pembinaan Sekolah Menengah Pertama", "guru", [(PENGAWAS_SEKOLAH, 1), (PENELAAH, 1)]),
        _bidang("Bidang Kebudayaan", "umum", [(PAMONG_BUDAYA, 2)]),
        *schools,
    ])


def _dlh():
    return _opd("Dinas Lingkungan Hidup", UnitKind.DINAS, "Kepala Dinas Lingkungan Hidup", "teknik", [], [
        _sekretariat("Sekretaris Dinas", "umum", [(PENGADMINISTRASI, 2), (PENELAAH, 1)]),
        _bidang("Bidang Kebersihan dan Pertamanan", "teknik", [(OPERATOR, 4), (PENGELOLA_LAYANAN, 2), (PLH, 1)]),
        _bidang("Bidang Pengendalian Pencemaran dan Kerusakan Lingkungan", "teknik", [(PLH, 2), (PDL, 1)]),
        _seksi("UPT Pengelolaan Sampah", "teknik", [(OPERATOR, 3)], kind=UnitKind.UPT, head="Kepala UPT"),
    ])


def _dpmptsp():
    return _opd("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", UnitKind.DINAS,
                "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "umum", [], [
        _sekretariat("Sekretaris Dinas", "umum", [(PENGADMINISTRASI, 2), (PERENCANA_AP, 1)]),
        _bidang("Bidang Pelayanan Perizinan dan Nonperizinan", "umum",
                [(PERIZINAN_AP, 3), (PERIZINAN_AM, 1), (PENGELOLA_LAYANAN, 2)]),
        _bidang("Bidang Penanaman Modal", "ekonomi", [(KEBIJAKAN_AP, 2), (PENELAAH, 1)]),
    ])


def _kecamatan(place, kelurahan):
    return UnitPlan(f"Kecamatan {place}", UnitKind.KECAMATAN, _head("Camat"),
                    [(_head("Sekretaris Kecamatan"), 1), (PENGADMINISTRASI, 2), (PENELAAH, 1)], [
        _seksi("Seksi Pemerintahan", "umum", [(PENELAAH, 1), (PENGADMINISTRASI, 1)]),
        _seksi("Seksi Pelayanan Umum", "umum", [(PENGELOLA_LAYANAN, 2)]),
        *[UnitPlan(f"Kelurahan {name}", UnitKind.KELURAHAN, _head("Lurah", K.PENGAWAS),
                   [(_head("Sekretaris Kelurahan", K.PENGAWAS), 1), (PENGADMINISTRASI, 2), (OPERATOR, 1)])
          for name in kelurahan],
    ])


# Further OPDs for the scale seed: (name, kind, gelar profile, bidang, specialist jobs)
EXTRA_OPDS = [
    ("Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah", UnitKind.BADAN, "ekonomi",
     ["Bidang Perencanaan Pemerintahan dan Pembangunan Manusia", "Bidang Perekonomian dan Infrastruktur",
      "Bidang Riset dan Inovasi"], [PERENCANA_AP, PERENCANA_AM]),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", UnitKind.BADAN, "ekonomi",
     ["Bidang Anggaran", "Bidang Perbendaharaan", "Bidang Akuntansi", "Bidang Aset"], [KEUANGAN]),
    ("Badan Pendapatan Daerah", UnitKind.BADAN, "ekonomi", ["Bidang Pendataan dan Penetapan", "Bidang Penagihan"],
     [KEUANGAN, PENGELOLA_LAYANAN]),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", UnitKind.DINAS, "teknik",
     ["Bidang Bina Marga", "Bidang Sumber Daya Air", "Bidang Penataan Ruang"], [TEKNIK_JALAN, TEKNIK_AIR, PENATA_RUANG]),
    ("Dinas Sosial", UnitKind.DINAS, "sosial", ["Bidang Rehabilitasi Sosial", "Bidang Perlindungan dan Jaminan Sosial"],
     [PEKSOS]),
    ("Dinas Kependudukan dan Pencatatan Sipil", UnitKind.DINAS, "umum",
     ["Bidang Pelayanan Pendaftaran Penduduk", "Bidang Pelayanan Pencatatan Sipil"], [ADMINDUK, PENGELOLA_LAYANAN]),
    ("Dinas Pertanian dan Ketahanan Pangan", UnitKind.DINAS, "pertanian",
     ["Bidang Tanaman Pangan dan Hortikultura", "Bidang Peternakan dan Kesehatan Hewan", "Bidang Ketahanan Pangan"],
     [PENYULUH_TANI, PENYULUH_TANI, DOKTER_HEWAN]),
    ("Satuan Polisi Pamong Praja", UnitKind.DINAS, "hukum",
     ["Bidang Penegakan Peraturan Daerah", "Bidang Ketertiban Umum dan Ketenteraman Masyarakat"], [POLPP, POLPP]),
    ("Dinas Komunikasi dan Informatika", UnitKind.DINAS, "kom",
     ["Bidang Aplikasi Informatika", "Bidang Informasi dan Komunikasi Publik", "Bidang Statistik dan Persandian"],
     [PRAKOM, PRANATA_HUMAS, STATISTISI, SANDIMAN]),
    ("Badan Penanggulangan Bencana Daerah", UnitKind.BADAN, "teknik",
     ["Bidang Pencegahan dan Kesiapsiagaan", "Bidang Kedaruratan dan Logistik"], [BENCANA, OPERATOR]),
    ("Dinas Perhubungan", UnitKind.DINAS, "teknik", ["Bidang Lalu Lintas", "Bidang Angkutan"], [PENGUJI_KB, OPERATOR]),
    ("Dinas Pengendalian Penduduk dan Keluarga Berencana", UnitKind.DINAS, "sosial",
     ["Bidang Keluarga Berencana", "Bidang Pengendalian Penduduk"], [PENYULUH_KB, PENYULUH_KB]),
    ("Dinas Perumahan dan Kawasan Permukiman", UnitKind.DINAS, "teknik",
     ["Bidang Perumahan", "Bidang Kawasan Permukiman"], [PENATA_RUANG, TEKNIK_JALAN]),
    ("Badan Kesatuan Bangsa dan Politik", UnitKind.BADAN, "umum",
     ["Bidang Ideologi dan Wawasan Kebangsaan", "Bidang Politik Dalam Negeri"], [KEBIJAKAN_AP]),
    ("Dinas Perikanan", UnitKind.DINAS, "pertanian", ["Bidang Perikanan Budidaya", "Bidang Perikanan Tangkap"],
     [PENYULUH_IKAN]),
    ("Dinas Koperasi, Usaha Kecil dan Menengah", UnitKind.DINAS, "ekonomi", ["Bidang Koperasi", "Bidang Usaha Mikro"],
     [PENGAWAS_KOPERASI]),
    ("Dinas Perdagangan dan Perindustrian", UnitKind.DINAS, "ekonomi",
     ["Bidang Perdagangan", "Bidang Perindustrian", "Bidang Metrologi Legal"], [PENERA, KEBIJAKAN_AP]),
    ("Dinas Tenaga Kerja", UnitKind.DINAS, "hukum", ["Bidang Penempatan Tenaga Kerja", "Bidang Hubungan Industrial"],
     [MEDIATOR, PENGANTAR_KERJA]),
    ("Dinas Pariwisata, Pemuda dan Olahraga", UnitKind.DINAS, "umum", ["Bidang Pariwisata", "Bidang Kepemudaan dan Olahraga"],
     [ADYATAMA]),
    ("Dinas Pemberdayaan Perempuan dan Perlindungan Anak", UnitKind.DINAS, "sosial",
     ["Bidang Pemberdayaan Perempuan", "Bidang Perlindungan Anak"], [PEKSOS, KEBIJAKAN_AP]),
    ("Dinas Pemberdayaan Masyarakat dan Desa", UnitKind.DINAS, "umum",
     ["Bidang Pemerintahan Desa", "Bidang Pemberdayaan Masyarakat"], [PENELAAH, KEBIJAKAN_AP]),
    ("Dinas Perpustakaan dan Kearsipan", UnitKind.DINAS, "umum", ["Bidang Perpustakaan", "Bidang Kearsipan"],
     [PUSTAKAWAN, ARSIPARIS]),
    ("Dinas Pemadam Kebakaran dan Penyelamatan", UnitKind.DINAS, "teknik",
     ["Bidang Pemadaman dan Penyelamatan", "Bidang Pencegahan Kebakaran"], [DAMKAR, OPERATOR]),
]


def _extra_opd(name, kind, titles, bidang, specialists):
    head = f"Kepala {name}"
    sekretariat = _sekretariat("Sekretaris Badan" if kind is UnitKind.BADAN else "Sekretaris Dinas", "umum",
                               [(PERENCANA_AP, 1), (KEUANGAN, 1)], [
        _seksi("Subbagian Umum dan Kepegawaian", "umum", [(PENGADMINISTRASI, 2), (SDMA_AP, 1), (ARSIPARIS, 1)]),
    ])
    units = [sekretariat]
    for i, bidang_name in enumerate(bidang):
        specialist = specialists[i % len(specialists)]
        staff = [(specialist, 3), (PENELAAH, 1), (PENGADMINISTRASI, 1)]
        if specialist is PENELAAH:
            staff = [(PENELAAH, 3), (PENGADMINISTRASI, 1)]
        units.append(_bidang(bidang_name, titles, staff))
    return _opd(name, kind, head, titles, [], units)


@dataclass(frozen=True)
class Dimensions:
    """How many of the repeated units the tree has."""

    sd: int
    smp: int
    puskesmas: int
    kecamatan: int
    extra_opds: int = 0
    rsud: bool = False


DEMO_DIMENSIONS = Dimensions(sd=3, smp=2, puskesmas=2, kecamatan=1)


def dimensions_for(employees: int) -> Dimensions:
    """Units in proportion to the number of employees (a kabupaten of 12,000 ASN has ~40 OPDs)."""
    return Dimensions(sd=max(3, employees // 35), smp=max(2, employees // 120),
                      puskesmas=max(2, employees // 250), kecamatan=max(1, min(len(KECAMATAN_PLACES), employees // 800)),
                      extra_opds=min(len(EXTRA_OPDS), employees // 500), rsud=employees >= 2000)


def kabupaten_plan(name: str, dims: Dimensions, rng: random.Random) -> UnitPlan:
    """The organisation tree (PP 18/2016) of a kabupaten of the given dimensions."""
    pool = [f"{a} {b}" for a in KELURAHAN_FIRST for b in KELURAHAN_SECOND]
    rng.shuffle(pool)
    kecamatan = []
    for i in range(dims.kecamatan):
        count = 4 if i == 0 else rng.randint(3, 5)
        kelurahan = [KECAMATAN_PLACES[i]] + [pool.pop() for _ in range(count - 1)]
        kecamatan.append(_kecamatan(KECAMATAN_PLACES[i], kelurahan))
    opds = [_setda(), _setwan(), _inspektorat(), _bkpsdm(), _dinkes(dims), _disdikbud(dims), _dlh(), _dpmptsp()]
    opds += [_extra_opd(*spec) for spec in EXTRA_OPDS[:dims.extra_opds]]
    root = UnitPlan(name, UnitKind.INSTANSI, None, [], opds + kecamatan)
    for unit in root.walk():
        names = [job.name for job, _count in unit.staff]
        if len(set(names)) != len(names) or (unit.head and unit.head.name in names):
            raise SeedError(f"duplicate position in {unit.name}")
        for child in unit.children:
            child.parent = unit
    return root


# ---------------------------------------------------------------- people
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


# ---------------------------------------------------------------- planning the whole seed
@dataclass(eq=False)
class Slot:
    unit: UnitPlan
    job: Job
    is_head: bool
    fixed: str | None = None
    pppk: bool = False
    person: dict | None = None
    supervisor: "Slot | None" = None
    level: int = 0
    id: int | None = None


def _staff_counts(root: UnitPlan, target: int | None) -> dict:
    """(unit, job name) → number of holders: the base counts, or scaled to reach ``target`` people."""
    entries = [(unit, job, base) for unit in root.walk() for job, base in unit.staff]
    counts = {(unit, job.name): base for unit, job, base in entries}
    if target is None:
        return counts
    heads = sum(1 for unit in root.walk() if unit.head)
    staff_target = target - heads
    if staff_target < heads:
        raise SeedError(_l("Jumlah pegawai terlalu kecil untuk struktur organisasi ini (paling sedikit %(n)d).",
                           n=2 * heads))
    total = sum(base for _u, _j, base in entries)
    shares = [(unit, job, base * staff_target / total) for unit, job, base in entries]
    counts = {(unit, job.name): int(share) for unit, job, share in shares}
    # Largest remainder, so the total is exactly the target.
    missing = staff_target - sum(counts.values())
    by_remainder = sorted(range(len(shares)), key=lambda i: shares[i][2] - int(shares[i][2]), reverse=True)
    for i in by_remainder[:missing]:
        unit, job, _share = shares[i]
        counts[(unit, job.name)] += 1
    # The demo accounts' people need their post, whatever the scaling did.
    for unit in root.walk():
        for job_name in unit.fixed:
            if job_name != "head" and counts[(unit, job_name)] == 0:
                donor = max(counts, key=counts.get)
                counts[donor] -= 1
                counts[(unit, job_name)] = 1
    return counts


def plan_people(root: UnitPlan, target: int | None, seed: int) -> list[Slot]:
    """Every employee of the seed, each with its supervisor, in an order where supervisors come first."""
    counts = _staff_counts(root, target)
    slots = []
    for unit in root.walk():
        if unit.head:
            slots.append(Slot(unit, unit.head, True, unit.fixed.get("head")))
        for job, _base in unit.staff:
            for i in range(counts[(unit, job.name)]):
                slots.append(Slot(unit, job, False, unit.fixed.get(job.name) if i == 0 else None))
    planner = PeoplePlanner(seed)
    # PPPK: a weighted sample without replacement (Efraimidis–Spirakis keys), mostly teachers and nurses.
    eligible = [s for s in slots if not s.is_head and not s.fixed and s.job.pppk > 0]
    keys = sorted(eligible, key=lambda s: planner.rng.random() ** (1 / s.job.pppk), reverse=True)
    for slot in keys[:round(PPPK_SHARE * len(slots))]:
        slot.pppk = True

    heads = {}
    top = None
    for slot in slots:
        slot.person = planner.fixed(FIXED[slot.fixed]) if slot.fixed else planner.person(slot.job, slot.pppk)
        if slot.is_head:
            heads[slot.unit] = slot
            # A unit head answers to the head of the nearest unit above that has one; heads of OPDs
            # (whose parent is the instansi) answer to the Sekretaris Daerah.
            unit = slot.unit.parent
            while unit is not None and unit not in heads:
                unit = unit.parent
            slot.supervisor = heads[unit] if unit is not None else top
            if slot.unit.kind is UnitKind.SETDA:
                top, slot.supervisor = slot, None
        else:
            slot.supervisor = heads[slot.unit]
        slot.level = slot.supervisor.level + 1 if slot.supervisor else 0
    if top is None or any(s.supervisor is None for s in slots if s is not top):
        raise SeedError("the plan has employees without a supervisor")
    return slots


def _unit_jobs(unit: UnitPlan) -> list[Job]:
    return ([unit.head] if unit.head else []) + [job for job, _count in unit.staff]


def _check(slots: list[Slot], root: UnitPlan):
    """The same rules the services apply, for every planned row."""
    for unit in root.walk():
        for job in _unit_jobs(unit):
            if not grade_fits(job.kind, job.grade):
                raise SeedError(f"grade does not fit {job.name}")
    for slot in slots:
        p = slot.person
        try:
            parsed = rules.parse_identity(p["nip"], p["kind"].value)
        except rules.NipError as exc:
            raise SeedError(f"{p['nip']}: {exc}") from None
        if parsed.birth_date != p["birth_date"] or parsed.gender != p["gender"].value:
            raise SeedError(f"{p['nip']}: birth date or gender disagree")
        if not rules.golongan_valid_for(p["golongan"], p["kind"].value):
            raise SeedError(f"{p['nip']}: golongan {p['golongan']}")


# ---------------------------------------------------------------- writing
@dataclass
class DemoAccount:
    """One demo sign-in; the texts stay lazy so that building works outside a request."""

    role: object
    login: str
    password: object
    name: str
    who: str
    sees: object


@dataclass
class SeedResult:
    units: int
    positions: int
    employees: int
    pppk: int
    accounts: list


def _chunks(rows, size=CHUNK):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _write_units(root: UnitPlan):
    level, depth = [root], 0
    while level:
        objects = [OrgUnit(name=u.name, kind=u.kind, parent_id=u.parent.id if u.parent else None, depth=depth)
                   for u in level]
        db.session.add_all(objects)
        db.session.flush()
        for plan, unit in zip(level, objects, strict=True):
            plan.id = unit.id
            plan.path = unit.path = f"{plan.parent.path if plan.parent else '/'}{unit.id}/"
        db.session.flush()
        level, depth = [child for u in level for child in u.children], depth + 1


def _write_positions(root: UnitPlan) -> int:
    rows = []
    for unit in root.walk():
        rows += [dict(name=job.name, kind=job.kind, grade=job.grade, org_unit_id=unit.id,
                      is_head=job is unit.head) for job in _unit_jobs(unit)]
    for chunk in _chunks(rows):
        db.session.execute(sa.insert(Position), chunk)
    ids = {(unit_id, name): pid for pid, unit_id, name in db.session.execute(
        sa.select(Position.id, Position.org_unit_id, Position.name))}
    for unit in root.walk():
        unit.positions = {job.name: ids[(unit.id, job.name)] for job in _unit_jobs(unit)}
    return len(rows)


def _write_employees(slots: list[Slot]):
    """Level by level down the hierarchy, so every supervisor already has an id."""
    for level in range(max(s.level for s in slots) + 1):
        batch = [s for s in slots if s.level == level]
        rows = [dict(s.person, org_unit_id=s.unit.id, position_id=s.unit.positions[s.job.name],
                     supervisor_id=s.supervisor.id if s.supervisor else None) for s in batch]
        for chunk in _chunks(rows):
            db.session.execute(sa.insert(Employee), chunk)
        ids = dict(db.session.execute(sa.select(Employee.nip, Employee.id)).all())
        for slot in batch:
            slot.id = ids[slot.person["nip"]]
    this_year = date(date.today().year, 1, 1)
    rows = [dict(employee_id=s.id, org_unit_id=s.unit.id, position_id=s.unit.positions[s.job.name],
                 supervisor_id=s.supervisor.id if s.supervisor else None,
                 start_date=max(this_year, s.person["tmt_date"]), reason=AssignmentReason.INITIAL)
            for s in slots]
    for chunk in _chunks(rows):
        db.session.execute(sa.insert(EmployeeAssignment), chunk)


SHORT_NAMES = {"Badan Kepegawaian dan Pengembangan Sumber Daya Manusia": "BKPSDM",
               "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu": "DPMPTSP"}
ACCOUNT_ORDER = ["superadmin", "bkpsdm", "pimpinan", "admin_opd", "supervisor", "pegawai"]
ACCOUNT_ROLES = {"bkpsdm": Role.BKPSDM, "pimpinan": Role.PIMPINAN, "admin_opd": Role.ADMIN_OPD}
ACCOUNT_LABELS = {"supervisor": _l("Atasan (pegawai)"), "pegawai": _l("Pegawai")}
ACCOUNT_SEES = {
    "superadmin": _l("Semua menu, termasuk Akun & peran; tidak punya data pegawai sendiri"),
    "bkpsdm": _l("Seluruh pegawai dan unit kerja instansi; impor SIASN"),
    "pimpinan": _l("Seluruh pegawai dan unit kerja (baca); semua pegawai ada di bawah rantai atasannya"),
    "admin_opd": _l("Pegawai dan struktur Dinas Kesehatan beserta Puskesmas-nya"),
    "supervisor": _l("Data sendiri dan bawahan langsungnya di Puskesmas (pejabat penilai kinerja)"),
    "pegawai": _l("Data sendiri; atasannya adalah akun Atasan"),
}


def _workplace(unit: UnitPlan) -> str:
    """The OPD (or UPT) a unit belongs to, by its usual short name."""
    while unit.kind is not UnitKind.UPT and unit.parent is not None and unit.parent.parent is not None:
        unit = unit.parent
    return SHORT_NAMES.get(unit.name, unit.name)


def _write_accounts(slots: list[Slot], root: UnitPlan) -> list[DemoAccount]:
    accounts = {}
    existing = db.session.scalar(sa.select(User).where(User.username == "superadmin"))
    if existing is None:
        auth_services.create_admin_user("superadmin", "Administrator Sistem", DEMO_PASSWORD)
    accounts["superadmin"] = DemoAccount(
        Role.SUPERADMIN.title, "superadmin", DEMO_PASSWORD if existing is None else _l("(tidak diubah)"),
        "Administrator Sistem", _l("Pengelola aplikasi (bukan ASN)"), ACCOUNT_SEES["superadmin"])
    units = {u.key: u for u in root.walk() if u.key}
    for slot in slots:
        if not slot.fixed:
            continue
        employee = db.session.get(Employee, slot.id)
        user = auth_services.account_for(employee)
        user.set_password(DEMO_PASSWORD)
        role = ACCOUNT_ROLES.get(slot.fixed)
        if role is not None:
            scope = db.session.get(OrgUnit, units["dinkes"].id) if role is Role.ADMIN_OPD else None
            auth_services.grant_role(user, role, scope)
        label = role.title if role is not None else ACCOUNT_LABELS[slot.fixed]
        accounts[slot.fixed] = DemoAccount(label, employee.nip, DEMO_PASSWORD, employee.display_name,
                                           f"{slot.job.name}, {_workplace(slot.unit)}", ACCOUNT_SEES[slot.fixed])
    return [accounts[key] for key in ACCOUNT_ORDER]


def _build(root: UnitPlan, target: int | None, seed: int, label: str) -> SeedResult:
    if not is_empty():
        raise SeedError(_l("Basis data sudah berisi data."))
    slots = plan_people(root, target, seed)
    _check(slots, root)
    _write_units(root)
    positions = _write_positions(root)
    _write_employees(slots)
    accounts = _write_accounts(slots, root)
    result = SeedResult(units=sum(1 for _u in root.walk()), positions=positions, employees=len(slots),
                        pppk=sum(1 for s in slots if s.person["kind"] is EmployeeKind.PPPK), accounts=accounts)
    audit.record("seed", object_type="Seed", to_state=label,
                 summary=f"seed {label}: {result.units} unit, {result.positions} jabatan, "
                         f"{result.employees} pegawai ({result.pppk} PPPK)")
    db.session.flush()
    return result


def is_empty() -> bool:
    """True when there is neither an organisation unit nor an employee."""
    return (db.session.scalar(sa.select(OrgUnit.id).limit(1)) is None
            and db.session.scalar(sa.select(Employee.id).limit(1)) is None)


def reset_database():
    """Delete every row of every table, children first; the schema and alembic_version stay.

    The only legitimate way to empty a demo database: audit entries go too.
    """
    tables = db.metadata.sorted_tables
    # Self-references first (MariaDB checks foreign keys row by row).
    for table in tables:
        for fk in table.foreign_keys:
            if fk.column.table is table and fk.parent.nullable:
                db.session.execute(sa.update(table).values({fk.parent.name: None}))
    for table in reversed(tables):
        db.session.execute(sa.delete(table))
    db.session.expunge_all()


def build_demo(seed: int = DEMO_SEED) -> SeedResult:
    """A realistic kabupaten of about 300 employees with one demo account per role (flushes)."""
    root = kabupaten_plan(current_app.config["INSTANSI_NAME"], DEMO_DIMENSIONS, random.Random(seed))
    return _build(root, None, seed, "demo")


def build_scale(employees: int, seed: int = SCALE_SEED) -> SeedResult:
    """A large synthetic instansi of exactly ``employees`` people, plus the demo accounts (flushes)."""
    if employees < MIN_SCALE_EMPLOYEES:
        raise SeedError(_l("Jumlah pegawai paling sedikit %(n)d.", n=MIN_SCALE_EMPLOYEES))
    root = kabupaten_plan(current_app.config["INSTANSI_NAME"], dimensions_for(employees), random.Random(seed))
    return _build(root, employees, seed, "skala")


# ---------------------------------------------------------------- commands


def _may_proceed(reset: bool, yes: bool, skipped_message: str) -> bool:
    if not is_empty() and not reset:
        click.echo(skipped_message)
        return False
    if current_app.config["ENV_NAME"] == "production" and not yes:
        question = (_("Lingkungan produksi: SEMUA data akan dihapus dan akun demo dengan kata sandi yang diketahui "
                      "umum akan dibuat. Lanjutkan?") if reset else
                    _("Lingkungan produksi: akun demo dengan kata sandi yang diketahui umum akan dibuat. Lanjutkan?"))
        click.confirm(question, abort=True)
    if reset:
        reset_database()
    return True


def _echo_result(result: SeedResult, seconds: float):
    click.echo(_("Selesai dalam %(s).1f detik: %(units)d unit kerja, %(positions)d jabatan, %(employees)d pegawai "
                 "(%(pppk)d PPPK).", s=seconds, units=result.units, positions=result.positions,
                 employees=result.employees, pppk=result.pppk))
    click.echo("")
    click.echo(_("Akun demo:"))
    rows = [(_("Peran"), _("Login"), _("Kata sandi"), _("Nama"), _("Jabatan"))]
    rows += [(a.role, a.login, a.password, a.name, a.who) for a in result.accounts]
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        click.echo("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            click.echo("  ".join("-" * width for width in widths))


_reset_option = click.option("--reset", is_flag=True, help="Kosongkan seluruh basis data lebih dulu.")
_yes_option = click.option("--yes", is_flag=True, help="Jangan minta konfirmasi di lingkungan produksi.")


@seed_cli.command("demo")
@_reset_option
@_yes_option
def demo_command(reset, yes):
    """Buat data demo: satu kabupaten dengan ±300 pegawai dan akun demo untuk setiap peran."""
    if not _may_proceed(reset, yes, _("Basis data sudah berisi data; seed demo dilewati. "
                                      "Gunakan --reset untuk mengosongkan.")):
        return
    started = time.perf_counter()
    try:
        result = build_demo()
    except SeedError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    _echo_result(result, time.perf_counter() - started)


@seed_cli.command("scale")
@click.option("--employees", "-n", type=click.IntRange(min=MIN_SCALE_EMPLOYEES), default=12000, show_default=True,
              help="Jumlah pegawai.")
@_reset_option
@_yes_option
def scale_command(employees, reset, yes):
    """Buat instansi sintetis berukuran besar untuk uji kinerja, beserta akun demo."""
    if not _may_proceed(reset, yes, _("Basis data sudah berisi data; seed skala dilewati. "
                                      "Gunakan --reset untuk mengosongkan.")):
        return
    started = time.perf_counter()
    try:
        result = build_scale(employees)
    except SeedError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    _echo_result(result, time.perf_counter() - started)
