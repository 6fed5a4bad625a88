"""Patrol coverage computed inside PostGIS: builds the SQL script (no database access here).

Same rules and same exact interval arithmetic as the desktop kernel (:mod:`.segments`,
:mod:`.coverage`), so both paths agree to float noise:

1. fixes → window functions decide each fix assuming the previous one was kept; a
   recursive CTE walks only the few suspect fixes (jumps) to settle the real last-kept fix;
2. ``ST_MakeLine`` over ``lag()`` joins consecutive kept fixes within the gap into segments;
3. roads are dissolved and cut by grids (``ST_Intersection``), split into short segments;
4. pairs (road segment, track segment) come from ``ST_DWithin`` on GiST indexes, and the
   covered parameter interval of each pair is the road segment inside the capsule;
5. intervals are merged per road piece (gaps and islands), summed per grid, and the
   uncovered stretches cut with ``ST_LineSubstring`` and merged per grid.

The script uses temporary tables dropped at commit: run it in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from .segments import TrackRules

LOCAL_ZONE = "Asia/Shanghai"


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class PgTable:
    """A source table (or view) and the columns the computation reads."""

    schema: str
    table: str
    geom: str
    srid: int
    where: str = ""  # a QGIS subset string, used as is

    @property
    def name(self) -> str:
        return f"{quote_ident(self.schema)}.{quote_ident(self.table)}"

    def geom_in(self, srid: int, alias: str = "") -> str:
        col = (alias + "." if alias else "") + quote_ident(self.geom)
        return col if self.srid == srid else f"ST_Transform({col}, {int(srid)})"

    def filter(self) -> str:
        return f"WHERE ({self.where})" if self.where.strip() else ""


@dataclass(frozen=True)
class CoverageQuery:
    grids: PgTable
    grid_code: str
    roads: PgTable
    tracks: PgTable
    collector: str
    time: str
    time_kind: str  # 'timestamptz', 'timestamp', 'date', or 'epoch' (numeric seconds)
    tolerance: float
    rules: TrackRules


def _epoch(col: str, kind: str) -> str:
    # floor, not the cast's rounding: the desktop path truncates fractional seconds.
    zone = quote_literal(LOCAL_ZONE)
    if kind == "timestamptz":
        return f"floor(extract(epoch FROM {col}))::bigint"
    if kind == "timestamp":  # naive: China Standard Time, like the desktop path
        return f"floor(extract(epoch FROM ({col} AT TIME ZONE {zone})))::bigint"
    if kind == "date":
        return f"floor(extract(epoch FROM ({col}::timestamp AT TIME ZONE {zone})))::bigint"
    if kind == "epoch":
        return f"floor({col})::bigint"
    raise ValueError(f"unsupported time column kind: {kind}")


def _reach(dx: str, dy: str, dt: str, vmax: float) -> str:
    """Same squared test as the kernel's ``_reachable``."""
    return f"(({dx})^2 + ({dy})^2 <= ({vmax!r} * ({dt}))^2 + 1e-6)"


def coverage_statements(q: CoverageQuery) -> list[str]:
    """The script, statement by statement; the last two return grid rows and gap rows.

    Grid rows: grid_code, grid WKB, road_m, covered_m (in grid table key order).
    Gap rows: grid position (0-based, in grid row order), gap line WKB, length_m.
    Run ``stats_query`` after these for the fix counts.
    """
    steps = (
        _fixes, _decisions, _suspects, _settled, _kept, _track_segments, _grids, _road_pieces,
        _road_segments, _pair_intervals, _covered, _gaps, _grid_rows, _gap_rows,
    )  # fmt: skip
    stmts = ["SET LOCAL work_mem = '256MB'"]
    for step in steps:
        stmts.extend(step(q))
    return [s.strip() for s in stmts]


def _gap(q: CoverageQuery) -> float:
    return float(q.rules.max_gap_s)


def _vmax(q: CoverageQuery) -> float:
    return q.rules.max_speed_kmh / 3.6


def _srid(q: CoverageQuery) -> int:
    return int(q.grids.srid)


def _in_window(q: CoverageQuery) -> str:
    """The time window of the rules as a condition on ``f.t``."""
    window = []
    if q.rules.start is not None:
        window.append(f"f.t >= {int(q.rules.start)}")
    if q.rules.end is not None:
        window.append(f"f.t <= {int(q.rules.end)}")
    return " AND ".join(window) or "TRUE"


def _fixes(q: CoverageQuery) -> list[str]:
    """Fixes as read (_cov_raw), and the valid ones in the time window numbered by
    collector then time (_cov_fix)."""
    t = q.tracks
    epoch = _epoch(f"s.{quote_ident(q.time)}", q.time_kind)
    raw = f"""
CREATE TEMP TABLE _cov_raw ON COMMIT DROP AS
SELECT s.{quote_ident(q.collector)}::text AS c, {epoch} AS t,
       ST_GeometryN({t.geom_in(_srid(q), "s")}, 1) AS g
FROM {t.name} s {t.filter()}"""
    fix = f"""
CREATE TEMP TABLE _cov_fix ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY f.c, f.t) AS rn, f.c, f.t, ST_X(f.g) AS x, ST_Y(f.g) AS y
FROM _cov_raw f
WHERE f.c IS NOT NULL AND f.t IS NOT NULL AND f.g IS NOT NULL AND NOT ST_IsEmpty(f.g)
  AND {_in_window(q)}"""
    return [raw, fix]


def _decisions(q: CoverageQuery) -> list[str]:
    """Each fix decided assuming the previous one was kept (see segments.clean_track):
    window functions over the neighbours (_cov_dec)."""
    gap, vmax = _gap(q), _vmax(q)
    reach_prev = _reach("x - lag(x) OVER w", "y - lag(y) OVER w", "t - lag(t) OVER w", vmax)
    near = [f"(lead(c, {k}) OVER w = c AND lead(t, {k}) OVER w - t <= {gap!r})" for k in (1, 2)]
    reach = [
        _reach(
            f"lead(x, {k}) OVER w - x", f"lead(y, {k}) OVER w - y", f"lead(t, {k}) OVER w - t", vmax
        )
        for k in (1, 2)
    ]
    dec = f"""
CREATE TEMP TABLE _cov_dec ON COMMIT DROP AS
SELECT rn, c, t, x, y, link, px, py, pt, last_rn, confirmed,
       CASE WHEN link THEN ok_prev ELSE confirmed END AS dec
FROM (
  SELECT rn, c, t, x, y,
    COALESCE(lag(c) OVER w = c AND t - lag(t) OVER w <= {gap!r}, FALSE) AS link,
    COALESCE(lag(c) OVER w = c AND t - lag(t) OVER w <= {gap!r} AND {reach_prev}, FALSE) AS ok_prev,
    NOT COALESCE({near[0]} OR {near[1]}, FALSE)
      OR COALESCE({near[0]} AND {reach[0]}, FALSE)
      OR COALESCE({near[1]} AND {reach[1]}, FALSE) AS confirmed,
    lag(x) OVER w AS px, lag(y) OVER w AS py, lag(t) OVER w AS pt,
    max(rn) OVER (PARTITION BY c) AS last_rn
  FROM _cov_fix WINDOW w AS (ORDER BY rn)
) d"""
    return [dec, "CREATE UNIQUE INDEX ON _cov_dec (rn)"]


def _suspects(q: CoverageQuery) -> list[str]:
    """The fixes the first decision drops (_cov_sus): the only ones a walk must settle."""
    return [
        "CREATE TEMP TABLE _cov_sus ON COMMIT DROP AS SELECT * FROM _cov_dec WHERE NOT dec",
        "CREATE UNIQUE INDEX ON _cov_sus (rn)",
    ]


def _settled(q: CoverageQuery) -> list[str]:
    """Settle the suspects (_cov_reg): for a live suspect s, fixes after it are checked
    against the last kept fix s-1 until one is kept (region end e); the next live suspect
    comes after e. A recursive CTE walks from suspect to suspect."""
    gap = _gap(q)
    reach_last = _reach("f.x - s.px", "f.y - s.py", "f.t - s.pt", _vmax(q))
    region_end = f"""(SELECT f.rn FROM _cov_dec f
        WHERE f.rn > s.rn AND f.rn <= s.last_rn AND (
          (s.link AND f.t - s.pt <= {gap!r} AND {reach_last})
          OR ((NOT s.link OR f.t - s.pt > {gap!r}) AND f.confirmed))
        ORDER BY f.rn LIMIT 1)"""
    reg = f"""
CREATE TEMP TABLE _cov_reg ON COMMIT DROP AS
WITH RECURSIVE reg(s, e, last_rn) AS (
  SELECT s.rn, {region_end}, s.last_rn
  FROM (SELECT DISTINCT ON (c) * FROM _cov_sus ORDER BY c, rn) s
  UNION ALL
  SELECT s.rn, {region_end}, s.last_rn
  FROM reg JOIN LATERAL (
    SELECT * FROM _cov_sus n
    WHERE reg.e IS NOT NULL AND n.rn > reg.e AND n.rn <= reg.last_rn
    ORDER BY n.rn LIMIT 1) s ON TRUE
)
SELECT * FROM reg"""
    return [reg]


def _kept(q: CoverageQuery) -> list[str]:
    """The kept fixes (_cov_kept): decided kept and not inside a dropped region, or the
    fix that ends a region."""
    kept = f"""
CREATE TEMP TABLE _cov_kept ON COMMIT DROP AS
WITH dropped AS (
  SELECT generate_series(s, COALESCE(e - 1, last_rn)) AS rn FROM _cov_reg
)
SELECT d.rn, d.c, d.t, d.x, d.y, ST_SetSRID(ST_MakePoint(d.x, d.y), {_srid(q)}) AS g
FROM _cov_dec d LEFT JOIN dropped x ON x.rn = d.rn
WHERE x.rn IS NULL AND (d.dec OR d.rn IN (SELECT e FROM _cov_reg WHERE e IS NOT NULL))"""
    return [kept]


def _track_segments(q: CoverageQuery) -> list[str]:
    """Track segments (_cov_seg): ST_MakeLine of consecutive kept fixes of one piece."""
    seg = f"""
CREATE TEMP TABLE _cov_seg ON COMMIT DROP AS
SELECT c, px, py, x, y, sl,
       CASE WHEN sl > 0 THEN (x - px) / sl ELSE 0 END AS vx,
       CASE WHEN sl > 0 THEN (y - py) / sl ELSE 0 END AS vy, geom
FROM (
  SELECT c, px, py, x, y, sqrt((x - px) ^ 2 + (y - py) ^ 2) AS sl, ST_MakeLine(pg, g) AS geom
  FROM (
    SELECT c, x, y, g, lag(c) OVER w AS pc, lag(t) OVER w AS pt,
           lag(x) OVER w AS px, lag(y) OVER w AS py, lag(g) OVER w AS pg, t
    FROM _cov_kept WINDOW w AS (ORDER BY rn)
  ) k WHERE pc = c AND t - pt <= {_gap(q)!r}
) z"""
    return [seg, "CREATE INDEX ON _cov_seg USING gist (geom)", "ANALYZE _cov_seg"]


def _grids(q: CoverageQuery) -> list[str]:
    """The grids numbered in table order (_cov_grid)."""
    g = q.grids
    grid = f"""
CREATE TEMP TABLE _cov_grid ON COMMIT DROP AS
SELECT row_number() OVER () AS gid, code, geom FROM (
  SELECT s.{quote_ident(q.grid_code)}::text AS code, {g.geom_in(_srid(q), "s")} AS geom
  FROM {g.name} s {g.filter()}
) z"""
    return [grid, "CREATE INDEX ON _cov_grid USING gist (geom)"]


def _road_pieces(q: CoverageQuery) -> list[str]:
    """Road pieces per grid (_cov_piece): the roads dissolved and cut by the grids."""
    rd = q.roads
    piece = f"""
CREATE TEMP TABLE _cov_piece ON COMMIT DROP AS
WITH net AS (
  SELECT (ST_Dump(ST_LineMerge(ST_Union({rd.geom_in(_srid(q), "s")})))).geom AS geom
  FROM {rd.name} s {rd.filter()}
), cut AS (
  SELECT gr.gid, (ST_Dump(ST_Intersection(n.geom, gr.geom))).geom AS geom
  FROM net n JOIN _cov_grid gr ON ST_Intersects(n.geom, gr.geom)
)
SELECT row_number() OVER () AS pid, gid, geom, ST_Length(geom) AS len
FROM cut WHERE GeometryType(geom) = 'LINESTRING' AND ST_Length(geom) > 0"""
    return [piece]


def _road_segments(q: CoverageQuery) -> list[str]:
    """Road segments (_cov_rseg): each piece split into segments no longer than the
    tolerance, with their chainage along the piece."""
    rseg = f"""
CREATE TEMP TABLE _cov_rseg ON COMMIT DROP AS
SELECT pid, ax, ay, (bx - ax) / len AS ux, (by - ay) / len AS uy, len,
       sum(len) OVER (PARTITION BY pid ORDER BY k) - len AS chain0, geom
FROM (
  SELECT p.pid, d.path[1] AS k, ST_X(ST_StartPoint(d.geom)) AS ax,
         ST_Y(ST_StartPoint(d.geom)) AS ay, ST_X(ST_EndPoint(d.geom)) AS bx,
         ST_Y(ST_EndPoint(d.geom)) AS by, ST_Length(d.geom) AS len, d.geom
  FROM _cov_piece p, ST_DumpSegments(ST_Segmentize(p.geom, {float(q.tolerance)!r})) d
) z WHERE len > 0"""
    return [rseg, "CREATE INDEX ON _cov_rseg USING gist (geom)", "ANALYZE _cov_rseg"]


def _pair_intervals(q: CoverageQuery) -> list[str]:
    """The covered interval of each (road segment, track segment) pair within the
    tolerance (_cov_iv): the road segment inside the capsule, as in coverage.capsule_intervals.

    OFFSET 0 keeps each level a separate step: inlined, the planner copies the terms into
    one huge expression and evaluates them many times over.
    """
    r = float(q.tolerance)
    iv = f"""
CREATE TEMP TABLE _cov_iv ON COMMIT DROP AS
SELECT pid, chain0 + lo AS lo, chain0 + hi AS hi FROM (
  SELECT pid, chain0, GREATEST(LEAST(d1lo, d2lo, blo), 0) AS lo,
         LEAST(GREATEST(d1hi, d2hi, bhi), len) AS hi
  FROM (
    SELECT pid, chain0, len, d1lo, d1hi, d2lo, d2hi,
      CASE WHEN sl > 0 AND GREATEST(alo, clo) <= LEAST(ahi, chi)
           THEN GREATEST(alo, clo) END AS blo,
      CASE WHEN sl > 0 AND GREATEST(alo, clo) <= LEAST(ahi, chi)
           THEN LEAST(ahi, chi) END AS bhi
    FROM (
      SELECT pid, chain0, len, sl,
        CASE WHEN e1 >= 0 THEN -b1 - sqrt(e1) END AS d1lo,
        CASE WHEN e1 >= 0 THEN -b1 + sqrt(e1) END AS d1hi,
        CASE WHEN e2 >= 0 THEN -b2 - sqrt(e2) END AS d2lo,
        CASE WHEN e2 >= 0 THEN -b2 + sqrt(e2) END AS d2hi,
        CASE WHEN ad = 0 THEN CASE WHEN ag BETWEEN 0 AND sl THEN '-Infinity'::float8
                                   ELSE 'Infinity'::float8 END
             ELSE LEAST(-ag / ad, (sl - ag) / ad) END AS alo,
        CASE WHEN ad = 0 THEN CASE WHEN ag BETWEEN 0 AND sl THEN 'Infinity'::float8
                                   ELSE '-Infinity'::float8 END
             ELSE GREATEST(-ag / ad, (sl - ag) / ad) END AS ahi,
        CASE WHEN cd = 0 THEN CASE WHEN cg BETWEEN -{r!r} AND {r!r} THEN '-Infinity'::float8
                                   ELSE 'Infinity'::float8 END
             ELSE LEAST((-{r!r} - cg) / cd, ({r!r} - cg) / cd) END AS clo,
        CASE WHEN cd = 0 THEN CASE WHEN cg BETWEEN -{r!r} AND {r!r} THEN 'Infinity'::float8
                                   ELSE '-Infinity'::float8 END
             ELSE GREATEST((-{r!r} - cg) / cd, ({r!r} - cg) / cd) END AS chi
      FROM (
        SELECT pid, chain0, len, sl, b1, b2, ag, ad, cg, cd,
               b1 * b1 - (w1x * w1x + w1y * w1y - {r * r!r}) AS e1,
               b2 * b2 - (w2x * w2x + w2y * w2y - {r * r!r}) AS e2
        FROM (
          SELECT pid, chain0, len, sl, w1x, w1y, w2x, w2y,
                 w1x * ux + w1y * uy AS b1, w2x * ux + w2y * uy AS b2,
                 w1x * vx + w1y * vy AS ag, ux * vx + uy * vy AS ad,
                 w1y * vx - w1x * vy AS cg, uy * vx - ux * vy AS cd
          FROM (
            SELECT r.pid, r.chain0, r.len, r.ux, r.uy, s.sl, s.vx, s.vy,
                   r.ax - s.px AS w1x, r.ay - s.py AS w1y, r.ax - s.x AS w2x, r.ay - s.y AS w2y
            FROM _cov_rseg r JOIN _cov_seg s ON ST_DWithin(r.geom, s.geom, {r!r})
            OFFSET 0
          ) pair OFFSET 0
        ) terms OFFSET 0
      ) parts OFFSET 0
    ) capsule OFFSET 0
  ) clipped OFFSET 0
) iv WHERE lo < hi"""
    return [iv]


def _covered(q: CoverageQuery) -> list[str]:
    """The union of the intervals per piece (_cov_cov): gaps and islands."""
    return [
        """
CREATE TEMP TABLE _cov_cov ON COMMIT DROP AS
SELECT pid, min(lo) AS lo, max(hi) AS hi FROM (
  SELECT pid, lo, hi, sum(CASE WHEN prev IS NULL OR lo > prev THEN 1 ELSE 0 END)
           OVER (PARTITION BY pid ORDER BY lo, hi) AS island
  FROM (
    SELECT pid, lo, hi, max(hi) OVER (PARTITION BY pid ORDER BY lo, hi
                                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev
    FROM _cov_iv
  ) a
) b GROUP BY pid, island"""
    ]


def _gaps(q: CoverageQuery) -> list[str]:
    """Uncovered stretches (_cov_gap): the complement inside each piece, merged per grid."""
    return [
        """
CREATE TEMP TABLE _cov_gap ON COMMIT DROP AS
WITH bounds AS (
  SELECT pid, lo, hi FROM _cov_cov
  UNION ALL SELECT pid, 0, 0 FROM _cov_piece
  UNION ALL SELECT pid, len, len FROM _cov_piece
), ordered AS (
  SELECT pid, hi AS g0, lead(lo) OVER (PARTITION BY pid ORDER BY lo, hi) AS g1,
         max(hi) OVER (PARTITION BY pid ORDER BY lo, hi) AS reach
  FROM bounds
), raw AS (
  SELECT p.gid, ST_LineSubstring(p.geom, GREATEST(o.reach, 0) / p.len,
                                 LEAST(o.g1, p.len) / p.len) AS geom
  FROM ordered o JOIN _cov_piece p USING (pid)
  WHERE o.g1 IS NOT NULL AND o.g1 - o.reach > 1e-6
)
SELECT gid, (ST_Dump(ST_LineMerge(ST_Collect(geom)))).geom AS geom FROM raw GROUP BY gid"""
    ]


def _grid_rows(q: CoverageQuery) -> list[str]:
    """Result: grid code, grid WKB, road and covered length, in grid order."""
    return [
        """
SELECT gr.code, ST_AsBinary(gr.geom), COALESCE(rd.road_m, 0), COALESCE(cv.covered_m, 0)
FROM _cov_grid gr
LEFT JOIN (SELECT gid, sum(len) AS road_m FROM _cov_piece GROUP BY gid) rd USING (gid)
LEFT JOIN (SELECT p.gid, sum(c.hi - c.lo) AS covered_m
           FROM _cov_cov c JOIN _cov_piece p USING (pid) GROUP BY p.gid) cv USING (gid)
ORDER BY gr.gid"""
    ]


def _gap_rows(q: CoverageQuery) -> list[str]:
    """Result: grid position, gap line WKB and its length."""
    return [
        """
SELECT gp.gid - 1, ST_AsBinary(gp.geom), ST_Length(gp.geom)
FROM _cov_gap gp ORDER BY gp.gid"""
    ]


def stats_query(q: CoverageQuery) -> str:
    """Counts of fixes: total, null skipped, outside the window, kept."""
    window = []
    if q.rules.start is not None:
        window.append(f"t < {int(q.rules.start)}")
    if q.rules.end is not None:
        window.append(f"t > {int(q.rules.end)}")
    outside = " OR ".join(window) or "FALSE"
    return f"""
SELECT (SELECT count(*) FROM _cov_raw),
       (SELECT count(*) FROM _cov_raw WHERE c IS NULL OR t IS NULL OR g IS NULL OR ST_IsEmpty(g)),
       (SELECT count(*) FROM _cov_raw WHERE c IS NOT NULL AND t IS NOT NULL AND g IS NOT NULL
           AND NOT ST_IsEmpty(g) AND ({outside})),
       (SELECT count(*) FROM _cov_kept),
       (SELECT count(*) FROM _cov_seg)""".strip()


def coverage_sql(q: CoverageQuery) -> str:
    """The whole script as one text (for logs or psql); run in one transaction."""
    return ";\n\n".join(coverage_statements(q)) + ";\n"
