"""The case loop headless, as a scheduled job runs it: import cases, create tasks, push them to
the local ODK Central, load a city's time limits, apply the results that came back."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from citymgmt_plugin.core.workspace.store import Workspace, upgrade
from tests.fixtures.cases_data import bad_rows, good_rows, to_wgs84, write_csv
from tests.fixtures.odk_server import EMAIL, PASSWORD, CentralServer
from tests.fixtures.small_workspace import X0, Y0, seed_small_workspace

ROOT = Path(__file__).resolve().parents[2]


def cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    full = dict(
        os.environ,
        PYTHONPATH=f"{ROOT}:/usr/share/qgis/python/plugins",
        LANG="C.UTF-8",
        HOME=str(tmp_path),
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "citymgmt_plugin", *args],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def spec(any_spec):
    upgrade(any_spec)
    ws = Workspace.open(any_spec)
    seed_small_workspace(ws)
    ws.close()
    return any_spec


def test_import_create_push_results_from_the_command_line(spec, tmp_path):
    path = write_csv(tmp_path / "cases.csv", good_rows() + [r for r, _ in bad_rows()])
    out = cli(tmp_path, "cases", "import", spec, str(path))
    assert out.returncode == 0, out.stderr
    assert "5 new cases" in out.stdout and "6 refused" in out.stdout
    assert "row 6 (AJ20261102901)" in out.stdout  # each refused row with its reason

    out = cli(tmp_path, "tasks", "create", spec, "--kind", "verify", "--assign", "collector")
    assert out.returncode == 0, out.stderr
    assert "4 tasks created" in out.stdout  # public, hotline, video, leader

    with CentralServer() as srv:
        srv.central.add_project(5)
        args = ("tasks", "push", spec, "--odk", srv.url, "--project", "5", "--dataset", "tasks")
        refused = cli(tmp_path, *args, "--user", EMAIL, CITYMGMT_ODK_PASSWORD=PASSWORD)
        assert refused.returncode == 2 and "http" in refused.stderr  # no password over http
        out = cli(tmp_path, *args, "--user", EMAIL, "--allow-http", CITYMGMT_ODK_PASSWORD=PASSWORD)
        assert out.returncode == 0, out.stderr
        assert "4 entities created" in out.stdout
        dataset = srv.central.entities.dataset(5, "tasks")
        assert len(dataset.live()) == 4

        # the collectors answer with the verification form: one through ODK Central and the
        # normal intake (`ingest`), one stored by another system (`tasks results` finds it)
        ws = Workspace.open(spec)
        t = ws.schema.tasks
        with ws.engine.connect() as conn:
            first, second = (
                conn.execute(select(t.c.entity_uuid).order_by(t.c.id)).scalars().all()[:2]
            )
        ws.close()
        lon, lat = to_wgs84(X0 + 50, Y0 + 50)
        srv.central.add(5, "citymgmt_task_result", _answer(first, "confirmed", lon, lat))
        pulled = cli(
            tmp_path,
            "ingest",
            spec,
            "--odk",
            srv.url,
            "--project",
            "5",
            "--form",
            "citymgmt_task_result",
            "--user",
            EMAIL,
            "--allow-http",
            "--no-photos",
            CITYMGMT_ODK_PASSWORD=PASSWORD,
        )
        assert pulled.returncode == 0, pulled.stderr
        assert "1 task results applied" in pulled.stdout, pulled.stdout
        ws = Workspace.open(spec)
        with ws.begin() as conn:
            conn.execute(
                insert(ws.schema.submissions),
                {
                    "source": "odk:x/5/citymgmt_task_result",
                    "instance_id": "uuid:r1",
                    "received_at": datetime.now(timezone.utc),
                    "state": "pending",
                    "payload": {
                        "task": second,
                        "verify_outcome": "not_confirmed",
                        "location": "31.6 120.0 0 5",
                    },
                },
            )
        ws.close()
        out = cli(tmp_path, "tasks", "results", spec)
        assert out.returncode == 0, out.stderr
        assert "1 results applied" in out.stdout
        uuid = second
        out = cli(tmp_path, *args, "--user", EMAIL, "--allow-http", CITYMGMT_ODK_PASSWORD=PASSWORD)
        assert "2 closed" in out.stdout
        assert dataset.entities[uuid].data["status"] == "closed"


def _answer(task_uuid: str, outcome: str, lon: float, lat: float) -> dict:
    """The verification form's submission as ODK Central's OData sends it."""
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return {
        "__id": "uuid:7d2e1c44-0000-4000-8000-000000000001",
        "meta": {"instanceID": "uuid:7d2e1c44-0000-4000-8000-000000000001"},
        "task": task_uuid,
        "task_kind": "verify",
        "kind": "event",
        "category_code": "0102",
        "verify_outcome": outcome,
        "location": {
            "type": "Point",
            "coordinates": [lon, lat, 8.0],
            "properties": {"accuracy": 4.0},
        },
        "collector_code": "C01",
        "__system": {
            "submissionDate": now,
            "updatedAt": None,
            "submitterName": "C01",
            "deviceId": "dev-1",
            "edits": 0,
            "reviewState": None,
        },
    }


def test_time_limits_from_the_command_line(spec, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("case_kind,class_code,verify_hours,check_hours\nevent,*,x,1\n")
    out = cli(tmp_path, "tasks", "limits", spec, str(bad))
    assert out.returncode == 2 and "line 2" in out.stderr
    good = tmp_path / "city.csv"
    good.write_text("case_kind,class_code,verify_hours,check_hours\nevent,*,1,2\n")
    out = cli(tmp_path, "tasks", "limits", spec, str(good))
    assert out.returncode == 0 and "1 time limits loaded" in out.stdout
