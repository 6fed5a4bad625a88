"""Find untranslated identifiers in texts a Chinese-speaking user sees (standard library only).

The one judge of the Chinese UI: used inside the real QGIS desktop by the scenario runner
(Debian's Python, no venv) and by pytest (``widget_texts.problems`` for docks and dialogs,
:func:`untranslated` for Processing texts). A text offends when, after the parts that are
data by nature are cut out (URLs, e-mail addresses, file names and paths, UUIDs, EPSG codes,
hexadecimal ids, HTML markup, quoted literals such as a field name in quotes, time-zone
ids), it still holds an ASCII word of three or more letters that is not on the small
allow-list below: a raw snake_case id (``accept_new``), an English word (``point``,
``auto``, ``component``), a raw column name (``dept_code``); or when a half-width comma,
colon or semicolon stands beside a Chinese character (:func:`half_width_marks`).

The allow-list holds proper names and acronyms that stay in Latin letters in Chinese
city-management software; add to it only with a reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ALLOWED_WORDS = frozenset(
    {
        # products, formats and standards named as such in Chinese UIs
        "ODK",
        "Central",  # "ODK Central", the product's name
        "QGIS",
        "PostGIS",
        "PostgreSQL",
        "GeoPackage",
        "GeoJSON",
        "GPX",  # the GPS exchange format tracks come in
        "HTML",  # a report format, as CSV
        "UTF",  # UTF-8, an encoding's name
        "GBK",  # an encoding's name
        "Shapefile",  # a file format
        "JSON",
        "CSV",
        "Excel",
        "WKT",
        "URL",
        "GPS",
        "EPSG",
        "CGCS",  # CGCS2000
        "WGS",  # WGS84
        "GCJ",  # GCJ-02
        "JPEG",
        "EXIF",
        "PDF",  # the reports' file format
        "PNG",  # the report charts' file format
        "ISO",  # ISO 周: the ISO 8601 week the reports and checks are dated by
        "UTC",
        "SQL",
        "GEOS",  # the geometry library, named as the source of a validity reason
        "SDK",  # 地图 SDK
        "http",  # protocols, as users see them in addresses
        "https",
        "Basic",  # QGIS's authentication method, shown untranslated by QGIS itself
        "citymgmt",  # the plugin's name, and the default schema and service name shown
        "uuid",  # ODK instance ids ("uuid:…") are data
        # keys, named as the keyboard has them (Chinese software writes "按 Esc 键")
        "Ctrl",
        "Shift",
        "Alt",
        "Esc",
        "Enter",
        "Return",
    }
)

_CUT = [
    re.compile(r"<[^>]*>"),  # HTML markup
    re.compile(r"&[a-z]+;"),  # HTML entities
    re.compile(r"\b[a-z][a-z0-9+.-]*://\S*", re.I),  # URLs, and URL schemes to type
    re.compile(r"\b[a-z_]+=\S+"),  # key=value to type: service=NAME
    re.compile(r"\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b"),  # e-mail addresses
    re.compile(r"(?:(?<=\s)|^)(?:~|\.{1,2})?/[^\s，。；、）)]*"),  # absolute / relative paths
    re.compile(r"\b[A-Za-z]:\\[^\s]*"),  # Windows paths
    re.compile(r"\b[\w.-]+/(?=[\s，。、）)]|$)"),  # a folder name: photos/
    re.compile(
        r"\b(uuid:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I
    ),  # UUIDs, ODK instance ids
    re.compile(r"\bEPSG:\d+\b", re.I),
    re.compile(r"\b\d-degree\b"),  # EPSG's own CRS names: CGCS2000 / 3-degree Gauss-Kruger …
    re.compile(r"\b(?:Africa|America|Asia|Australia|Europe|Pacific|Etc)/[A-Za-z_]+"),  # zones
    re.compile(r"'[^'\s]+'|\"[^\"\s]+\"|‘[^’\s]+’|“[^”\s]+”"),  # quoted literals: a value to type
    re.compile(  # file names and patterns: office.gpkg, *.csv, pg_service.conf
        r"[\w*-]*\.(?:gpkg|shp|geojson|json|csv|xlsx|xls|fgb|jpg|jpeg|png|tif|tiff|qml|zip|conf)\b",
        re.I,
    ),
    re.compile(r"\b[0-9a-f]*\d[0-9a-f]*\b", re.I),  # numbers and hexadecimal ids
]
_WORD = re.compile(r"[A-Za-z0-9_]*[A-Za-z][A-Za-z0-9_]*")  # whole tokens: 7oty6xx, legacy16


def offending_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The words of ``text`` a Chinese UI should not show untranslated, in order of
    appearance (each once). ``allowed``: more words that are data here (a form id …)."""
    if not text:
        return []
    extra = set(allowed)
    for pattern in _CUT:
        text = pattern.sub(" ", text)
    found: list[str] = []
    for word in _WORD.findall(text):
        letters = sum(c.isascii() and c.isalpha() for c in word)
        if letters < 3 or word in ALLOWED_WORDS or word in extra or word in found:
            continue
        if re.fullmatch(r"[A-Z]+\d+[A-Za-z]?", word):  # codes such as R01, C02, CM120E
            continue
        found.append(word)
    return found


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text or "")


_CJK = "\u3400-\u9fff\u3000-\u303f\uff00-\uffef"
_HALF = re.compile(rf"[{_CJK}]\s*[,:;]|[,:;]\s*[{_CJK}]")


def half_width_marks(text: str) -> list[str]:
    """Half-width commas, colons and semicolons beside Chinese characters (with them)."""
    return _HALF.findall(text or "")


def untranslated(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """What in ``text`` is not translated or not punctuated for Chinese, one line each."""
    found = [f"English word {w}" for w in offending_words(text, allowed)]
    return found + [f"half-width punctuation {m!r}" for m in half_width_marks(text)]
