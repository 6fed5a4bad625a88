"""GPS tracks from devices: GPX, CSV, GeoJSON and ODK Collect audit logs into ``track_points``."""
