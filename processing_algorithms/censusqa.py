"""``citymgmt:censusqa``: what is still wrong with a component inventory."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import shapely
from qgis.core import (
    QgsDataSourceUri,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputString,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from .base import CityMgmtAlgorithm
from .params import number, sink
from .readers import python_value
from .writers import make_fields, write_features


def workspace_classes(layer: QgsVectorLayer) -> dict[tuple[str, str], str] | None:
    """The component_classes table next to ``layer`` (same GeoPackage or PostGIS schema)."""
    provider = layer.providerType()
    try:
        if provider == "ogr":
            path = layer.source().split("|")[0]
            if not path.lower().endswith(".gpkg"):
                return None
            table = QgsVectorLayer(f"{path}|layername=component_classes", "classes", "ogr")
        elif provider == "postgres":
            uri = QgsDataSourceUri(layer.source())
            uri.setDataSource(uri.schema(), "component_classes", None)
            uri.setKeyColumn("")
            table = QgsVectorLayer(uri.uri(False), "classes", "postgres")
        else:
            return None
        if not table.isValid():
            return None
        names = table.fields().names()
        if not {"scheme", "code", "geometry_kind"} <= set(names):
            return None
        out = {}
        for f in table.getFeatures():
            out[(f["scheme"], f["code"])] = f["geometry_kind"]
        return out or None
    except Exception:
        return None


def _postgres_query(uri: QgsDataSourceUri, subset: str, fields: list[str]) -> Any:
    """The one query of :func:`read_postgres`; every name from the layer is an Identifier.

    The layer's own filter (its URI's sql and its subset string) is SQL by definition: it is
    applied as QGIS applies it, in the same login's session.
    """
    from psycopg2 import sql

    geom = sql.Identifier(uri.geometryColumn())
    where = [sql.SQL("({})").format(sql.SQL(uri.sql()))] if uri.sql() else []
    if subset and subset != uri.sql():
        where.append(sql.SQL("({})").format(sql.SQL(subset)))
    gtype = QgsWkbTypes.geometryType(uri.wkbType())
    kinds = {
        QgsWkbTypes.PointGeometry: "'POINT','MULTIPOINT'",
        QgsWkbTypes.LineGeometry: "'LINESTRING','MULTILINESTRING'",
        QgsWkbTypes.PolygonGeometry: "'POLYGON','MULTIPOLYGON'",
    }
    if uri.wkbType() != QgsWkbTypes.Unknown and gtype in kinds:
        where.append(sql.SQL("GeometryType({}) IN (" + kinds[gtype] + ")").format(geom))
    # Only what the checks need crosses the wire: values of coded fields, and just
    # "present or empty" for free-text mandatory fields; points as x/y, others as WKB.
    flag_only = {"name", "dept_code", "dept_name", "initial_date"}
    present = "CASE WHEN nullif(btrim({}::text), '') IS NULL THEN NULL ELSE '1' END"
    exprs = [
        sql.SQL(present if f in flag_only else "{}::text").format(sql.Identifier(f)) for f in fields
    ]
    is_point = sql.SQL("GeometryType({}) = 'POINT'").format(geom)
    if uri.schema():
        table = sql.Identifier(uri.schema(), uri.table())
    else:
        table = sql.Identifier(uri.table())
    query = sql.SQL(
        "SELECT {key}, {cols}, CASE WHEN {pt} THEN ST_X({g}) END, "
        "CASE WHEN {pt} THEN ST_Y({g}) END, CASE WHEN {pt} THEN NULL ELSE ST_AsBinary({g}) END "
        "FROM {table}"
    ).format(
        key=sql.Identifier(uri.keyColumn()),
        cols=sql.SQL(", ").join(exprs),
        pt=is_point,
        g=geom,
        table=table,
    )
    if where:
        query = query + sql.SQL(" WHERE ") + sql.SQL(" AND ").join(where)
    return query


def read_postgres(layer: QgsVectorLayer, fields: list[str]) -> tuple[list, list, list] | None:
    """Fast path for a PostGIS layer: one SQL query instead of QgsFeature iteration.
    None when the layer cannot be read this way (auth config, no key column, …)."""
    if layer.providerType() != "postgres":
        return None
    uri = QgsDataSourceUri(layer.source())
    if uri.authConfigId() or not uri.keyColumn() or not uri.geometryColumn():
        return None
    try:
        import psycopg2
    except ImportError:
        return None
    try:
        query = _postgres_query(uri, layer.subsetString(), fields)
        with psycopg2.connect(uri.connectionInfo(False)) as conn, conn.cursor() as cur:
            cur.execute(query)
            rows = cur.fetchall()
    except Exception:
        return None
    n = len(fields)
    fids = [r[0] for r in rows]
    columns = [[r[i + 1] for r in rows] for i in range(n)]
    xs = np.array([r[n + 1] for r in rows], dtype=float)
    ys = np.array([r[n + 2] for r in rows], dtype=float)
    geoms = np.full(len(rows), None, dtype=object)
    pts = ~np.isnan(xs)
    if pts.any():
        geoms[pts] = shapely.points(xs[pts], ys[pts])
    other = np.nonzero(~pts)[0]
    if len(other):
        geoms[other] = shapely.from_wkb(
            np.array(
                [bytes(rows[i][n + 3]) if rows[i][n + 3] is not None else None for i in other],
                dtype=object,
            )
        )
    return fids, columns, geoms


class CensusQaAlgorithm(CityMgmtAlgorithm):
    ALG_ID = "censusqa"
    ALG_NAME = "Census QA (components)"
    ALG_GROUP = "Quality checks"
    ALG_GROUP_ID = "checks"
    ALG_HELP = (
        "Checks a component inventory: identifier structure and uniqueness, identifier county "
        "prefix vs the grid, stored grid code vs the grid the component lies in, duplicates of "
        "the same class within the accuracy tolerance, mandatory attributes, domain values and "
        "geometry kind vs class. Input: the workspace components layer or any layer with its "
        "fields, and the unit grids layer. Output: one error feature per problem, and counts."
    )

    # GRIDS, GRID_CODE_FIELD, TOLERANCE, OUTPUT: see CityMgmtAlgorithm
    INPUT = "INPUT"
    SCHEME = "SCHEME"

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:
        from citymgmt_plugin.core.census.qa import QA_RULES
        from citymgmt_plugin.core.labels import qa_rule_label

        self.addParameter(
            QgsProcessingParameterVectorLayer(
                self.INPUT, self.tr("Components"), [QgsProcessing.TypeVectorAnyGeometry]
            )
        )
        self.add_grid_parameters(vector_layer=True)
        self.addParameter(
            QgsProcessingParameterString(
                self.SCHEME,
                self.tr("Identifier scheme when the layer has no scheme field"),
                defaultValue="legacy16",
            )
        )
        self.addParameter(
            number(
                self.TOLERANCE,
                self.tr("Duplicate tolerance in metres (0: the accuracy class of each component)"),
                0.0,
                0.0,
            )
        )
        self.addParameter(
            sink(self.OUTPUT, self.tr("Census QA errors"), QgsProcessing.TypeVectorPoint)
        )
        self.add_number_outputs(
            ("TOTAL", self.tr("Errors")), ("CHECKED", self.tr("Components checked"))
        )
        self.addOutput(QgsProcessingOutputString("COUNTS", self.tr("Errors per rule (JSON)")))
        self.add_number_outputs(*((rule.upper(), qa_rule_label(rule)) for rule in QA_RULES))

    def _read_features(self, layer: QgsVectorLayer, idx: list[int], feedback: Any) -> tuple:
        fids: list[int] = []
        cols: list[list[Any]] = [[] for _ in idx]
        wkbs: list[bytes | None] = []
        total = max(layer.featureCount(), 1)
        req = QgsFeatureRequest().setSubsetOfAttributes(idx)
        for n, f in enumerate(layer.getFeatures(req)):
            if n % 20000 == 0:
                if feedback.isCanceled():
                    return None, None, None
                feedback.setProgress(10 + 50 * n / total)
            fids.append(f.id())
            for k, i in enumerate(idx):
                v = f.attribute(i)
                cols[k].append(None if isinstance(v, QVariant) else v)
            g = f.geometry()
            wkbs.append(None if g.isNull() else bytes(g.asWkb()))
        return fids, cols, wkbs

    def processAlgorithm(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
    ) -> dict[str, Any]:
        from citymgmt_plugin.core.census.geo import GridIndex
        from citymgmt_plugin.core.census.qa import QA_FIELDS, QA_RULES, default_classes, run_qa
        from citymgmt_plugin.core.labels import labelled, qa_rule_label

        layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        grids_layer = self.parameterAsVectorLayer(parameters, self.GRIDS, context)
        code_field = self.parameterAsString(parameters, self.GRID_CODE_FIELD, context) or "code"
        scheme = self.parameterAsString(parameters, self.SCHEME, context) or "legacy16"
        tol = self.parameterAsDouble(parameters, self.TOLERANCE, context)
        if layer is None or grids_layer is None:
            raise QgsProcessingException(self.tr("Give a components layer and a grids layer."))
        if grids_layer.fields().indexOf(code_field) < 0:
            raise QgsProcessingException(
                self.tr("The grids layer has no field {0}.").format(code_field)
            )
        if grids_layer.crs() != layer.crs():
            raise QgsProcessingException(
                self.tr("The components and the grids must be in the same CRS.")
            )
        feedback.pushInfo(self.tr("Reading unit grids…"))
        gcodes, gwkb = [], []
        req = QgsFeatureRequest().setSubsetOfAttributes([code_field], grids_layer.fields())
        for f in grids_layer.getFeatures(req):
            gcodes.append(str(python_value(f[code_field])))
            gwkb.append(bytes(f.geometry().asWkb()))
        grids = GridIndex(gcodes, list(shapely.from_wkb(np.array(gwkb, dtype=object))))
        feedback.setProgress(10)
        fields = layer.fields()
        present = [f for f in QA_FIELDS if fields.indexOf(f) >= 0]
        idx = [fields.indexOf(f) for f in present]
        feedback.pushInfo(self.tr("Reading components…"))
        fast = read_postgres(layer, present)
        if fast is not None:
            fids, cols, geoms = fast
        else:
            fids, cols, wkbs = self._read_features(layer, idx, feedback)
            if fids is None:
                return self.cancelled(feedback)
            geoms = shapely.from_wkb(np.array(wkbs, dtype=object))
        feedback.setProgress(60)
        values = {f: np.array(c, dtype=object) for f, c in zip(present, cols)}
        for f in ("initial_date",):  # dates only matter as present / empty
            if f in values:
                values[f] = np.array(
                    [
                        None if v is None or (hasattr(v, "isNull") and v.isNull()) else v
                        for v in values[f]
                    ],
                    dtype=object,
                )
        classes = workspace_classes(layer) or default_classes()
        feedback.pushInfo(self.tr("Checking {0} components…").format(len(fids)))
        result = run_qa(
            np.array(fids, dtype=np.int64), values, geoms, grids, classes, scheme, tol or None
        )
        feedback.setProgress(85)
        out_fields = make_fields(
            [("source_fid", QVariant.LongLong), ("identifier", QVariant.String),
             ("rule", QVariant.String), ("label", QVariant.String),
             ("message", QVariant.String)]
        )  # fmt: skip
        sink, dest = self.sink(
            parameters, self.OUTPUT, context, out_fields, QgsWkbTypes.Point, layer.crs()
        )
        write_features(
            sink,
            out_fields,
            (
                ([e.fid, e.identifier, e.rule, qa_rule_label(e.rule), e.message],
                 None if e.point is None else QgsGeometry.fromWkt(e.point.wkt))
                for e in result.errors
            ),
        )  # fmt: skip
        counts = result.counts()
        for rule in QA_RULES:
            feedback.pushInfo(labelled(qa_rule_label(rule), counts[rule]))
        feedback.pushInfo(
            self.tr("{0} errors on {1} of {2} components.").format(
                len(result.errors), result.components_with_errors, result.checked
            )
        )
        out: dict[str, Any] = {
            self.OUTPUT: dest,
            "TOTAL": len(result.errors),
            "CHECKED": result.checked,
            "COUNTS": json.dumps(counts),
        }
        out.update({rule.upper(): counts[rule] for rule in QA_RULES})
        return out
