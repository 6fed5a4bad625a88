"""A census batch in the shape of an older platform's export (GBK CSV, its own column names,
Java dates, coded fields in free text, WKT positions and the defects such exports carry),
imported headless: ``python -m citymgmt_plugin census import`` on both backends."""

from __future__ import annotations

import csv
import json
from collections import Counter

import pytest
from sqlalchemy import func, select

from citymgmt_plugin.cli.main import main
from citymgmt_plugin.core.census.batch_codes import read_value_maps
from citymgmt_plugin.core.census.batch_mapping import MappingStore
from citymgmt_plugin.core.census.batch_run import ImportOptions, run_file
from citymgmt_plugin.core.workspace.store import Workspace, upgrade
from tests.fixtures import legacy_export as L

CSV = L.HERE / L.CSV_NAME
MAPPING = L.HERE / "mapping.json"
VALUES = L.HERE / "values.json"


@pytest.fixture(autouse=True)
def _no_remembered_mappings(tmp_path, monkeypatch):
    """The command line reads what the dialog remembered: here, nothing."""
    from citymgmt_plugin.core.census import batch_mapping

    monkeypatch.setattr(batch_mapping, "default_mapping_file", lambda: tmp_path / "none.json")


@pytest.fixture
def legacy(any_spec):
    upgrade(any_spec)
    ws = Workspace.open(any_spec)
    refs = L.seed(ws)
    L.rows(refs)  # fills L.DEFECTS
    yield any_spec, ws, refs
    ws.close()


def test_the_committed_export_is_what_the_fixture_writes(gpkg_spec, tmp_path):
    upgrade(gpkg_spec)
    ws = Workspace.open(gpkg_spec)
    try:
        paths = L.write(tmp_path, L.seed(ws))
    finally:
        ws.close()
    for key, committed in (("csv", CSV), ("mapping", MAPPING), ("values", VALUES)):
        assert paths[key].read_bytes() == committed.read_bytes(), key
    raw = CSV.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # GBK, as the platform writes it
    assert raw.decode("gbk").splitlines()[0].startswith("序号,部件编码,部件名称")
    assert len(raw.decode("gbk").splitlines()) == 61


def test_every_good_row_in_and_every_bad_row_refused_with_its_reason(legacy, tmp_path):
    _spec, ws, _refs = legacy
    options = ImportOptions(
        mapping=json.loads(MAPPING.read_text(encoding="utf-8")),
        values=read_value_maps(VALUES),
        report_dir=tmp_path / "report",
    )
    run = run_file(ws, CSV, options, store=MappingStore(tmp_path / "m.json"))
    batch = run.batch
    assert batch.encoding == "gb18030" and batch.source_crs == "EPSG:4490"
    assert (batch.read_rows, len(batch.records), len(batch.failures)) == (60, 40, 20)
    refused = {f.row_no: {p.rule for p in f.problems} for f in batch.failures}
    assert set(refused) == set(L.DEFECTS)
    for row_no, rule in L.DEFECTS.items():
        assert rule in refused[row_no], (row_no, rule, refused[row_no])
    assert run.recon.counts() == {
        "new": 19, "unchanged": 17, "changed": 2, "moved": 1, "missing": 2, "duplicate": 1,
    }  # fmt: skip
    assert not [i for i in run.recon.items if i.problems]
    # each unmapped value listed once, with its count
    assert {f: dict(c) for f, c in batch.unmapped.items()} == {
        "class_code": {"不明设施": 1},
        "status": {"待核实": 1},
        "dept_code": {"未指定": 1},
        "dept_name": {"未指定": 1},
    }
    with open(run.report["csv"], encoding="utf-8-sig") as f:
        lines = list(csv.reader(f))
    assert len(lines) == 1 + len(run.recon.items) + 20
    text = run.report["txt"].read_text(encoding="utf-8")
    assert "no position: 5" in text and "待核实 (1)" in text


def _cli(*args: str) -> int:
    return main(["census", "import", *args])


def test_cli_imports_and_applies_on_both_backends(legacy, tmp_path, capsys):
    spec, ws, refs = legacy
    out = tmp_path / "report"
    code = _cli(spec, str(CSV), "--mapping", str(MAPPING), "--values", str(VALUES),
                "--report", str(out), "--apply")  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "Rows read: 60; valid: 40; invalid: 20" in printed
    assert "  no position: 5" in printed
    assert "  identifier turned into a number by a spreadsheet: 4" in printed
    assert "  Status: 待核实 (1)" in printed
    assert "Applied: 19 created, 2 updated, 1 moved, 2 retired, 1 not accepted" in printed
    assert (out / "reconciliation.html").exists()
    s = ws.schema
    c = s.components
    with ws.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(c)).scalar() == 22 + 19
        new = conn.execute(select(c.c.identifier).where(c.c.class_code == "0123")).scalars()
        # the identifier the batch brought kept, the others allocated around it
        assert sorted(new) == [f"32050801230000{k:02d}" for k in (1, 2, 3, 4)]
        retired = conn.execute(select(c.c.identifier).where(c.c.status == "移除")).scalars()
        assert sorted(retired) == sorted([refs[7].identifier, refs[13].identifier])
        ops = Counter(
            conn.execute(
                select(s.component_history.c.operation).where(s.component_history.c.version > 1)
            ).scalars()
        )
        assert ops == {"status": 1, "update": 1, "move": 1, "retire": 2}
        created = conn.execute(
            select(func.count()).where(s.component_history.c.operation == "import")
        ).scalar()
        assert created == 19
        actions = Counter(conn.execute(select(s.audit_events.c.action)).scalars())
    assert actions["census.import"] == 19 and actions["census.reconcile"] == 1
    assert [actions[f"census.{op}"] for op in ("status", "update", "move", "retire")] == [
        1,
        1,
        1,
        2,
    ]


def test_cli_exit_codes(legacy, tmp_path, capsys):
    spec, _ws, _refs = legacy
    assert _cli(spec, str(tmp_path / "nope.csv")) == 2
    assert "error:" in capsys.readouterr().err
    assert _cli(str(tmp_path / "none.gpkg"), str(CSV)) == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert _cli(spec, str(CSV), "--mapping", str(bad)) == 2
    assert _cli(spec, str(CSV), "--values", str(bad)) == 2
    nowhere = tmp_path / "nowhere.csv"  # no position column of any kind: cannot run
    nowhere.write_text("部件编码,部件名称\n3205080101000001,上水井盖\n", encoding="utf-8")
    assert _cli(spec, str(nowhere)) == 2
    assert "WKT" in capsys.readouterr().err
    # without a mapping the export's column names are known ones; refused rows are no error
    assert _cli(spec, str(CSV)) == 0
    assert "Rows read: 60" in capsys.readouterr().out
