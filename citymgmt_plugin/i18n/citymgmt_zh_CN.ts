<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>CityMgmtAlgorithm</name>
    <message>
      <source>Quality checks</source>
      <translation>质量检查</translation>
    </message>
  </context>
  <context>
    <name>CityMgmtProvider</name>
    <message>
      <source>City management</source>
      <translation>数字城管</translation>
    </message>
  </context>
  <context>
    <name>Cli</name>
    <message>
      <source>CRS: EPSG:{0}</source>
      <translation>坐标系:EPSG:{0}</translation>
    </message>
    <message>
      <source>Digital city management (数字城管) workspaces: schema, demo, intake.</source>
      <translation>数字城管工作空间:数据库结构、演示、数据接入。</translation>
    </message>
    <message>
      <source>Workspace: {0}</source>
      <translation>工作空间:{0}</translation>
    </message>
    <message>
      <source>accept legacy 14-digit unit grid codes</source>
      <translation>允许旧版14位单元网格代码</translation>
    </message>
    <message>
      <source>build the demo district and run the tools</source>
      <translation>生成演示城区并运行各项工具</translation>
    </message>
    <message>
      <source>comma-separated step names to run (default: all)</source>
      <translation>要运行的步骤名,逗号分隔(默认:全部)</translation>
    </message>
    <message>
      <source>component identifier scheme</source>
      <translation>部件标识码方案</translation>
    </message>
    <message>
      <source>create or upgrade the schema</source>
      <translation>创建或升级数据库结构</translation>
    </message>
    <message>
      <source>data volume factor (1 = about 100 km², 10,000 grids)</source>
      <translation>数据量系数(1 = 约100平方公里、10000个网格)</translation>
    </message>
    <message>
      <source>error: {0}</source>
      <translation>错误:{0}</translation>
    </message>
    <message>
      <source>output folder (default ./demo-output)</source>
      <translation>输出文件夹(默认 ./demo-output)</translation>
    </message>
    <message>
      <source>show schema version and row counts</source>
      <translation>显示数据库结构版本和各表记录数</translation>
    </message>
    <message>
      <source>workspace CRS when creating (default 4549)</source>
      <translation>创建时的工作空间坐标系(默认 4549)</translation>
    </message>
    <message>
      <source>workspace schema</source>
      <translation>工作空间数据库结构</translation>
    </message>
    <message>
      <source>{0}: schema at revision {1}</source>
      <translation>{0}:数据库结构版本 {1}</translation>
    </message>
  </context>
  <context>
    <name>Codes</name>
    <message>
      <source> or </source>
      <translation>或</translation>
    </message>
    <message>
      <source>14-digit codes are the legacy form; enable them in the workspace settings.</source>
      <translation>14位代码为旧版格式,如需使用请在工作空间设置中启用。</translation>
    </message>
    <message>
      <source>Component identifier</source>
      <translation>部件标识码</translation>
    </message>
    <message>
      <source>Component identifier {0} carries class {1} but the component's class is {2}.</source>
      <translation>部件标识码 {0} 中的类别代码为 {1},但部件类别为 {2}。</translation>
    </message>
    <message>
      <source>Component identifier {0} starts with county {1} but its unit grid {2} is in county {3}.</source>
      <translation>部件标识码 {0} 的县级区划代码为 {1},但其所在单元网格 {2} 属于 {3}。</translation>
    </message>
    <message>
      <source>Component identifier {0}: class {1} is not in the class table.</source>
      <translation>部件标识码 {0}:类别 {1} 不在部件分类表中。</translation>
    </message>
    <message>
      <source>Component identifier {0}: serial cannot be 0.</source>
      <translation>部件标识码 {0}:顺序码不能为0。</translation>
    </message>
    <message>
      <source>Unit grid code</source>
      <translation>单元网格代码</translation>
    </message>
    <message>
      <source>Unit grid code {0} does not start with its community code {1}.</source>
      <translation>单元网格代码 {0} 与其所在社区代码 {1} 不一致。</translation>
    </message>
    <message>
      <source>Unit grid code {0}: county code 000000 is not valid.</source>
      <translation>单元网格代码 {0}:县级行政区代码 000000 无效。</translation>
    </message>
    <message>
      <source>Unit grid code {0}: grid sequence cannot be 0.</source>
      <translation>单元网格代码 {0}:网格顺序码不能为0。</translation>
    </message>
    <message>
      <source>{0} is empty.</source>
      <translation>{0}为空。</translation>
    </message>
    <message>
      <source>{0} {1} has {2} digits; it must have {3}.</source>
      <translation>{0} {1} 为{2}位,应为{3}位。</translation>
    </message>
    <message>
      <source>{0} {1} must contain digits only.</source>
      <translation>{0} {1} 只能由数字组成。</translation>
    </message>
  </context>
  <context>
    <name>Demo</name>
    <message>
      <source>   ({0:.1f} s)</source>
      <translation>   ({0:.1f} 秒)</translation>
    </message>
    <message>
      <source>== {0}</source>
      <translation>== {0}</translation>
    </message>
    <message>
      <source>Outputs:</source>
      <translation>输出:</translation>
    </message>
  </context>
  <context>
    <name>Headless</name>
    <message>
      <source>QGIS Processing is not importable: add QGIS's python/plugins folder (e.g. /usr/share/qgis/python/plugins) to PYTHONPATH.</source>
      <translation>无法导入 QGIS 处理框架:请将 QGIS 的 python/plugins 文件夹(如 /usr/share/qgis/python/plugins)加入 PYTHONPATH。</translation>
    </message>
  </context>
  <context>
    <name>Plugin</name>
    <message>
      <source>City management</source>
      <translation>数字城管</translation>
    </message>
  </context>
  <context>
    <name>Workspace</name>
    <message>
      <source>No such GeoPackage: {0}</source>
      <translation>GeoPackage 文件不存在:{0}</translation>
    </message>
    <message>
      <source>Not a workspace: give a .gpkg path, a postgresql:// URL or service=NAME.</source>
      <translation>不是有效的工作空间:请给出 .gpkg 文件路径、postgresql:// 地址或 service=名称。</translation>
    </message>
    <message>
      <source>Schema name must be lower-case letters, digits and _: {0}</source>
      <translation>模式名只能包含小写字母、数字和下划线:{0}</translation>
    </message>
    <message>
      <source>{0} has no city-management schema yet: create it first.</source>
      <translation>{0} 中还没有数字城管数据库结构,请先创建。</translation>
    </message>
  </context>
</TS>
