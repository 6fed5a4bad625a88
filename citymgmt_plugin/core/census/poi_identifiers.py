"""Identifiers of points of interest: county (6) + category (4) + serial (6), allocated from
``identifier_counters`` (scheme ``poi``) inside the caller's transaction, never twice."""

from __future__ import annotations

from sqlalchemy import Connection, text

from ..i18n import tr
from ..workspace.store import Workspace
from .errors import Problem, ValidationFailed
from .identifiers import MAX_SERIAL

POI_SCHEME = "poi"  # the identifier counters of POIs


# -- identifiers ---------------------------------------------------------------------------


def _take(conn: Connection, county: str, category: str, count: int) -> int | None:
    return conn.execute(
        text(
            "UPDATE identifier_counters SET next_serial = next_serial + :n "
            "WHERE county_code = :county AND scheme = :scheme AND class_code = :cls "
            "AND next_serial + :n <= :limit RETURNING next_serial - :n"
        ),
        {
            "n": count,
            "county": county,
            "scheme": POI_SCHEME,
            "cls": category,
            "limit": MAX_SERIAL + 1,
        },
    ).scalar()


def _ensure_counter(conn: Connection, county: str, category: str) -> None:
    conn.execute(
        text(
            "INSERT INTO identifier_counters (county_code, scheme, class_code, next_serial) "
            "SELECT :county, :scheme, :cls, "
            "  coalesce(max(CAST(substr(identifier, 11) AS INTEGER)), 0) + 1 "
            "FROM pois WHERE identifier BETWEEN :lo AND :hi "
            "ON CONFLICT (county_code, scheme, class_code) DO NOTHING"
        ),
        {
            "county": county,
            "scheme": POI_SCHEME,
            "cls": category,
            "lo": f"{county}{category}000000",
            "hi": f"{county}{category}999999",
        },
    )


def allocate_poi_identifiers(conn: Connection, county: str, category: str, count: int = 1):
    """``count`` new identifiers for county + category, inside the caller's transaction."""
    first = _take(conn, county, category, count)
    if first is None:
        _ensure_counter(conn, county, category)
        first = _take(conn, county, category, count)
    if first is None:
        raise ValidationFailed(
            [
                Problem(
                    "identifier",
                    "identifier",
                    tr("Census", "No serials left for county {0} and class {1} ({2}).").format(
                        county, category, POI_SCHEME
                    ),
                )
            ]
        )
    return [f"{county}{category}{s:06d}" for s in range(int(first), int(first) + count)]


def reserve_poi_identifier(conn: Connection, ws: Workspace, identifier: str) -> None:
    """Move the counter past an identifier that arrives ready-made (a census batch)."""
    county, category, serial = identifier[:6], identifier[6:10], int(identifier[10:])
    _ensure_counter(conn, county, category)
    greatest = "GREATEST" if ws.is_postgres else "max"
    conn.execute(
        text(
            f"UPDATE identifier_counters SET next_serial = {greatest}(next_serial, :s) "
            "WHERE county_code = :county AND scheme = :scheme AND class_code = :cls"
        ),
        {
            "s": min(serial + 1, MAX_SERIAL + 1),
            "county": county,
            "scheme": POI_SCHEME,
            "cls": category,
        },
    )
