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
from tests.fixtures.cases_data import bad_rows, good_rows, write_csv
from tests.fixtures.odk_server import EMAIL, PASSWORD, CentralServer
from tests.fixtures.small_workspace import seed_small_workspace

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

        # a verification form's submission arrives through the intake (here: stored as is)
        ws = Workspace.open(spec)
        t = ws.schema.tasks
        with ws.begin() as conn:
            uuid = conn.execute(select(t.c.entity_uuid).order_by(t.c.id)).scalars().first()
            conn.execute(
                insert(ws.schema.submissions),
                {
                    "source": "odk:x/5/citymgmt_task_result",
                    "instance_id": "uuid:r1",
                    "received_at": datetime.now(timezone.utc),
                    "state": "pending",
                    "payload": {
                        "task": uuid,
                        "verify_outcome": "not_confirmed",
                        "location": "31.6 120.0 0 5",
                    },
                },
            )
        ws.close()
        out = cli(tmp_path, "tasks", "results", spec)
        assert out.returncode == 0, out.stderr
        assert "1 results applied" in out.stdout
        out = cli(tmp_path, *args, "--user", EMAIL, "--allow-http", CITYMGMT_ODK_PASSWORD=PASSWORD)
        assert "1 closed" in out.stdout
        assert dataset.entities[uuid].data["status"] == "closed"


def test_time_limits_from_the_command_line(spec, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("case_kind,class_code,verify_hours,check_hours\nevent,*,x,1\n")
    out = cli(tmp_path, "tasks", "limits", spec, str(bad))
    assert out.returncode == 2 and "line 2" in out.stderr
    good = tmp_path / "city.csv"
    good.write_text("case_kind,class_code,verify_hours,check_hours\nevent,*,1,2\n")
    out = cli(tmp_path, "tasks", "limits", spec, str(good))
    assert out.returncode == 0 and "1 time limits loaded" in out.stdout
