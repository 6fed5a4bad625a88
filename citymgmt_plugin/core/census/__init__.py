"""Component census: place, change, move, retire; identifiers; photos; import; reconcile; QA.

The API every caller (census dock, field-submission review, reconciliation, CLI) shares.
Each function takes an open connection so the caller decides the transaction, and the
actor, normally the person signed in (``ws.actor``)::

    with census.write_transaction(ws) as conn:
        ref = census.create_component(conn, ws, ComponentDraft(...), actor=ws.actor)
        census.add_photo(conn, ws, ref.id, "IMG_0001.jpg", actor=ws.actor)
"""

from __future__ import annotations

from .components import (
    Candidate,
    ComponentDraft,
    ComponentRecord,
    ComponentRef,
    candidates_near,
    component_history,
    create_component,
    find_by_identifier,
    get_component,
    move_component,
    office_today,
    retire_component,
    set_status,
    update_component,
    validate_draft,
)
from .errors import CensusError, NotFound, Problem, ValidationFailed, VersionConflict
from .geo import GridIndex, GridRef, anchor, geometry_kind
from .grids import find_grid, grid_refs, load_grid_index
from .identifiers import (
    allocate_identifier,
    allocate_serials,
    reserve_identifier,
    write_transaction,
)
from .photos import Exif, PhotoInfo, add_photo, list_photos, photo_bytes, read_exif
from .validation import ClassInfo, class_table, get_class

__all__ = [
    "Candidate",
    "CensusError",
    "ClassInfo",
    "ComponentDraft",
    "ComponentRecord",
    "ComponentRef",
    "Exif",
    "GridIndex",
    "GridRef",
    "NotFound",
    "PhotoInfo",
    "Problem",
    "ValidationFailed",
    "VersionConflict",
    "add_photo",
    "allocate_identifier",
    "allocate_serials",
    "anchor",
    "candidates_near",
    "class_table",
    "component_history",
    "create_component",
    "find_by_identifier",
    "find_grid",
    "geometry_kind",
    "get_class",
    "get_component",
    "grid_refs",
    "list_photos",
    "load_grid_index",
    "move_component",
    "office_today",
    "photo_bytes",
    "read_exif",
    "reserve_identifier",
    "retire_component",
    "set_status",
    "update_component",
    "validate_draft",
    "write_transaction",
]
