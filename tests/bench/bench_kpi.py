#!/usr/bin/env python3
"""Benchmarks of issue #14: a city-year of patrols, track import, monthly KPIs + 考核.

    python tests/bench/bench_kpi.py                 # all three
    python tests/bench/bench_kpi.py --only year     # year | import | kpi

(1) **City-year**: 53 collectors on duty every day of a year (seed 002's floor) over
    107 km², one fix per 10 s for 8 h (≈ 56 M fixes) in a PostGIS workspace, generated with
    COPY (minutes, once: the schema is kept and found again by its parameters).
    ``citymgmt:patrolyear`` over the year vs over one week, each in a fresh process through
    processing.run with PostGIS layers. Targets: ≤ 90 s, peak memory < 2 GB, ≤ 1.5 × 52 ×
    the one-week time.
(2) **Track import**: two weeks of the same collectors' fixes as CSV files (≈ 2.1 M),
    ``tracks import`` into an empty PostGIS workspace (new week partitions) and again into
    the same weeks with other collectors' codes (existing partitions): fixes / s end to end
    (reading the files included) and for the store alone. Target ≥ 200,000 / s.
(3) **Monthly KPIs + assessment** over a year of 150,000 reports (53 collectors, roster,
    reject reasons, spot checks, confirmed 漏报) in PostGIS: ``month_figures`` for one
    month, in a fresh process. Target ≤ 10 s.
Each step runs in its own process; peak memory is that process's VmHWM.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(ROOT), "/usr/share/qgis/python/plugins", str(HERE)]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
CACHE = Path(os.environ.get("CITYMGMT_BENCH_CACHE", "/tmp/citymgmt-bench"))


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return 0.0


def pg_url() -> str:
    if "CITYMGMT_TEST_PG" not in os.environ:
        out = subprocess.run(["bash", str(ROOT / "scripts" / "pg_throwaway.sh")],
                             check=True, capture_output=True, text=True)  # fmt: skip
        os.environ["CITYMGMT_TEST_PG"] = out.stdout.strip().splitlines()[-1]
    return os.environ["CITYMGMT_TEST_PG"]


def _qgis():
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing

    Processing.initialize()
    from processing_algorithms.provider import CityMgmtProvider

    provider = CityMgmtProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    return app, provider


# --------------------------------------------------------------------------- (1) city-year


def step_year(weeks: int) -> dict:
    """citymgmt:patrolyear over the first ``weeks`` weeks (52: the year) of the city-year."""
    keep = _qgis()  # noqa: F841
    import processing
    from qgis.core import QgsVectorLayer
    from qgis.PyQt.QtCore import QDate
    from sqlalchemy.engine import make_url

    from tests.fixtures.city_year import YearParams

    p = YearParams()
    url = make_url(pg_url())
    conn = f"host={url.host} port={url.port} user={url.username} dbname={url.database}"

    def layer(table: str, key: str = "fid") -> QgsVectorLayer:
        # as the workspace's layers open track_points (core/qgis/layers.py): the id from its
        # sequence is trusted, the extent estimated (a year of fixes: no full scans)
        opts = "estimatedmetadata=true checkPrimaryKeyUnicity='0'"
        lyr = QgsVectorLayer(f"{conn} key='{key}' {opts} table=\"{p.schema}\".\"{table}\" (geom)",
                             table, "postgres")  # fmt: skip
        assert lyr.isValid(), table
        return lyr

    first = QDate(p.year, 1, 4)  # the first Monday of 2021
    t0 = time.perf_counter()
    res = processing.run(
        "citymgmt:patrolyear",
        {
            "GRIDS": layer("bench_grids"), "GRID_CODE_FIELD": "grid_code",
            "ROADS": layer("bench_roads"), "TRACKS": layer("track_points", "id"),
            "COLLECTOR_FIELD": "collector_code", "TIME_FIELD": "fix_time", "TOLERANCE": 30.0,
            "START": first, "END": first.addDays(7 * weeks - 1),
            "OUTPUT": "TEMPORARY_OUTPUT", "OUTPUT_GRIDS": "TEMPORARY_OUTPUT",
            "OUTPUT_WEEKS": "TEMPORARY_OUTPUT",
        },
    )  # fmt: skip
    seconds = time.perf_counter() - t0
    rows = list(res["OUTPUT_WEEKS"].getFeatures())
    return {
        "seconds": seconds, "weeks": int(res["weeks"]), "fixes_used": int(res["fixes_used"]),
        "read_s": sum(f["read_s"] for f in rows), "compute_s": sum(f["compute_s"] for f in rows),
        "rss_mb": peak_rss_mb(),
    }  # fmt: skip


def bench_year() -> dict:
    from tests.fixtures.city_year import YearParams, generate, is_complete

    p = YearParams()
    url = pg_url()
    if not is_complete(url, p):
        print(f"generating the city-year in {p.schema} (once; minutes) …", flush=True)
        t0 = time.perf_counter()
        generate(url, p, log=lambda s: print(s, flush=True))
        print(f"generated in {time.perf_counter() - t0:.0f} s", flush=True)
    week = _run("year", "--weeks", "1")
    year = _run("year", "--weeks", "52")
    ratio = year["seconds"] / (52 * week["seconds"])
    print(f"\n(1) city-year, {year['fixes_used']:,} fixes used of 52 weeks")
    print(f"    one week:   {week['seconds']:.2f} s ({week['rss_mb']:.0f} MiB)")
    print(f"    52 weeks:   {year['seconds']:.2f} s (target ≤ 90 s), peak {year['rss_mb']:.0f} MiB "
          f"(target < 2048), read {year['read_s']:.1f} s (overlapped) + compute "
          f"{year['compute_s']:.1f} s")  # fmt: skip
    print(f"    52 weeks / (52 × one week) = {ratio:.2f} (target ≤ 1.5)", flush=True)
    return {"week": week, "year": year, "ratio": ratio}


# --------------------------------------------------------------------------- (2) import


def _track_csvs(folder: Path, prefix: str) -> list[Path]:
    """Two weeks of the city-year's walks as one CSV per week (cached)."""
    import numpy as np

    from tests.fixtures import coverage_synth as cs
    from tests.fixtures.city_year import YearParams, _district, _Walkers

    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{prefix}-week{w}.csv" for w in (1, 2)]
    if all(p.exists() for p in paths):
        return paths
    p = YearParams()
    rng = np.random.default_rng(p.seed)
    _s, _polys, _codes, nodes, edges, lines, owner, closed = _district(p, rng)
    walkers = _Walkers(nodes, edges, lines, owner, closed, p.collectors, rng)
    from pyproj import Transformer

    tf = Transformer.from_crs(cs.EPSG, 4326, always_xy=True)
    day0 = 1609459200 + 3 * 86400  # 2021-01-04 00:00 UTC (08:00 local), a Monday
    for w, path in enumerate(paths):
        with open(path, "w", encoding="utf-8") as f:
            f.write("collector_code,device_id,fix_time,lon,lat,accuracy\n")
            for d in range(7):
                for c in range(p.collectors):
                    x, y, t = walkers.day(c, day0 + (7 * w + d) * 86400)
                    lon, lat = tf.transform(x, y)
                    stamp = np.datetime_as_string(t.astype("datetime64[s]"), unit="s")
                    code = f"{prefix}{c:03d}"
                    f.writelines(f"{code},dev-{code},{s}Z,{a:.7f},{b:.7f},5\n"
                                 for s, a, b in zip(stamp, lon, lat))  # fmt: skip
    return paths


def step_import(schema: str, prefix: str) -> dict:
    from citymgmt_plugin.core.patrol.tracks.formats import ReadOptions
    from citymgmt_plugin.core.patrol.tracks.store import (
        ImportReport,
        clean,
        read_files,
        store_fixes,
        to_fixes,
    )  # fmt: skip
    from citymgmt_plugin.core.workspace.store import Workspace, upgrade

    spec = f"{pg_url()}?schema={schema}"
    upgrade(spec)
    ws = Workspace.open(spec)
    paths = _track_csvs(CACHE / "tracks", prefix)
    t0 = time.perf_counter()
    rep = ImportReport()
    fixes = clean(to_fixes(read_files(paths, ReadOptions()), ws.srid, rep), rep)
    t1 = time.perf_counter()
    store_fixes(ws, fixes, rep)
    t2 = time.perf_counter()
    ws.close()
    return {"fixes": rep.imported, "read_s": t1 - t0, "store_s": t2 - t1,
            "weeks_created": len(rep.weeks_created), "rss_mb": peak_rss_mb()}  # fmt: skip


def bench_import() -> dict:
    from sqlalchemy import create_engine, text

    schema = "bench_import_tracks"
    engine = create_engine(pg_url())
    with engine.begin() as c:
        c.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()
    _track_csvs(CACHE / "tracks", "A")
    _track_csvs(CACHE / "tracks", "B")
    new = _run("import", "--schema", schema, "--prefix", "A")
    again = _run("import", "--schema", schema, "--prefix", "B")
    print("\n(2) track import into PostGIS (2 weeks of 53 collectors)")
    for label, r in (("new week partitions", new), ("existing partitions", again)):
        total = r["read_s"] + r["store_s"]
        print(f"    {label:<22} {r['fixes']:,} fixes: end to end {r['fixes'] / total:,.0f} /s "
              f"(read {r['read_s']:.1f} s, store {r['store_s']:.1f} s = "
              f"{r['fixes'] / r['store_s']:,.0f} /s); target ≥ 200,000 /s", flush=True)  # fmt: skip
    return {"new": new, "existing": again}


# --------------------------------------------------------------------------- (3) monthly


def step_kpi() -> dict:
    from datetime import date

    from citymgmt_plugin.core.reporting.monthly import month_figures
    from citymgmt_plugin.core.workspace.store import Workspace
    from tests.fixtures.kpi_year import KpiYear

    spec = f"{pg_url()}?schema={KpiYear().schema}"
    ws = Workspace.open(spec)
    t0 = time.perf_counter()
    mf = month_figures(ws, date(2021, 6, 1), route_deviation=False)
    seconds = time.perf_counter() - t0
    ws.close()
    return {"seconds": seconds, "reports": mf.kpis.in_period,
            "valid_year": mf.kpis.value("annual_valid"), "rss_mb": peak_rss_mb(),
            "score": mf.contractors[0].score}  # fmt: skip


def bench_kpi() -> dict:
    from tests.fixtures.kpi_year import KpiYear, generate

    t0 = time.perf_counter()
    n = generate(pg_url(), KpiYear())
    print(f"\n(3) a year of {n:,} reports ready ({time.perf_counter() - t0:.0f} s)", flush=True)
    r = _run("kpi")
    print(f"    June's KPIs + assessment: {r['seconds']:.2f} s (target ≤ 10 s), "
          f"{r['reports']:,} reports in June, {r['valid_year']:,} valid since January, "
          f"{r['rss_mb']:.0f} MiB", flush=True)  # fmt: skip
    return r


# --------------------------------------------------------------------------- main


def _run(step: str, *extra: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--step", step, *extra],
                         capture_output=True, text=True)  # fmt: skip
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    if out.returncode != 0 or not lines:
        sys.stderr.write(out.stdout[-3000:] + out.stderr[-3000:])
        raise SystemExit(f"step {step} failed")
    return json.loads(lines[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--only", choices=["year", "import", "kpi"])
    ap.add_argument("--step", help=argparse.SUPPRESS)
    ap.add_argument("--weeks", type=int, default=52, help=argparse.SUPPRESS)
    ap.add_argument("--schema", help=argparse.SUPPRESS)
    ap.add_argument("--prefix", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.step:
        steps = {
            "year": lambda: step_year(args.weeks),
            "import": lambda: step_import(args.schema, args.prefix),
            "kpi": step_kpi,
        }
        print(json.dumps(steps[args.step]()))
        return 0
    out = {}
    for name, fn in (("year", bench_year), ("import", bench_import), ("kpi", bench_kpi)):
        if args.only in (None, name):
            out[name] = fn()
    folder = ROOT / "tests" / "artifacts" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kpi.json").write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
