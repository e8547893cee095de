"""The organisation plan of a seeded kabupaten: a tree of ``UnitPlan`` built in memory.

The tree follows PP 18/2016: Sekretariat Daerah, Sekretariat DPRD, Inspektorat, the badan and
dinas with their bidang and UPT (puskesmas, schools), and the kecamatan with their kelurahan.
``Dimensions`` says how many of the repeated units there are, in proportion to the employees.
"""
import random
from dataclasses import dataclass

from portal.people.models import UnitKind
from portal.people.seeding.jobs import (
    ADMINDUK,
    ADMINKES,
    ADYATAMA,
    ANALIS_HUKUM,
    APOTEKER,
    ARSIPARIS,
    ASESOR,
    AUDITOR_AM,
    AUDITOR_AMD,
    AUDITOR_AP,
    BENCANA,
    BIDAN_AP,
    BIDAN_T,
    DAMKAR,
    DOKTER_AM,
    DOKTER_AMD,
    DOKTER_AP,
    DOKTER_GIGI,
    DOKTER_HEWAN,
    EPIDEMIOLOG,
    GIZI,
    GURU_AM,
    GURU_AMD,
    GURU_AP,
    KEBIJAKAN_AM,
    KEBIJAKAN_AP,
    KEPEG_AM,
    KEPEG_AP,
    KEUANGAN,
    LAB,
    MEDIATOR,
    OPERATOR,
    PAMONG_BUDAYA,
    PDL,
    PEKSOS,
    PENATA_RUANG,
    PENELAAH,
    PENERA,
    PENGADAAN,
    PENGADMINISTRASI,
    PENGANTAR_KERJA,
    PENGAWAS_KOPERASI,
    PENGAWAS_SEKOLAH,
    PENGELOLA_LAYANAN,
    PENGOLAH_DATA,
    PENGUJI_KB,
    PENYULUH_IKAN,
    PENYULUH_KB,
    PENYULUH_KES,
    PENYULUH_TANI,
    PERANCANG_UU,
    PERAWAT_AP,
    PERAWAT_M,
    PERAWAT_T,
    PERENCANA_AM,
    PERENCANA_AP,
    PERIZINAN_AM,
    PERIZINAN_AP,
    PLH,
    POLPP,
    PPUPD,
    PRAKOM,
    PRANATA_HUMAS,
    PUSTAKAWAN,
    SANDIMAN,
    SANITASI,
    SDMA_AP,
    STATISTISI,
    TEKNIK_AIR,
    TEKNIK_JALAN,
    G,
    K,
    SeedError,
)
from portal.people.seeding.units import UnitPlan, _bidang, _head, _opd, _sekretariat, _seksi

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
