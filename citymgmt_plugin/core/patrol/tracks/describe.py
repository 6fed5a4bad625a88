"""An import's outcome in words (translated), for the command line and the dialog."""

from __future__ import annotations

from ...i18n import tr
from ...labels import join
from .batch import reason_label
from .store import ImportReport

_CTX = "Tracks"


def report_lines(rep: ImportReport) -> list[str]:
    """What an import did: counts, bad rows by reason, weeks and collectors."""
    lines = [
        tr(
            _CTX,
            "{0} files: {1} fixes imported, {2} duplicates skipped, {3} bad rows ({4:.1f} s).",
        ).format(rep.files, rep.imported, rep.duplicates, rep.bad_rows, rep.seconds)
    ]
    if rep.bad:
        parts = [f"{reason_label(k)} {v}" for k, v in sorted(rep.bad.items())]
        lines.append(tr(_CTX, "Bad rows by reason: {0}").format(join(parts)))
    for path in rep.bad_files:
        lines.append(tr(_CTX, "Not readable as a track file: {0}").format(path))
    if rep.weeks:
        lines.append(
            tr(_CTX, "Weeks: {0} ({1} new).").format(
                join([f"{d:%Y-%m-%d}" for d in rep.weeks]), len(rep.weeks_created)
            )
        )
    if rep.per_collector:
        parts = [f"{c} {n}" for c, n in sorted(rep.per_collector.items())]
        lines.append(tr(_CTX, "Fixes per collector: {0}").format(join(parts)))
    if rep.unknown_collectors:
        lines.append(
            tr(_CTX, "Not collectors of this workspace (imported all the same): {0}").format(
                join(rep.unknown_collectors)
            )
        )
    return lines
