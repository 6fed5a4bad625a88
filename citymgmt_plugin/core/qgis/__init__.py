"""QGIS adapters: workspace layers and styles, map rendering, authentication and connecting."""
