"""Install ``dist/citymgmt.zip`` into a QGIS profile and enable it (``make deploy``).

Does what QGIS's "Install from ZIP" does: unpacks the zip's top folder into the profile's
``python/plugins/`` (replacing an older copy), then sets ``[PythonPlugins] citymgmt_plugin=true``
in the profile's ``QGIS/QGIS3.ini`` so QGIS (and ``qgis_process``) load it at the next start.

    .venv/bin/python scripts/deploy.py [--zip dist/citymgmt.zip] [--profile-dir DIR]

``--profile-dir`` is a profile folder (the one holding ``python/`` and ``QGIS/QGIS3.ini``);
default ``~/.local/share/QGIS/QGIS3/profiles/default`` (Windows: ``%APPDATA%/QGIS/QGIS3/…``,
macOS: ``~/Library/Application Support/QGIS/QGIS3/…``).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST_ZIP = ROOT / "dist" / "citymgmt.zip"


def default_profile_dir() -> Path:
    if sys.platform == "win32":
        import os

        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path.home() / ".local" / "share"
    return base / "QGIS" / "QGIS3" / "profiles" / "default"


def _top_folder(archive: zipfile.ZipFile) -> str:
    tops = {name.split("/")[0] for name in archive.namelist()}
    if len(tops) != 1:
        raise SystemExit(f"deploy: the zip must have one top folder, it has {sorted(tops)}")
    return tops.pop()


def enable_plugin(profile_dir: Path, name: str, enabled: bool = True) -> Path:
    """Set ``[PythonPlugins] name=true`` in the profile's QGIS3.ini (through QSettings)."""
    from qgis.PyQt.QtCore import QSettings

    ini = profile_dir / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True, exist_ok=True)
    settings = QSettings(str(ini), QSettings.IniFormat)
    settings.setValue(f"PythonPlugins/{name}", enabled)
    settings.sync()
    if settings.status() != QSettings.NoError:
        raise SystemExit(f"deploy: could not write {ini}")
    return ini


def install_zip(zip_path: Path, profile_dir: Path, enable: bool = True) -> Path:
    """Unpack the plugin into ``profile_dir/python/plugins``; returns the plugin folder."""
    plugins = profile_dir / "python" / "plugins"
    plugins.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path) as archive:
        name = _top_folder(archive)
        with tempfile.TemporaryDirectory(prefix=".citymgmt-deploy-", dir=plugins) as tmp:
            archive.extractall(tmp)  # test the whole zip before removing the old copy
            target = plugins / name
            if target.is_symlink() or target.is_file():
                target.unlink()
            elif target.exists():
                shutil.rmtree(target)
            (Path(tmp) / name).rename(target)
    if enable:
        enable_plugin(profile_dir, name)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zip", type=Path, default=DIST_ZIP)
    parser.add_argument("--profile-dir", type=Path, default=default_profile_dir())
    parser.add_argument("--no-enable", action="store_true", help="install without enabling")
    args = parser.parse_args(argv)
    if not args.zip.is_file():
        raise SystemExit(f"deploy: {args.zip} not found: run `make package` first")
    target = install_zip(args.zip, args.profile_dir.expanduser(), enable=not args.no_enable)
    state = "installed" if args.no_enable else "installed and enabled"
    print(f"deploy: {state} {target}; restart QGIS to load it")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
