"""The building blocks of a seed: its error, the jabatan it fills and the demo accounts' people.

A ``Job`` says what kind of person holds a jabatan (gelar profile, education, PPPK weight, share
of women); the catalogue below names every jabatan the organisation plan uses. ``FIXED`` holds the
people behind the demo sign-ins, whose identity never changes. ``SeedError`` is what every step
of the seed raises when it cannot run or would plan invalid data.
"""
from dataclasses import dataclass

from portal.people.models import PositionGrade, PositionKind

K = PositionKind
G = PositionGrade


class SeedError(RuntimeError):
    """The seed cannot run (database not empty, size too small) or planned invalid data."""


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
