"""The demo district: a deterministic, realistic sample city-management workspace."""
