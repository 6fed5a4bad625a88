"""Field-device submissions: the submissions, their earlier versions, photos (and the photos
an edit replaced), duplicate links, decisions, the write-back outbox, and where each
source's pull goes on from."""

from __future__ import annotations

from geoalchemy2 import Geometry  # noqa: F401
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
)

from ..types import Blob, JsonText, UtcDateTime
from .columns import geom_column, one_of

SUBMISSION_STATES = (
    "pending",  # received, waiting for review
    "quarantined",  # invalid: kept with its raw payload and reason
    "accepted",  # became a new component or an event case
    "updated",  # updated a stored component
    "duplicate",
    "rejected",
    "has_issues",  # sent back to the collector
)
REVIEW_DECISIONS = ("accept_new", "update_existing", "duplicate", "reject", "has_issues")


def add_tables(md: MetaData, srid: int) -> None:
    _received_tables(md, srid)
    _review_tables(md)
    _intake_tables(md)


def _received_tables(md: MetaData, srid: int) -> None:
    """What came in: the submissions, their earlier versions, their photos."""
    Table(
        "submissions",
        md,
        Column("id", Integer, primary_key=True),
        Column("source", Text, nullable=False),  # e.g. odk:project/form, file:..., inbox
        Column("instance_id", Text, nullable=False),
        Column("server_version", Text),  # instanceID of the current edit, or updatedAt
        Column("collector_code", Text),
        Column("collector_name", Text),
        Column("device_id", Text),
        Column("observed_at", UtcDateTime),
        Column("received_at", UtcDateTime, nullable=False),
        Column("server_updated_at", UtcDateTime),
        Column("kind", Text),  # component / event
        Column("category_code", Text),
        Column("description", Text),
        Column("raw_x", Float),
        Column("raw_y", Float),
        Column("raw_crs", Text),
        Column("crs_flag", Text),  # e.g. suspected_gcj02
        Column("grid_code", Text),
        Column("state", Text, nullable=False, default="pending"),
        Column("quarantine_reason", Text),
        Column("payload", JsonText, nullable=False),
        Column("attachments", JsonText),
        Column("row_version", Integer, nullable=False, default=1),
        Column("decided_at", UtcDateTime),
        Column("decided_by", Text),
        geom_column("POINT", srid, nullable=True),
        # revision 0005: a new server version stored after the decision (decision kept)
        Column("late_edit_at", UtcDateTime),
        UniqueConstraint("source", "instance_id"),
        CheckConstraint(one_of("state", SUBMISSION_STATES), name="state"),
        CheckConstraint(
            "state <> 'quarantined' OR quarantine_reason IS NOT NULL", name="quarantine_reason"
        ),
        CheckConstraint("kind IS NULL OR kind IN ('component', 'event')", name="kind"),
        Index("ix_submissions_state", "state"),
    )
    Table(
        "submission_versions",
        md,
        Column("id", Integer, primary_key=True),
        Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
        Column("server_version", Text),
        Column("replaced_at", UtcDateTime, nullable=False),
        Column("payload", JsonText, nullable=False),
    )
    Table(
        "submission_attachments",
        md,
        Column("id", Integer, primary_key=True),
        Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
        Column("name", Text, nullable=False),
        Column("etag", Text),
        Column("sha256", Text),
        Column("mime", Text),
        Column("content", Blob),
        Column("path", Text),
        Column("exif_time", UtcDateTime),
        Column("exif_lon", Float),
        Column("exif_lat", Float),
        Column("problem", Text),  # unreadable, EXIF disagrees with the submission, ...
        UniqueConstraint("submission_id", "name"),
    )


def _review_tables(md: MetaData) -> None:
    """What reviewers decided, the links judged at ingest, and the write-back outbox."""
    Table(
        "submission_attachment_versions",  # revision 0005: photos an edit replaced
        md,
        Column("id", Integer, primary_key=True),
        Column(
            "attachment_id",
            Integer,
            # named here: the convention's name would be over PostgreSQL's 63 characters
            ForeignKey("submission_attachments.id", name="fk_submission_attachment_versions_photo"),
            nullable=False,
        ),
        Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
        Column("name", Text, nullable=False),
        Column("server_version", Text),  # the submission version the photo belonged to
        Column("etag", Text),
        Column("sha256", Text),
        Column("mime", Text),
        Column("content", Blob),
        Column("exif_time", UtcDateTime),
        Column("exif_lon", Float),
        Column("exif_lat", Float),
        Column("problem", Text),
        Column("replaced_at", UtcDateTime, nullable=False),
        Index("ix_submission_attachment_versions_submission_id", "submission_id"),
    )
    Table(
        "review_decisions",
        md,
        Column("id", Integer, primary_key=True),
        Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
        Column("decision", Text, nullable=False),
        Column("reason", Text),
        Column("component_id", Integer, ForeignKey("components.id")),
        Column("reviewer", Text, nullable=False),
        Column("decided_at", UtcDateTime, nullable=False),
        Column("written_back", Boolean, nullable=False, default=False),
        CheckConstraint(one_of("decision", REVIEW_DECISIONS), name="decision"),
    )
    Table(
        "submission_links",  # revision 0002: likely repeats, judged at ingest
        md,
        Column("submission_id", Integer, ForeignKey("submissions.id"), primary_key=True),
        Column("original_id", Integer, ForeignKey("submissions.id"), nullable=False),
        Column("distance_m", Float, nullable=False),
        Column("minutes", Float, nullable=False),
        Index("ix_submission_links_original_id", "original_id"),
    )
    Table(
        "submission_outbox",  # revision 0002: decisions to write back, drained by the source
        md,
        Column("id", Integer, primary_key=True),
        Column("decision_id", Integer, ForeignKey("review_decisions.id"), nullable=False),
        Column("source", Text, nullable=False),
        Column("instance_id", Text, nullable=False),
        Column("decision", Text, nullable=False),
        Column("comment", Text),
        Column("created_at", UtcDateTime, nullable=False),
        Column("attempts", Integer, nullable=False, default=0),
        Column("last_error", Text),
        Column("sent_at", UtcDateTime),
        UniqueConstraint("decision_id"),
        CheckConstraint(one_of("decision", REVIEW_DECISIONS), name="decision"),
        Index("ix_submission_outbox_sent_at", "sent_at"),
    )


def _intake_tables(md: MetaData) -> None:
    """Where the next pull of each source goes on from (revision 0003): written by intake
    with every stored page, apart from workspace_settings, which only an admin may change."""
    Table(
        "intake_cursors",
        md,
        Column("source_key", Text, primary_key=True),
        Column("cursor", JsonText, nullable=False),
        Column("updated_at", UtcDateTime, nullable=False),
    )
