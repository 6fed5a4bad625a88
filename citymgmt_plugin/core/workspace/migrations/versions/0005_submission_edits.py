"""Submissions: an edit that arrives after the decision is flagged, and the photos it
replaces are kept.

- ``submissions.late_edit_at``: when a new server version of an already decided submission
  was stored (the decision kept); cleared when a reviewer has looked at it.
- ``submission_attachment_versions``: the content of a photo an edit replaced, with the
  submission version it belonged to.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from citymgmt_plugin.core.workspace.types import Blob, UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("submissions", sa.Column("late_edit_at", UtcDateTime))
    op.create_table(
        "submission_attachment_versions",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("attachment_id", sa.Integer, nullable=False),
        sa.Column("submission_id", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("server_version", sa.Text),
        sa.Column("etag", sa.Text),
        sa.Column("sha256", sa.Text),
        sa.Column("mime", sa.Text),
        sa.Column("content", Blob),
        sa.Column("exif_time", UtcDateTime),
        sa.Column("exif_lon", sa.Float),
        sa.Column("exif_lat", sa.Float),
        sa.Column("problem", sa.Text),
        sa.Column("replaced_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_submission_attachment_versions"),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["submission_attachments.id"],
            name="fk_submission_attachment_versions_photo",
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name="fk_submission_attachment_versions_submission_id_submissions",
        ),
    )
    op.create_index(
        "ix_submission_attachment_versions_submission_id",
        "submission_attachment_versions",
        ["submission_id"],
    )


def downgrade() -> None:
    op.drop_index(
        "ix_submission_attachment_versions_submission_id", "submission_attachment_versions"
    )
    op.drop_table("submission_attachment_versions")
    with op.batch_alter_table("submissions") as batch:
        batch.drop_column("late_edit_at")
