"""QGIS adapters: workspace layers and styles, map rendering, authentication, headless app."""
