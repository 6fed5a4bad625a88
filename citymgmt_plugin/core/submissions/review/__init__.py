"""Review: the queue (:mod:`.queue`), matching candidates (:mod:`.candidates`), decisions
(:mod:`.decisions`, the batch rule included), auto-match (:mod:`.automatch`) and edits that
arrived after the decision (:mod:`.late_edits`)."""

from __future__ import annotations

from ..judge.duplicates import DuplicateLink, DuplicateRules
from ..states import DECIDABLE_STATES, ReviewDecision, SubmissionState
from ..writeback import pending_count, write_back_pending
from .automatch import auto_match
from .candidates import Match, candidates, payload_value, submission
from .decisions import Decision, Outcome, Pick, WriterFor, batch_decisions, decide, decide_many
from .errors import AlreadyDecided, ReviewError
from .late_edits import acknowledge as acknowledge_late_edits
from .queue import (
    Photo,
    QueueFilter,
    QueueItem,
    counts,
    duplicate_links,
    filter_values,
    nearest_item,
    next_to_decide,
    office_zone,
    photos,
    queue,
)

__all__ = [
    "DECIDABLE_STATES",
    "AlreadyDecided",
    "Decision",
    "DuplicateLink",
    "DuplicateRules",
    "Match",
    "Outcome",
    "Photo",
    "Pick",
    "QueueFilter",
    "QueueItem",
    "ReviewDecision",
    "ReviewError",
    "SubmissionState",
    "WriterFor",
    "acknowledge_late_edits",
    "auto_match",
    "batch_decisions",
    "candidates",
    "counts",
    "decide",
    "decide_many",
    "duplicate_links",
    "filter_values",
    "nearest_item",
    "next_to_decide",
    "office_zone",
    "payload_value",
    "pending_count",
    "photos",
    "queue",
    "submission",
    "write_back_pending",
]
