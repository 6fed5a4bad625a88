"""Debian's qgis_process sees the packaged plugin's Processing provider and its algorithms."""

from __future__ import annotations

import json

import qgis_process_helper
from qgis_process_helper import PLUGIN, run_qgis_process

# fixtures; redundant once tests/conftest.py loads qgis_process_helper as a plugin
plugin_zip = qgis_process_helper.plugin_zip
installed_profile = qgis_process_helper.installed_profile


def source_algorithm_ids() -> set[str]:
    from processing_algorithms.provider import algorithm_classes

    return {f"citymgmt:{cls().name()}" for cls in algorithm_classes()}


def test_plugin_is_loaded_by_qgis_process(installed_profile):
    done = run_qgis_process(["plugins"], installed_profile)
    assert done.returncode == 0, done.stderr
    assert f"* {PLUGIN}" in done.stdout.splitlines(), done.stdout


def test_provider_and_algorithms_are_listed(installed_profile, qgis_app):
    done = run_qgis_process(["list"], installed_profile, json_output=True)
    assert done.returncode == 0, done.stderr
    providers = json.loads(done.stdout)["providers"]
    assert "citymgmt" in providers, sorted(providers)
    ours = providers["citymgmt"]
    assert ours["is_active"] and ours["name"]
    assert set(ours["algorithms"]) == source_algorithm_ids()
    for alg_id, alg in ours["algorithms"].items():
        assert alg["name"] and alg["group"], alg_id

    text = run_qgis_process(["list"], installed_profile)
    assert ours["name"] in text.stdout.splitlines()


def test_bundled_wheels_serve_qgis_process(installed_profile):
    run_qgis_process(["plugins"], installed_profile)
    private = installed_profile / "python" / "dependencies" / "citymgmt"
    assert list(private.glob("*/cp311-*/.installed/sqlalchemy-2*"))
    assert list(private.glob("*/cp311-*/shapely/__init__.py"))


def test_algorithm_help(installed_profile):
    ids = sorted(source_algorithm_ids())
    assert ids, "the provider offers no algorithm"
    done = run_qgis_process(["help", ids[0]], installed_profile)
    assert done.returncode == 0, done.stderr
    assert ids[0] in done.stdout
