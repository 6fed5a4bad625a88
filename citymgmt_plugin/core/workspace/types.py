"""Column types that mean the same on PostGIS and in a GeoPackage.

GeoPackage columns must use the type names GDAL understands (TEXT, INTEGER, REAL, DATE,
DATETIME, BLOB), and its DATETIME values are ISO 8601 UTC strings; PostgreSQL gets its
native types. Times are kept in UTC in storage and shown in the office's zone.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import DateTime, LargeBinary, Text
from sqlalchemy.dialects.postgresql import BYTEA, JSONB, TIMESTAMP
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine, UserDefinedType


class _GpkgDateTime(UserDefinedType):
    """DATETIME column holding ISO 8601 UTC text, as the GeoPackage spec asks."""

    cache_ok = True

    def get_col_spec(self, **_: Any) -> str:
        return "DATETIME"


class UtcDateTime(TypeDecorator):
    """Timezone-aware datetime; naive values are refused rather than guessed."""

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(TIMESTAMP(timezone=True))
        return dialect.type_descriptor(_GpkgDateTime())

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a timezone (times are stored in UTC)")
        value = value.astimezone(timezone.utc)
        if dialect.name == "postgresql":
            return value
        # GeoPackage DATETIME: ISO 8601 with milliseconds and Z, as GDAL expects
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        text = str(value).replace("Z", "+00:00").replace(" ", "T")
        parsed = datetime.fromisoformat(text)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


class JsonText(TypeDecorator):
    """JSON document: JSONB on PostgreSQL, TEXT in a GeoPackage."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None or dialect.name == "postgresql":
            return value
        return json.dumps(value, ensure_ascii=False)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None or dialect.name == "postgresql":
            return value
        return json.loads(value)


class Blob(TypeDecorator):
    """Binary payload (photos): BYTEA on PostgreSQL, BLOB in a GeoPackage."""

    impl = LargeBinary
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(BYTEA())
        return dialect.type_descriptor(LargeBinary())
