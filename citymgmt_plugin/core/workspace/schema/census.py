"""Census tables: class tables, components, identifier counters, photos, history."""

from __future__ import annotations

from geoalchemy2 import Geometry  # noqa: F401
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
)

from ..types import Blob, JsonText, UtcDateTime
from .columns import GEOMETRY_KINDS, digits, geom_column, one_of

COMPONENT_STATUSES = ("完好", "破损", "丢失", "废弃", "移除")
RETIRED_STATUSES = ("废弃", "移除")
PROBLEM_STATUSES = ("破损", "丢失")  # a report of these is a problem, not a census record
DATA_SOURCES = ("实测", "地形图", "基础地理数据", "其他")
ACCURACY_CLASSES = ("A", "B", "C")
ACCURACY_TOLERANCE_M = {"A": 0.5, "B": 1.0, "C": 10.0}
COMPONENT_SCHEMES = ("legacy16", "std17")
# Class tables by kind: component classes per identifier scheme, event classes
CLASS_TABLE_KINDS = ("component", "event")
POI_STATUSES = ("正常", "停业", "移除")  # open, closed, gone
POI_RETIRED = ("移除",)
HISTORY_OPERATIONS = ("create", "update", "move", "status", "retire", "import")


def add_tables(md: MetaData, srid: int) -> None:
    _class_tables(md)
    _class_versions(md)
    _component_tables(md, srid)
    _poi_tables(md, srid)


def _class_tables(md: MetaData) -> None:
    Table(
        "component_classes",
        md,
        Column("scheme", Text, primary_key=True),
        Column("code", Text, primary_key=True),
        Column("major_code", Text, nullable=False),
        Column("major_name", Text, nullable=False),
        Column("name", Text, nullable=False),
        Column("geometry_kind", Text, nullable=False, default="point"),
        Column("department_code", Text),
        Column("department_name", Text),
        Column("filing_standard", Text),  # 立案标准: when a problem with it is filed
        Column("closing_standard", Text),  # 结案标准: when a case is closed
        CheckConstraint(one_of("scheme", COMPONENT_SCHEMES), name="scheme"),
        CheckConstraint(one_of("geometry_kind", GEOMETRY_KINDS), name="geometry_kind"),
        CheckConstraint(
            "(scheme = 'legacy16' AND " + digits("code", 4) + ") OR "
            "(scheme = 'std17' AND " + digits("code", 5) + ")",
            name="code_format",
        ),
        CheckConstraint("substr(code, 1, 2) = major_code", name="code_in_major"),
    )
    Table(
        "event_classes",
        md,
        Column("code", Text, primary_key=True),
        Column("major_code", Text, nullable=False),
        Column("major_name", Text, nullable=False),
        Column("name", Text, nullable=False),
        Column("department_code", Text),
        Column("department_name", Text),
        Column("filing_standard", Text),
        Column("closing_standard", Text),
        CheckConstraint(digits("code", 4), name="code_format"),
    )


def _class_versions(md: MetaData) -> None:
    # Each class table a workspace has had: the shipped defaults (version 1) and every
    # city table loaded since, with its rows and what it changed.
    Table(
        "class_table_versions",
        md,
        Column("id", Integer, primary_key=True),
        Column("kind", Text, nullable=False),
        Column("scheme", Text, nullable=False),  # legacy16 / std17; "event" for events
        Column("version", Integer, nullable=False),
        Column("loaded_at", UtcDateTime, nullable=False),
        Column("loaded_by", Text, nullable=False),
        Column("source", Text),
        Column("sha256", Text),
        Column("is_default", Boolean, nullable=False, default=False),
        Column("provisional", Boolean, nullable=False, default=False),
        Column("class_count", Integer, nullable=False),
        Column("note", Text),
        Column("classes", JsonText, nullable=False),
        Column("changes", JsonText),
        UniqueConstraint("kind", "scheme", "version"),
        CheckConstraint(one_of("kind", CLASS_TABLE_KINDS), name="kind"),
    )


def _component_tables(md: MetaData, srid: int) -> None:
    # Identifier: county (6) + class code (4 legacy / 5 std17) + serial (6).
    Table(
        "components",
        md,
        Column("id", Integer, primary_key=True),
        Column("identifier", Text, nullable=False, unique=True),
        Column("scheme", Text, nullable=False),
        Column("class_code", Text, nullable=False),
        Column("name", Text, nullable=False),
        Column("dept_code", Text, nullable=False),
        Column("dept_name", Text, nullable=False),
        Column("owner_code", Text),
        Column("owner_name", Text),
        Column("maint_code", Text),
        Column("maint_name", Text),
        Column("grid_code", Text, ForeignKey("unit_grids.code"), nullable=False),
        Column("street_code", Text),
        Column("street_name", Text),
        Column("community_code", Text),
        Column("community_name", Text),
        Column("status", Text, nullable=False, default="完好"),
        Column("initial_date", Date, nullable=False),
        Column("change_date", Date),
        Column("data_source", Text, nullable=False, default="实测"),
        Column("accuracy_class", Text, nullable=False, default="B"),
        Column("note", Text),
        Column("version", Integer, nullable=False, default=1),
        Column("updated_at", UtcDateTime),
        Column("updated_by", Text),
        geom_column("GEOMETRY", srid),
        ForeignKeyConstraint(
            ["scheme", "class_code"], ["component_classes.scheme", "component_classes.code"]
        ),
        CheckConstraint(one_of("status", COMPONENT_STATUSES), name="status"),
        CheckConstraint(one_of("data_source", DATA_SOURCES), name="data_source"),
        CheckConstraint(one_of("accuracy_class", ACCURACY_CLASSES), name="accuracy_class"),
        CheckConstraint(
            "(scheme = 'legacy16' AND " + digits("identifier", 16) + ") OR "
            "(scheme = 'std17' AND " + digits("identifier", 17) + ")",
            name="identifier_format",
        ),
        CheckConstraint(
            "substr(identifier, 7, length(class_code)) = class_code", name="identifier_class"
        ),
        CheckConstraint(
            "substr(identifier, 1, 6) = substr(grid_code, 1, 6)", name="identifier_county"
        ),
        CheckConstraint("change_date IS NULL OR change_date >= initial_date", name="dates"),
        Index("ix_components_grid_code", "grid_code"),
        Index("ix_components_class", "scheme", "class_code"),
    )
    # Next free serial per county and class; row-locked while an identifier is allocated.
    Table(
        "identifier_counters",
        md,
        Column("county_code", Text, primary_key=True),
        Column("scheme", Text, primary_key=True),
        Column("class_code", Text, primary_key=True),
        Column("next_serial", Integer, nullable=False),
        CheckConstraint("next_serial BETWEEN 1 AND 1000000", name="serial_range"),
    )
    Table(
        "component_photos",
        md,
        Column("id", Integer, primary_key=True),
        Column("component_id", Integer, ForeignKey("components.id"), nullable=False),
        Column("filename", Text, nullable=False),
        Column("sha256", Text, nullable=False),
        Column("mime", Text, nullable=False, default="image/jpeg"),
        Column("taken_at", UtcDateTime),
        Column("exif_lon", Float),
        Column("exif_lat", Float),
        Column("content", Blob),  # in the database, or ...
        Column("path", Text),  # ... a file next to it, as the workspace decides
        Column("added_at", UtcDateTime, nullable=False),
        Column("added_by", Text),
        CheckConstraint("content IS NOT NULL OR path IS NOT NULL", name="stored"),
        UniqueConstraint("component_id", "sha256"),
    )
    Table(
        "component_history",
        md,
        Column("id", Integer, primary_key=True),
        Column("component_id", Integer, ForeignKey("components.id"), nullable=False),
        Column("version", Integer, nullable=False),
        Column("operation", Text, nullable=False),
        Column("changed_at", UtcDateTime, nullable=False),
        Column("changed_by", Text, nullable=False),
        Column("reason", Text),
        Column("attributes", JsonText, nullable=False),  # full snapshot of the version
        Column("changes", JsonText),  # {field: [old, new]}
        geom_column("GEOMETRY", srid, nullable=True),
        UniqueConstraint("component_id", "version"),
        CheckConstraint(one_of("operation", HISTORY_OPERATIONS), name="operation"),
    )


def _poi_tables(md: MetaData, srid: int) -> None:
    # Points of interest (兴趣点): identifier = county (6) + category (4) + serial (6).
    Table(
        "poi_categories",
        md,
        Column("code", Text, primary_key=True),
        Column("major_code", Text, nullable=False),
        Column("major_name", Text, nullable=False),
        Column("name", Text, nullable=False),
        CheckConstraint(digits("code", 4), name="code_format"),
        CheckConstraint("substr(code, 1, 2) = major_code", name="code_in_major"),
    )
    Table(
        "pois",
        md,
        Column("id", Integer, primary_key=True),
        Column("identifier", Text, nullable=False, unique=True),
        Column("category_code", Text, ForeignKey("poi_categories.code"), nullable=False),
        Column("name", Text, nullable=False),
        Column("address", Text),
        Column("phone", Text),
        Column("door_number", Text),  # 门牌号
        Column("grid_code", Text, ForeignKey("unit_grids.code"), nullable=False),
        Column("street_code", Text),
        Column("street_name", Text),
        Column("community_code", Text),
        Column("community_name", Text),
        Column("status", Text, nullable=False, default="正常"),
        Column("initial_date", Date, nullable=False),
        Column("change_date", Date),
        Column("data_source", Text, nullable=False, default="实测"),
        Column("note", Text),
        Column("version", Integer, nullable=False, default=1),
        Column("updated_at", UtcDateTime),
        Column("updated_by", Text),
        geom_column("POINT", srid),
        CheckConstraint(one_of("status", POI_STATUSES), name="status"),
        CheckConstraint(one_of("data_source", DATA_SOURCES), name="data_source"),
        CheckConstraint(digits("identifier", 16), name="identifier_format"),
        CheckConstraint("substr(identifier, 7, 4) = category_code", name="identifier_category"),
        CheckConstraint(
            "substr(identifier, 1, 6) = substr(grid_code, 1, 6)", name="identifier_county"
        ),
        CheckConstraint("change_date IS NULL OR change_date >= initial_date", name="dates"),
        Index("ix_pois_grid_code", "grid_code"),
        Index("ix_pois_category", "category_code"),
    )
    Table(
        "poi_history",
        md,
        Column("id", Integer, primary_key=True),
        Column("poi_id", Integer, ForeignKey("pois.id"), nullable=False),
        Column("version", Integer, nullable=False),
        Column("operation", Text, nullable=False),
        Column("changed_at", UtcDateTime, nullable=False),
        Column("changed_by", Text, nullable=False),
        Column("reason", Text),
        Column("attributes", JsonText, nullable=False),
        Column("changes", JsonText),
        geom_column("POINT", srid, nullable=True),
        UniqueConstraint("poi_id", "version"),
        CheckConstraint(one_of("operation", HISTORY_OPERATIONS), name="operation"),
    )
