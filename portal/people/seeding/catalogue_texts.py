"""What the seeded catalogue says: the competency dictionary, the BerAKHLAK mapping, the demo
kabupaten's programmes, the keywords that tag RHK with teknis competencies, and the parts the scale
seed combines into generated programmes.

Plain data for ``catalogue.py``, kept apart like ``plan_texts``.
"""
from dataclasses import dataclass

from portal.catalogue.models import Delivery, Leadership, ProgrammeForm, ProviderKind
from portal.people.models import PositionKind
from portal.plans.models import CoreValue

F, PV, DL, L, K = ProgrammeForm, ProviderKind, Delivery, Leadership, PositionKind

# ---------------------------------------------------------------- competencies (PermenPANRB 38/2017)
MANAGERIAL = [
    ("M-INT", "Integritas", "Konsisten berperilaku selaras dengan nilai, norma dan etika organisasi."),
    ("M-KS", "Kerja Sama", "Menjalin dan membina hubungan kerja yang efektif untuk mencapai tujuan bersama."),
    ("M-KOM", "Komunikasi", "Menyampaikan informasi secara lisan dan tertulis dengan jelas dan meyakinkan."),
    ("M-OPH", "Orientasi pada Hasil", "Berkomitmen menyelesaikan tugas dengan standar mutu yang ditetapkan."),
    ("M-PP", "Pelayanan Publik", "Melayani masyarakat secara profesional, transparan dan tidak diskriminatif."),
    ("M-PDO", "Pengembangan Diri dan Orang Lain",
     "Meningkatkan pengetahuan dan kemampuan diri serta mendorong pengembangan rekan dan bawahan."),
    ("M-MP", "Mengelola Perubahan", "Menyesuaikan diri dan memimpin perubahan dalam organisasi."),
    ("M-PK", "Pengambilan Keputusan", "Membuat keputusan yang tepat waktu berdasarkan analisis yang memadai."),
]
SOCIOCULTURAL = [
    ("SK-PB", "Perekat Bangsa",
     "Mempromosikan sikap toleransi, keterbukaan dan peka terhadap keberagaman masyarakat."),
]
# field → [(code, name)]
TECHNICAL = {
    "Kesehatan": [("T-KES-01", "Manajemen Pelayanan Kesehatan Dasar"), ("T-KES-02", "Kesehatan Ibu dan Anak"),
                  ("T-KES-03", "Imunisasi dan Pengendalian Penyakit"), ("T-KES-04", "Gizi Masyarakat"),
                  ("T-KES-05", "Kefarmasian dan Logistik Kesehatan"), ("T-KES-06", "Promosi Kesehatan")],
    "Pendidikan": [("T-PDK-01", "Pembelajaran dan Asesmen"), ("T-PDK-02", "Manajemen Satuan Pendidikan"),
                   ("T-PDK-03", "Pelestarian Kebudayaan Daerah")],
    "Perizinan": [("T-IZN-01", "Pelayanan Perizinan Berusaha Berbasis Risiko"),
                  ("T-IZN-02", "Promosi dan Pengawasan Penanaman Modal")],
    "Lingkungan Hidup": [("T-LH-01", "Pengelolaan Persampahan"), ("T-LH-02", "Pengendalian Pencemaran Lingkungan"),
                         ("T-LH-03", "Pengelolaan Ruang Terbuka Hijau")],
    "Keuangan & Aset": [("T-KEU-01", "Penatausahaan Keuangan Daerah"), ("T-KEU-02", "Perencanaan dan Penganggaran"),
                        ("T-KEU-03", "Pengelolaan Barang Milik Daerah")],
    "Digital/TIK": [("T-TIK-01", "Literasi Digital Perkantoran"), ("T-TIK-02", "Analisis dan Visualisasi Data"),
                    ("T-TIK-03", "Keamanan Informasi"), ("T-TIK-04", "Pengelolaan Aplikasi SPBE")],
    "Administrasi Perkantoran": [("T-ADM-01", "Tata Naskah Dinas dan Kearsipan"),
                                 ("T-ADM-02", "Manajemen Kepegawaian"), ("T-ADM-03", "Pengadaan Barang/Jasa")],
    "Kependudukan": [("T-DUK-01", "Pelayanan Administrasi Kependudukan")],
    "Pengawasan": [("T-WAS-01", "Audit dan Reviu Intern")],
    "Pemerintahan": [("T-PEM-01", "Penyelenggaraan Pemerintahan Kewilayahan"),
                     ("T-PEM-02", "Ketenteraman dan Ketertiban Umum")],
}

# Each BerAKHLAK value → the competencies that develop it (BKPSDM edits these in the UI).
CORE_VALUE_MAP = {
    CoreValue.SERVICE: ("M-PP", "M-KOM"),
    CoreValue.ACCOUNTABLE: ("M-INT", "M-OPH"),
    CoreValue.COMPETENT: ("M-PDO", "M-OPH"),
    CoreValue.HARMONIOUS: ("SK-PB", "M-KS"),
    CoreValue.LOYAL: ("M-INT", "SK-PB"),
    CoreValue.ADAPTIVE: ("M-MP", "T-TIK-01"),
    CoreValue.COLLABORATIVE: ("M-KS", "M-KOM"),
}

# Words of an RHK (lower case) → the teknis competency it exercises. First match per code wins;
# an RHK may match several.
RHK_KEYWORDS = [
    (("pasien", "pelayanan kesehatan", "puskesmas"), "T-KES-01"),
    (("ibu hamil", "ibu dan anak", "antenatal"), "T-KES-02"),
    (("imunisasi", "penyakit menular"), "T-KES-03"),
    (("stunting", "gizi"), "T-KES-04"),
    (("obat", "lplpo", "perbekalan kesehatan"), "T-KES-05"),
    (("hidup bersih", "penyuluhan"), "T-KES-06"),
    (("pembelajaran", "hasil belajar", "peserta didik", "kompetensi guru"), "T-PDK-01"),
    (("satuan pendidikan", "partisipasi sekolah", "pendidik"), "T-PDK-02"),
    (("cagar budaya", "kesenian"), "T-PDK-03"),
    (("perizinan",), "T-IZN-01"),
    (("investasi", "pelaku usaha"), "T-IZN-02"),
    (("persampahan", "sampah"), "T-LH-01"),
    (("kualitas lingkungan",), "T-LH-02"),
    (("ruang terbuka hijau", "taman"), "T-LH-03"),
    (("keuangan",), "T-KEU-01"),
    (("perencanaan", "penganggaran", "musrenbang"), "T-KEU-02"),
    (("barang milik daerah", "aset"), "T-KEU-03"),
    (("teknologi informasi",), "T-TIK-04"),
    (("data",), "T-TIK-02"),
    (("administrasi umum", "surat", "naskah"), "T-ADM-01"),
    (("kepegawaian", "asn"), "T-ADM-02"),
    (("kependudukan",), "T-DUK-01"),
    (("tata kelola", "sakip", "spip", "pengaduan masyarakat"), "T-WAS-01"),
    (("wilayah", "kelurahan", "kecamatan"), "T-PEM-01"),
    (("ketenteraman", "ketertiban"), "T-PEM-02"),
]


# ---------------------------------------------------------------- the programmes
@dataclass(frozen=True)
class ProgrammeText:
    code: str
    title: str
    form: ProgrammeForm
    jp: int
    provider_kind: ProviderKind
    provider_name: str
    delivery: Delivery
    cost: int  # Rupiah per participant
    competencies: tuple = ()
    description: str = ""
    leadership: Leadership | None = None
    position_kinds: tuple = ()
    golongan_min: str | None = None
    golongan_max: str | None = None
    open_to_pppk: bool = True
    prerequisites: str = ""
    units: tuple = ()  # unit names whose subtrees may take it (empty: every unit)


BKPSDM = "BKPSDM Kabupaten Contoh"
BPSDM = "BPSDM Provinsi Jawa Tengah"
LAN = "Lembaga Administrasi Negara (Puslatbang KMP)"
BAPELKES = "Bapelkes Semarang, Kementerian Kesehatan"
KEMENDAGRI = "BPSDM Kementerian Dalam Negeri"
KOMDIGI = "Kementerian Komunikasi dan Digital (Digital Talent Scholarship)"
UNDIP = "Universitas Diponegoro"
UNNES = "Universitas Negeri Semarang"
IAI = "Ikatan Akuntan Indonesia Wilayah Jawa Tengah"
ICF = "Indonesia Coaching Association"


def _p(code, title, form, jp, kind, provider, delivery, cost, competencies=(), description="", **extra):
    return ProgrammeText(code, title, form, jp, kind, provider, delivery, cost, tuple(competencies), description,
                         **extra)


PROGRAMMES = [
    # ---- leadership (LAN): the post decides who must take which
    _p("LATSAR-26", "Pelatihan Dasar CPNS Golongan III", F.LEADERSHIP, 241, PV.PROVINCE, BPSDM, DL.BLENDED, 8_750_000,
       ("M-INT", "SK-PB", "M-PP"), "Pembentukan karakter PNS yang profesional: nilai dasar ASN BerAKHLAK, "
       "kedudukan dan peran PNS, aktualisasi di tempat kerja.", leadership=L.LATSAR, open_to_pppk=False,
       prerequisites="Berstatus CPNS."),
    _p("PKP-26", "Pelatihan Kepemimpinan Pengawas (PKP)", F.LEADERSHIP, 266, PV.PROVINCE, BPSDM, DL.BLENDED,
       16_500_000, ("M-PK", "M-KS", "M-OPH"), "Kepemimpinan kinerja pada jabatan pengawas: pengendalian "
       "pelaksanaan kegiatan, aksi perubahan kinerja unit.", leadership=L.PKP, position_kinds=(K.PENGAWAS,),
       golongan_min="III/b", open_to_pppk=False, prerequisites="Menduduki atau akan menduduki jabatan pengawas."),
    _p("PKA-26", "Pelatihan Kepemimpinan Administrator (PKA)", F.LEADERSHIP, 333, PV.LAN, LAN, DL.BLENDED,
       31_000_000, ("M-PK", "M-MP", "M-OPH"), "Kepemimpinan kinerja pada jabatan administrator: perencanaan "
       "kegiatan, inovasi dan proyek perubahan.", leadership=L.PKA, position_kinds=(K.ADMINISTRATOR,),
       golongan_min="III/d", open_to_pppk=False, prerequisites="Menduduki jabatan administrator."),
    _p("PKN2-26", "Pelatihan Kepemimpinan Nasional Tingkat II", F.LEADERSHIP, 389, PV.LAN, LAN, DL.BLENDED,
       62_500_000, ("M-PK", "M-MP", "SK-PB"), "Kepemimpinan strategis untuk JPT pratama: visi organisasi, "
       "jejaring kebijakan dan proyek perubahan strategis.", leadership=L.PKN_II, position_kinds=(K.JPT_PRATAMA,),
       golongan_min="IV/b", open_to_pppk=False),
    _p("PKN1-26", "Pelatihan Kepemimpinan Nasional Tingkat I", F.LEADERSHIP, 422, PV.LAN, "Lembaga Administrasi "
       "Negara (Pusdiklat)", DL.IN_PERSON, 97_000_000, ("M-PK", "M-MP", "SK-PB"), "Kepemimpinan visioner untuk JPT "
       "madya.", leadership=L.PKN_I, position_kinds=(K.JPT_MADYA,), golongan_min="IV/c", open_to_pppk=False),
    # ---- managerial and sociocultural
    _p("MAN-KOL", "Kolaborasi dan Kerja Sama Tim Lintas Unit", F.MANAGERIAL, 16, PV.BKPSDM, BKPSDM, DL.IN_PERSON,
       1_750_000, ("M-KS", "M-KOM"), "Membangun tim yang saling mendukung: peran dalam tim, rapat yang efektif, "
       "menyelesaikan konflik kerja."),
    _p("MAN-KOM", "Komunikasi Efektif dan Public Speaking untuk ASN", F.MANAGERIAL, 12, PV.BKPSDM, BKPSDM,
       DL.IN_PERSON, 1_500_000, ("M-KOM",), "Menyusun pesan, presentasi yang jelas, dan berbicara di depan publik."),
    _p("MAN-INT", "Integritas dan Budaya Antikorupsi", F.MANAGERIAL, 8, PV.PARTNER, "Komisi Pemberantasan Korupsi "
       "(ACLC)", DL.ONLINE, 0, ("M-INT",), "Benturan kepentingan, gratifikasi, dan membangun zona integritas."),
    _p("MAN-OPH", "Manajemen Kinerja dan Orientasi pada Hasil", F.MANAGERIAL, 16, PV.PROVINCE, BPSDM, DL.BLENDED,
       2_250_000, ("M-OPH", "M-PK"), "Menyusun target yang terukur, memantau capaian, dan menindaklanjuti "
       "kesenjangan kinerja."),
    _p("MAN-PERUB", "Mengelola Perubahan dan Inovasi Pelayanan", F.MANAGERIAL, 20, PV.LAN, LAN, DL.BLENDED,
       3_500_000, ("M-MP", "M-PP"), "Merancang inovasi pelayanan publik dan mengelola resistensi perubahan.",
       golongan_min="III/a"),
    _p("MAN-KEP", "Pengambilan Keputusan Berbasis Data", F.MANAGERIAL, 12, PV.UNIVERSITY, UNDIP, DL.ONLINE, 2_000_000,
       ("M-PK", "T-TIK-02"), "Membaca data, menimbang pilihan, dan mendokumentasikan dasar keputusan.",
       position_kinds=(K.PENGAWAS, K.ADMINISTRATOR, K.JPT_PRATAMA)),
    _p("SOS-KEB", "Wawasan Kebangsaan dan Moderasi dalam Pelayanan", F.SOCIOCULTURAL, 12, PV.PROVINCE, BPSDM,
       DL.IN_PERSON, 1_250_000, ("SK-PB",), "Keberagaman masyarakat, toleransi, dan pelayanan tanpa diskriminasi."),
    _p("EXC-PRIMA", "Pelayanan Prima: Service Excellence di Garda Depan", F.MANAGERIAL, 12, PV.BKPSDM, BKPSDM,
       DL.IN_PERSON, 1_350_000, ("M-PP", "M-KOM"), "Standar pelayanan, menangani keluhan, dan sikap melayani."),
    _p("EXC-KELUH", "Penanganan Pengaduan Masyarakat melalui SP4N-LAPOR!", F.TECHNICAL_GUIDANCE, 8, PV.MINISTRY,
       "Kementerian PANRB", DL.ONLINE, 0, ("M-PP", "T-WAS-01"), "Alur pengaduan, tindak lanjut, dan pelaporan."),
    _p("EXC-SKM", "Survei Kepuasan Masyarakat dan Tindak Lanjutnya", F.WORKSHOP, 6, PV.BKPSDM, BKPSDM, DL.IN_PERSON,
       650_000, ("M-PP", "T-TIK-02"), "Menyusun, mengolah, dan menindaklanjuti survei IKM (PermenPANRB 14/2017)."),
    # ---- coaching, mentoring and the social 20 %
    _p("COACH-ATS", "Keterampilan Coaching bagi Atasan Langsung", F.WORKSHOP, 16, PV.PARTNER, ICF, DL.IN_PERSON,
       3_250_000, ("M-PDO", "M-KOM"), "Model GROW, mendengar aktif, dan dialog kinerja yang membangun.",
       position_kinds=(K.PENGAWAS, K.ADMINISTRATOR, K.JPT_PRATAMA)),
    _p("COACH-KIN", "Coaching Kinerja bersama Atasan", F.COACHING, 4, PV.BKPSDM, BKPSDM, DL.IN_PERSON, 0,
       ("M-PDO", "M-OPH"), "Sesi coaching terjadwal dengan atasan langsung untuk menindaklanjuti hasil evaluasi."),
    _p("MENTOR-ASN", "Program Mentoring ASN Muda", F.MENTORING, 6, PV.BKPSDM, BKPSDM, DL.BLENDED, 0,
       ("M-PDO", "M-KS"), "Pendampingan oleh pejabat senior selama enam bulan."),
    _p("KOM-BELAJAR", "Komunitas Belajar Inovasi Pelayanan", F.COMMUNITY, 4, PV.BKPSDM, BKPSDM, DL.ONLINE, 0,
       ("M-MP", "M-KS"), "Berbagi praktik baik antar-OPD setiap bulan."),
    _p("OUTBOUND-TIM", "Outbound Penguatan Tim Kerja", F.OUTBOUND, 8, PV.PARTNER, "Mitra Outbound Bandungan",
       DL.IN_PERSON, 850_000, ("M-KS",), "Permainan tim dan refleksi di alam terbuka."),
    _p("OTJ-ADM", "Bimbingan di Tempat Kerja: Administrasi Layanan", F.ON_THE_JOB, 8, PV.BKPSDM, BKPSDM,
       DL.IN_PERSON, 0, ("T-ADM-01", "M-PP"), "Pendampingan langsung oleh pegawai senior di unit kerja."),
    # ---- experience, the 70 %
    _p("MAGANG-MPP", "Magang di Mal Pelayanan Publik Kota Semarang", F.INTERNSHIP, 40, PV.PARTNER,
       "Mal Pelayanan Publik Kota Semarang", DL.IN_PERSON, 2_500_000, ("M-PP", "T-IZN-01"),
       "Dua minggu di loket terpadu untuk mempelajari alur dan standar layanan."),
    _p("BENCH-SPBE", "Patok Banding SPBE ke Kabupaten Banyuwangi", F.BENCHMARKING, 16, PV.BKPSDM, BKPSDM,
       DL.IN_PERSON, 4_500_000, ("T-TIK-04", "M-MP"), "Kunjungan belajar tata kelola SPBE dan layanan digital.",
       position_kinds=(K.PENGAWAS, K.ADMINISTRATOR, K.FUNGSIONAL_KEAHLIAN)),
    _p("DETASERING-PKM", "Detasering Tenaga Kesehatan ke Puskesmas Terpencil", F.SECONDMENT, 80, PV.MINISTRY,
       "Kementerian Kesehatan", DL.IN_PERSON, 6_000_000, ("T-KES-01", "M-PP"),
       "Penugasan tiga bulan di puskesmas daerah terpencil.", position_kinds=(K.FUNGSIONAL_KEAHLIAN,
                                                                                K.FUNGSIONAL_KETERAMPILAN)),
    # ---- digital skills for administration
    _p("DIG-SPRD", "Pengolahan Data dengan Spreadsheet untuk Administrasi", F.TECHNICAL, 8, PV.BKPSDM, BKPSDM,
       DL.BLENDED, 750_000, ("T-TIK-01", "T-TIK-02"), "Rumus, tabel pivot, dan validasi data untuk laporan rutin."),
    _p("DIG-LIT", "Literasi Digital ASN: Surel, Awan, dan Kolaborasi Daring", F.E_LEARNING, 4, PV.MINISTRY, KOMDIGI,
       DL.ONLINE, 0, ("T-TIK-01", "M-MP"), "Bekerja dengan dokumen bersama, rapat daring, dan penyimpanan awan."),
    _p("DIG-VIS", "Visualisasi Data dan Dasbor Kinerja", F.TECHNICAL, 16, PV.UNIVERSITY, UNDIP, DL.ONLINE, 2_750_000,
       ("T-TIK-02",), "Menyusun dasbor kinerja unit dari data SKP dan layanan."),
    _p("DIG-KAMI", "Keamanan Informasi dan Pelindungan Data Pribadi", F.E_LEARNING, 6, PV.MINISTRY,
       "Badan Siber dan Sandi Negara", DL.ONLINE, 0, ("T-TIK-03",), "Kata sandi, phishing, dan UU 27/2022."),
    _p("DIG-SPBE", "Bimtek Pengelolaan Aplikasi SPBE Daerah", F.TECHNICAL_GUIDANCE, 24, PV.MINISTRY, KEMENDAGRI,
       DL.BLENDED, 3_000_000, ("T-TIK-04",), "Arsitektur SPBE, interoperabilitas, dan pengelolaan aplikasi umum.",
       golongan_min="II/c"),
    _p("DIG-SRIKANDI", "Sosialisasi Aplikasi SRIKANDI (Naskah Dinas Elektronik)", F.SOCIALISATION, 4, PV.BKPSDM,
       BKPSDM, DL.ONLINE, 0, ("T-ADM-01", "T-TIK-01"), "Membuat, mendisposisi, dan mengarsipkan naskah dinas."),
    # ---- administration, finance and assets
    _p("ADM-ARSIP", "Tata Naskah Dinas dan Pengelolaan Arsip Dinamis", F.TECHNICAL, 16, PV.PROVINCE, BPSDM,
       DL.IN_PERSON, 1_900_000, ("T-ADM-01",), "Pedoman tata naskah dinas dan jadwal retensi arsip."),
    _p("ADM-SIASN", "Pemutakhiran Data Kepegawaian pada SIASN", F.TECHNICAL_GUIDANCE, 8, PV.MINISTRY,
       "Badan Kepegawaian Negara", DL.ONLINE, 0, ("T-ADM-02", "T-TIK-01"), "Layanan mandiri dan verifikasi data."),
    _p("ADM-PBJ", "Pelatihan dan Sertifikasi Pengadaan Barang/Jasa Tingkat Dasar", F.FUNCTIONAL, 40, PV.MINISTRY,
       "LKPP", DL.BLENDED, 4_750_000, ("T-ADM-03",), "Persiapan ujian sertifikasi kompetensi PBJ.",
       golongan_min="II/c", prerequisites="Ditugaskan atau akan ditugaskan dalam pengadaan."),
    _p("KEU-SIPD", "Penatausahaan Keuangan Daerah pada SIPD-RI", F.TECHNICAL_GUIDANCE, 24, PV.MINISTRY, KEMENDAGRI,
       DL.BLENDED, 2_800_000, ("T-KEU-01",), "Bendahara, SPP/SPM, dan laporan pertanggungjawaban."),
    _p("KEU-SAP", "Akuntansi Berbasis Akrual untuk Perangkat Daerah", F.COURSE, 30, PV.PARTNER, IAI, DL.BLENDED,
       3_900_000, ("T-KEU-01",), "Jurnal, laporan keuangan, dan rekonsiliasi."),
    _p("KEU-RENC", "Perencanaan dan Penganggaran Berbasis Kinerja", F.TECHNICAL, 24, PV.PROVINCE, BPSDM,
       DL.IN_PERSON, 2_600_000, ("T-KEU-02",), "Renja, RKA, dan keterkaitan dengan Perjanjian Kinerja."),
    _p("KEU-BMD", "Penatausahaan Barang Milik Daerah", F.TECHNICAL_GUIDANCE, 16, PV.MINISTRY, KEMENDAGRI,
       DL.IN_PERSON, 2_200_000, ("T-KEU-03",), "Inventarisasi, kodefikasi, dan rekonsiliasi BMD."),
    _p("WAS-REVIU", "Reviu Laporan Kinerja dan Penilaian SAKIP", F.FUNCTIONAL, 24, PV.MINISTRY, "BPKP Perwakilan "
       "Jawa Tengah", DL.BLENDED, 3_100_000, ("T-WAS-01", "M-OPH"), "Teknik reviu LKjIP dan evaluasi SAKIP.",
       units=("Inspektorat",)),
    # ---- health-service management
    _p("KES-MUTU", "Manajemen Mutu dan Akreditasi Puskesmas", F.TECHNICAL, 32, PV.MINISTRY, BAPELKES, DL.BLENDED,
       4_200_000, ("T-KES-01", "M-OPH"), "Standar akreditasi, indikator mutu, dan keselamatan pasien.",
       units=("Dinas Kesehatan",)),
    _p("KES-ANC", "Pelayanan Antenatal Terpadu dan Kelas Ibu Hamil", F.TECHNICAL, 24, PV.MINISTRY, BAPELKES,
       DL.IN_PERSON, 3_300_000, ("T-KES-02",), "ANC terpadu, deteksi risiko tinggi, dan rujukan.",
       units=("Dinas Kesehatan",)),
    _p("KES-IMUN", "Bimtek Imunisasi Rutin dan Rantai Dingin Vaksin", F.TECHNICAL_GUIDANCE, 16, PV.PROVINCE,
       "Dinas Kesehatan Provinsi Jawa Tengah", DL.IN_PERSON, 1_800_000, ("T-KES-03",),
       "Jadwal imunisasi, pengelolaan vaksin, dan pencatatan ASIK.", units=("Dinas Kesehatan",)),
    _p("KES-GIZI", "Tata Laksana Gizi Buruk dan Pencegahan Stunting", F.TECHNICAL, 24, PV.UNIVERSITY,
       "Fakultas Kesehatan Masyarakat Universitas Diponegoro", DL.BLENDED, 3_000_000, ("T-KES-04",),
       "Pemantauan pertumbuhan, PMT, dan konvergensi stunting."),
    _p("KES-FARM", "Pengelolaan Obat dan BMHP di Puskesmas", F.TECHNICAL_GUIDANCE, 12, PV.MINISTRY, BAPELKES,
       DL.ONLINE, 900_000, ("T-KES-05",), "LPLPO, stok opname, dan e-logistik.", units=("Dinas Kesehatan",)),
    _p("KES-PROMKES", "Webinar Promosi Kesehatan dan Perilaku Hidup Bersih dan Sehat", F.SEMINAR, 4, PV.MINISTRY,
       "Kementerian Kesehatan (Plataran Sehat)", DL.ONLINE, 0, ("T-KES-06",), "Strategi penyuluhan."),
    # ---- education
    _p("PDK-KURMER", "Implementasi Kurikulum Merdeka dan Asesmen Diagnostik", F.TECHNICAL, 32, PV.MINISTRY,
       "BBGP Jawa Tengah, Kemendikdasmen", DL.BLENDED, 1_500_000, ("T-PDK-01",),
       "Modul ajar, asesmen diagnostik, dan pembelajaran berdiferensiasi.", units=("Dinas Pendidikan dan Kebudayaan",)),
    _p("PDK-KS", "Penguatan Kepala Sekolah: Manajemen Berbasis Sekolah", F.FUNCTIONAL, 24, PV.UNIVERSITY, UNNES,
       DL.IN_PERSON, 2_900_000, ("T-PDK-02", "M-PK"), "Rapor pendidikan dan perencanaan berbasis data.",
       units=("Dinas Pendidikan dan Kebudayaan",)),
    _p("PDK-BUDAYA", "Lokakarya Pelestarian Cagar Budaya dan Kesenian Daerah", F.WORKSHOP, 8, PV.PROVINCE, BPSDM,
       DL.IN_PERSON, 800_000, ("T-PDK-03",), "Pendataan, pemeliharaan, dan promosi."),
    # ---- licensing, environment, population, territory
    _p("IZN-OSS", "Bimtek Perizinan Berusaha Berbasis Risiko (OSS-RBA)", F.TECHNICAL_GUIDANCE, 16, PV.MINISTRY,
       "Kementerian Investasi/BKPM", DL.BLENDED, 1_950_000, ("T-IZN-01",), "Alur OSS-RBA, verifikasi, dan PB UMKU."),
    _p("IZN-INV", "Promosi Investasi dan Pendampingan Pelaku Usaha", F.WORKSHOP, 8, PV.PROVINCE, BPSDM, DL.IN_PERSON,
       900_000, ("T-IZN-02", "M-KOM"), "Profil peluang investasi dan fasilitasi usaha."),
    _p("LH-SAMPAH", "Pengelolaan Sampah Berbasis Masyarakat dan Bank Sampah", F.TECHNICAL, 16, PV.MINISTRY,
       "Kementerian Lingkungan Hidup", DL.IN_PERSON, 1_700_000, ("T-LH-01",), "TPS3R, bank sampah, dan edukasi."),
    _p("LH-AMDAL", "Pengawasan Dokumen Lingkungan dan Pencemaran", F.TECHNICAL, 24, PV.UNIVERSITY, UNDIP,
       DL.BLENDED, 3_400_000, ("T-LH-02",), "UKL-UPL, pengawasan ketaatan, dan sampling."),
    _p("LH-RTH", "Seminar Pengelolaan Ruang Terbuka Hijau Perkotaan", F.SEMINAR, 4, PV.UNIVERSITY, UNNES, DL.ONLINE,
       250_000, ("T-LH-03",), "Perencanaan dan pemeliharaan taman kota."),
    _p("DUK-ADMINDUK", "Pelayanan Administrasi Kependudukan Digital (IKD)", F.TECHNICAL_GUIDANCE, 12, PV.MINISTRY,
       "Ditjen Dukcapil Kemendagri", DL.ONLINE, 0, ("T-DUK-01", "M-PP"), "Identitas Kependudukan Digital."),
    _p("PEM-KEC", "Penyelenggaraan Pemerintahan Kecamatan dan Kelurahan", F.UPGRADING, 16, PV.MINISTRY, KEMENDAGRI,
       DL.IN_PERSON, 2_100_000, ("T-PEM-01", "T-PEM-02"), "Kewenangan camat, PATEN, dan trantibum.",
       golongan_min="II/c"),
    _p("PEM-TRANTIB", "Sosialisasi Ketenteraman dan Ketertiban Umum", F.SOCIALISATION, 4, PV.BKPSDM, BKPSDM,
       DL.IN_PERSON, 0, ("T-PEM-02",), "Penanganan gangguan trantibum bersama Satpol PP."),
]

# Closing the year with ``belajar mandiri``: short self-paced courses everyone may take.
SELF_STUDY = [
    _p("MANDIRI-ASN", "Belajar Mandiri: Core Values ASN BerAKHLAK (ASN Unggul)", F.SELF_STUDY, 2, PV.LAN,
       "LAN (platform ASN Unggul)", DL.ONLINE, 0, ("M-INT", "M-PP"), "Modul daring mandiri."),
    _p("MANDIRI-MENULIS", "Belajar Mandiri: Menulis Laporan yang Ringkas", F.SELF_STUDY, 3, PV.BKPSDM, BKPSDM,
       DL.ONLINE, 0, ("M-KOM", "T-ADM-01"), "Modul daring mandiri."),
]

# The demo pegawai's draft IDP: non-classical activities outside the catalogue (form, title, JP).
DEMO_DRAFT_ACTIVITIES = [
    (F.ON_THE_JOB, "Pendampingan triase pasien gawat darurat oleh perawat senior", 8),
    (F.SELF_STUDY, "Belajar mandiri: pedoman keselamatan pasien di puskesmas", 4),
]

SESSION_PLACES = ["Aula BKPSDM Kabupaten Contoh", "Gedung Diklat BPSDM Provinsi", "Ruang Rapat Setda Lantai 2",
                  "Hotel Griya Persada", "Aula Dinas Kesehatan", "Ruang Multimedia Diskominfo"]

# Certificates employees upload from learning elsewhere (SIASN riwayat diklat / kursus).
CERTIFICATES = [
    ("diklat", "Pelatihan Teknis Penyusunan SOP", "", "Badan Diklat Provinsi Jawa Tengah", 24),
    ("kursus", "Kursus Bahasa Inggris untuk Pelayanan Publik", "Bahasa", "Lembaga Bahasa LIA Semarang", 32),
    ("kursus", "Google Data Analytics Fundamentals", "Teknologi Informasi", "Coursera", 20),
    ("diklat", "Pelatihan Penanggulangan Kegawatdaruratan (BTCLS)", "", "PPNI Jawa Tengah", 30),
    ("kursus", "Kursus Public Speaking", "Komunikasi", "Lembaga Kursus Bicara Semarang", 12),
    ("diklat", "Workshop Penyusunan Analisis Jabatan", "", "BKN Kantor Regional I", 16),
]

# The scale seed's generated programmes: topic × form (each topic's competencies).
SCALE_TOPICS = [
    ("Pelayanan Publik Inklusif", ("M-PP",)), ("Kepemimpinan Tim Kecil", ("M-KS", "M-PK")),
    ("Manajemen Waktu dan Prioritas", ("M-OPH",)), ("Etika Birokrasi", ("M-INT",)),
    ("Negosiasi dan Mediasi", ("M-KOM", "SK-PB")), ("Manajemen Risiko", ("M-PK", "T-WAS-01")),
    ("Inovasi Daerah", ("M-MP",)), ("Analitik Data Layanan", ("T-TIK-02",)),
    ("Keamanan Siber Perkantoran", ("T-TIK-03",)), ("Transformasi Digital Layanan", ("T-TIK-04", "M-MP")),
    ("Kearsipan Elektronik", ("T-ADM-01",)), ("Manajemen ASN", ("T-ADM-02",)), ("E-Katalog dan PBJ", ("T-ADM-03",)),
    ("Akuntansi Pemerintahan", ("T-KEU-01",)), ("Penganggaran Kinerja", ("T-KEU-02",)),
    ("Manajemen Aset Daerah", ("T-KEU-03",)), ("Pelayanan Kesehatan Primer", ("T-KES-01",)),
    ("Kesehatan Ibu dan Anak", ("T-KES-02",)), ("Surveilans Penyakit", ("T-KES-03",)),
    ("Gizi Masyarakat", ("T-KES-04",)), ("Pembelajaran Berdiferensiasi", ("T-PDK-01",)),
    ("Supervisi Akademik", ("T-PDK-02",)), ("Perizinan Terpadu", ("T-IZN-01",)), ("Iklim Investasi", ("T-IZN-02",)),
    ("Ekonomi Sirkular Sampah", ("T-LH-01",)), ("Pengendalian Pencemaran", ("T-LH-02",)),
    ("Administrasi Kependudukan", ("T-DUK-01",)), ("Pemerintahan Kewilayahan", ("T-PEM-01",)),
    ("Moderasi dan Kebangsaan", ("SK-PB",)), ("Coaching dan Mentoring", ("M-PDO",)),
]
# form, title prefix, JP choices, delivery, provider, cost range (Rupiah)
SCALE_FORMS = [
    (F.TECHNICAL, "Pelatihan", (16, 24, 32), DL.IN_PERSON, PV.PROVINCE, (1_500_000, 4_000_000)),
    (F.TECHNICAL_GUIDANCE, "Bimtek", (8, 12, 16), DL.BLENDED, PV.MINISTRY, (750_000, 2_500_000)),
    (F.WORKSHOP, "Lokakarya", (6, 8), DL.IN_PERSON, PV.BKPSDM, (400_000, 1_200_000)),
    (F.SEMINAR, "Seminar", (3, 4), DL.ONLINE, PV.UNIVERSITY, (0, 300_000)),
    (F.E_LEARNING, "E-learning", (2, 4, 6), DL.ONLINE, PV.LAN, (0, 0)),
    (F.COURSE, "Kursus", (20, 30, 40), DL.BLENDED, PV.PARTNER, (2_000_000, 5_000_000)),
    (F.DISTANCE, "Pelatihan Jarak Jauh", (16, 24), DL.ONLINE, PV.PROVINCE, (500_000, 1_500_000)),
    (F.SOCIALISATION, "Sosialisasi", (2, 4), DL.IN_PERSON, PV.BKPSDM, (0, 0)),
    (F.COMMUNITY, "Komunitas Belajar", (4, 6), DL.ONLINE, PV.BKPSDM, (0, 0)),
    (F.MANAGERIAL, "Pelatihan Manajerial", (12, 16, 20), DL.IN_PERSON, PV.PROVINCE, (1_200_000, 3_000_000)),
]
SCALE_PROVIDERS = {PV.PROVINCE: BPSDM, PV.MINISTRY: KEMENDAGRI, PV.BKPSDM: BKPSDM, PV.UNIVERSITY: UNDIP,
                   PV.LAN: LAN, PV.PARTNER: "Mitra Pelatihan Profesional"}
