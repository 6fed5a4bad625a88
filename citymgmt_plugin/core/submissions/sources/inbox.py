"""A PostGIS inbox table that another system (城管通 back end, a web form) writes into.

The table needs an identifier column (``instance_id``, ``id`` or ``uuid``) and a change
column (``updated_at``, ``received_at`` or ``created_at``); the position comes from
``lon``/``lat`` columns or a ``geom`` column (any SRID, read as WGS84 lon/lat); other
columns, and a JSON ``payload`` column when there is one, make up the payload. Rows are read
in (change time, id) order after the persisted cursor, so each pull reads only what is new
or changed since the last one.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, text

from ...i18n import tr
from ...sqlnames import SqlNameError, check_foreign_name, qualified, quote
from ..records import Page, SourceError, record_from_row

_CTX = "Intake"


class InboxError(SourceError):
    pass


def _quote_table(name: str) -> tuple[str, str, str]:
    parts = name.split(".")
    if len(parts) == 1:
        parts = ["public", parts[0]]
    try:
        if len(parts) != 2:
            raise SqlNameError(name)
        for part in parts:
            check_foreign_name(part)
    except SqlNameError:
        raise InboxError(tr(_CTX, "Not a table name: {0}").format(repr(name))) from None
    return parts[0], parts[1], qualified(parts[0], parts[1])


class InboxSource:
    """Rows of an inbox table, in pages, after a (time, id) cursor."""

    missing_photo_is_error = True

    def __init__(
        self, engine: Engine, table: str, crs: str = "WGS84", page_size: int = 2000
    ) -> None:
        if engine.dialect.name != "postgresql":
            raise InboxError(tr(_CTX, "An inbox table must be in a PostgreSQL/PostGIS database."))
        self.engine = engine
        self.schema_name, self.table_name, self.qualified = _quote_table(table)
        self.crs = crs
        self.page_size = page_size
        self.key = f"inbox:{self.schema_name}.{self.table_name}"
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT column_name, udt_name FROM information_schema.columns "
                    "WHERE table_schema = :s AND table_name = :t ORDER BY ordinal_position"
                ),
                {"s": self.schema_name, "t": self.table_name},
            ).all()
        if not rows:
            raise InboxError(tr(_CTX, "No inbox table {0}.").format(table))
        self.columns = {r[0]: r[1] for r in rows}
        self.id_col = next((c for c in ("instance_id", "id", "uuid") if c in self.columns), None)
        self.time_col = next(
            (c for c in ("updated_at", "received_at", "created_at") if c in self.columns), None
        )
        if self.id_col is None or self.time_col is None:
            raise InboxError(
                tr(
                    _CTX,
                    "The inbox table {0} needs an id column (instance_id, id or uuid) and a "
                    "time column (updated_at, received_at or created_at).",
                ).format(table)
            )

    def _select(self) -> str:
        # Column names are the other system's, read from the catalogue: quoted, never pasted.
        cols = []
        for name, udt in self.columns.items():
            q = quote(name)
            if udt == "geometry":
                cols.append(
                    f"ST_X(ST_Transform({q}, 4326)) AS __lon, "
                    f"ST_Y(ST_Transform({q}, 4326)) AS __lat"
                )
            elif udt in ("json", "jsonb"):
                cols.append(f"{q}::text AS {q}")
            else:
                cols.append(q)
        return ", ".join(cols)

    def pages(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        after = (cursor or {}).get("after")
        t, i = quote(str(self.time_col)), quote(str(self.id_col))
        while True:
            where = ""
            params: dict[str, Any] = {"n": self.page_size}
            if after:
                where = f"WHERE ({t}, {i}::text) > (CAST(:at AS timestamptz), :aid)"
                params.update(at=after[0], aid=after[1])
            sql = (
                f"SELECT {self._select()} FROM {self.qualified} {where} "
                f"ORDER BY {t}, {i}::text LIMIT :n"
            )
            with self.engine.connect() as conn:
                rows = [dict(r._mapping) for r in conn.execute(text(sql), params)]
            records = []
            for row in rows:
                row = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}
                lon, lat = row.pop("__lon", None), row.pop("__lat", None)
                if lon is not None and row.get("lon") is None:
                    row["lon"], row["lat"] = lon, lat
                row["instance_id"] = str(row.get(self.id_col))
                row.setdefault("version", row.get(self.time_col))
                records.append(record_from_row(row, str(row.get(self.id_col))))
            if rows:
                last = rows[-1]
                stamp = last[self.time_col]
                after = [
                    stamp.isoformat() if isinstance(stamp, datetime) else str(stamp),
                    str(last[self.id_col]),
                ]
            done = len(rows) < self.page_size
            yield Page(records, {"after": after} if after else None, done=done)
            if done:
                return
