"""Time the SIASN import: preview and commit of a generated 12,000-row CSV on a fresh SQLite DB.

    .venv/bin/python -m bench.import_timing [--rows 12000] [--units 40]

Everything (CSV, database, stored upload) lives in a temporary directory that is removed
afterwards. Prints one JSON object with the timings and counts.
"""
import argparse
import csv
import json
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

UNIT_NAMES = [
    "Sekretariat Daerah", "Sekretariat DPRD", "Inspektorat", "Dinas Pendidikan", "Dinas Kesehatan",
    "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas Sosial", "Dinas Perhubungan",
    "Dinas Lingkungan Hidup", "Dinas Kependudukan dan Pencatatan Sipil", "Dinas Pertanian",
    "Dinas Koperasi dan UKM", "Dinas Pariwisata", "Dinas Komunikasi dan Informatika",
    "Badan Kepegawaian dan Pengembangan SDM", "Badan Perencanaan Pembangunan Daerah",
    "Badan Pengelolaan Keuangan dan Aset Daerah", "Badan Penanggulangan Bencana Daerah",
    "Kecamatan Utara", "Kecamatan Selatan", "Kecamatan Timur", "Kecamatan Barat", "Kecamatan Tengah",
    "Kelurahan Sukamaju", "Kelurahan Sukajaya", "Puskesmas Utara", "Puskesmas Selatan",
    "Puskesmas Timur", "Puskesmas Barat", "UPT Pengelolaan Sampah", "SD Negeri 1 Contoh",
    "SD Negeri 2 Contoh", "SD Negeri 3 Contoh", "SMP Negeri 1 Contoh", "SMP Negeri 2 Contoh",
    "Bagian Umum", "Bagian Hukum", "Bidang Pengembangan Kompetensi", "Satuan Polisi Pamong Praja",
    "Rumah Sakit Umum Daerah",
]
STAFF_POSITIONS = [
    ("Pengadministrasi Umum", "Fungsional Umum"),
    ("Pengelola Data", "Pelaksana"),
    ("Analis Kebijakan Ahli Muda", "Fungsional Tertentu"),
    ("Pranata Komputer Terampil", "Fungsional Tertentu"),
    ("Perencana Ahli Pertama", "Fungsional Keahlian"),
    ("Arsiparis Mahir", "Fungsional Keterampilan"),
]
HEADER = ["nip_baru", "nama", "gelar_depan", "gelar_belakang", "tanggal_lahir", "jenis_kelamin",
          "email_gov", "jenis_pegawai", "status_cpns_pns", "tmt_cpns", "gol_akhir", "jenis_jabatan",
          "jabatan", "unor_nama", "nip_atasan"]
GOLONGAN = ["II/a", "II/b", "II/c", "II/d", "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b"]
FIRST = ["Ahmad", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gunawan", "Hesti", "Indra", "Joko",
         "Kartika", "Lestari", "Made", "Nur", "Putu", "Rahmat", "Sri", "Tri", "Wayan", "Yulia"]
LAST = ["Santoso", "Wijaya", "Lestari", "Pratama", "Saputra", "Hidayat", "Kurniawan", "Rahayu",
        "Setiawan", "Utami", "Nugroho", "Permata", "Siregar", "Harahap", "Sitompul"]


def _nip(rng, used, today):
    while True:
        born = date(1965, 1, 1) + timedelta(days=rng.randrange(365 * 34))
        tmt_year = min(born.year + rng.randint(20, 30), today.year - 1)
        gender = rng.choice("12")
        nip = f"{born:%Y%m%d}{tmt_year:04d}{rng.randint(1, 12):02d}{gender}{rng.randint(1, 999):03d}"
        if nip not in used:
            used.add(nip)
            return nip, born, gender


def generate_csv(path, rows=12000, units=40, seed=1, today=None):
    """Write a valid SIASN-style CSV: unique NIPs, ``units`` units, supervisors by NIP."""
    rng, used, today = random.Random(seed), set(), today or date.today()
    names = UNIT_NAMES[:units] + [f"Unit Lain {i}" for i in range(units - len(UNIT_NAMES))]
    records = []

    def person(unit, position, kind, supervisor):
        nip, born, gender = _nip(rng, used, today)
        records.append({
            "nip_baru": nip, "nama": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "gelar_depan": "", "gelar_belakang": rng.choice(["", "S.Kom.", "S.E.", "S.H.", "M.Si."]),
            "tanggal_lahir": born.strftime("%d-%m-%Y"), "jenis_kelamin": "L" if gender == "1" else "P",
            "email_gov": f"{nip}@contoh.go.id", "jenis_pegawai": "PNS", "status_cpns_pns": "PNS",
            "tmt_cpns": "", "gol_akhir": rng.choice(GOLONGAN), "jenis_jabatan": kind, "jabatan": position,
            "unor_nama": unit, "nip_atasan": supervisor or ""})
        return nip

    sekda = person(names[0], "Sekretaris Daerah", "JPT Madya", None)
    heads, chiefs = {}, {}
    for unit in names:
        head = sekda if unit == names[0] else person(unit, f"Kepala {unit}", "JPT Pratama", sekda)
        heads[unit] = head
        chiefs[unit] = [person(unit, f"Kepala Seksi {i}", "Pengawas", head) for i in (1, 2, 3)]
    while len(records) < rows:
        unit = names[len(records) % len(names)]
        position, kind = rng.choice(STAFF_POSITIONS)
        person(unit, position, kind, rng.choice(chiefs[unit]))
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(records[:rows])
    return path


def _changed_copy(source, target):
    """The same people with a new golongan each, and every other one in a renamed unit."""
    with open(source, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for number, row in enumerate(rows):
        row["gol_akhir"] = "IV/c" if row["gol_akhir"] != "IV/c" else "IV/d"
        if number % 2:
            row["unor_nama"] = f"{row['unor_nama']} Baru"
    with open(target, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return target


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=12000)
    parser.add_argument("--units", type=int, default=40)
    args = parser.parse_args(argv)

    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db
    from portal.people import importing, services
    from portal.people.models import UnitKind

    with tempfile.TemporaryDirectory(prefix="capaian-bench-") as tmp:
        tmp = Path(tmp)
        csv_path = generate_csv(tmp / "siasn.csv", rows=args.rows, units=args.units)
        app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}",
                          "STORAGE_ROOT": str(tmp / "storage")})
        # No request here: fix the locale so that messages need no request to translate.
        with app.app_context():
            upgrade()
            root = services.create_unit("Pemerintah Kabupaten Contoh", UnitKind.INSTANSI, None)
            db.session.commit()

            started = time.perf_counter()
            batch = importing.preview_import(csv_path, "siasn.csv", root, None)
            db.session.commit()
            preview_s = time.perf_counter() - started
            if batch.count_rejected:
                print(json.dumps({"error": "rows rejected", "report": batch.report[:10]}, indent=2))
                return 1

            started = time.perf_counter()
            counts = importing.commit_import(batch, None)
            db.session.commit()
            commit_s = time.perf_counter() - started

            started = time.perf_counter()
            again = importing.preview_import(csv_path, "siasn.csv", root, None)
            db.session.commit()
            second_preview_s = time.perf_counter() - started
            # Worst case for a re-import: every row changed, half of them moved to a new unit
            # (closing and opening 6,000 placement periods).
            changed_path = _changed_copy(csv_path, tmp / "siasn-changed.csv")
            started = time.perf_counter()
            update = importing.preview_import(changed_path, "siasn-changed.csv", root, None)
            db.session.commit()
            update_preview_s = time.perf_counter() - started
            started = time.perf_counter()
            update_counts = importing.commit_import(update, None)
            db.session.commit()
            update_commit_s = time.perf_counter() - started
            result = {
                "rows": args.rows, "units": args.units,
                "preview_s": round(preview_s, 2), "commit_s": round(commit_s, 2),
                "total_s": round(preview_s + commit_s, 2),
                "second_preview_s": round(second_preview_s, 2),
                "counts": counts,
                "second_preview_counts": {"new": again.count_new, "changed": again.count_changed,
                                          "unchanged": again.count_unchanged, "rejected": again.count_rejected},
                "update_preview_s": round(update_preview_s, 2), "update_commit_s": round(update_commit_s, 2),
                "update_counts": update_counts,
            }
            db.session.remove()
            db.engine.dispose()
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
