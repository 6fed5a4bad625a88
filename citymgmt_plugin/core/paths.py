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


def docs_dir() -> Path:
    """``docs/`` (the user guide) inside the installed plugin, or at the top of a checkout."""
    packaged = PACKAGE_DIR / "docs"
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent / "docs"


def metadata_path() -> Path:
    packaged = PACKAGE_DIR / "metadata.txt"
    return packaged if packaged.is_file() else PACKAGE_DIR.parent / "metadata.txt"


# QGIS names its own Chinese catalogues zh-Hans / zh-Hant (what its Options dialog stores in
# locale/userLocale); Qt and the system say zh_CN / zh_TW; a POSIX locale adds .UTF-8.
_TRADITIONAL = {"hant", "tw", "hk", "mo"}


def catalogue_code(locale: str) -> str:
    """The catalogue name for a locale: ``zh-Hans``, ``zh_Hans``, ``zh-CN``, ``zh_cn``,
    ``zh_CN.UTF-8``, ``zh-Hans-CN``, ``zh`` -> ``zh_CN``; ``zh-Hant``/``zh_TW`` -> ``zh_TW``;
    ``de_DE`` -> ``de_DE``; ``C`` -> ``c``."""
    code = locale.strip().split(".")[0].split("@")[0].replace("-", "_")
    lang, *rest = [p for p in code.split("_") if p] or [""]
    lang, rest = lang.lower(), [p.lower() for p in rest]
    if lang == "zh":
        return "zh_TW" if _TRADITIONAL & set(rest) else "zh_CN"
    region = next((p.upper() for p in rest if len(p) == 2), "")
    return f"{lang}_{region}" if region else lang


def translation_file(locale: str) -> Path | None:
    """The plugin's compiled catalogue (``i18n/citymgmt_<locale>.qm``) for a locale, if shipped."""
    code = catalogue_code(locale)
    for candidate in dict.fromkeys((code, code.split("_")[0])):
        qm = PACKAGE_DIR / "i18n" / f"citymgmt_{candidate}.qm"
        if candidate and qm.is_file():
            return qm
    return None
