"""Connecting from QGIS: authcfg credentials at connect time, schema state, saved spec form."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from citymgmt_plugin.core.workspace import connection as C
from citymgmt_plugin.core.workspace.store import WorkspaceError, WorkspaceSpec, upgrade

ROOT = Path(__file__).resolve().parents[2]

# The auth test runs in its own QGIS process with a throwaway authentication database, so the
# test profile's qgis-auth.db never gets a master password or configurations.
_AUTH_SCRIPT = r"""
import json, sys
from dataclasses import replace
from sqlalchemy import text
from sqlalchemy.engine import make_url
from citymgmt_plugin.headless import start_qgis
start_qgis()
from qgis.core import QgsApplication, QgsAuthMethodConfig
from citymgmt_plugin.core.workspace import connection as C
from citymgmt_plugin.core.qgis import connection as QC
from citymgmt_plugin.core.qgis.auth import resolve_authcfg
from citymgmt_plugin.core.workspace.credentials import Credentials
from citymgmt_plugin.core.workspace.store import WorkspaceError, WorkspaceSpec

am = QgsApplication.authManager()
assert not am.isDisabled(), am.disabledMessage()
assert am.setMasterPassword("citymgmt-test-master", True)
cfg = QgsAuthMethodConfig("Basic")
cfg.setName("citymgmt test")
cfg.setConfig("username", "postgres")
cfg.setConfig("password", "s3cret-not-stored")
assert am.storeAuthenticationConfig(cfg)
out = {}
creds = resolve_authcfg(cfg.id())
out["resolved"] = creds == Credentials("postgres", "s3cret-not-stored")
out["repr_hides"] = "s3cret" not in repr(creds)
try:
    resolve_authcfg("nope123")
except WorkspaceError as exc:
    out["missing"] = str(exc)
# the URL has no user: connecting works only if the authcfg's user is applied
spec = WorkspaceSpec.parse(sys.argv[1])
url = make_url(spec.url)._replace(username=None, password=None)
spec = replace(spec, url=url.render_as_string(hide_password=False), authcfg=cfg.id())
out["before"] = C.schema_state(spec, QC.credentials_for(spec)).state
out["revision"] = C.upgrade_workspace(spec, credentials=QC.credentials_for(spec))
ws = QC.open_workspace(spec)
with ws.begin() as conn:
    out["user"] = conn.execute(text("select current_user")).scalar()
out["saved"] = C.spec_to_string(ws.spec)
out["engine_url"] = str(ws.engine.url)
out["pg_actor"] = [ws.actor, ws.actor_source]
ws.close()
out["after"] = C.schema_state(spec, QC.credentials_for(spec)).state
# a GeoPackage opened with an authentication configuration: its user name is the actor
from citymgmt_plugin.core.workspace.store import upgrade
person = QgsAuthMethodConfig("Basic")
person.setName("office login")
person.setConfig("username", "li.ming")
person.setConfig("password", "not-needed")
assert am.storeAuthenticationConfig(person)
upgrade(sys.argv[2])
gpkg = QC.open_workspace(WorkspaceSpec.parse(sys.argv[2] + "|authcfg=" + person.id()))
out["gpkg_actor"] = [gpkg.actor, gpkg.actor_source]
out["gpkg_saved"] = C.spec_to_string(gpkg.spec) == sys.argv[2] + "|authcfg=" + person.id()
gpkg.close()
print("RESULT " + json.dumps(out))
"""


def test_authcfg_credentials_at_connect_time(pg_spec, tmp_path):
    env = dict(
        os.environ, QGIS_AUTH_DB_DIR_PATH=str(tmp_path), QGIS_CUSTOM_CONFIG_PATH=str(tmp_path)
    )
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), "/usr/share/qgis/python/plugins"])
    proc = subprocess.run(
        [sys.executable, "-c", _AUTH_SCRIPT, pg_spec, str(tmp_path / "person.gpkg")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")]
    assert proc.returncode == 0 and lines, proc.stderr[-3000:]
    out = json.loads(lines[-1][len("RESULT ") :])
    assert out["resolved"] and out["repr_hides"]
    assert "cannot be read" in out["missing"]
    assert out["before"] == C.EMPTY and out["after"] == C.CURRENT
    assert out["revision"] == C.head_revision()
    assert out["user"] == "postgres"
    assert "s3cret" not in out["saved"] and "s3cret" not in out["engine_url"]
    assert "authcfg=" in out["saved"]
    assert out["pg_actor"] == ["postgres", "database"]  # the login the authcfg supplied
    assert out["gpkg_actor"] == ["li.ming", "qgis_auth"] and out["gpkg_saved"]
    assert (tmp_path / "qgis-auth.db").exists()  # the throwaway one was used


# ODK Central credentials from a QGIS authentication configuration, against the local
# Central server: the account comes from the configuration, the password never from settings.
_ODK_AUTH_SCRIPT = r"""
import json, sys
from citymgmt_plugin.headless import start_qgis
start_qgis()
from qgis.core import QgsApplication, QgsAuthMethodConfig
from citymgmt_plugin.core.submissions.sources.odk import OdkError
from citymgmt_plugin.core.qgis.accounts import odk_login
from citymgmt_plugin.core.submissions.sources.configs import (
    SourceConfigError, odk_config, open_source,
)
from tests.fixtures.odk_server import EMAIL, PASSWORD, CentralServer

am = QgsApplication.authManager()
assert am.setMasterPassword("citymgmt-test-master", True)

def basic(user, password):
    cfg = QgsAuthMethodConfig("Basic")
    cfg.setName(user)
    cfg.setConfig("username", user)
    cfg.setConfig("password", password)
    assert am.storeAuthenticationConfig(cfg)
    return cfg.id()

good, wrong = basic(EMAIL, PASSWORD), basic(EMAIL, "not-the-password")
out = {}
with CentralServer() as srv:
    config = odk_config(srv.url, 7, "city_report")
    login = odk_login(good)
    out["login_repr_hides"] = PASSWORD not in repr(login)
    src = open_source(None, config, login=login, allow_http=True)
    src.client.login()
    out["email"] = src.client.email
    out["logged_in"] = bool(src.client.token)
    out["config_has_account"] = PASSWORD in json.dumps(config) or EMAIL in json.dumps(config)
    try:
        open_source(None, config, login=odk_login(wrong), allow_http=True).client.login()
    except OdkError as exc:
        out["refused"] = str(exc)
    try:
        odk_login("nope123")
    except SourceConfigError as exc:
        out["missing"] = str(exc)
print("RESULT " + json.dumps(out))
"""


def test_odk_account_from_authcfg(tmp_path):
    env = dict(
        os.environ, QGIS_AUTH_DB_DIR_PATH=str(tmp_path), QGIS_CUSTOM_CONFIG_PATH=str(tmp_path)
    )
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), "/usr/share/qgis/python/plugins"])
    proc = subprocess.run(
        [sys.executable, "-c", _ODK_AUTH_SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    lines = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")]
    assert proc.returncode == 0 and lines, proc.stderr[-3000:]
    out = json.loads(lines[-1][len("RESULT ") :])
    assert out["logged_in"] and out["email"] == "reviewer@example.org"
    assert out["login_repr_hides"] and not out["config_has_account"]
    assert "refused the login" in out["refused"]
    # A named configuration that cannot be read says so (no silent fall-back).
    assert "nope123" in out["missing"] and "cannot be read" in out["missing"]


def test_schema_states(qgis_app, tmp_path, pg_spec):
    gpkg = WorkspaceSpec.parse(str(tmp_path / "new.gpkg"))
    assert C.schema_state(gpkg).state == C.NEW_FILE
    assert not (tmp_path / "new.gpkg").exists()  # checking never creates the file
    upgrade(gpkg)
    state = C.schema_state(gpkg)
    assert state.state == C.CURRENT and state.revision == state.head == C.head_revision()
    pg = WorkspaceSpec.parse(pg_spec)
    assert C.schema_state(pg).state == C.EMPTY  # schema does not even exist yet
    bad = WorkspaceSpec.parse("postgresql://postgres@127.0.0.1:1/none?schema=x")
    with pytest.raises(WorkspaceError, match="Cannot connect"):
        C.schema_state(bad)


def test_spec_to_string_has_no_password():
    for value in (
        "postgresql://alice:secret@db:5433/city?schema=ws1&authcfg=abc1234&sslmode=require",
        "service=citymgmt schema=ws2 authcfg=abc1234",
        "/tmp/x/workspace.gpkg",
    ):
        spec = WorkspaceSpec.parse(value)
        saved = C.spec_to_string(spec)
        assert "secret" not in saved
        again = WorkspaceSpec.parse(saved)
        assert (again.kind, again.schema, again.authcfg, again.service, again.path) == (
            spec.kind,
            spec.schema,
            spec.authcfg,
            spec.service,
            spec.path,
        )
    saved = C.spec_to_string(WorkspaceSpec.parse("postgresql://alice:secret@db:5433/city"))
    assert saved.startswith("postgresql+psycopg2://alice@db:5433/city?")
