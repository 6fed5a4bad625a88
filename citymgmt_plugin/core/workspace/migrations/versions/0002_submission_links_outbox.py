"""Submissions: duplicate links stored at ingest, and the write-back outbox.

- ``submission_links``: one row per submission that likely repeats an earlier one (its
  original, the earliest report of the cluster, with distance and delay); filled here from
  the submissions already stored, by the rule intake used until now.
- ``submission_outbox``: one row per decision to write back to the source (ODK Central);
  the decisions not yet written back are queued here.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import sqlalchemy as sa
from alembic import op

from citymgmt_plugin.core.workspace.types import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Frozen at this revision (later revisions change them step by step).
REVIEW_DECISIONS = ("accept_new", "update_existing", "duplicate", "reject", "has_issues")
_DISTANCE_KEY, _WINDOW_KEY = "intake.duplicate_distance_m", "intake.duplicate_window_h"
_DEFAULT_DISTANCE_M, _DEFAULT_WINDOW_H = 30.0, 2.0

_submissions = sa.table(
    "submissions",
    sa.column("id", sa.Integer),
    sa.column("source", sa.Text),
    sa.column("instance_id", sa.Text),
    sa.column("state", sa.Text),
    sa.column("quarantine_reason", sa.Text),
    sa.column("kind", sa.Text),
    sa.column("category_code", sa.Text),
    sa.column("observed_at", UtcDateTime),
    sa.column("geom"),
)
_decisions = sa.table(
    "review_decisions",
    sa.column("id", sa.Integer),
    sa.column("submission_id", sa.Integer),
    sa.column("decision", sa.Text),
    sa.column("reason", sa.Text),
    sa.column("decided_at", UtcDateTime),
    sa.column("written_back", sa.Boolean),
)
_settings = sa.table("workspace_settings", sa.column("key", sa.Text), sa.column("value", sa.Text))


def _create_tables() -> tuple[sa.Table, sa.Table]:
    links = op.create_table(
        "submission_links",
        sa.Column("submission_id", sa.Integer, nullable=False),
        sa.Column("original_id", sa.Integer, nullable=False),
        sa.Column("distance_m", sa.Float, nullable=False),
        sa.Column("minutes", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("submission_id", name="pk_submission_links"),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name="fk_submission_links_submission_id_submissions",
        ),
        sa.ForeignKeyConstraint(
            ["original_id"], ["submissions.id"], name="fk_submission_links_original_id_submissions"
        ),
    )
    op.create_index("ix_submission_links_original_id", "submission_links", ["original_id"])
    quoted = ", ".join(f"'{d}'" for d in REVIEW_DECISIONS)
    outbox = op.create_table(
        "submission_outbox",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("decision_id", sa.Integer, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("instance_id", sa.Text, nullable=False),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("sent_at", UtcDateTime),
        sa.PrimaryKeyConstraint("id", name="pk_submission_outbox"),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["review_decisions.id"],
            name="fk_submission_outbox_decision_id_review_decisions",
        ),
        sa.UniqueConstraint("decision_id", name="uq_submission_outbox_decision_id"),
        sa.CheckConstraint(f"decision IN ({quoted})", name="ck_submission_outbox_decision"),
    )
    op.create_index("ix_submission_outbox_sent_at", "submission_outbox", ["sent_at"])
    return links, outbox


def _queue_unsent(bind: sa.Connection, outbox: sa.Table) -> None:
    """Decisions on ODK Central submissions not yet written back, as outbox rows."""
    s, rd = _submissions, _decisions
    rows = bind.execute(
        sa.select(rd.c.id, rd.c.decision, rd.c.reason, rd.c.decided_at, s.c.source, s.c.instance_id)
        .join(s, s.c.id == rd.c.submission_id)
        .where(sa.and_(rd.c.written_back.is_(False), s.c.source.like("odk:%")))
        .order_by(rd.c.id)
    ).all()
    if rows:
        op.bulk_insert(
            outbox,
            [
                {
                    "decision_id": r.id,
                    "source": r.source,
                    "instance_id": r.instance_id,
                    "decision": r.decision,
                    "comment": r.reason,
                    "created_at": r.decided_at or datetime.now(timezone.utc),
                    "attempts": 0,
                }
                for r in rows
            ],
        )


def _rules(bind: sa.Connection) -> tuple[float, float]:
    values = dict(bind.execute(sa.select(_settings.c.key, _settings.c.value)).all())
    try:
        distance = float(values.get(_DISTANCE_KEY) or _DEFAULT_DISTANCE_M)
        window = float(values.get(_WINDOW_KEY) or _DEFAULT_WINDOW_H)
    except ValueError:
        return _DEFAULT_DISTANCE_M, _DEFAULT_WINDOW_H
    return distance, window


def _usable(state: str, reason: str | None) -> bool:
    if state != "quarantined":
        return True
    codes = {p.split(":", 1)[0].strip() for p in (reason or "").split("; ") if p.strip()}
    return bool(codes) and codes <= {"unreadable_photo"}


def _links(rows: list, distance_m: float, window_h: float) -> list[dict]:
    """The duplicate rule of revision 0001's intake, over every stored submission."""
    import shapely

    ids = np.array([r[0] for r in rows], np.int64)
    t = np.array([r[4].timestamp() for r in rows])
    x = np.array([r[5] for r in rows], float)
    y = np.array([r[6] for r in rows], float)
    group = np.unique(np.array([f"{r[2]}|{r[3]}" for r in rows]), return_inverse=True)[1]
    pts = shapely.points(x, y)
    a, b = shapely.STRtree(pts).query(pts, predicate="dwithin", distance=distance_m)
    dt = t[a] - t[b]
    keep = (group[a] == group[b]) & (dt <= window_h * 3600.0)
    keep &= (dt > 0) | ((dt == 0) & (ids[b] < ids[a]))
    a, b, dt = a[keep], b[keep], dt[keep]
    order = np.lexsort((dt, np.hypot(x[a] - x[b], y[a] - y[b]), a))
    a, b = a[order], b[order]
    first = np.ones(len(a), bool)
    first[1:] = a[1:] != a[:-1]
    direct = dict(zip(a[first].tolist(), b[first].tolist()))
    root: dict[int, int] = {}
    for i in sorted(direct, key=lambda k: (t[k], ids[k])):
        root[i] = root.get(direct[i], direct[i])
    return [
        {
            "submission_id": int(ids[i]),
            "original_id": int(ids[j]),
            "distance_m": float(np.hypot(x[i] - x[j], y[i] - y[j])),
            "minutes": float((t[i] - t[j]) / 60.0),
        }
        for i, j in root.items()
    ]


def _fill_links(bind: sa.Connection, links: sa.Table) -> None:
    s = _submissions
    geom = sa.column("geom")
    rows = bind.execute(
        sa.select(
            s.c.id,
            s.c.state,
            s.c.kind,
            s.c.category_code,
            s.c.observed_at,
            sa.func.ST_X(geom),
            sa.func.ST_Y(geom),
            s.c.quarantine_reason,
        ).where(
            sa.and_(
                geom.is_not(None),
                s.c.observed_at.is_not(None),
                s.c.kind.is_not(None),
                s.c.category_code.is_not(None),
            )
        )
    ).all()
    rows = [r for r in rows if _usable(r[1], r[7])]
    if len(rows) >= 2:
        out = _links(rows, *_rules(bind))
        if out:
            op.bulk_insert(links, out)


def upgrade() -> None:
    bind = op.get_bind()
    links, outbox = _create_tables()
    _queue_unsent(bind, outbox)
    _fill_links(bind, links)


def downgrade() -> None:
    op.drop_index("ix_submission_outbox_sent_at", "submission_outbox")
    op.drop_table("submission_outbox")
    op.drop_index("ix_submission_links_original_id", "submission_links")
    op.drop_table("submission_links")
