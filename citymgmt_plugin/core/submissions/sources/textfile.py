"""Text files as devices write them: the encoding detected, bytes that are not text kept.

Device exports come in UTF-8 (with or without a byte-order mark), in GBK/GB18030 (Chinese
Windows, older 城管通 back ends) and now and then in UTF-16. :func:`detect_encoding` reads
the byte-order mark, else decodes a sample as UTF-8, and when that fails also as GB18030 (a
superset of GBK): GB18030 is taken when it reads the sample whole, or with a tenth of the
undecodable bytes UTF-8 leaves (a GBK file with a damaged byte); otherwise the file is
UTF-8 with a few broken characters (plain ASCII is both: UTF-8).

Files are then decoded with ``errors="surrogateescape"``: a byte that is not text in the
chosen encoding becomes a lone surrogate (U+DC80…U+DCFF) instead of an exception, so one
broken record does not stop the file; the judge finds those characters in its record and
quarantines it as ``invalid_text`` (:mod:`..judge.sanitise`).
"""

from __future__ import annotations

import codecs
import io
from pathlib import Path
from typing import IO

SAMPLE_BYTES = 1 << 20  # what the detection looks at
ERRORS = "surrogateescape"
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _undecodable(sample: bytes, encoding: str) -> int:
    """How many bytes of ``sample`` do not decode (a character cut at its end is fine)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors=ERRORS)
    text = decoder.decode(sample, final=False)
    return sum(1 for ch in text if "\udc80" <= ch <= "\udcff")


def detect_encoding(sample: bytes) -> str:
    """The encoding of a file that starts with ``sample`` (a Python codec name)."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    utf8 = _undecodable(sample, "utf-8")
    if utf8 == 0:
        return "utf-8"
    gb = _undecodable(sample, "gb18030")
    return "gb18030" if gb == 0 or gb * 10 < utf8 else "utf-8"


def file_encoding(path: Path) -> str:
    with open(path, "rb") as f:
        return detect_encoding(f.read(SAMPLE_BYTES))


def open_text(path: Path, newline: str | None = None) -> IO[str]:
    """``path`` opened for reading text in its detected encoding (bad bytes escaped)."""
    encoding = file_encoding(path)
    raw = open(path, "rb")  # noqa: SIM115 - handed to the wrapper, closed with it
    return io.TextIOWrapper(raw, encoding=encoding, errors=ERRORS, newline=newline)


def read_text(path: Path) -> str:
    """The whole text of ``path`` in its detected encoding (bad bytes escaped)."""
    with open_text(path) as f:
        return f.read()
