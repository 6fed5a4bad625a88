"""The huge-page hint is off during a coverage run only where the kernel would stall on it."""

from __future__ import annotations

import threading

import pytest

from citymgmt_plugin.core.patrol import hugepages
from citymgmt_plugin.core.patrol.hugepages import defrag_mode, no_hugepage_stalls

# Debian 12's numpy 1.24 (what the plugin runs on) has the switch.
switch = hugepages._numpy_switch()
assert switch is not None


def _numpy_hint() -> bool:
    before = switch(True)
    switch(before)
    return bool(before)


@pytest.fixture
def defrag(tmp_path):
    def make(text: str):
        path = tmp_path / "defrag"
        path.write_text(text + "\n")
        return path

    return make


def test_defrag_mode_reads_the_selected_word(defrag, tmp_path):
    assert defrag_mode(defrag("always defer [defer+madvise] madvise never")) == "defer+madvise"
    assert defrag_mode(defrag("always defer defer+madvise [madvise] never")) == "madvise"
    assert defrag_mode(tmp_path / "missing") is None


@pytest.mark.parametrize("selected", ["madvise", "defer+madvise"])
def test_hint_off_inside_and_restored(defrag, selected):
    modes = ["always", "defer", "defer+madvise", "madvise", "never"]
    path = defrag(" ".join(f"[{m}]" if m == selected else m for m in modes))
    previous = switch(True)
    try:
        with no_hugepage_stalls(path) as switched:
            assert switched
            assert _numpy_hint() is False
            with no_hugepage_stalls(path):  # nested: still off, restored only at the end
                assert _numpy_hint() is False
            assert _numpy_hint() is False
        assert _numpy_hint() is True
    finally:
        switch(previous)


@pytest.mark.parametrize("selected", ["always", "defer", "never"])
def test_hint_left_alone_where_it_cannot_stall(defrag, selected):
    path = defrag(f"[{selected}]")
    previous = switch(True)
    try:
        with no_hugepage_stalls(path) as switched:
            assert not switched
            assert _numpy_hint() is True
    finally:
        switch(previous)


def test_restored_after_an_error_and_across_threads(defrag):
    path = defrag("always defer defer+madvise [madvise] never")
    previous = switch(True)
    try:
        inside = threading.Event()
        release = threading.Event()

        def worker():
            with no_hugepage_stalls(path):
                inside.set()
                release.wait(5)

        th = threading.Thread(target=worker)
        th.start()
        inside.wait(5)
        with pytest.raises(RuntimeError), no_hugepage_stalls(path):
            raise RuntimeError("kernel failed")
        assert _numpy_hint() is False  # the other run is still going
        release.set()
        th.join(5)
        assert _numpy_hint() is True
    finally:
        switch(previous)
