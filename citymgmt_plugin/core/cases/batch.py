"""One call for a case import: read the batch, map it (given, remembered or guessed), check
every row, store the good ones in one transaction, remember the mapping; the open tasks of
cases the batch closed or voided are cancelled."""

from __future__ import annotations

from typing import Any

from ..workspace.store import Workspace
from .importer import ImportOptions, prepare_cases
from .sources import guess_mapping, mapping_store, read_cases
from .store import ImportReport, save_batch
from .tasks import cancel_tasks_of_closed_cases


def import_cases(
    ws: Workspace,
    where: str,
    layer: str | None = None,
    mapping: dict[str, str] | None = None,
    options: ImportOptions | None = None,
    store: Any = None,
    actor: str | None = None,
) -> ImportReport:
    """Import the cases of ``where`` (a file, or ``table:schema.name`` on PostGIS).

    Without ``mapping`` the one remembered for the batch's columns is used, else one guessed
    from the column names; the mapping used is remembered. ``store``: a
    :class:`~..census.importer.MappingStore` (default: the user's case mappings file).
    """
    table = read_cases(ws, where, layer)
    store = store if store is not None else mapping_store()
    options = options or ImportOptions()
    if mapping is None:
        mapping = store.get(table.columns) or guess_mapping(table.columns, table.has_geometry)
        if options.crs is None and store.get_crs(table.columns):
            options = ImportOptions(options.channel, options.kind, store.get_crs(table.columns))
    with ws.engine.connect() as conn:
        batch = prepare_cases(conn, ws, table, mapping, options)
    report = save_batch(ws, batch, actor)
    if report.updated:
        cancel_tasks_of_closed_cases(ws, actor)
    store.remember(table.columns, mapping, options.crs)
    return report
