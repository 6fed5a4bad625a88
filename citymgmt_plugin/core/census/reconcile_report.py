"""The report of a census reconciliation: one CSV line per item and per invalid row, and a
summary as text and HTML."""

from __future__ import annotations

import csv
import html
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..i18n import tr
from ..labels import describe_changes, pad, text_width
from ..private_files import open_private, private_dir, write_private_text
from .reconcile import ACTIONABLE, KINDS, Reconciliation, ReconItem, kind_label
from .reconcile_apply import ApplyResult


def _fmt_changes(changes: dict[str, list[Any]]) -> str:
    return describe_changes({f: v for f, v in changes.items() if f != "geom"})


def _csv_header() -> list[str]:
    return [
        tr("Census", "item"),
        tr("Census", "class"),
        tr("Census", "decision"),
        tr("Census", "batch row"),
        tr("Census", "identifier"),
        tr("Census", "component class"),
        tr("Census", "distance (m)"),
        tr("Census", "tolerance (m)"),
        tr("Census", "changes"),
        tr("Census", "duplicate of"),
        tr("Census", "result / reason"),
    ]


def _decision(it: ReconItem) -> str:
    if it.kind not in ACTIONABLE:
        return "-"
    if it.accepted and it.actionable:
        return tr("Census", "accepted")
    return tr("Census", "rejected")


def _item_row(it: ReconItem) -> list[Any]:
    return [
        it.seq,
        kind_label(it.kind),
        _decision(it),
        it.row_no or "",
        it.identifier or "",
        it.class_code,
        "" if it.distance is None else f"{it.distance:.2f}",
        "" if it.tolerance is None else f"{it.tolerance:.1f}",
        _fmt_changes(it.changes),
        it.duplicate_of or "",
        it.applied or " ".join(p.message for p in it.problems),
    ]


def _write_csv(path: Path, recon: Reconciliation) -> None:
    with open_private(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(_csv_header())
        for it in recon.items:
            w.writerow(_item_row(it))
        for fail in recon.batch.failures:
            w.writerow(
                ["", tr("Census", "invalid row"), tr("Census", "rejected"), fail.row_no,
                 fail.identifier or "", "", "", "", "", "", fail.reason]
            )  # fmt: skip


def _applied_line(result: ApplyResult) -> str:
    r = result.as_dict()
    return tr(
        "Census", "Applied: {0} created, {1} updated, {2} moved, {3} retired, {4} not accepted"
    ).format(r["created"], r["updated"], r["moved"], r["retired"], r["skipped"])


def _made(zone: tzinfo) -> str:
    """When the report is made, in the office's time zone ("2026-11-02 09:30:15 Asia/…")."""
    now = datetime.now(timezone.utc).astimezone(zone)
    return f"{now:%Y-%m-%d %H:%M:%S} {getattr(zone, 'key', '') or now.tzname()}"


def _summary_lines(recon: Reconciliation, result: ApplyResult | None, zone: tzinfo) -> list[str]:
    """The text summary: head (5 lines), counts by kind, accepted, applied, invalid rows."""
    counts = recon.counts()
    accepted = sum(1 for i in recon.items if i.accepted and i.actionable)
    batch = recon.batch
    lines = [
        tr("Census", "Census reconciliation report"),
        tr("Census", "Batch: {0}").format(batch.source),
        tr("Census", "Made: {0}").format(_made(zone)),
        tr("Census", "Rows read: {0}; valid: {1}; invalid: {2}").format(
            batch.read_rows, len(batch.records), len(batch.failures)
        ),
        tr("Census", "Surveyed unit grids: {0}").format(len(recon.surveyed_grids)),
        "",
    ]
    width = max(text_width(kind_label(k)) for k in KINDS)
    lines += [f"  {pad(kind_label(k), width)} {counts[k]:>7}" for k in KINDS]
    lines += ["", tr("Census", "Accepted items: {0}").format(accepted)]
    if result is not None:
        lines.append(_applied_line(result))
    if batch.failures:
        lines += ["", tr("Census", "Invalid rows:")]
        for fail in batch.failures[:200]:
            lines.append(f"  {fail.row_no:>6}  {fail.identifier or '-':<18} {fail.reason}")
    return lines


def _th(text: str) -> str:
    return f"<th>{html.escape(text)}</th>"


def _html(recon: Reconciliation, lines: list[str], applied: str | None) -> str:
    """The summary page: head, counts by kind, what applying did, the invalid rows."""
    counts = recon.counts()
    rows_html = "".join(
        f"<tr><td>{html.escape(kind_label(k))}</td><td>{counts[k]}</td></tr>" for k in KINDS
    )
    fails_html = "".join(
        f"<tr><td>{f.row_no}</td><td>{html.escape(f.identifier or '')}</td>"
        f"<td>{html.escape(f.reason)}</td></tr>"
        for f in recon.batch.failures
    )
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines[:5])
    applied_html = f"<p>{html.escape(applied)}</p>" if applied is not None else ""
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(lines[0])}</title>"
        "<style>body{font-family:sans-serif}td,th{border:1px solid #ccc;padding:2px 6px}"
        "table{border-collapse:collapse}</style></head><body>"
        f"<h1>{html.escape(lines[0])}</h1>{body}"
        f"<table><tr>{_th(tr('Census', 'class'))}{_th(tr('Census', 'items'))}</tr>"
        f"{rows_html}</table>"
        f"{applied_html}"
        f"<h2>{html.escape(tr('Census', 'Invalid rows:'))}</h2>"
        f"<table><tr>{_th(tr('Census', 'batch row'))}{_th(tr('Census', 'identifier'))}"
        f"{_th(tr('Census', 'result / reason'))}</tr>{fails_html}</table>"
        "</body></html>"
    )


def write_report(
    recon: Reconciliation,
    out_dir: str | Path,
    stem: str = "reconciliation",
    result: ApplyResult | None = None,
    zone: tzinfo | None = None,
) -> dict[str, Path]:
    """Write ``<stem>.csv`` (one line per item and per failed row), ``<stem>.txt`` and
    ``<stem>.html`` (summary); returns their paths. Times in ``zone`` (the workspace's
    ``timezone`` setting; default Asia/Shanghai). Owner-only files (0600, new folders
    0700): they hold positions and identifiers."""
    out = private_dir(out_dir)
    csv_path, txt_path, html_path = (out / f"{stem}.{ext}" for ext in ("csv", "txt", "html"))
    _write_csv(csv_path, recon)
    lines = _summary_lines(recon, result, zone or ZoneInfo("Asia/Shanghai"))
    write_private_text(txt_path, "\n".join(lines) + "\n")
    applied = _applied_line(result) if result is not None else None
    write_private_text(html_path, _html(recon, lines, applied))
    return {"csv": csv_path, "txt": txt_path, "html": html_path}
