"""Every record stored or quarantined: 25 malformed device files on both backends.

Issue #12, found item 1: a NUL character, NaN or Infinity, an 8 KB instance id or a NUL in a
JSON key made PostgreSQL refuse the whole page; invalid UTF-8, GBK CSVs, CSV fields over
131,072 characters and deeply nested JSON crashed with a traceback. Here each file is
ingested as its own source: nothing may raise, every record of the file is stored, the
broken ones quarantined with their own reasons, the good one pending.
"""

from __future__ import annotations

import subprocess
import sys
import traceback
from pathlib import Path

from sqlalchemy import select

from citymgmt_plugin.core.submissions import ingest
from citymgmt_plugin.core.submissions.sources.files import DeviceExportSource
from citymgmt_plugin.core.submissions.states import reason_codes
from tests.fixtures.malformed_exports import good_record, malformed_exports
from tests.fixtures.synthetic_submissions import seed_city

ROOT = Path(__file__).resolve().parents[2]


def _rows(ws, key):
    s = ws.schema.submissions
    with ws.engine.connect() as c:
        return list(c.execute(select(s).where(s.c.source == key)).all())


def _problems(ws, m, rows) -> list[str]:
    """What is wrong with the rows stored for file ``m`` (empty: as it must be)."""
    out = []
    if len(rows) != m.records:
        out.append(f"{len(rows)} rows stored, {m.records} records in the file")
    by_id = {r.instance_id: r for r in rows}
    good = by_id.get(f"good-{m.name}")
    if good is None or good.state != "pending":
        out.append(f"good record: {good.state if good else 'missing'}")
    for iid in m.pending:
        row = by_id.get(iid)
        if row is None or row.state != "pending":
            out.append(f"{iid}: {row.state if row else 'missing'}")
    for iid, reasons in m.reasons.items():
        if iid.startswith("*"):  # the id itself is broken: any row with these reasons
            hits = [
                r for r in rows if reasons <= {str(c) for c in reason_codes(r.quarantine_reason)}
            ]
            if not hits:
                out.append(f"no row quarantined for {sorted(reasons)}")
            continue
        row = by_id.get(iid)
        got = {str(c) for c in reason_codes(row.quarantine_reason)} if row else set()
        if row is None or row.state != "quarantined" or not reasons <= got:
            out.append(f"{iid}: {row.state if row else 'missing'} {sorted(got)}")
    return out


def test_25_malformed_device_files_are_stored_or_quarantined(workspace, tmp_path):
    ws = workspace
    city = seed_city(ws)
    failures: dict[str, str] = {}
    crashed = 0
    for m in malformed_exports():
        folder = tmp_path / m.name.replace(".", "_")
        path = m.write(folder, good_record(city, m.name))
        try:
            report = ingest(ws, DeviceExportSource(path, crs="WGS84", key=m.name))
        except Exception as exc:  # the finding: a traceback instead of a quarantine
            crashed += 1
            failures[m.name] = (
                "crashed: " + "".join(traceback.format_exception_only(type(exc), exc)).strip()[:300]
            )
            continue
        problems = _problems(ws, m, _rows(ws, m.name))
        if report.read != m.records:
            problems.append(f"read {report.read}")
        if problems:
            failures[m.name] = "; ".join(problems)
    assert not failures, f"{crashed} of 25 crashed on {ws.dialect}:\n" + "\n".join(
        f"{k}: {v}" for k, v in sorted(failures.items())
    )


def test_the_command_line_ingests_broken_files_without_a_traceback(pg_spec, tmp_path):
    """A real process: exit code 0, the summary printed, no traceback on stderr."""
    from citymgmt_plugin.core.workspace.store import Workspace, upgrade

    upgrade(pg_spec)
    ws = Workspace.open(pg_spec)
    city = seed_city(ws)
    files = {m.name: m for m in malformed_exports()}
    for name in ("deep_nesting.geojson", "gbk.csv", "nul_key.geojson", "huge_field.csv"):
        path = files[name].write(tmp_path / name.replace(".", "_"), good_record(city, name))
        run = subprocess.run(
            [sys.executable, "-m", "citymgmt_plugin", "--lang", "en", "ingest", pg_spec]
            + ["--file", str(path), "--source-name", name, "--crs", "WGS84"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stderr
        assert "Traceback" not in run.stderr, run.stderr
        assert f"quarantined {len(files[name].reasons)}," in run.stdout, run.stdout
        assert not _problems(ws, files[name], _rows(ws, name))
    ws.close()
