"""Shared fixtures: real GeoPackage and real PostGIS workspaces, headless Qt."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["qgis_process_helper"]

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def pg_url() -> str:
    """URL of a real PostGIS test database (started on loopback when none is reachable)."""
    url = os.environ.get("CITYMGMT_TEST_PG")
    if url:
        return url
    out = subprocess.run(
        ["bash", str(ROOT / "scripts" / "pg_throwaway.sh")],
        check=True,
        capture_output=True,
        text=True,
    )
    url = out.stdout.strip().splitlines()[-1]
    os.environ["CITYMGMT_TEST_PG"] = url
    return url


def _drop_schema(pg_url: str, schema: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture
def pg_spec(pg_url: str) -> Iterator[str]:
    """A workspace spec for a fresh, empty PostGIS schema, dropped afterwards."""
    schema = "t_" + uuid.uuid4().hex[:12]
    yield f"{pg_url}?schema={schema}"
    _drop_schema(pg_url, schema)


@pytest.fixture
def pg_other_login(pg_url: str, pg_spec: str) -> Iterator[tuple[str, str]]:
    """(spec, role): the upgraded workspace of ``pg_spec`` reached as a second LOGIN role
    with the rights an office editor has (read and write the tables, no DDL)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from citymgmt_plugin.core.workspace.store import upgrade

    upgrade(pg_spec)
    schema = pg_spec.rsplit("schema=", 1)[1]
    role = "editor_" + uuid.uuid4().hex[:8]
    admin = create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        conn.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"'))
        rights = "SELECT, INSERT, UPDATE, DELETE"
        conn.execute(text(f'GRANT {rights} ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"'))
        conn.execute(text(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{role}"'))
    url = make_url(pg_url).set(username=role, password=None)
    yield f"{url.render_as_string(hide_password=False)}?schema={schema}", role
    with admin.begin() as conn:
        conn.execute(  # whatever the test left open as the role
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :r"),
            {"r": role},
        )
        conn.execute(text(f'DROP OWNED BY "{role}"'))
        conn.execute(text(f'DROP ROLE "{role}"'))
    admin.dispose()


@pytest.fixture
def gpkg_spec(tmp_path: Path) -> str:
    return str(tmp_path / "workspace.gpkg")


@pytest.fixture(params=["gpkg", "postgis"])
def any_spec(request: pytest.FixtureRequest) -> str:
    """Run a test on both backends."""
    name = "gpkg_spec" if request.param == "gpkg" else "pg_spec"
    return request.getfixturevalue(name)


@pytest.fixture
def workspace(any_spec: str):
    """An upgraded, empty workspace on each backend."""
    from citymgmt_plugin.core.workspace.store import Workspace, upgrade

    upgrade(any_spec)
    ws = Workspace.open(any_spec)
    yield ws
    ws.close()


@pytest.fixture
def pg_workspace(pg_spec: str):
    from citymgmt_plugin.core.workspace.store import Workspace, upgrade

    upgrade(pg_spec)
    ws = Workspace.open(pg_spec)
    yield ws
    ws.close()


@pytest.fixture
def gpkg_workspace(gpkg_spec: str):
    from citymgmt_plugin.core.workspace.store import Workspace, upgrade

    upgrade(gpkg_spec)
    ws = Workspace.open(gpkg_spec)
    yield ws
    ws.close()


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave without Python's interpreter teardown.

    Every result is reported by now. Destroying QGIS's Qt objects in the interpreter's
    arbitrary finalisation order can crash the process (exit 139) after a green run, so the
    session's own exit status is handed straight to the OS.
    """
    import sys

    status = getattr(config, "_citymgmt_exitstatus", None)
    if status is None or os.environ.get("CITYMGMT_NORMAL_EXIT"):
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(int(status))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    session.config._citymgmt_exitstatus = exitstatus


_PROVIDERS: list = []  # Python objects must outlive their registration


@pytest.fixture(scope="module")
def processing_ready(qgis_app):
    """Processing initialised with the citymgmt provider; the registry is left as found."""
    from processing.core.Processing import Processing
    from qgis.core import QgsApplication

    Processing.initialize()
    registry = QgsApplication.processingRegistry()
    added = None
    if registry.providerById("citymgmt") is None:
        from processing_algorithms.provider import CityMgmtProvider

        added = CityMgmtProvider()
        _PROVIDERS.append(added)
        assert registry.addProvider(added)
    assert registry.algorithmById("citymgmt:patrolcoverage") is not None
    yield
    if added is not None:  # the plugin wiring tests check the registry is clean
        registry.removeProvider(added)
