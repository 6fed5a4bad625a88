"""Review: the queue (:mod:`.queue`), matching candidates (:mod:`.candidates`), decisions
(:mod:`.decisions`, the batch rule included) and auto-match (:mod:`.automatch`)."""

from __future__ import annotations

from ..judge.duplicates import DuplicateLink, DuplicateRules
from ..states import DECIDABLE_STATES, ReviewDecision, SubmissionState
from ..writeback import pending_count, write_back_pending
from .automatch import auto_match
from .candidates import Match, candidates, payload_value, submission
from .decisions import Decision, Outcome, Pick, WriterFor, batch_decisions, decide, decide_many
from .errors import AlreadyDecided, ReviewError
from .queue import (
    Photo,
    QueueFilter,
    QueueItem,
    counts,
    duplicate_links,
    filter_values,
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
    "auto_match",
    "batch_decisions",
    "candidates",
    "counts",
    "decide",
    "decide_many",
    "duplicate_links",
    "filter_values",
    "office_zone",
    "payload_value",
    "pending_count",
    "photos",
    "queue",
    "submission",
    "write_back_pending",
]
