"""Domain logic of citymgmt: no widgets, importable headless (CLI, qgis_process, tests)."""
