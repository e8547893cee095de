"""What the seeded SKPs say: RHK themes by unit type and jabatan, their IKIs and targets, the
units' Perjanjian Kinerja, and the sentences of lampiran, narratives, feedback and comments.

Plain data for ``plans.py`` (which plans and writes the rows), kept apart so the writer reads
as a program and this as a catalogue.
"""
from dataclasses import dataclass

from portal.plans.models import Aggregation, Aspect, CoreValue, Direction

A, B, C, D = Aspect.QUANTITY, Aspect.QUALITY, Aspect.TIME, Aspect.COST
UP, DOWN = Direction.HIGHER, Direction.LOWER
SUM, AVG, LAST = Aggregation.SUM, Aggregation.AVERAGE, Aggregation.LATEST

@dataclass(frozen=True)
class Iki:
    """An IKI as the catalogue gives it: a numeric target drawn in [lo, hi], or a descriptive one."""

    aspect: Aspect
    text: str
    unit: str | None = None
    direction: Direction | None = None
    aggregation: Aggregation | None = None
    lo: float = 0
    hi: float = 0
    target_text: str | None = None


def n(aspect, text, unit, lo, hi, aggregation=SUM, direction=UP):
    return Iki(aspect, text, unit, direction, aggregation, lo, hi)


def d(aspect, text, target_text):
    return Iki(aspect, text, target_text=target_text)


@dataclass(frozen=True)
class Theme:
    key: str
    leader: str            # the RHK as a unit head writes it
    staff: str             # the RHK as a staff member writes it
    ikis: tuple            # staff IKIs (the first is always taken)
    leader_ikis: tuple = ()  # a head's IKIs; empty: the staff IKIs with summed targets × LEADER_FACTOR
    activities: tuple = ()


LEADER_FACTOR = 4

THEMES = {
    "puskesmas": [
        Theme("pelayanan", "Meningkatnya mutu pelayanan kesehatan dasar di wilayah kerja puskesmas",
              "Terlaksananya pelayanan kesehatan kepada pasien rawat jalan sesuai standar", (
                  n(A, "Jumlah kunjungan pasien yang dilayani", "pasien", 1800, 3000),
                  n(B, "Persentase kepuasan pasien", "%", 85, 92, AVG),
                  n(C, "Rata-rata waktu tunggu pelayanan", "menit", 20, 40, AVG, DOWN)),
              activities=("Melayani pasien rawat jalan di poli umum", "Melakukan triase pasien di ruang tunggu",
                          "Mencatat rekam medis elektronik pasien")),
        Theme("imunisasi", "Meningkatnya cakupan imunisasi dasar lengkap pada bayi",
              "Terlaksananya pelayanan imunisasi dasar bayi di posyandu binaan", (
                  n(A, "Jumlah bayi mendapat imunisasi dasar lengkap", "bayi", 60, 180),
                  n(B, "Cakupan imunisasi dasar lengkap", "%", 92, 96, LAST),
                  n(C, "Laporan imunisasi disampaikan tepat waktu", "laporan", 12, 12)),
              activities=("Memberikan imunisasi di posyandu", "Menyisir sasaran bayi yang belum diimunisasi")),
        Theme("penyuluhan", "Meningkatnya perilaku hidup bersih dan sehat masyarakat",
              "Terlaksananya penyuluhan kesehatan dan kunjungan rumah", (
                  n(A, "Jumlah kegiatan penyuluhan kesehatan", "kegiatan", 24, 48),
                  d(B, "Kesesuaian materi penyuluhan",
                    "Materi sesuai pedoman promosi kesehatan dan dievaluasi dengan pre-test/post-test")),
              activities=("Penyuluhan PHBS di sekolah dasar", "Kunjungan rumah keluarga sasaran")),
        Theme("kia", "Meningkatnya kesehatan ibu dan anak",
              "Terlaksananya pemeriksaan kehamilan terpadu", (
                  n(A, "Jumlah ibu hamil mendapat pelayanan antenatal", "ibu hamil", 120, 240),
                  n(B, "Persentase ibu hamil dengan enam kali kunjungan (K6)", "%", 85, 95, LAST)),
              activities=("Pemeriksaan kehamilan di ruang KIA", "Kelas ibu hamil")),
        Theme("obat", "Terjaminnya ketersediaan obat dan perbekalan kesehatan",
              "Tersedianya laporan pemakaian dan lembar permintaan obat (LPLPO)", (
                  n(A, "Jumlah laporan LPLPO tersusun", "laporan", 12, 12),
                  n(B, "Persentase ketersediaan obat esensial", "%", 90, 95, AVG),
                  d(C, "Ketepatan waktu laporan", "Setiap bulan paling lambat tanggal 5"))),
    ],
    "dinkes": [
        Theme("pembinaan", "Meningkatnya cakupan pelayanan kesehatan dasar kabupaten",
              "Terlaksananya pembinaan dan supervisi fasilitas kesehatan tingkat pertama", (
                  n(A, "Jumlah kunjungan supervisi puskesmas", "kunjungan", 12, 24),
                  n(B, "Persentase puskesmas terakreditasi paripurna", "%", 50, 80, LAST))),
        Theme("p2p", "Menurunnya angka kesakitan penyakit menular",
              "Tersedianya data surveilans penyakit potensial KLB yang mutakhir", (
                  n(A, "Jumlah laporan surveilans mingguan (SKDR)", "laporan", 52, 52),
                  n(B, "Kelengkapan laporan SKDR puskesmas", "%", 90, 95, AVG),
                  n(C, "Rata-rata waktu respons sinyal KLB", "jam", 24, 24, AVG, DOWN))),
        Theme("imunisasi", "Meningkatnya cakupan imunisasi dasar lengkap kabupaten",
              "Terlaksananya pemantauan cakupan imunisasi puskesmas", (
                  n(A, "Jumlah laporan pemantauan wilayah setempat imunisasi", "laporan", 12, 12),
                  n(B, "Cakupan imunisasi dasar lengkap", "%", 93, 95, LAST))),
        Theme("gizi", "Menurunnya prevalensi balita stunting",
              "Terlaksananya pemantauan status gizi balita", (
                  n(A, "Jumlah balita dipantau status gizinya", "balita", 1200, 2400),
                  n(B, "Persentase balita ditimbang (D/S)", "%", 80, 90, AVG))),
    ],
    "sekolah": [
        Theme("pembelajaran", "Meningkatnya mutu pembelajaran di satuan pendidikan",
              "Terlaksananya pembelajaran yang berpusat pada peserta didik pada mata pelajaran yang diampu", (
                  n(A, "Jumlah jam tatap muka pembelajaran", "JP", 800, 900),
                  n(B, "Rata-rata nilai asesmen sumatif peserta didik", "poin", 75, 80, AVG),
                  n(C, "Modul ajar tersusun sebelum awal semester", "modul", 2, 4)),
              leader_ikis=(n(A, "Jumlah guru yang disupervisi akademik", "guru", 10, 20),
                           n(B, "Rata-rata nilai asesmen nasional sekolah", "poin", 70, 78, LAST)),
              activities=("Mengajar di kelas", "Menyusun asesmen formatif", "Mengoreksi tugas peserta didik")),
        Theme("kehadiran", "Meningkatnya partisipasi dan kehadiran peserta didik",
              "Terlaksananya bimbingan dan pemantauan kehadiran peserta didik di kelas perwalian", (
                  n(A, "Jumlah peserta didik dibimbing", "siswa", 28, 32, LAST),
                  n(B, "Persentase kehadiran peserta didik", "%", 93, 97, AVG)),
              leader_ikis=(n(A, "Jumlah peserta didik aktif", "siswa", 180, 400, LAST),
                           n(B, "Angka partisipasi sekolah di wilayah zonasi", "%", 97, 99, LAST))),
        Theme("pengembangan", "Meningkatnya kompetensi pendidik dan tenaga kependidikan",
              "Meningkatnya kompetensi profesional melalui pengembangan keprofesian berkelanjutan", (
                  n(A, "Jumlah jam pengembangan kompetensi diikuti", "JP", 20, 40),
                  d(B, "Penerapan hasil pelatihan",
                    "Praktik baik hasil pelatihan diterapkan di kelas dan dibagikan di komunitas belajar")),
              leader_ikis=(n(A, "Jumlah guru mengikuti pelatihan", "guru", 6, 12),)),
        Theme("adm_sekolah", "Terkelolanya administrasi satuan pendidikan",
              "Terkelolanya administrasi peserta didik dan perpustakaan sekolah", (
                  n(A, "Jumlah layanan administrasi peserta didik diselesaikan", "layanan", 300, 600),
                  n(C, "Rata-rata waktu penyelesaian layanan", "hari", 1, 2, AVG, DOWN))),
    ],
    "disdik": [
        Theme("aps", "Meningkatnya angka partisipasi sekolah",
              "Tersedianya data pokok pendidikan yang mutakhir untuk perencanaan", (
                  n(A, "Jumlah sekolah dengan data pokok pendidikan mutakhir", "sekolah", 40, 60, LAST),
                  n(B, "Angka partisipasi sekolah usia 7–15 tahun", "%", 97, 99, LAST))),
        Theme("mutu", "Meningkatnya mutu hasil belajar peserta didik",
              "Terlaksananya pendampingan sekolah dalam pemanfaatan rapor pendidikan", (
                  n(A, "Jumlah sekolah didampingi", "sekolah", 10, 20),
                  n(B, "Rata-rata nilai asesmen nasional", "poin", 70, 75, LAST))),
        Theme("pelatihan", "Meningkatnya kompetensi guru", "Terlaksananya pelatihan peningkatan kompetensi guru", (
            n(A, "Jumlah guru mengikuti pelatihan", "orang", 80, 200),
            n(B, "Persentase peserta pelatihan yang lulus", "%", 88, 95, AVG),
            n(D, "Persentase penyerapan anggaran pelatihan", "%", 90, 98, LAST))),
        Theme("budaya", "Terlestarikannya cagar budaya dan kesenian daerah",
              "Terlaksananya pendataan objek cagar budaya", (
                  n(A, "Jumlah objek cagar budaya terdata", "objek", 10, 20),)),
    ],
    "perizinan": [
        Theme("izin", "Meningkatnya kualitas pelayanan perizinan berusaha",
              "Terlaksananya verifikasi dan penerbitan izin usaha", (
                  n(A, "Jumlah izin diterbitkan", "izin", 400, 900),
                  n(C, "Rata-rata hari penyelesaian izin", "hari", 3, 5, AVG, DOWN),
                  n(B, "Indeks kepuasan pemohon", "poin", 82, 88, AVG)),
              activities=("Verifikasi berkas permohonan izin", "Melayani pemohon di loket MPP")),
        Theme("pengaduan", "Meningkatnya kepatuhan dan kepuasan pelaku usaha",
              "Terlaksananya penanganan pengaduan layanan perizinan", (
                  n(A, "Jumlah pengaduan ditindaklanjuti", "pengaduan", 24, 60),
                  n(C, "Rata-rata waktu tindak lanjut pengaduan", "hari", 2, 3, AVG, DOWN))),
        Theme("investasi", "Meningkatnya realisasi investasi daerah",
              "Terlaksananya pengawasan laporan kegiatan penanaman modal (LKPM)", (
                  n(A, "Jumlah LKPM diverifikasi", "laporan", 120, 240),
                  n(B, "Persentase pelaku usaha menyampaikan LKPM", "%", 70, 85, LAST),
                  n(D, "Persentase penyerapan anggaran promosi investasi", "%", 90, 98, LAST))),
    ],
    "kebersihan": [
        Theme("angkut", "Meningkatnya cakupan pelayanan persampahan",
              "Terlaksananya pengangkutan sampah dari TPS ke TPA sesuai jadwal", (
                  n(A, "Tonase sampah terangkut ke TPA", "ton", 600, 1500),
                  n(B, "Frekuensi pengangkutan sampah per minggu", "kali/minggu", 5, 6, AVG),
                  n(C, "Persentase ritase tepat jadwal", "%", 90, 95, AVG)),
              activities=("Pengangkutan sampah rute TPS pasar", "Pengecekan armada sebelum berangkat")),
        Theme("pengaduan", "Meningkatnya kualitas lingkungan hidup",
              "Terlaksananya tindak lanjut pengaduan pencemaran dan kebersihan", (
                  n(A, "Jumlah pengaduan ditindaklanjuti", "pengaduan", 24, 60),
                  n(C, "Rata-rata waktu tindak lanjut pengaduan", "hari", 2, 4, AVG, DOWN))),
        Theme("taman", "Meningkatnya kualitas ruang terbuka hijau",
              "Terpeliharanya taman kota dan ruang terbuka hijau", (
                  n(A, "Luas taman yang dipelihara", "m²", 5000, 12000, LAST),
                  d(B, "Kondisi taman", "Taman bersih, tanaman terawat dan fasilitas berfungsi (inspeksi bulanan)"))),
        Theme("bank_sampah", "Meningkatnya pengurangan sampah di sumber",
              "Terbinanya bank sampah di kelurahan", (
                  n(A, "Jumlah bank sampah aktif dibina", "unit", 5, 12, LAST),
                  n(B, "Tonase sampah terpilah di bank sampah", "ton", 12, 30))),
    ],
    "pengawasan": [
        Theme("audit", "Meningkatnya kualitas tata kelola pemerintahan daerah",
              "Terlaksananya audit kinerja dan keuangan perangkat daerah", (
                  n(A, "Jumlah laporan hasil pemeriksaan", "LHP", 8, 14),
                  n(B, "Persentase rekomendasi hasil pemeriksaan ditindaklanjuti", "%", 80, 90, LAST),
                  n(C, "Rata-rata hari penyelesaian LHP", "hari", 10, 15, AVG, DOWN))),
        Theme("reviu", "Meningkatnya nilai SAKIP dan maturitas SPIP",
              "Terlaksananya reviu laporan kinerja dan laporan keuangan", (
                  n(A, "Jumlah laporan hasil reviu", "laporan", 6, 12),)),
        Theme("dumas", "Meningkatnya penanganan pengaduan masyarakat",
              "Terlaksananya penanganan pengaduan masyarakat", (
                  n(A, "Jumlah pengaduan ditangani", "pengaduan", 12, 24),
                  n(C, "Rata-rata hari penanganan pengaduan", "hari", 10, 14, AVG, DOWN))),
    ],
    "kepegawaian": [
        Theme("layanan", "Meningkatnya kualitas layanan administrasi kepegawaian",
              "Terlaksananya layanan kenaikan pangkat dan mutasi ASN", (
                  n(A, "Jumlah usulan layanan kepegawaian diproses", "usulan", 150, 400),
                  n(C, "Rata-rata hari penyelesaian usulan", "hari", 3, 5, AVG, DOWN),
                  n(B, "Persentase usulan tanpa berkas dikembalikan", "%", 90, 95, AVG))),
        Theme("kompetensi", "Meningkatnya kompetensi ASN", "Terlaksananya pengembangan kompetensi ASN", (
            n(A, "Jumlah ASN mengikuti pengembangan kompetensi", "orang", 200, 500),
            n(B, "Persentase ASN memenuhi 20 JP", "%", 60, 80, LAST),
            n(D, "Persentase penyerapan anggaran pengembangan kompetensi", "%", 90, 98, LAST))),
        Theme("kinerja", "Meningkatnya akuntabilitas kinerja ASN", "Terlaksananya pengelolaan penilaian kinerja ASN", (
            n(A, "Jumlah SKP diverifikasi", "SKP", 500, 1500),
            n(B, "Persentase ASN dengan SKP ditetapkan tepat waktu", "%", 90, 98, LAST))),
        Theme("data", "Tersedianya data kepegawaian yang mutakhir", "Termutakhirkannya data ASN pada SIASN", (
            n(A, "Jumlah data ASN dimutakhirkan", "data", 600, 1800),
            n(B, "Persentase data ASN valid", "%", 95, 99, LAST))),
    ],
    "kewilayahan": [
        Theme("paten", "Meningkatnya kualitas pelayanan administrasi terpadu di wilayah",
              "Terlaksananya pelayanan administrasi kependudukan dan surat keterangan", (
                  n(A, "Jumlah layanan administrasi diselesaikan", "layanan", 600, 1500),
                  n(C, "Rata-rata waktu penyelesaian layanan", "jam", 2, 4, AVG, DOWN),
                  n(B, "Indeks kepuasan masyarakat", "poin", 80, 88, AVG)),
              activities=("Melayani surat keterangan domisili", "Verifikasi berkas pindah datang penduduk")),
        Theme("trantib", "Terwujudnya ketenteraman dan ketertiban umum di wilayah",
              "Terlaksananya pemantauan ketenteraman dan ketertiban wilayah", (
                  n(A, "Jumlah laporan pemantauan wilayah", "laporan", 12, 24),)),
        Theme("musrenbang", "Meningkatnya partisipasi masyarakat dalam pembangunan",
              "Terlaksananya fasilitasi musyawarah perencanaan pembangunan", (
                  n(A, "Jumlah musyawarah dan rembuk warga difasilitasi", "kegiatan", 4, 8),
                  d(B, "Kualitas hasil musyawarah", "Usulan prioritas tercatat di SIPD dengan berita acara lengkap"))),
        Theme("kebersihan", "Meningkatnya kebersihan lingkungan permukiman",
              "Terlaksananya gerakan kebersihan lingkungan bersama warga", (
                  n(A, "Jumlah kegiatan kerja bakti", "kegiatan", 24, 48),)),
    ],
    "admin": [
        Theme("perencanaan", "Meningkatnya kualitas perencanaan dan penganggaran perangkat daerah",
              "Tersusunnya dokumen perencanaan dan penganggaran (Renja, RKA, DPA)", (
                  n(A, "Jumlah dokumen perencanaan tersusun", "dokumen", 4, 8),
                  d(B, "Kesesuaian dokumen dengan ketentuan", "Dokumen sesuai Permendagri 86/2017 tanpa revisi substansial"),
                  n(C, "Persentase dokumen disampaikan sesuai jadwal", "%", 100, 100, AVG))),
        Theme("keuangan", "Meningkatnya akuntabilitas pengelolaan keuangan perangkat daerah",
              "Tersedianya laporan keuangan yang tepat waktu", (
                  n(A, "Jumlah laporan keuangan bulanan tersusun", "laporan", 12, 12),
                  n(C, "Rata-rata hari penyampaian laporan setelah akhir bulan", "hari", 7, 10, AVG, DOWN),
                  n(D, "Persentase realisasi anggaran", "%", 92, 97, LAST))),
        Theme("surat", "Meningkatnya kualitas layanan administrasi umum",
              "Terkelolanya administrasi persuratan dan kearsipan", (
                  n(A, "Jumlah surat keluar diproses", "surat", 360, 900),
                  n(C, "Rata-rata waktu pemrosesan surat", "hari", 1, 2, AVG, DOWN),
                  n(B, "Persentase arsip tertata sesuai klasifikasi", "%", 90, 98, AVG)),
              activities=("Mengagendakan surat masuk", "Menata arsip aktif", "Mengetik konsep surat keluar")),
        Theme("kepegawaian", "Meningkatnya tertib administrasi kepegawaian perangkat daerah",
              "Terkelolanya administrasi kepegawaian perangkat daerah", (
                  n(A, "Jumlah usulan layanan kepegawaian diproses", "usulan", 60, 150),
                  n(B, "Persentase data kepegawaian mutakhir", "%", 95, 99, LAST))),
        Theme("aset", "Meningkatnya tertib pengelolaan barang milik daerah", "Terkelolanya barang milik daerah", (
            n(A, "Jumlah laporan inventaris barang tersusun", "laporan", 4, 12),
            n(B, "Persentase aset tercatat dan berlabel", "%", 90, 98, LAST))),
        Theme("ti", "Meningkatnya pemanfaatan teknologi informasi", "Terkelolanya layanan teknologi informasi dan data", (
            n(A, "Jumlah permintaan dukungan TI diselesaikan", "tiket", 120, 300),
            n(C, "Rata-rata waktu penyelesaian permintaan", "jam", 4, 8, AVG, DOWN))),
    ],
}

# What a jabatan works on first (theme keys in the order of preference), by the start of its name.
JOB_THEMES = [
    ("Perawat", ("pelayanan", "kia", "penyuluhan")), ("Dokter", ("pelayanan", "kia", "imunisasi")),
    ("Bidan", ("kia", "imunisasi", "pelayanan")), ("Apoteker", ("obat", "pelayanan")),
    ("Pranata Laboratorium", ("pelayanan", "p2p")), ("Nutrisionis", ("gizi", "penyuluhan", "kia")),
    ("Penyuluh Kesehatan", ("penyuluhan", "gizi", "imunisasi")), ("Epidemiolog", ("p2p", "imunisasi")),
    ("Tenaga Sanitasi", ("penyuluhan", "p2p")), ("Guru", ("pembelajaran", "kehadiran", "pengembangan")),
    ("Pustakawan", ("adm_sekolah",)), ("Pengawas Sekolah", ("mutu", "pelatihan")),
    ("Pamong Budaya", ("budaya",)), ("Pranata Komputer", ("ti", "surat")), ("Analis Keuangan", ("keuangan", "aset")),
    ("Perencana", ("perencanaan", "keuangan")), ("Arsiparis", ("surat",)),
    ("Pengadministrasi", ("surat", "adm_sekolah", "kepegawaian", "aset", "paten")),
    ("Analis Sumber Daya", ("kepegawaian", "kompetensi", "kinerja")), ("Operator", ("angkut", "paten", "surat")),
    ("Auditor", ("audit", "reviu")), ("Penata Perizinan", ("izin", "pengaduan")),
    ("Pengawas Lingkungan", ("pengaduan", "bank_sampah")), ("Pengendali Dampak", ("pengaduan", "taman")),
    ("Analis Kepegawaian", ("layanan", "kinerja", "data", "kepegawaian")), ("Asesor", ("kompetensi",)),
]

ORG_TARGETS = {  # domain of an OPD → Perjanjian Kinerja items (goal, indicator, target)
    "dinkes": [("Meningkatnya derajat kesehatan masyarakat", "Angka harapan hidup", "71,5 tahun"),
               ("Meningkatnya cakupan pelayanan kesehatan dasar", "Persentase puskesmas terakreditasi paripurna",
                "60 %"),
               ("Menurunnya prevalensi stunting", "Prevalensi balita stunting", "14 %")],
    "disdik": [("Meningkatnya akses pendidikan dasar", "Angka partisipasi sekolah usia 7–15 tahun", "98,5 %"),
               ("Meningkatnya mutu pendidikan dasar", "Rata-rata nilai asesmen nasional", "72 poin"),
               ("Terlestarikannya kebudayaan daerah", "Jumlah cagar budaya ditetapkan", "5 objek")],
    "perizinan": [("Meningkatnya kualitas pelayanan perizinan", "Indeks kepuasan masyarakat layanan perizinan",
                   "88 poin"),
                  ("Meningkatnya realisasi investasi", "Nilai realisasi investasi", "Rp 1,2 triliun")],
    "kebersihan": [("Meningkatnya kualitas lingkungan hidup", "Indeks kualitas lingkungan hidup", "68 poin"),
                   ("Meningkatnya cakupan pelayanan persampahan", "Persentase sampah tertangani", "80 %")],
    "pengawasan": [("Meningkatnya kualitas tata kelola pemerintahan", "Level maturitas SPIP", "Level 3"),
                   ("Meningkatnya tindak lanjut hasil pengawasan", "Persentase rekomendasi ditindaklanjuti", "85 %")],
    "kepegawaian": [("Meningkatnya profesionalitas ASN", "Indeks profesionalitas ASN", "75 poin"),
                    ("Meningkatnya kualitas manajemen kinerja ASN",
                     "Persentase ASN dengan predikat kinerja minimal Baik", "90 %")],
    "kewilayahan": [("Meningkatnya kualitas pelayanan publik di kecamatan", "Indeks kepuasan masyarakat", "85 poin"),
                    ("Terwujudnya ketenteraman dan ketertiban umum", "Persentase gangguan trantib tertangani",
                     "100 %")],
    "admin": [("Meningkatnya kualitas penyelenggaraan pemerintahan", "Indeks reformasi birokrasi", "70 poin")],
}
ACCOUNTABILITY_TARGET = ("Meningkatnya akuntabilitas kinerja dan keuangan perangkat daerah",
                         "Nilai SAKIP perangkat daerah", "BB")

EXPECTATIONS = {
    CoreValue.SERVICE: ["Menanggapi setiap permintaan layanan paling lambat satu hari kerja",
                        "Melayani dengan ramah dan menjelaskan alur layanan kepada pengguna"],
    CoreValue.ACCOUNTABLE: ["Melaporkan realisasi setiap bulan tepat waktu dengan bukti dukung lengkap",
                            "Hadir dan pulang tepat waktu sesuai ketentuan jam kerja"],
    CoreValue.COMPETENT: ["Mengikuti minimal 20 JP pengembangan kompetensi dan membagikan hasilnya kepada rekan",
                          "Menguasai aplikasi layanan yang digunakan unit kerja"],
    CoreValue.HARMONIOUS: ["Menjaga suasana kerja yang saling menghargai di unit kerja"],
    CoreValue.LOYAL: ["Menjaga kerahasiaan data pribadi pengguna layanan"],
    CoreValue.ADAPTIVE: ["Mengusulkan minimal satu perbaikan proses kerja setiap semester",
                         "Cepat menyesuaikan diri dengan perubahan aplikasi dan prosedur"],
    CoreValue.COLLABORATIVE: ["Aktif berbagi data dan informasi dengan unit kerja lain",
                              "Terlibat dalam tim lintas unit sesuai penugasan"],
}

RESOURCES = "Sarana dan prasarana kantor, anggaran DPA {unit} tahun {year}, serta aplikasi pendukung layanan."
ACCOUNTABILITY = ("Realisasi dilaporkan setiap bulan kepada pejabat penilai kinerja melalui portal, disertai bukti "
                  "dukung; capaian dibahas dalam dialog kinerja triwulanan.")
CONSEQUENCES = ("Capaian kinerja menjadi dasar pemberian tambahan penghasilan pegawai, pengembangan kompetensi "
                "dan pengembangan karier sesuai ketentuan.")

NARRATIVE_ENDINGS = ["Kegiatan berjalan sesuai rencana.", "Data direkap dari register harian.",
                     "Rincian terlampir pada bukti dukung.", "Sempat terkendala cuaca pada minggu kedua.",
                     "Dilaksanakan bersama lintas program.", "Sesuai jadwal yang disepakati dengan atasan."]
RETURN_REASONS = ["Bukti dukung belum dilampirkan; mohon lampirkan rekap register bulan ini.",
                  "Angka realisasi tidak sesuai dengan rekap laporan bulanan; mohon diperiksa kembali.",
                  "Uraian realisasi terlalu singkat; jelaskan kegiatan yang dilakukan."]
PLAN_RETURN_REASONS = ["Target kuantitas terlalu rendah dibanding capaian tahun lalu; mohon disesuaikan.",
                       "RHK kedua belum menunjukkan keterkaitan dengan RHK atasan; mohon diperbaiki."]
FEEDBACK_SUPERVISOR = ["Capaian bulan ini baik, pertahankan.", "Terima kasih, laporan sudah lengkap.",
                       "Mohon perhatikan waktu tunggu pasien pada jam sibuk.",
                       "Capaian masih di bawah target; mari kita bahas di rapat minggu depan.",
                       "Bukti dukung sudah jelas, terima kasih."]
FEEDBACK_REPLIES = ["Baik, terima kasih arahannya.", "Siap, akan saya perbaiki bulan depan.",
                    "Kendalanya ada pada sasaran yang pindah domisili; sudah saya koordinasikan dengan kader."]
COMMENTS = [("supervisor", "Silakan susun RHK dengan mengacu pada RHK saya tentang mutu pelayanan."),
            ("owner", "Baik, Dok. Target kunjungan saya sesuaikan dengan data tahun lalu."),
            ("supervisor", "Sudah sesuai. Ekspektasi khusus untuk nilai Berorientasi Pelayanan sudah saya isi.")]
ACTIVITY_OUTPUTS = ["1 laporan", "2 berkas", "3 berkas", "5 dokumen", "12 pasien", "1 kegiatan", "8 layanan"]
