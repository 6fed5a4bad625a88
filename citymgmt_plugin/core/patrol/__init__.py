"""Patrols: fixes to track segments, roads cut by grids, coverage (kernel and SQL), deviation."""
