"""Thematic-layer surveying (专题图层采集测绘): templates, tables, rules and statistics.

``templates`` reads the JSON templates, ``tables`` makes workspace tables from them,
``rules`` checks features (shapely, no QGIS), ``stats`` counts and measures per grid, and
``qgis_layer`` builds the QGIS layer with the template's form, style and snapping.
"""
