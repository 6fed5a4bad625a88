"""Field-device submissions in: sources, normalisation, safe storage with quarantine.

Sources (:mod:`.odk`, :mod:`.files`, :mod:`.inbox`) read their format into
:class:`~.records.RawSubmission` pages; :func:`~.ingest.ingest` normalises each page
(:mod:`.normalise`) and stores it in one transaction with the source's cursor.
"""

from __future__ import annotations

from .ingest import (
    IngestError,
    IngestReport,
    ingest,
    load_cursor,
    remove_source_config,
    save_source_config,
    source_configs,
)
from .records import QUARANTINE_REASONS, SOURCE_CRS, SUSPECTED_GCJ02, RawSubmission, Source

__all__ = [
    "QUARANTINE_REASONS",
    "SOURCE_CRS",
    "SUSPECTED_GCJ02",
    "IngestError",
    "IngestReport",
    "RawSubmission",
    "Source",
    "ingest",
    "load_cursor",
    "remove_source_config",
    "save_source_config",
    "source_configs",
]
