"""Where the plugin's shipped files are, in a source checkout and in the packaged zip."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    """``resources/`` inside the installed plugin, or at the top of a source checkout."""
    packaged = PACKAGE_DIR / "resources"
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def icon_path(name: str) -> Path:
    return resource("icons", name)


def metadata_path() -> Path:
    packaged = PACKAGE_DIR / "metadata.txt"
    return packaged if packaged.is_file() else PACKAGE_DIR.parent / "metadata.txt"


# QGIS names its own Chinese catalogues zh-Hans / zh-Hant (what its Options dialog stores in
# locale/userLocale); Qt and the system say zh_CN / zh_TW.
_LOCALE_ALIASES = {"zh_hans": "zh_CN", "zh_hant": "zh_TW", "zh": "zh_CN"}


def translation_file(locale: str) -> Path | None:
    """The plugin's compiled catalogue (``i18n/citymgmt_<locale>.qm``) for a locale, if shipped."""
    code = locale.replace("-", "_")
    code = _LOCALE_ALIASES.get(code.lower(), code)
    for candidate in dict.fromkeys((code[:5], code[:2])):
        qm = PACKAGE_DIR / "i18n" / f"citymgmt_{candidate}.qm"
        if candidate and qm.is_file():
            return qm
    return None
