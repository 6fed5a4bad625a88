"""A PostGIS inbox table that another system (城管通 back end, a web form) writes into.

The table needs an identifier column (``instance_id``, ``id`` or ``uuid``) and a change
column (``updated_at``, ``received_at`` or ``created_at``); the position comes from
``lon``/``lat`` columns or a ``geom`` column (any SRID, read as WGS84 lon/lat); other
columns, and a JSON ``payload`` column when there is one, make up the payload. Rows are read
in (change time, id) order after the persisted cursor, so each pull reads only what is new
or changed since the last one.

A row committed late is not skipped. Its change time is set when the writer writes (often
its transaction's start: ``now()``), but the row is visible only once that transaction
commits, so a long transaction can commit a row with an older time after a pull has read
past that time. The cursor therefore also keeps what the snapshot taken when the pull
started could not see: the transactions running then (``pg_snapshot_xip``) and every one
from its ``xmax`` on. Each later read of the pull sees at least what that snapshot saw, so
a row the pull missed was written by one of those transactions; the next pull first reads
the rows at or before the cursor that such a transaction wrote (``xmin``, the row's writer,
compared with ``age()``), and a row already stored with the same version is skipped as
unchanged. We chose this over a safety window on the change time ("read the last N minutes
again"): a window is a guess at how long writers keep their transactions open, and an
import or a client left in a transaction outlasts any guess; transaction ids are exact and
need no privilege. The cost: those rows are looked up with a scan of the inbox table
(``xmin`` has no index), once per pull.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, text

from ...i18n import tr
from ...sqlnames import SqlNameError, check_foreign_name, qualified, quote
from ..records import Page, RawSubmission, SourceError, record_from_row

_CTX = "Intake"
# What a read now cannot see: the transactions running (xip) and those from xmax on.
_SNAPSHOT_SQL = (
    "SELECT pg_snapshot_xmax(s)::text, array(SELECT pg_snapshot_xip(s)::text) "
    "FROM pg_current_snapshot() s"
)
_XID_WINDOW = 2**31 - 2**24  # transaction ids compare by age() within this distance
_UNSEEN = "(age(xmin) <= age(CAST(:xmax AS xid)) OR xmin = ANY(CAST(:xip AS xid[])))"


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

    def _order_columns(self) -> tuple[str, str]:
        """The change-time and id columns, quoted (the other system's names)."""
        return quote(str(self.time_col)), quote(str(self.id_col))

    def _records(self, rows: list[dict[str, Any]]) -> list[RawSubmission]:
        records = []
        for row in rows:
            row = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}
            lon, lat = row.pop("__lon", None), row.pop("__lat", None)
            if lon is not None and row.get("lon") is None:
                row["lon"], row["lat"] = lon, lat
            row["instance_id"] = str(row.get(self.id_col))
            row.setdefault("version", row.get(self.time_col))
            records.append(record_from_row(row, str(row.get(self.id_col))))
        return records

    def _key(self, row: dict[str, Any]) -> list[str]:
        stamp = row[self.time_col]
        return [
            stamp.isoformat() if isinstance(stamp, datetime) else str(stamp),
            str(row[self.id_col]),
        ]

    def _read(self, where: list[str], params: dict[str, Any]) -> list[dict[str, Any]]:
        """One page of rows in (time, id) order."""
        t, i = self._order_columns()
        cond = f"WHERE {' AND '.join(where)}" if where else ""
        sql = (
            f"SELECT {self._select()} FROM {self.qualified} {cond} ORDER BY {t}, {i}::text LIMIT :n"
        )
        with self.engine.connect() as conn:
            return [
                dict(r._mapping) for r in conn.execute(text(sql), dict(params, n=self.page_size))
            ]

    def _snapshot(self) -> tuple[int, list[int]]:
        """(xmax, running transactions) of a snapshot taken now, 64-bit ids."""
        with self.engine.connect() as conn:
            xmax, xip = conn.execute(text(_SNAPSHOT_SQL)).one()
        return int(xmax), [int(x) for x in xip or ()]

    def _late_pages(self, after: list[str], seen: dict[str, Any], now: int) -> Iterator[Page]:
        """Rows at or before the cursor that the previous pull could not see: written by a
        transaction still running when it started (``seen["xip"]``) or begun after
        (``seen["xmax"]`` on): committed late, or read since (then unchanged)."""
        t, i = self._order_columns()
        where = [f"({t}, {i}::text) <= (CAST(:at AS timestamptz), :aid)"]
        params: dict[str, Any] = {"at": after[0], "aid": after[1]}
        xmax = int(seen["xmax"])
        if now - xmax < _XID_WINDOW:  # else: so long ago that every row is looked at again
            where.append(_UNSEEN)
            params.update(xmax=str(xmax % 2**32), xip=[str(int(x) % 2**32) for x in seen["xip"]])
        kept = {"after": after, **seen}
        last: list[str] | None = None
        while True:
            extra = [f"({t}, {i}::text) > (CAST(:lat AS timestamptz), :lid)"] if last else []
            rows = self._read(
                where + extra, dict(params, **({"lat": last[0], "lid": last[1]} if last else {}))
            )
            if rows:
                last = self._key(rows[-1])
                yield Page(self._records(rows), dict(kept))
            if len(rows) < self.page_size:
                return

    def pages(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        """Late rows first (see :meth:`_late_pages`), then the rows after the cursor. The
        cursor keeps, besides the last (time, id), what the snapshot taken when this pull
        started could not see (``xmax`` and the running ``xip``)."""
        cursor = cursor or {}
        after = cursor.get("after")
        xmax, xip = self._snapshot()  # before any read of this pull
        if after and cursor.get("xmax") is not None:
            seen = {"xmax": cursor["xmax"], "xip": cursor.get("xip") or []}
            yield from self._late_pages(after, seen, xmax)
        horizon = {"xmax": str(xmax), "xip": [str(x) for x in xip]}
        t, i = self._order_columns()
        while True:
            where, params = [], {}
            if after:
                where = [f"({t}, {i}::text) > (CAST(:at AS timestamptz), :aid)"]
                params = {"at": after[0], "aid": after[1]}
            rows = self._read(where, params)
            if rows:
                after = self._key(rows[-1])
            done = len(rows) < self.page_size
            kept = {"after": after, **horizon} if after else None
            yield Page(self._records(rows), kept, done=done)
            if done:
                return
