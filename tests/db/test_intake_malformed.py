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
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import select

from citymgmt_plugin.core.labels import quarantine_reason_label
from citymgmt_plugin.core.submissions import ingest, load_cursor
from citymgmt_plugin.core.submissions.limits import Limits
from citymgmt_plugin.core.submissions.sources.files import DeviceExportSource
from citymgmt_plugin.core.submissions.sources.odk import OdkClient, OdkSource
from citymgmt_plugin.core.submissions.states import QUARANTINE_REASONS, reason_codes
from tests.fixtures.malformed_exports import good_record, malformed_exports
from tests.fixtures.odk_server import EMAIL, PASSWORD, CentralServer
from tests.fixtures.synthetic_submissions import (
    BROKEN_KINDS,
    make_submissions,
    odata_row,
    seed_city,
    write_device_export,
)

ROOT = Path(__file__).resolve().parents[2]
CLI = (sys.executable, "-m", "citymgmt_plugin", "--lang", "en")


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
            [*CLI, "ingest", pg_spec, "--file", str(path), "--source-name", name, "--crs", "WGS84"],
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


# -- the database refuses a record: the page falls back to savepoints -----------------------
_REFUSE_PG = """
CREATE FUNCTION {s}.refuse_marked() RETURNS trigger AS $$
BEGIN
  IF NEW.description = 'refuse me' THEN
    RAISE EXCEPTION 'office rule: no such reports' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER refuse_marked BEFORE INSERT OR UPDATE ON {s}.submissions
  FOR EACH ROW EXECUTE FUNCTION {s}.refuse_marked();
"""
_REFUSE_SQLITE = [
    f"""CREATE TRIGGER refuse_marked_{e.split()[0].lower()} BEFORE {e} ON submissions
    WHEN NEW.description = 'refuse me'
    BEGIN SELECT RAISE(ABORT, 'office rule: no such reports'); END"""
    for e in ("INSERT", "UPDATE")
]


def refuse_marked_records(ws) -> None:
    """A rule of the office's database that intake does not know: it refuses a record."""
    with ws.begin() as c:
        if ws.is_postgres:
            c.exec_driver_sql(_REFUSE_PG.format(s=f'"{ws.spec.schema}"'))
        else:
            for sql in _REFUSE_SQLITE:
                c.exec_driver_sql(sql)


def test_a_record_the_database_refuses_is_quarantined_and_the_pull_goes_on(workspace):
    """ODK Central, pages of 3: the refused record's page falls back to savepoints, its good
    records and every later page are stored, the cursor moves on."""
    ws = workspace
    city = seed_city(ws)
    refuse_marked_records(ws)
    recs, _ = make_submissions(city, 8, match_share=0.0)
    recs[4]["description"] = "refuse me"  # on the second page (newest first)
    with CentralServer() as srv:
        t0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
        for i, r in enumerate(recs):
            srv.central.add(7, "f", odata_row(r, t0 + timedelta(minutes=i)), {})
        source = OdkSource(OdkClient(srv.url, EMAIL, PASSWORD), 7, "f", page_size=3, photos=False)
        report = ingest(ws, source)
        assert report.pages == 3 and report.inserted == 8 and report.refused == 1
        rows = {r.instance_id: r for r in _rows(ws, source.key)}
        refused = rows[recs[4]["instance_id"]]
        assert refused.state == "quarantined"
        assert "store_refused" in {str(c) for c in reason_codes(refused.quarantine_reason)}
        assert "office rule" in refused.quarantine_reason
        assert refused.payload["refused"]  # what was sent, as text
        assert sum(r.state == "pending" for r in rows.values()) == 7
        assert "next" not in load_cursor(ws, source.key)  # the pull finished
        again = ingest(ws, source)
        assert (again.inserted, again.edited, again.refused) == (0, 0, 0)


def test_a_page_postgis_refuses_for_an_index_entry_falls_back_record_by_record(
    pg_workspace, tmp_path
):
    """The sanitiser's id limit set above what PostgreSQL's index takes: the database itself
    refuses the record (program limit exceeded) and only that record is set aside."""
    ws = pg_workspace
    city = seed_city(ws)
    limits = Limits(id_bytes=1 << 20)
    m = next(m for m in malformed_exports() if m.name == "long_instance_id.geojson")
    path = m.write(tmp_path, good_record(city, m.name))
    report = ingest(ws, DeviceExportSource(path, crs="WGS84", key="x"), limits=limits)
    assert report.inserted == 2 and report.refused == 1
    rows = {r.instance_id[:10]: r for r in _rows(ws, "x")}
    bad = next(r for k, r in rows.items() if not k.startswith("good"))
    assert bad.instance_id.startswith("id:sha256:")  # too long for the index: by its hash
    assert "index row" in bad.quarantine_reason
    assert rows["good-long_"].state == "pending"


def test_every_quarantine_reason_has_a_record_that_gets_it(workspace, tmp_path):
    """One export with a record for each reason (the six of the synthetic generator, and
    the sanitiser's, the photos' and the store's own): each is given, with its label."""
    ws = workspace
    city = seed_city(ws)
    refuse_marked_records(ws)
    limits = Limits(
        photo_bytes=20_000, description_chars=50, id_bytes=64, payload_bytes=50_000, depth=8
    )
    recs, _ = make_submissions(city, 1, broken=BROKEN_KINDS)
    extra, _ = make_submissions(city, 9, seed=3, match_share=0.0)
    deep: dict = {}
    for _ in range(10):
        deep = {"a": deep}
    extra[0]["description"] = "井盖\x00破损"  # invalid_text
    extra[1]["reading"] = float("nan")  # invalid_number
    extra[2]["instance_id"] = "uuid:" + "1" * 80  # id_too_long
    extra[3]["description"] = "长" * 60  # text_too_long
    extra[4]["remark_log"] = "x" * 60_000  # record_too_large
    extra[5]["nested"] = deep  # nested_too_deep
    extra[6]["_photo"] += b"\0" * 30_000  # photo_too_large
    extra[8]["description"] = "refuse me"  # store_refused
    folder = tmp_path / "exp"
    write_device_export(folder, recs + extra)
    linked = folder / "photos" / extra[7]["photos"]  # photo_refused
    linked.unlink()
    linked.symlink_to("/etc/hostname")
    ingest(ws, DeviceExportSource(folder, limits=limits), limits=limits)
    given = {str(c) for r in _rows(ws, "device") for c in reason_codes(r.quarantine_reason)}
    assert given == {str(r) for r in QUARANTINE_REASONS}
    labels = {quarantine_reason_label(str(r)) for r in QUARANTINE_REASONS}
    assert len(labels) == len(QUARANTINE_REASONS) and not labels & given  # all translated
