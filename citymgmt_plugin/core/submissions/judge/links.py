"""Duplicate links judged at ingest: each record of a page against what is stored nearby in
time, and the stored rows the page changes (a late arrival becomes their original).

The rule is :mod:`.duplicates`. The rows judged are the page's records and the stored rows
observed from the page's earliest time to the window after its latest (their whole
look-back window is within what is read); a row read only as context keeps its stored link,
so a chain reaching further back still ends at its earliest report. Rows that pointed at a
stored original which the page now links to an earlier report are pointed on to that one.
Everything else keeps its stored link: links are recomputed only where an ingest changes
something. (A row beyond the window that pointed at a report whose position an edit moved
keeps that link until it is itself ingested again.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import numpy as np
from sqlalchemy import Connection

from . import stored
from .duplicates import DuplicateRules, direct_links, groups, stored_rows
from .verdict import Link, Verdict


@dataclass
class _Arrays:
    """Stored context rows first, then the page's linkable verdicts."""

    ids: np.ndarray
    x: np.ndarray
    y: np.ndarray
    t: np.ndarray
    group: np.ndarray
    n_stored: int
    verdicts: list[Verdict]
    new_ids: dict[int, str] = field(default_factory=dict)  # provisional id -> instance id

    def where(self) -> dict[int, tuple[float, float, float]]:
        return {int(i): (x, y, t) for i, x, y, t in zip(self.ids, self.x, self.y, self.t)}


def _arrays(
    conn: Connection,
    ws: Any,
    verdicts: Sequence[Verdict],
    stored_ids: dict[str, int],
    span: tuple[float, float],
) -> _Arrays:
    page = [v for v in verdicts if v.linkable()]
    to_dt = [datetime.fromtimestamp(s, timezone.utc) for s in span]
    rows = stored_rows(conn, ws, (to_dt[0], to_dt[1]))
    # the page's records replace their stored rows, linkable now or not
    replaced = [stored_ids[v.instance_id] for v in verdicts if v.instance_id in stored_ids]
    keep = ~np.isin(rows.ids, np.array(replaced, np.int64))
    # New rows get ids in page order on insert: provisional ones break ties in time the same way.
    next_id = stored.last_submission_id(conn, ws)
    page_ids, new_ids = [], {}
    for v in verdicts:
        sid = stored_ids.get(v.instance_id)
        if sid is None:
            next_id += 1
            sid = next_id
            new_ids[sid] = v.instance_id
        if v.linkable():
            page_ids.append(sid)
    kinds = [k for k, ok in zip(rows.kinds, keep) if ok] + [v.values["kind"] for v in page]
    cats = [c for c, ok in zip(rows.categories, keep) if ok]
    cats += [v.values["category_code"] for v in page]
    return _Arrays(
        np.concatenate([rows.ids[keep], np.array(page_ids, np.int64)]),
        np.concatenate([rows.x[keep], np.array([v.xy[0] for v in page], float)]),
        np.concatenate([rows.y[keep], np.array([v.xy[1] for v in page], float)]),
        np.concatenate([rows.t[keep], np.array([v.observed_utc.timestamp() for v in page])]),
        groups(kinds, cats),
        int(keep.sum()),
        page,
        new_ids,
    )


def _roots(
    conn: Connection, ws: Any, a: _Arrays, direct: dict[int, int], update: set[int]
) -> dict[int, int]:
    """Index of a judged row -> id of the earliest report of its cluster."""
    beyond = {int(a.ids[j]) for j in direct.values() if j not in update}
    stored_root = stored.links_of(conn, ws, beyond)
    root: dict[int, int] = {}
    for i in sorted(direct, key=lambda k: (a.t[k], a.ids[k])):
        j = direct[i]
        if j in update:
            root[i] = root.get(j, int(a.ids[j]))
        else:
            root[i] = stored_root.get(int(a.ids[j]), int(a.ids[j]))
    return root


def _link(
    sid: int, root: int, where: dict[int, tuple[float, float, float]], new_ids: dict[int, str]
) -> Link | None:
    if sid not in where or root not in where:
        return None
    (x, y, t), (rx, ry, rt) = where[sid], where[root]
    return Link(new_ids.get(root, root), float(np.hypot(x - rx, y - ry)), float((t - rt) / 60.0))


def _cascade(
    conn: Connection, ws: Any, now_linked: dict[int, int], skip: set[int], a: _Arrays
) -> dict[int, Link | None]:
    """Rows pointing at an original that now repeats an earlier report: on to that one."""
    children = {c: o for c, o in stored.linked_to(conn, ws, now_linked).items() if c not in skip}
    if not children:
        return {}
    where = a.where()
    missing = set(children) | set(now_linked.values())
    where.update(stored.points(conn, ws, missing - set(where)))
    return {c: _link(c, now_linked[o], where, a.new_ids) for c, o in children.items()}


def link_page(
    conn: Connection,
    ws: Any,
    verdicts: Sequence[Verdict],
    stored_ids: dict[str, int],
    rules: DuplicateRules,
) -> dict[int, Link | None]:
    """Set every verdict's ``link``; return the new links of stored rows the page changes.

    ``stored_ids``: instance id -> submission id of the page's records already stored.
    """
    page = [v for v in verdicts if v.linkable()]
    if not page:
        return {}
    window = rules.window_h * 3600.0
    times = [v.observed_utc.timestamp() for v in page]  # type: ignore[union-attr]
    first, last = min(times), max(times)
    a = _arrays(conn, ws, verdicts, stored_ids, (first - window, last + window))
    update = set(range(a.n_stored, len(a.ids)))
    update |= {i for i in range(a.n_stored) if a.t[i] >= first}
    among = np.array(sorted(update), np.int64)
    direct = direct_links(a.ids, a.x, a.y, a.t, a.group, rules, among=among)
    root = _roots(conn, ws, a, direct, update)
    where = a.where()
    where.update(stored.points(conn, ws, set(root.values()) - set(where)))
    links = {i: _link(int(a.ids[i]), r, where, a.new_ids) for i, r in root.items()}
    for k, v in enumerate(a.verdicts):
        v.link = links.get(a.n_stored + k)
    stored_update = [i for i in update if i < a.n_stored]
    before = stored.links_of(conn, ws, [int(a.ids[i]) for i in stored_update])
    relinks: dict[int, Link | None] = {}
    for i in stored_update:
        sid, new = int(a.ids[i]), links.get(i)
        if before.get(sid) != (None if new is None else new.original) or i in root:
            relinks[sid] = new
    now_linked = {int(a.ids[i]): r for i, r in root.items()}
    skip = {int(a.ids[i]) for i in update}
    relinks.update(_cascade(conn, ws, now_linked, skip, a))
    return relinks
