"""Time a full recomputation of the training recommendations on the scale dataset (issue 6).

Builds the ``flask seed scale`` database (or reuses one with the right number of employees), then,
in-process and inside a transaction that is rolled back, runs ``recompute_recommendations()`` for
every employee twice: a first run after deleting every recommendation (everything is inserted) and
a second with nothing to change. Each is repeated ``--runs`` times; the medians are printed, wall
clock and CPU time of this process (on SQLite the database work is in-process too; on PostgreSQL
it is not). The last line is JSON.

    python -m bench.recompute_timing                      # SQLite, 12,000 employees, 3 runs
    python -m bench.recompute_timing --reuse --profile    # and where the time of a first run goes
    PORTAL_TEST_DATABASE_URL=postgresql+psycopg://… python -m bench.recompute_timing --database postgresql
"""
import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.run import make_env, prepare_database

DEFAULT_SQLITE = Path(tempfile.gettempdir()) / "capaian-recompute.db"


def _url(args) -> str:
    if args.url:
        return args.url
    if args.database == "postgresql":
        url = os.environ.get("PORTAL_TEST_DATABASE_URL")
        if not url:
            sys.exit("PostgreSQL: set PORTAL_TEST_DATABASE_URL or pass --url")
        return url
    return f"sqlite:///{DEFAULT_SQLITE}"


def _employees_in(url) -> int | None:
    import sqlalchemy as sa
    try:
        engine = sa.create_engine(url)
        with engine.connect() as connection:
            return connection.scalar(sa.text("SELECT count(*) FROM employee"))
    except sa.exc.SQLAlchemyError:
        return None


def _timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def measure(url: str, runs: int, profile: bool) -> dict:
    os.environ.update(make_env(url))
    import sqlalchemy as sa

    from portal import create_app
    from portal.catalogue.models import Recommendation
    from portal.catalogue.recommend import recompute_recommendations
    from portal.extensions import db
    from portal.people.seeding.plans import TODAY

    app = create_app()
    figures = {"first": [], "second": []}
    stats = {}
    with app.app_context():
        def recompute():
            return recompute_recommendations(year=TODAY.year, today=TODAY)

        for _ in range(runs):
            db.session.execute(sa.delete(Recommendation))
            first, wall, cpu = _timed(recompute)
            figures["first"].append((wall, cpu))
            second, wall, cpu = _timed(recompute)
            figures["second"].append((wall, cpu))
            stats = {"employees": first.employees,
                     "first": {"inserted": first.inserted, "updated": first.updated, "removed": first.removed},
                     "second": {"inserted": second.inserted, "updated": second.updated, "removed": second.removed}}
            db.session.rollback()
        if profile:
            db.session.execute(sa.delete(Recommendation))
            profiler = cProfile.Profile()
            profiler.enable()
            recompute()
            profiler.disable()
            db.session.rollback()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
            print(out.getvalue(), file=sys.stderr)
    result = {"database": url.split(":", 1)[0], "runs": runs, **stats}
    for run in ("first", "second"):
        result[f"{run}_seconds"] = round(statistics.median(w for w, _c in figures[run]), 2)
        result[f"{run}_cpu_seconds"] = round(statistics.median(c for _w, c in figures[run]), 2)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=12000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--url", help="a database URL (overrides --database)")
    parser.add_argument("--reuse", action="store_true", help="keep a database that already has that many employees")
    parser.add_argument("--profile", action="store_true", help="cProfile one first run (to stderr)")
    args = parser.parse_args()
    url = _url(args)
    if not (args.reuse and _employees_in(url) == args.employees):
        print(f"seeding {args.employees} employees …", file=sys.stderr, flush=True)
        seconds = prepare_database(url, args.employees)
        print(f"seeded in {seconds:.0f} s", file=sys.stderr, flush=True)
    result = measure(url, args.runs, args.profile)
    print(f"{result['database']}: {result['employees']} employees; first run {result['first']} in "
          f"{result['first_seconds']} s ({result['first_cpu_seconds']} s CPU); second run {result['second']} in "
          f"{result['second_seconds']} s ({result['second_cpu_seconds']} s CPU); median of {result['runs']}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
