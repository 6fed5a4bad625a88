"""The workspace's contract profile: kept as JSON in ``workspace_settings``
(``contract_profile``), the shipped Suzhou 2021 contract (seed 000) until one is saved."""

from __future__ import annotations

from sqlalchemy import select

from ..submissions.settings import put_json
from ..workspace.store import Workspace, audit
from .profile import ContractProfile, ProfileError, default_profile

KEY = "contract_profile"


def load_profile(ws: Workspace) -> ContractProfile:
    """The workspace's profile; the shipped default when it has none. ProfileError when the
    stored one cannot be read (the message says what)."""
    t = ws.schema.workspace_settings
    with ws.engine.connect() as conn:
        text = conn.execute(select(t.c.value).where(t.c.key == KEY)).scalar()
    if not text:
        return default_profile()
    import json

    try:
        return ContractProfile.from_dict(json.loads(text))
    except json.JSONDecodeError as exc:
        raise ProfileError(str(exc)) from exc


def has_profile(ws: Workspace) -> bool:
    t = ws.schema.workspace_settings
    with ws.engine.connect() as conn:
        return conn.execute(select(t.c.key).where(t.c.key == KEY)).first() is not None


def save_profile(ws: Workspace, profile: ContractProfile) -> None:
    """Keep ``profile`` as the workspace's contract (one transaction, audited)."""
    data = profile.to_dict()
    with ws.begin() as conn:
        put_json(conn, ws, KEY, data)
        audit(conn, ws.schema, ws.actor, "contract.saved", "workspace_settings", None,
              {"id": profile.id, "name": profile.name})  # fmt: skip
