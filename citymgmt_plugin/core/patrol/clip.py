"""Main roads cut by the grids, and the road pieces cut into short straight segments.

Pure numpy + shapely 2. Every piece of road lies in one grid and sits on one shared
chainage axis (pieces apart by ``_PIECE_SEP``), so covered intervals of different pieces
never merge; the vertices keep their chainage for rebuilding the uncovered stretches.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely

# Separation between road pieces on the shared chainage axis, so intervals never merge across.
_PIECE_SEP = 1.0


def clip_roads_to_grids(
    roads: Iterable, grids: Sequence | np.ndarray, *, dissolve: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Cut road lines by grid polygons: (LineString pieces, grid index of each piece).

    With ``dissolve`` the roads are unioned first, so a street digitised twice counts once.
    """
    roads = np.asarray(list(roads) if not isinstance(roads, np.ndarray) else roads, dtype=object)
    grids = np.asarray(grids, dtype=object)
    roads = roads[~(shapely.is_missing(roads) | shapely.is_empty(roads))]
    if len(roads) == 0 or len(grids) == 0:
        return np.zeros(0, dtype=object), np.zeros(0, dtype=np.int64)
    if dissolve:
        roads = shapely.get_parts(shapely.line_merge(shapely.union_all(roads)))
    roads = shapely.get_parts(roads)
    roads = roads[shapely.get_type_id(roads) == 1]
    tree = shapely.STRtree(grids)
    ri, gi = tree.query(roads, predicate="intersects")
    covered = shapely.contains_properly(grids[gi], roads[ri])
    inter = np.where(covered, roads[ri], None)
    rest = ~covered
    inter[rest] = shapely.intersection(roads[ri[rest]], grids[gi[rest]])
    # Two levels: a collection (lines plus boundary-touch points) may hold a multi-line.
    parts, src = shapely.get_parts(inter, return_index=True)
    parts, src2 = shapely.get_parts(parts, return_index=True)
    src = src[src2]
    keep = (shapely.get_type_id(parts) == 1) & (shapely.length(parts) > 0)
    return parts[keep], gi[src[keep]].astype(np.int64)


@dataclass
class RoadSegments:
    """Road segments A + s*u (0 <= s <= length) and the pieces they belong to."""

    ax: np.ndarray
    ay: np.ndarray
    ux: np.ndarray
    uy: np.ndarray
    length: np.ndarray
    chain0: np.ndarray  # chainage of A on the shared axis
    piece_start: np.ndarray
    piece_len: np.ndarray
    vx: np.ndarray  # vertices of all pieces, with their chainage, for rebuilding gaps
    vy: np.ndarray
    vchain: np.ndarray


def road_segments(lines: np.ndarray, max_len: float) -> RoadSegments:
    """The straight segments of ``lines`` (road pieces, one grid each), each cut into
    sub-segments no longer than ``max_len``, with their chainage on the shared axis."""
    coords, line_idx = shapely.get_coordinates(lines, return_index=True)
    n_lines = len(lines)
    dx = np.diff(coords[:, 0])
    dy = np.diff(coords[:, 1])
    same = line_idx[1:] == line_idx[:-1]
    seglen = np.where(same, np.hypot(dx, dy), 0.0)
    piece_len = np.bincount(line_idx[1:][same], weights=seglen[same], minlength=n_lines)
    piece_start = np.zeros(n_lines)
    if n_lines > 1:
        piece_start[1:] = np.cumsum(piece_len[:-1] + _PIECE_SEP)
    # Chainage of every vertex: piece start plus the length walked inside the piece.
    walked = np.concatenate([[0.0], np.cumsum(seglen)])
    first_vertex = np.searchsorted(line_idx, np.arange(n_lines))
    vchain = walked - walked[first_vertex[line_idx]] + piece_start[line_idx]
    real = np.flatnonzero(same & (seglen > 0))
    ax, ay = coords[real, 0], coords[real, 1]
    ln = seglen[real]
    ux, uy = dx[real] / ln, dy[real] / ln
    chain0 = vchain[real]
    # Short road segments keep the hash-grid neighbourhoods tight.
    nsub = np.maximum(1, np.ceil(ln / max_len).astype(np.int64))
    if np.any(nsub > 1):
        rep = np.repeat(np.arange(len(ln)), nsub)
        k = np.arange(len(rep)) - np.repeat(np.cumsum(nsub) - nsub, nsub)
        sub = ln[rep] / nsub[rep]
        off = k * sub
        ax = ax[rep] + ux[rep] * off
        ay = ay[rep] + uy[rep] * off
        ux, uy = ux[rep], uy[rep]
        chain0 = chain0[rep] + off
        ln = sub
    return RoadSegments(
        ax, ay, ux, uy, ln, chain0, piece_start, piece_len, coords[:, 0], coords[:, 1], vchain
    )
