"""citymgmt:createthematiclayer — a thematic layer from a template, in a workspace or any
QGIS-writable destination."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingOutputString,
    QgsProcessingParameterCrs,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
)

from citymgmt_plugin.core.thematic.templates import Template, get_template, load_templates

from .base import CityMgmtAlgorithm

_POST_PROCESSORS: list[Any] = []  # Processing keeps only a pointer: keep them alive here


class _ConfigureThematic(QgsProcessingLayerPostProcessorInterface):
    """Gives the loaded output layer the template's form and style."""

    def __init__(self, template: Template) -> None:
        super().__init__()
        self.template = template

    def postProcessLayer(self, layer: Any, context: Any, feedback: Any) -> None:
        from citymgmt_plugin.core.qgis.thematic_layer import configure_layer

        configure_layer(layer, self.template)


class CreateThematicLayerAlgorithm(CityMgmtAlgorithm):
    ALG_ID = "createthematiclayer"
    ALG_NAME = "Create thematic layer from template"
    ALG_GROUP = "Thematic layers"
    ALG_GROUP_ID = "thematic"
    ALG_HELP = (
        "Creates an empty thematic layer (management districts, construction zones, "
        "waterlogging, garbage accumulation, street occupation, patrol routes, main roads, "
        "window areas, or a city's own template) with the template's fields, choices, "
        "defaults and rules. With WORKSPACE (a .gpkg path, postgresql:// URL or service=NAME) "
        "the layer is a table of the workspace with its constraints in the database and is "
        "registered there; otherwise it is written to OUTPUT. The main roads, window areas "
        "and patrol routes templates make no table in a workspace: their layer is the "
        "workspace's own main_roads (by kind) or patrol_routes table, which the coverage and "
        "route deviation checks read. TEMPLATE_FILE overrides TEMPLATE with a template file."
    )

    TEMPLATE = "TEMPLATE"
    TEMPLATE_FILE = "TEMPLATE_FILE"
    WORKSPACE = "WORKSPACE"
    TABLE_NAME = "TABLE_NAME"
    CRS = "CRS"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config: Any = None) -> None:
        ids = load_templates().ids()
        param = QgsProcessingParameterEnum(
            self.TEMPLATE, self.tr("Template"), options=ids, defaultValue=ids[0] if ids else None
        )
        param.setUsesStaticStrings(True)
        self.addParameter(param)
        self.addParameter(
            QgsProcessingParameterFile(
                self.TEMPLATE_FILE,
                self.tr("Template file (overrides Template)"),
                extension="json",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.WORKSPACE,
                self.tr("Workspace (.gpkg, postgresql:// URL or service=NAME)"),
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.TABLE_NAME,
                self.tr("Table name in the workspace (default from template)"),
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterCrs(
                self.CRS, self.tr("CRS of OUTPUT"), defaultValue="EPSG:4549", optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT,
                self.tr("Thematic layer"),
                QgsProcessing.TypeVectorAnyGeometry,
                optional=True,
                createByDefault=True,
            )
        )
        self.addOutput(QgsProcessingOutputString("TABLE", self.tr("Workspace table")))
        self.addOutput(QgsProcessingOutputString("TEMPLATE_ID", self.tr("Template id")))

    def processAlgorithm(self, parameters: Any, context: Any, feedback: Any) -> dict:
        path = self.parameterAsFile(parameters, self.TEMPLATE_FILE, context)
        name = self.parameterAsEnumString(parameters, self.TEMPLATE, context)
        try:
            template = get_template(path or name)
        except ValueError as exc:
            raise QgsProcessingException(str(exc)) from exc
        workspace = self.parameterAsString(parameters, self.WORKSPACE, context).strip()
        if workspace:
            return self._in_workspace(template, workspace, parameters, context, feedback)
        from citymgmt_plugin.core.qgis.thematic_layer import WKB_TYPES, template_fields

        crs = self.parameterAsCrs(parameters, self.CRS, context)
        if not crs.isValid():
            crs = QgsCoordinateReferenceSystem("EPSG:4549")
        sink, dest = self.parameterAsSink(
            parameters,
            self.OUTPUT,
            context,
            template_fields(template),
            WKB_TYPES[template.geometry],
            crs,
        )
        if sink is None:
            raise QgsProcessingException(self.tr("Give WORKSPACE or OUTPUT."))
        sink.flushBuffer()
        del sink
        self._post_process(context, dest, template)
        feedback.pushInfo(self.tr("Created {0} ({1})").format(template.title.both(), dest))
        return {self.OUTPUT: dest, "TABLE": "", "TEMPLATE_ID": template.id}

    def _in_workspace(
        self, template: Template, workspace: str, parameters: Any, context: Any, feedback: Any
    ) -> dict:
        from citymgmt_plugin.core.qgis.layers import layer_source, subset_string
        from citymgmt_plugin.core.thematic.tables import create_thematic_table
        from citymgmt_plugin.core.workspace.store import Workspace

        table = self.parameterAsString(parameters, self.TABLE_NAME, context).strip() or None
        try:
            ws = Workspace.open(workspace)
        except Exception as exc:
            raise QgsProcessingException(str(exc)) from exc
        try:
            info = create_thematic_table(ws, template, table_name=table)
            source, provider = layer_source(ws, info.source_table, subset_string(info.filters))
        except Exception as exc:
            raise QgsProcessingException(str(exc)) from exc
        finally:
            ws.close()
        feedback.pushInfo(self.tr("Created table {0} in {1}").format(info.table_name, workspace))
        if provider == "postgres":
            source = f"postgres://{source}"
        self._post_process(context, source, template, name=info.title)
        return {self.OUTPUT: source, "TABLE": info.table_name, "TEMPLATE_ID": template.id}

    def _post_process(self, context: Any, dest: str, template: Template, name: str = "") -> None:
        if not context.willLoadLayerOnCompletion(dest):
            if context.project() is None or not name:
                return
            details = QgsProcessingContext.LayerDetails(name, context.project(), self.OUTPUT)
            context.addLayerToLoadOnCompletion(dest, details)
        post = _ConfigureThematic(template)
        _POST_PROCESSORS.append(post)
        context.layerToLoadOnCompletionDetails(dest).setPostProcessor(post)
