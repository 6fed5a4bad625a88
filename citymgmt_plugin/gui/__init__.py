"""Widgets, docks and map tools: thin over :mod:`citymgmt_plugin.core`."""
