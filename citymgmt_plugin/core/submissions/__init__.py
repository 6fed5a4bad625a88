"""Field-device submissions, one way through: sources -> judge -> store -> review -> write-back.

- :mod:`.sources` read ODK Central, device-export files and a PostGIS inbox into
  :class:`~.records.RawSubmission` pages;
- :mod:`.judge` gives one :class:`~.judge.Verdict` per record (validation, photos, position
  shift, duplicate link), before anything is stored;
- :mod:`.store` writes a judged page and its cursor in one transaction; :mod:`.ingest` runs
  the pull, page after page; :mod:`.pull` pulls every configured source;
- :mod:`.review` works the queue: candidates, decisions, auto-match;
- :mod:`.writeback`: decisions queued in an outbox in their own transaction, drained by the
  source (ODK Central).

States, decisions, quarantine reasons and position flags are the Enums of :mod:`.states`,
which also reads and writes their column values.
"""

from __future__ import annotations

from .ingest import IngestError, IngestReport, ingest
from .records import SOURCE_CRS, RawSubmission, Source
from .sources.configs import remove_source_config, save_source_config, source_configs
from .states import QUARANTINE_REASONS, QuarantineReason, SubmissionState
from .store import load_cursor

__all__ = [
    "QUARANTINE_REASONS",
    "SOURCE_CRS",
    "IngestError",
    "IngestReport",
    "QuarantineReason",
    "RawSubmission",
    "Source",
    "SubmissionState",
    "ingest",
    "load_cursor",
    "remove_source_config",
    "save_source_config",
    "source_configs",
]
