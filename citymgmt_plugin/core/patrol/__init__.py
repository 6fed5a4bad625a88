"""Patrols: GPS tracks, the coverage kernel and its SQL path, route deviation."""
