"""Keep numpy's huge-page hint from stalling the big array kernels.

numpy marks every array of 4 MiB or more with ``madvise(MADV_HUGEPAGE)``. Where the kernel's
``/sys/kernel/mm/transparent_hugepage/defrag`` is ``madvise`` or ``defer+madvise`` (Debian's
default is ``madvise``), a page fault in such an array may run synchronous compaction
instead of falling back to small pages (numpy issue #31590). The coverage kernel allocates
and drops dozens of fix-sized arrays; on the 2-core bench VM the hint made a 4x run take
~10 % longer (sys time 1.4 s against 1.1 s) and did nothing for a 1x run.

:func:`no_hugepage_stalls` switches the hint off for the duration of a run where the kernel
would stall on it, and restores numpy's setting afterwards. The setting is process-wide; in
QGIS other threads' arrays just go without the hint for that time (the kernel may still
give them huge pages in ``always`` mode), which changes nothing but speed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

DEFRAG = Path("/sys/kernel/mm/transparent_hugepage/defrag")
# Modes in which a fault in a MADV_HUGEPAGE region may compact synchronously.
_STALLING = {"madvise", "defer+madvise"}
_lock = threading.Lock()
_depth = 0
_saved: bool | None = None


def _numpy_switch() -> Callable[[bool], bool] | None:
    """numpy's ``_set_madvise_hugepage`` (returns the previous value), where it exists."""
    try:
        from numpy._core import multiarray  # numpy >= 2
    except ImportError:
        try:
            from numpy.core import multiarray  # numpy 1.x
        except ImportError:
            return None
    return getattr(multiarray, "_set_madvise_hugepage", None)


def defrag_mode(path: Path = DEFRAG) -> str | None:
    """The selected mode in the kernel's THP defrag setting (``[madvise]`` -> ``madvise``)."""
    try:
        text = path.read_text()
    except OSError:
        return None
    for word in text.split():
        if word.startswith("[") and word.endswith("]"):
            return word[1:-1]
    return None


def stalls_on_hint(path: Path = DEFRAG) -> bool:
    return defrag_mode(path) in _STALLING


@contextmanager
def no_hugepage_stalls(path: Path = DEFRAG) -> Iterator[bool]:
    """Within the block numpy gives no huge-page hint, if the kernel would stall on it.

    Yields whether the hint was switched off. Nested and concurrent uses share one switch:
    numpy's setting comes back when the last one ends.
    """
    global _depth, _saved
    switch = _numpy_switch()
    if switch is None or not stalls_on_hint(path):
        yield False
        return
    with _lock:
        if _depth == 0:
            _saved = bool(switch(False))
        _depth += 1
    try:
        yield True
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _saved is not None:
                switch(_saved)
                _saved = None
