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

from citymgmt_plugin.core.qgis.session import workspace_spec_text
from citymgmt_plugin.core.thematic.templates import Template, get_template, load_templates

from .base import CityMgmtAlgorithm

_POST_PROCESSORS: list[Any] = []  # Processing keeps only a pointer: keep them alive here


def _template_text(value: Any) -> str:
    """A template given as text (an id or a title), not as a list index."""
    if isinstance(value, str) and not value.strip().isdigit():
        return value.strip()
    return ""


def _index(ids: list[str], template_id: str) -> int:
    return ids.index(template_id) if template_id in ids else -1


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
        "Creates an empty thematic layer from a template (management districts, construction "
        "zones, waterlogging, garbage accumulation, street occupation, patrol routes, main "
        "roads, window areas, or a city's own template), with the template's fields, lists "
        "of values, defaults and rules.\n"
        "When a workspace is chosen (the connected one, one used before, or a GeoPackage "
        "file; in scripts a .gpkg path, a postgresql:// URL or service=NAME), the "
        "layer is a new table of that workspace, with its rules in the database, and is listed "
        "among the workspace's thematic layers. Otherwise it is written to the output "
        "\u201cThematic layer\u201d, in the coordinate system chosen for it.\n"
        "The main roads, window areas and patrol routes templates make no new table in a "
        "workspace: their layer is the workspace's own main roads or patrol routes, which the "
        "patrol coverage and route deviation checks read.\n"
        "A template file, when given, is used instead of the template chosen in the list. In "
        "scripts and on the command line the template may also be given by its id, such as "
        "'construction_zones'."
    )

    TEMPLATE = "TEMPLATE"
    TEMPLATE_FILE = "TEMPLATE_FILE"
    WORKSPACE = "WORKSPACE"
    TABLE_NAME = "TABLE_NAME"
    CRS = "CRS"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config: Any = None) -> None:
        titles = [t.title.local() for t in load_templates()]
        self.addParameter(
            QgsProcessingParameterEnum(
                self.TEMPLATE, self.tr("Template"), options=titles, defaultValue=0
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.TEMPLATE_FILE,
                self.tr("Template file (overrides Template)"),
                extension="json",
                optional=True,
            )
        )
        workspace = QgsProcessingParameterString(
            self.WORKSPACE,
            self.tr("Workspace (none: the layer goes to the output below)"),
            defaultValue=workspace_spec_text(),  # the connected one, in QGIS
            optional=True,
        )
        # a picker in the dialog (processing_algorithms/widgets.py); text everywhere else
        wrapper = f"{__package__}.widgets.WorkspaceWidgetWrapper"
        workspace.setMetadata({"widget_wrapper": {"class": wrapper}})
        self.addParameter(workspace)
        self.addParameter(
            QgsProcessingParameterString(
                self.TABLE_NAME,
                self.tr("Table name in the workspace (default from template)"),
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterCrs(
                self.CRS,
                self.tr("Coordinate system of the thematic layer (outside a workspace)"),
                defaultValue="EPSG:4549",
                optional=True,
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

    def checkParameterValues(self, parameters: Any, context: Any) -> tuple[bool, str]:
        """As QGIS checks them, with a template given by id or title (scripts, the command
        line) taken for its place in the list."""
        name = _template_text(parameters.get(self.TEMPLATE))
        if name:
            try:
                template = get_template(name)
            except ValueError as exc:
                return False, str(exc)
            ids = load_templates().ids()
            parameters = {**parameters, self.TEMPLATE: max(_index(ids, template.id), 0)}
        return super().checkParameterValues(parameters, context)

    def _template_name(self, parameters: Any, context: Any) -> str:
        """The template chosen: an id or title as given, else the one at the list index."""
        name = _template_text(parameters.get(self.TEMPLATE))
        if name:
            return name
        ids = load_templates().ids()
        index = self.parameterAsEnum(parameters, self.TEMPLATE, context)
        return ids[index] if 0 <= index < len(ids) else ""

    def processAlgorithm(self, parameters: Any, context: Any, feedback: Any) -> dict:
        path = self.parameterAsFile(parameters, self.TEMPLATE_FILE, context)
        name = self._template_name(parameters, context)
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
            raise QgsProcessingException(
                self.tr("Give a workspace, or an output for the thematic layer.")
            )
        sink.flushBuffer()
        del sink
        self._post_process(context, dest, template)
        feedback.pushInfo(self.tr("Created {0} ({1})").format(template.title.local(), dest))
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
