<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>Argparse</name>
    <message>
      <source>%(prog)s: error: %(message)s
</source>
      <translation>%(prog)s：错误：%(message)s
</translation>
    </message>
    <message>
      <source>ambiguous option: %(option)s could match %(matches)s</source>
      <translation>选项不明确：%(option)s 可匹配 %(matches)s</translation>
    </message>
    <message>
      <source>argument %(argument_name)s: %(message)s</source>
      <translation>参数 %(argument_name)s：%(message)s</translation>
    </message>
    <message>
      <source>expected %s arguments</source>
      <translation>需要 %s 个参数值</translation>
    </message>
    <message>
      <source>expected at least one argument</source>
      <translation>至少需要一个参数值</translation>
    </message>
    <message>
      <source>expected at most one argument</source>
      <translation>最多需要一个参数值</translation>
    </message>
    <message>
      <source>expected one argument</source>
      <translation>需要一个参数值</translation>
    </message>
    <message>
      <source>ignored explicit argument %r</source>
      <translation>已忽略显式给出的参数值 %r</translation>
    </message>
    <message>
      <source>invalid %(type)s value: %(value)r</source>
      <translation>无效的 %(type)s 值：%(value)r</translation>
    </message>
    <message>
      <source>invalid choice: %(value)r (choose from %(choices)s)</source>
      <translation>无效的选项：%(value)r（可选：%(choices)s）</translation>
    </message>
    <message>
      <source>not allowed with argument %s</source>
      <translation>不能与参数 %s 同时使用</translation>
    </message>
    <message>
      <source>one of the arguments %s is required</source>
      <translation>必须给出参数 %s 之一</translation>
    </message>
    <message>
      <source>optional arguments</source>
      <translation>可选参数</translation>
    </message>
    <message>
      <source>options</source>
      <translation>选项</translation>
    </message>
    <message>
      <source>positional arguments</source>
      <translation>位置参数</translation>
    </message>
    <message>
      <source>show program's version number and exit</source>
      <translation>显示程序版本号并退出</translation>
    </message>
    <message>
      <source>show this help message and exit</source>
      <translation>显示本帮助信息并退出</translation>
    </message>
    <message>
      <source>the following arguments are required: %s</source>
      <translation>缺少以下必需参数：%s</translation>
    </message>
    <message>
      <source>unknown parser %(parser_name)r (choices: %(choices)s)</source>
      <translation>未知的子命令 %(parser_name)r（可选：%(choices)s）</translation>
    </message>
    <message>
      <source>unrecognized arguments: %s</source>
      <translation>无法识别的参数：%s</translation>
    </message>
    <message>
      <source>usage: </source>
      <translation>用法：</translation>
    </message>
  </context>
  <context>
    <name>Auth</name>
    <message>
      <source>QGIS authentication configuration {0} cannot be read: check that it exists and that the master password is set.</source>
      <translation>无法读取 QGIS 认证配置 {0}：请确认该配置存在且已输入主密码。</translation>
    </message>
    <message>
      <source>QGIS authentication configuration {0} uses the {1} method; a user name and password (Basic) is needed.</source>
      <translation>QGIS 认证配置 {0} 使用的是 {1} 方式；这里需要用户名和密码（Basic）方式。</translation>
    </message>
    <message>
      <source>The QGIS authentication system is not available, so {0} cannot be read.</source>
      <translation>QGIS 认证系统不可用，无法读取 {0}。</translation>
    </message>
  </context>
  <context>
    <name>CaseColumns</name>
    <message>
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <source>Answer</source>
      <translation>回复内容</translation>
    </message>
    <message>
      <source>Answer submission</source>
      <translation>回复记录</translation>
    </message>
    <message>
      <source>Answered at</source>
      <translation>回复时间</translation>
    </message>
    <message>
      <source>Answered by</source>
      <translation>回复人</translation>
    </message>
    <message>
      <source>Case</source>
      <translation>案件</translation>
    </message>
    <message>
      <source>Case number</source>
      <translation>案件编号</translation>
    </message>
    <message>
      <source>Changed at</source>
      <translation>修改时间</translation>
    </message>
    <message>
      <source>Changed by</source>
      <translation>修改人</translation>
    </message>
    <message>
      <source>Channel</source>
      <translation>问题来源</translation>
    </message>
    <message>
      <source>Class code</source>
      <translation>小类代码</translation>
    </message>
    <message>
      <source>Closed at</source>
      <translation>结案时间</translation>
    </message>
    <message>
      <source>Collector</source>
      <translation>采集员</translation>
    </message>
    <message>
      <source>Created at</source>
      <translation>创建时间</translation>
    </message>
    <message>
      <source>Created by</source>
      <translation>创建人</translation>
    </message>
    <message>
      <source>Deadline</source>
      <translation>截止时间</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>问题描述</translation>
    </message>
    <message>
      <source>Entity</source>
      <translation>实体</translation>
    </message>
    <message>
      <source>Entity list</source>
      <translation>实体列表</translation>
    </message>
    <message>
      <source>Entity version</source>
      <translation>实体版本</translation>
    </message>
    <message>
      <source>Finished at</source>
      <translation>结束时间</translation>
    </message>
    <message>
      <source>Finished by</source>
      <translation>结束人</translation>
    </message>
    <message>
      <source>ID</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>问题类型</translation>
    </message>
    <message>
      <source>Matched component</source>
      <translation>关联部件</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>On the devices</source>
      <translation>设备端状态</translation>
    </message>
    <message>
      <source>Outcome</source>
      <translation>结果</translation>
    </message>
    <message>
      <source>Pushed at</source>
      <translation>推送时间</translation>
    </message>
    <message>
      <source>Reported at</source>
      <translation>上报时间</translation>
    </message>
    <message>
      <source>Reporting collector</source>
      <translation>上报采集员</translation>
    </message>
    <message>
      <source>Responsibility grid</source>
      <translation>责任网格</translation>
    </message>
    <message>
      <source>Rule</source>
      <translation>规则</translation>
    </message>
    <message>
      <source>Source</source>
      <translation>来源</translation>
    </message>
    <message>
      <source>Source fingerprint</source>
      <translation>来源指纹</translation>
    </message>
    <message>
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>State since</source>
      <translation>状态起始时间</translation>
    </message>
    <message>
      <source>Submission</source>
      <translation>上报记录</translation>
    </message>
    <message>
      <source>Task</source>
      <translation>任务</translation>
    </message>
    <message>
      <source>Unit grid</source>
      <translation>单元网格</translation>
    </message>
    <message>
      <source>Values at the source</source>
      <translation>来源原始值</translation>
    </message>
    <message>
      <source>Version</source>
      <translation>版本</translation>
    </message>
  </context>
  <context>
    <name>CaseHistory</name>
    <message>
      <source>address</source>
      <translation>地址</translation>
    </message>
    <message>
      <source>changed at the source</source>
      <translation>来源平台修改</translation>
    </message>
    <message>
      <source>channel</source>
      <translation>问题来源</translation>
    </message>
    <message>
      <source>class</source>
      <translation>类别</translation>
    </message>
    <message>
      <source>closed</source>
      <translation>结案时间</translation>
    </message>
    <message>
      <source>collector</source>
      <translation>采集员</translation>
    </message>
    <message>
      <source>component matched</source>
      <translation>关联部件</translation>
    </message>
    <message>
      <source>deadline</source>
      <translation>处置时限</translation>
    </message>
    <message>
      <source>description</source>
      <translation>问题描述</translation>
    </message>
    <message>
      <source>imported</source>
      <translation>导入</translation>
    </message>
    <message>
      <source>kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>moved</source>
      <translation>位置修正</translation>
    </message>
    <message>
      <source>not applied: an answer of the other kind of task</source>
      <translation>未采用：这是另一类任务的结果</translation>
    </message>
    <message>
      <source>not applied: the task already had its result ({0})</source>
      <translation>未采用：该任务已有结果（{0}）</translation>
    </message>
    <message>
      <source>not applied: the task was cancelled</source>
      <translation>未采用：该任务已撤销</translation>
    </message>
    <message>
      <source>position</source>
      <translation>位置</translation>
    </message>
    <message>
      <source>reported</source>
      <translation>上报时间</translation>
    </message>
    <message>
      <source>result</source>
      <translation>结果</translation>
    </message>
    <message>
      <source>state changed</source>
      <translation>状态变更</translation>
    </message>
    <message>
      <source>task</source>
      <translation>任务</translation>
    </message>
    <message>
      <source>{0} cancelled</source>
      <translation>{0}已撤销</translation>
    </message>
    <message>
      <source>{0} cancelled: the case was closed or voided</source>
      <translation>{0}已撤销：案件已结案或作废</translation>
    </message>
    <message>
      <source>{0} {1} (by {2})</source>
      <translation>{0}{1}（{2}）</translation>
    </message>
    <message>
      <source>{0}, due {1}</source>
      <translation>{0}，截止 {1}</translation>
    </message>
  </context>
  <context>
    <name>Cases</name>
    <message>
      <source>12345 hotline</source>
      <translation>12345热线</translation>
    </message>
    <message>
      <source>A case table must be in the workspace's PostGIS database.</source>
      <translation>案件表必须位于本工作空间的 PostGIS 数据库中。</translation>
    </message>
    <message>
      <source>Assigned by a leader</source>
      <translation>领导交办</translation>
    </message>
    <message>
      <source>Cancelled</source>
      <translation>已撤销</translation>
    </message>
    <message>
      <source>Cannot read {0}: {1}</source>
      <translation>无法读取 {0}：{1}</translation>
    </message>
    <message>
      <source>Case number {0} also appears on row {1}.</source>
      <translation>案件编号 {0} 已出现在第 {1} 行。</translation>
    </message>
    <message>
      <source>Case number {0} is malformed (letters, digits, - and _; 4-64).</source>
      <translation>案件编号 {0} 格式不正确（只能含字母、数字、- 和 _，长度 4–64）。</translation>
    </message>
    <message>
      <source>Case {0} is an event: only component cases are matched.</source>
      <translation>案件 {0} 是事件：只有部件类案件才做部件匹配。</translation>
    </message>
    <message>
      <source>Cases reported handled, not yet checked</source>
      <translation>已反馈处置、尚未核查的案件</translation>
    </message>
    <message>
      <source>Check</source>
      <translation>核查</translation>
    </message>
    <message>
      <source>Checked</source>
      <translation>核查</translation>
    </message>
    <message>
      <source>Class {0} is not one of this workspace's {1} classes.</source>
      <translation>类别 {0} 不在本工作空间的{1}类别表中。</translation>
    </message>
    <message>
      <source>Closed</source>
      <translation>结案</translation>
    </message>
    <message>
      <source>Collector report</source>
      <translation>采集员上报</translation>
    </message>
    <message>
      <source>Component</source>
      <translation>部件</translation>
    </message>
    <message>
      <source>Confirmed</source>
      <translation>属实</translation>
    </message>
    <message>
      <source>Dispatched</source>
      <translation>派遣</translation>
    </message>
    <message>
      <source>Done</source>
      <translation>已完成</translation>
    </message>
    <message>
      <source>Event</source>
      <translation>事件</translation>
    </message>
    <message>
      <source>Filed</source>
      <translation>立案</translation>
    </message>
    <message>
      <source>Handled</source>
      <translation>处置</translation>
    </message>
    <message>
      <source>It was closed before it was reported.</source>
      <translation>结案时间早于上报时间。</translation>
    </message>
    <message>
      <source>No case with id {0}.</source>
      <translation>没有 id 为 {0} 的案件。</translation>
    </message>
    <message>
      <source>No component with id {0}.</source>
      <translation>没有 id 为 {0} 的部件。</translation>
    </message>
    <message>
      <source>No table {0}.</source>
      <translation>没有表 {0}。</translation>
    </message>
    <message>
      <source>Not a table name: {0}</source>
      <translation>不是表名：{0}</translation>
    </message>
    <message>
      <source>Not a time: {0}.</source>
      <translation>不是有效时间：{0}。</translation>
    </message>
    <message>
      <source>Not confirmed</source>
      <translation>不属实</translation>
    </message>
    <message>
      <source>Not handled</source>
      <translation>未处置</translation>
    </message>
    <message>
      <source>On hold</source>
      <translation>挂账</translation>
    </message>
    <message>
      <source>Open</source>
      <translation>待办</translation>
    </message>
    <message>
      <source>Other</source>
      <translation>其他</translation>
    </message>
    <message>
      <source>Partly handled</source>
      <translation>部分处置</translation>
    </message>
    <message>
      <source>Position corrected</source>
      <translation>位置修正</translation>
    </message>
    <message>
      <source>Public report</source>
      <translation>公众举报</translation>
    </message>
    <message>
      <source>Reported</source>
      <translation>上报</translation>
    </message>
    <message>
      <source>Reports of other channels not yet verified</source>
      <translation>尚未核实的其他来源案件</translation>
    </message>
    <message>
      <source>Say whether the case is an event or a component: {0}.</source>
      <translation>请注明案件是事件还是部件：{0}。</translation>
    </message>
    <message>
      <source>The case number is missing.</source>
      <translation>缺少案件编号。</translation>
    </message>
    <message>
      <source>The position ({0:.1f}, {1:.1f}) is outside the district.</source>
      <translation>位置（{0:.1f}，{1:.1f}）在辖区之外。</translation>
    </message>
    <message>
      <source>The row has no usable position.</source>
      <translation>该行没有可用的位置。</translation>
    </message>
    <message>
      <source>The time it was reported is missing.</source>
      <translation>缺少上报时间。</translation>
    </message>
    <message>
      <source>Time limits not loaded: {0}</source>
      <translation>时限未载入：{0}</translation>
    </message>
    <message>
      <source>Unknown case state: {0}.</source>
      <translation>未知的案件状态：{0}。</translation>
    </message>
    <message>
      <source>Unknown channel: {0}.</source>
      <translation>未知的问题来源：{0}。</translation>
    </message>
    <message>
      <source>Unknown coordinate system: {0}</source>
      <translation>未知坐标系：{0}</translation>
    </message>
    <message>
      <source>Unknown task rule: {0}</source>
      <translation>未知的任务规则：{0}</translation>
    </message>
    <message>
      <source>Verify</source>
      <translation>核实</translation>
    </message>
    <message>
      <source>Video surveillance</source>
      <translation>视频监控</translation>
    </message>
    <message>
      <source>Void</source>
      <translation>作废</translation>
    </message>
    <message>
      <source>a {0} answer to a {1} task: kept here</source>
      <translation>{1}任务收到了{0}结果：记录于此</translation>
    </message>
    <message>
      <source>it already has an open {0} task</source>
      <translation>已有未完成的 {0} 任务</translation>
    </message>
    <message>
      <source>line {0}: case kind must be event or component</source>
      <translation>第 {0} 行：案件类型须为 event（事件）或 component（部件）</translation>
    </message>
    <message>
      <source>line {0}: class code must be a class, a major class or *</source>
      <translation>第 {0} 行：类别代码须为小类、大类或 *</translation>
    </message>
    <message>
      <source>line {0}: the hours must be more than 0</source>
      <translation>第 {0} 行：时限须大于 0</translation>
    </message>
    <message>
      <source>line {0}: the hours must be numbers</source>
      <translation>第 {0} 行：时限须为数字</translation>
    </message>
    <message>
      <source>no such case</source>
      <translation>没有此案件</translation>
    </message>
    <message>
      <source>no task {0}</source>
      <translation>没有任务 {0}</translation>
    </message>
    <message>
      <source>position corrected, but the result has no position</source>
      <translation>结果为位置修正，但未带位置</translation>
    </message>
    <message>
      <source>the case is {0}</source>
      <translation>案件状态为 {0}</translation>
    </message>
    <message>
      <source>the case is {0}: its state stays</source>
      <translation>案件状态为{0}：状态不变</translation>
    </message>
    <message>
      <source>the file has no rows</source>
      <translation>文件没有数据行</translation>
    </message>
    <message>
      <source>the task already had its result ({0}): kept here</source>
      <translation>该任务已有结果（{0}）：本结果记录于此</translation>
    </message>
    <message>
      <source>the task was cancelled: kept here</source>
      <translation>该任务已撤销：本结果记录于此</translation>
    </message>
    <message>
      <source>{0} tasks created, {1} cases skipped</source>
      <translation>已生成 {0} 个任务，跳过 {1} 件案件</translation>
    </message>
    <message>
      <source>{0}: {1} rows read, {2} new cases, {3} updated, {4} unchanged, {5} refused</source>
      <translation>{0}：读取 {1} 行，新增案件 {2} 件，更新 {3} 件，未变 {4} 件，拒收 {5} 行</translation>
    </message>
  </context>
  <context>
    <name>Census</name>
    <message>
      <source>A point of interest is a point.</source>
      <translation>兴趣点须为点。</translation>
    </message>
    <message>
      <source>Accept</source>
      <translation>接受</translation>
    </message>
    <message>
      <source>Accept selected</source>
      <translation>接受所选</translation>
    </message>
    <message>
      <source>Accepted items: {0}</source>
      <translation>已接受条目：{0}</translation>
    </message>
    <message>
      <source>Add photos…</source>
      <translation>添加照片…</translation>
    </message>
    <message>
      <source>Applied: {0} created, {1} updated, {2} moved, {3} retired, {4} not accepted</source>
      <translation>已应用：新建 {0}，更新 {1}，移位 {2}，注销 {3}，未接受 {4}</translation>
    </message>
    <message>
      <source>Applied: {0} created, {1} updated, {2} moved, {3} retired.</source>
      <translation>已应用：新建 {0}，更新 {1}，移位 {2}，注销 {3}。</translation>
    </message>
    <message>
      <source>Apply accepted</source>
      <translation>应用已接受项</translation>
    </message>
    <message>
      <source>Apply census reconciliation</source>
      <translation>应用部件普查比对结果</translation>
    </message>
    <message>
      <source>Applying failed and nothing was saved: {0}</source>
      <translation>应用失败，未保存任何更改：{0}</translation>
    </message>
    <message>
      <source>Applying was cancelled after {0} of {1} items; nothing was saved.</source>
      <translation>已在处理 {1} 项中的 {0} 项后取消应用，未保存任何更改。</translation>
    </message>
    <message>
      <source>Applying was cancelled; nothing was saved.</source>
      <translation>已取消应用，未保存任何更改。</translation>
    </message>
    <message>
      <source>Applying {0} items…</source>
      <translation>正在应用 {0} 项……</translation>
    </message>
    <message>
      <source>Batch: {0}</source>
      <translation>批次：{0}</translation>
    </message>
    <message>
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <source>By</source>
      <translation>操作人</translation>
    </message>
    <message>
      <source>By outcome:</source>
      <translation>按比对结果：</translation>
    </message>
    <message>
      <source>CGCS2000 / 3-degree Gauss-Kruger CM 120E</source>
      <translation>CGCS2000 / 3 度带高斯-克吕格投影（中央经线 120°E）</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Cannot open {0}.</source>
      <translation>无法打开 {0}。</translation>
    </message>
    <message>
      <source>Cannot read the field mapping {0}: {1}</source>
      <translation>无法读取字段映射文件 {0}：{1}</translation>
    </message>
    <message>
      <source>Cannot read the text encoding: {0}</source>
      <translation>无法识别文本编码：{0}</translation>
    </message>
    <message>
      <source>Cannot read the value mapping {0}: {1}</source>
      <translation>无法读取值映射文件 {0}：{1}</translation>
    </message>
    <message>
      <source>Category</source>
      <translation>类别</translation>
    </message>
    <message>
      <source>Census</source>
      <translation>部件普查</translation>
    </message>
    <message>
      <source>Census import and reconciliation</source>
      <translation>普查数据导入与比对</translation>
    </message>
    <message>
      <source>Census import and reconciliation…</source>
      <translation>普查数据导入与比对…</translation>
    </message>
    <message>
      <source>Census reconciliation report</source>
      <translation>普查比对报告</translation>
    </message>
    <message>
      <source>Census: discard the placement</source>
      <translation>部件普查：放弃放置</translation>
    </message>
    <message>
      <source>Census: move a component</source>
      <translation>部件普查：移动部件</translation>
    </message>
    <message>
      <source>Census: pick a component to edit</source>
      <translation>部件普查：选取部件编辑</translation>
    </message>
    <message>
      <source>Census: place a component</source>
      <translation>部件普查：放置部件</translation>
    </message>
    <message>
      <source>Census: save</source>
      <translation>部件普查：保存</translation>
    </message>
    <message>
      <source>Change date {0} is before the initial date {1}.</source>
      <translation>变更日期 {0} 早于初始日期 {1}。</translation>
    </message>
    <message>
      <source>Changes</source>
      <translation>变化</translation>
    </message>
    <message>
      <source>Class</source>
      <translation>类别</translation>
    </message>
    <message>
      <source>Class table not loaded: no column for {0}.</source>
      <translation>类别表未载入：缺少 {0} 列。</translation>
    </message>
    <message>
      <source>Class table not loaded: {0}</source>
      <translation>类别表未载入：{0}</translation>
    </message>
    <message>
      <source>Class table: as shipped (version {0}).</source>
      <translation>类别表：插件自带（第 {0} 版）。</translation>
    </message>
    <message>
      <source>Class table: version {0}, from {1}.</source>
      <translation>类别表：第 {0} 版，来自 {1}。</translation>
    </message>
    <message>
      <source>Class {0} ({1}) is drawn as a {2}, not a {3}.</source>
      <translation>类别 {0}（{1}）应绘制为{2}，而不是{3}。</translation>
    </message>
    <message>
      <source>Class {0} is not in this workspace's class table ({1}).</source>
      <translation>类别 {0} 不在本工作空间的类别表中（{1}）。</translation>
    </message>
    <message>
      <source>Class {0} is not in this workspace's class table of {1} identifiers.</source>
      <translation>类别 {0} 不在本工作空间 {1} 标识码的部件类别表中。</translation>
    </message>
    <message>
      <source>Click a component to edit it</source>
      <translation>点击部件进行编辑</translation>
    </message>
    <message>
      <source>Click a component, then its new place</source>
      <translation>先点击部件，再点击它的新位置</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>代码</translation>
    </message>
    <message>
      <source>Column</source>
      <translation>列</translation>
    </message>
    <message>
      <source>Component census</source>
      <translation>部件普查</translation>
    </message>
    <message>
      <source>Component class</source>
      <translation>部件类别</translation>
    </message>
    <message>
      <source>Component {0} is retired ({1}); restore its status first.</source>
      <translation>部件 {0} 已注销（{1}），请先恢复其状态。</translation>
    </message>
    <message>
      <source>Component {0} no longer exists.</source>
      <translation>部件 {0} 已不存在。</translation>
    </message>
    <message>
      <source>Component {0} was changed by {1} (version {2}, you edited version {3}): reload it and apply your change again.</source>
      <translation>部件 {0} 已被 {1} 修改（当前版本 {2}，您编辑的是版本 {3}）：请重新载入后再修改。</translation>
    </message>
    <message>
      <source>Coordinates</source>
      <translation>坐标系</translation>
    </message>
    <message>
      <source>Discard</source>
      <translation>放弃</translation>
    </message>
    <message>
      <source>Distance (m)</source>
      <translation>距离（米）</translation>
    </message>
    <message>
      <source>Double-click a photo to see it large.</source>
      <translation>双击照片可放大查看。</translation>
    </message>
    <message>
      <source>Editing {0} ({1}, version {2}, {3})</source>
      <translation>正在编辑 {0}（{1}，版本 {2}，{3}）</translation>
    </message>
    <message>
      <source>Every change you save names this user.</source>
      <translation>您保存的每一处修改都记在此用户名下。</translation>
    </message>
    <message>
      <source>Field</source>
      <translation>字段</translation>
    </message>
    <message>
      <source>Fill in the mandatory fields: {0}.</source>
      <translation>请填写必填项：{0}。</translation>
    </message>
    <message>
      <source>Find values to map</source>
      <translation>查找需映射的值</translation>
    </message>
    <message>
      <source>Forget the placement that is not saved yet</source>
      <translation>放弃尚未保存的放置</translation>
    </message>
    <message>
      <source>Grid {0} was given but the position is in grid {1}.</source>
      <translation>给出的网格为 {0}，但位置位于网格 {1}。</translation>
    </message>
    <message>
      <source>History of {0} ({1})</source>
      <translation>{0}（{1}）的变更历史</translation>
    </message>
    <message>
      <source>History…</source>
      <translation>历史…</translation>
    </message>
    <message>
      <source>Identifier</source>
      <translation>标识码</translation>
    </message>
    <message>
      <source>Identifier {0} also appears in row {1}.</source>
      <translation>标识码 {0} 也出现在第 {1} 行。</translation>
    </message>
    <message>
      <source>Identifier {0} is already used.</source>
      <translation>标识码 {0} 已被使用。</translation>
    </message>
    <message>
      <source>Identifier {0} starts with county {1} but the position is in grid {2} of county {3}.</source>
      <translation>标识码 {0} 的区县代码为 {1}，但位置位于区县 {3} 的网格 {2}。</translation>
    </message>
    <message>
      <source>Identifier {0} was turned into a number by a spreadsheet (scientific notation or decimals): its digits cannot be trusted. Export the identifier column as text.</source>
      <translation>标识码 {0} 已被电子表格转换为数字（科学计数法或小数），其各位数字不可信。请将标识码列以文本格式导出。</translation>
    </message>
    <message>
      <source>Images (*.jpg *.jpeg *.png *.tif)</source>
      <translation>图片 (*.jpg *.jpeg *.png *.tif)</translation>
    </message>
    <message>
      <source>Invalid rows:</source>
      <translation>无效行：</translation>
    </message>
    <message>
      <source>Item {0} ({1}, row {2}) cannot be applied: {3}</source>
      <translation>条目 {0}（{1}，第 {2} 行）无法应用：{3}</translation>
    </message>
    <message>
      <source>Layer / sheet</source>
      <translation>图层/工作表</translation>
    </message>
    <message>
      <source>Made: {0}</source>
      <translation>生成时间：{0}</translation>
    </message>
    <message>
      <source>Mandatory attribute missing: {0}.</source>
      <translation>缺少必填属性：{0}。</translation>
    </message>
    <message>
      <source>Mandatory attribute {0} holds a placeholder: '{1}'.</source>
      <translation>必填属性“{0}”填写的是占位值“{1}”。</translation>
    </message>
    <message>
      <source>Map the coordinate columns (x and y) or a WKT column of a table without geometry.</source>
      <translation>无几何的表格须映射坐标列（X 和 Y）或 WKT 列。</translation>
    </message>
    <message>
      <source>Move</source>
      <translation>移动</translation>
    </message>
    <message>
      <source>New</source>
      <translation>新建</translation>
    </message>
    <message>
      <source>New component</source>
      <translation>新部件</translation>
    </message>
    <message>
      <source>New point of interest</source>
      <translation>新兴趣点</translation>
    </message>
    <message>
      <source>New status</source>
      <translation>新状态</translation>
    </message>
    <message>
      <source>No component here.</source>
      <translation>此处没有部件。</translation>
    </message>
    <message>
      <source>No component with id {0}.</source>
      <translation>没有编号为 {0} 的部件。</translation>
    </message>
    <message>
      <source>No photo {0}.</source>
      <translation>没有照片 {0}。</translation>
    </message>
    <message>
      <source>No point of interest here.</source>
      <translation>此处没有兴趣点。</translation>
    </message>
    <message>
      <source>No position.</source>
      <translation>无位置。</translation>
    </message>
    <message>
      <source>No position: '{0}'.</source>
      <translation>无位置：“{0}”。</translation>
    </message>
    <message>
      <source>No serials left for county {0} and class {1} ({2}).</source>
      <translation>区县 {0} 类别 {1}（{2}）的顺序号已用尽。</translation>
    </message>
    <message>
      <source>No such file: {0}</source>
      <translation>文件不存在：{0}</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>Open a workspace first.</source>
      <translation>请先打开工作空间。</translation>
    </message>
    <message>
      <source>Operation</source>
      <translation>操作</translation>
    </message>
    <message>
      <source>POI category {0} is not in this workspace's category list.</source>
      <translation>兴趣点类别 {0} 不在本工作空间的类别表中。</translation>
    </message>
    <message>
      <source>POI identifier {0} carries category {1}, the POI is of category {2}.</source>
      <translation>兴趣点编码 {0} 含类别 {1}，而该兴趣点的类别是 {2}。</translation>
    </message>
    <message>
      <source>POI identifier {0} must be 16 digits.</source>
      <translation>兴趣点编码 {0} 须为 16 位数字。</translation>
    </message>
    <message>
      <source>POI identifier {0}: serial cannot be 0.</source>
      <translation>兴趣点编码 {0}：序号不能为 0。</translation>
    </message>
    <message>
      <source>Phone {0} is not a telephone number.</source>
      <translation>电话“{0}”不是电话号码。</translation>
    </message>
    <message>
      <source>Photos</source>
      <translation>照片</translation>
    </message>
    <message>
      <source>Photos (drop image files here)</source>
      <translation>照片（可将图片文件拖放到此处）</translation>
    </message>
    <message>
      <source>Pick a category first.</source>
      <translation>请先选择类别。</translation>
    </message>
    <message>
      <source>Pick a class first.</source>
      <translation>请先选择类别。</translation>
    </message>
    <message>
      <source>Pick to edit</source>
      <translation>点选编辑</translation>
    </message>
    <message>
      <source>Place</source>
      <translation>放置</translation>
    </message>
    <message>
      <source>Place a new component on the map</source>
      <translation>在地图上放置新部件</translation>
    </message>
    <message>
      <source>Placed in grid {0}, not saved yet: check the form, then save (Enter) or discard (Esc).</source>
      <translation>已放置在网格 {0} 内，尚未保存：请核对表单，然后保存（Enter）或放弃（Esc）。</translation>
    </message>
    <message>
      <source>Placement discarded: nothing was saved.</source>
      <translation>已放弃放置，未保存任何内容。</translation>
    </message>
    <message>
      <source>Point of interest {0} is gone ({1}); restore its status first.</source>
      <translation>兴趣点 {0} 已不存在（{1}），请先恢复其状态。</translation>
    </message>
    <message>
      <source>Points of interest</source>
      <translation>兴趣点</translation>
    </message>
    <message>
      <source>Provisional class table (17 digits)</source>
      <translation>暂定类别表（17 位）</translation>
    </message>
    <message>
      <source>Read columns</source>
      <translation>读取列</translation>
    </message>
    <message>
      <source>Reconciliation</source>
      <translation>比对结果</translation>
    </message>
    <message>
      <source>Refused by reason:</source>
      <translation>按拒收原因：</translation>
    </message>
    <message>
      <source>Reject selected</source>
      <translation>拒绝所选</translation>
    </message>
    <message>
      <source>Report folder</source>
      <translation>报告目录</translation>
    </message>
    <message>
      <source>Report written: {0}</source>
      <translation>报告已写出：{0}</translation>
    </message>
    <message>
      <source>Retire</source>
      <translation>注销</translation>
    </message>
    <message>
      <source>Retired {0} ({1}).</source>
      <translation>已注销 {0}（{1}）。</translation>
    </message>
    <message>
      <source>Retire…</source>
      <translation>注销…</translation>
    </message>
    <message>
      <source>Retiring sets status {0}, not {1}.</source>
      <translation>注销只能设为 {0}，不能设为 {1}。</translation>
    </message>
    <message>
      <source>Row</source>
      <translation>行</translation>
    </message>
    <message>
      <source>Rows</source>
      <translation>行数</translation>
    </message>
    <message>
      <source>Rows read: {0}; valid: {1}; invalid: {2}</source>
      <translation>读取 {0} 行；有效 {1}；无效 {2}</translation>
    </message>
    <message>
      <source>Save changes</source>
      <translation>保存修改</translation>
    </message>
    <message>
      <source>Save new component</source>
      <translation>保存新部件</translation>
    </message>
    <message>
      <source>Save the new component or the changes</source>
      <translation>保存新部件或所做修改</translation>
    </message>
    <message>
      <source>Saved {0} in grid {1}.</source>
      <translation>已保存 {0}，所在网格 {1}。</translation>
    </message>
    <message>
      <source>Saved {0}, version {1}.</source>
      <translation>已保存 {0}，版本 {1}。</translation>
    </message>
    <message>
      <source>Search category by name or code…</source>
      <translation>按名称或代码搜索类别…</translation>
    </message>
    <message>
      <source>Search class by name or code…</source>
      <translation>按名称或代码搜索类别…</translation>
    </message>
    <message>
      <source>Select a version to show it on the map.</source>
      <translation>选择一个版本在地图上显示。</translation>
    </message>
    <message>
      <source>Show</source>
      <translation>显示</translation>
    </message>
    <message>
      <source>Stored value</source>
      <translation>入库值</translation>
    </message>
    <message>
      <source>Survey batch</source>
      <translation>普查批次</translation>
    </message>
    <message>
      <source>Survey data (*.gpkg *.shp *.geojson *.json *.csv *.xlsx)</source>
      <translation>普查数据 (*.gpkg *.shp *.geojson *.json *.csv *.xlsx)</translation>
    </message>
    <message>
      <source>Surveyed unit grids: {0}</source>
      <translation>普查单元网格数：{0}</translation>
    </message>
    <message>
      <source>Taken {0}</source>
      <translation>拍摄于 {0}</translation>
    </message>
    <message>
      <source>The 17-digit classes shipped with the plugin are derived from the 16-digit ones; the 2026 standard's own codes may differ. Load your city's table with python -m citymgmt_plugin classes load WORKSPACE FILE --scheme std17.</source>
      <translation>插件自带的 17 位类别由 16 位类别推导而来，2026 版标准的实际代码可能不同。请用 python -m citymgmt_plugin classes load WORKSPACE FILE --scheme std17 载入本市类别表。</translation>
    </message>
    <message>
      <source>The batch surveys</source>
      <translation>普查对象</translation>
    </message>
    <message>
      <source>The component has no geometry.</source>
      <translation>部件没有几何图形。</translation>
    </message>
    <message>
      <source>The field mapping {0} must map field names to column names.</source>
      <translation>字段映射文件 {0} 须将字段名映射到列名。</translation>
    </message>
    <message>
      <source>The geometry is not valid.</source>
      <translation>几何图形无效。</translation>
    </message>
    <message>
      <source>The new position is in county {0}.</source>
      <translation>新位置在区县 {0}。</translation>
    </message>
    <message>
      <source>The new position is in county {0}; identifier {1} belongs to county {2}. Retire the component and place a new one there.</source>
      <translation>新位置位于区县 {0}；标识码 {1} 属于区县 {2}。请注销该部件并在新位置重新放置。</translation>
    </message>
    <message>
      <source>The new position is in county {0}; point of interest {1} belongs to county {2}: retire it and place a new one there.</source>
      <translation>新位置在区县 {0}，而兴趣点 {1} 属于区县 {2}：请将其注销，并在新位置新建。</translation>
    </message>
    <message>
      <source>The position is in no unit grid of this workspace.</source>
      <translation>该位置不在本工作空间的任何单元网格内。</translation>
    </message>
    <message>
      <source>The value mapping {0} must give, for each field, source values and the stored values they stand for.</source>
      <translation>值映射文件 {0} 须为每个字段给出源数据值及其对应的入库值。</translation>
    </message>
    <message>
      <source>This workspace stores photos as files but has no photo_dir setting: set it to a folder every editor can reach.</source>
      <translation>本工作空间以文件方式存储照片，但未设置 photo_dir：请设为所有编辑人员都能访问的目录。</translation>
    </message>
    <message>
      <source>Unit grids numbered west to east, north to south (checked)</source>
      <translation>单元网格按自西向东、自北向南编号（检查）</translation>
    </message>
    <message>
      <source>Unknown coordinate reference system: {0}</source>
      <translation>未知坐标参考系：{0}</translation>
    </message>
    <message>
      <source>Unknown identifier scheme {0}.</source>
      <translation>未知的标识码方案 {0}。</translation>
    </message>
    <message>
      <source>Unknown scheme {0}.</source>
      <translation>未知编码方案 {0}。</translation>
    </message>
    <message>
      <source>Validate and reconcile</source>
      <translation>校验并比对</translation>
    </message>
    <message>
      <source>Value in the batch</source>
      <translation>批次中的值</translation>
    </message>
    <message>
      <source>Values without a mapping:</source>
      <translation>未映射的值：</translation>
    </message>
    <message>
      <source>Values without a mapping: {0}</source>
      <translation>未映射的值：{0}</translation>
    </message>
    <message>
      <source>Version</source>
      <translation>版本</translation>
    </message>
    <message>
      <source>What changed</source>
      <translation>变更内容</translation>
    </message>
    <message>
      <source>When</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>Why</source>
      <translation>原因</translation>
    </message>
    <message>
      <source>Why?</source>
      <translation>原因？</translation>
    </message>
    <message>
      <source>Write report…</source>
      <translation>写出报告…</translation>
    </message>
    <message>
      <source>accepted</source>
      <translation>已接受</translation>
    </message>
    <message>
      <source>all</source>
      <translation>全部</translation>
    </message>
    <message>
      <source>batch row</source>
      <translation>批次行号</translation>
    </message>
    <message>
      <source>census batch {0}</source>
      <translation>普查批次 {0}</translation>
    </message>
    <message>
      <source>changes</source>
      <translation>变化</translation>
    </message>
    <message>
      <source>class</source>
      <translation>类别</translation>
    </message>
    <message>
      <source>class name</source>
      <translation>类别名称</translation>
    </message>
    <message>
      <source>class table</source>
      <translation>类别表</translation>
    </message>
    <message>
      <source>class {0} is drawn by {1} components as another kind than {2}</source>
      <translation>类别 {0} 有 {1} 个部件的几何类型不是{2}</translation>
    </message>
    <message>
      <source>class {0} is given twice</source>
      <translation>类别 {0} 重复出现</translation>
    </message>
    <message>
      <source>class {0} is used by {1} components and cannot be dropped</source>
      <translation>类别 {0} 有 {1} 个部件在用，不能删除</translation>
    </message>
    <message>
      <source>component class</source>
      <translation>部件类别</translation>
    </message>
    <message>
      <source>component classes</source>
      <translation>部件类别</translation>
    </message>
    <message>
      <source>components</source>
      <translation>部件</translation>
    </message>
    <message>
      <source>decision</source>
      <translation>决定</translation>
    </message>
    <message>
      <source>distance (m)</source>
      <translation>距离（米）</translation>
    </message>
    <message>
      <source>duplicate of</source>
      <translation>重复于</translation>
    </message>
    <message>
      <source>event classes</source>
      <translation>事件类别</translation>
    </message>
    <message>
      <source>from {0}</source>
      <translation>来自 {0}</translation>
    </message>
    <message>
      <source>given when saved</source>
      <translation>保存时分配</translation>
    </message>
    <message>
      <source>identifier</source>
      <translation>标识码</translation>
    </message>
    <message>
      <source>invalid row</source>
      <translation>无效行</translation>
    </message>
    <message>
      <source>invalid rows {0}, accepted {1}</source>
      <translation>无效行 {0}，已接受 {1}</translation>
    </message>
    <message>
      <source>item</source>
      <translation>条目</translation>
    </message>
    <message>
      <source>items</source>
      <translation>条目数</translation>
    </message>
    <message>
      <source>line {0}: class code '{1}' must have {2} digits</source>
      <translation>第 {0} 行：类别代码“{1}”应为 {2} 位数字</translation>
    </message>
    <message>
      <source>line {0}: class {1} is not in major class {2}</source>
      <translation>第 {0} 行：类别 {1} 不属于大类 {2}</translation>
    </message>
    <message>
      <source>line {0}: geometry kind must be point, line or polygon</source>
      <translation>第 {0} 行：几何类型须为点、线或面</translation>
    </message>
    <message>
      <source>line {0}: give both time limits (verify and check) or none</source>
      <translation>第 {0} 行：核实和核查时限须同时给出或都不给出</translation>
    </message>
    <message>
      <source>line {0}: time limits must be hours above 0</source>
      <translation>第 {0} 行：时限须为大于 0 的小时数</translation>
    </message>
    <message>
      <source>line {0}: {1} is empty</source>
      <translation>第 {0} 行：{1} 为空</translation>
    </message>
    <message>
      <source>loaded {0} by {1}</source>
      <translation>{0} 由 {1} 载入</translation>
    </message>
    <message>
      <source>major class name</source>
      <translation>大类名称</translation>
    </message>
    <message>
      <source>moved on the map</source>
      <translation>在地图上移动</translation>
    </message>
    <message>
      <source>off</source>
      <translation>关</translation>
    </message>
    <message>
      <source>on</source>
      <translation>开</translation>
    </message>
    <message>
      <source>points of interest</source>
      <translation>兴趣点</translation>
    </message>
    <message>
      <source>provisional</source>
      <translation>暂定</translation>
    </message>
    <message>
      <source>reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <source>refused</source>
      <translation>拒收</translation>
    </message>
    <message>
      <source>rejected</source>
      <translation>已拒绝</translation>
    </message>
    <message>
      <source>result / reason</source>
      <translation>结果/原因</translation>
    </message>
    <message>
      <source>row {0}</source>
      <translation>第 {0} 行</translation>
    </message>
    <message>
      <source>rows</source>
      <translation>行数</translation>
    </message>
    <message>
      <source>shipped with the plugin</source>
      <translation>插件自带</translation>
    </message>
    <message>
      <source>state before the first recorded change</source>
      <translation>首次记录变更前的状态</translation>
    </message>
    <message>
      <source>the table has no classes</source>
      <translation>表中没有类别</translation>
    </message>
    <message>
      <source>tolerance (m)</source>
      <translation>限差（米）</translation>
    </message>
    <message>
      <source>{0} '{1}' has no value mapping.</source>
      <translation>{0}“{1}”没有值映射。</translation>
    </message>
    <message>
      <source>{0} '{1}' is not one of: {2}.</source>
      <translation>{0}“{1}”不在取值范围内：{2}。</translation>
    </message>
    <message>
      <source>{0} added, {1} dropped, {2} changed</source>
      <translation>新增 {0}，删除 {1}，修改 {2}</translation>
    </message>
    <message>
      <source>{0} cannot be changed: retire the component and place a new one.</source>
      <translation>{0} 不能修改：请注销该部件并重新放置。</translation>
    </message>
    <message>
      <source>{0} has no layer {1}.</source>
      <translation>{0} 中没有图层 {1}。</translation>
    </message>
    <message>
      <source>{0} is not a date: {1}.</source>
      <translation>{0} 不是日期：{1}。</translation>
    </message>
    <message>
      <source>{0} is not a readable image.</source>
      <translation>{0} 不是可读取的图片。</translation>
    </message>
    <message>
      <source>{0} of a point of interest cannot be changed.</source>
      <translation>兴趣点的{0}不能修改。</translation>
    </message>
    <message>
      <source>{0} rows, {1} columns.</source>
      <translation>{0} 行，{1} 列。</translation>
    </message>
    <message>
      <source>{0}, version {1}: {2} classes</source>
      <translation>{0}，第 {1} 版：{2} 个类别</translation>
    </message>
    <message>
      <source>{0}: draw a {1}.</source>
      <translation>{0}：请绘制{1}。</translation>
    </message>
  </context>
  <context>
    <name>CensusField</name>
    <message>
      <source>Accuracy class</source>
      <translation>精度等级</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <source>Change date</source>
      <translation>变更日期</translation>
    </message>
    <message>
      <source>Class code</source>
      <translation>类别代码</translation>
    </message>
    <message>
      <source>Community code</source>
      <translation>所在社区代码</translation>
    </message>
    <message>
      <source>Community name</source>
      <translation>所在社区名称</translation>
    </message>
    <message>
      <source>Data source</source>
      <translation>数据来源</translation>
    </message>
    <message>
      <source>Department code</source>
      <translation>主管部门代码</translation>
    </message>
    <message>
      <source>Department name</source>
      <translation>主管部门名称</translation>
    </message>
    <message>
      <source>Door number</source>
      <translation>门牌号</translation>
    </message>
    <message>
      <source>Geometry</source>
      <translation>几何图形</translation>
    </message>
    <message>
      <source>Identifier</source>
      <translation>标识码</translation>
    </message>
    <message>
      <source>Identifier scheme</source>
      <translation>标识码方案</translation>
    </message>
    <message>
      <source>Initial date</source>
      <translation>初始日期</translation>
    </message>
    <message>
      <source>Maintainer code</source>
      <translation>养护单位代码</translation>
    </message>
    <message>
      <source>Maintainer name</source>
      <translation>养护单位名称</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>Owner code</source>
      <translation>权属单位代码</translation>
    </message>
    <message>
      <source>Owner name</source>
      <translation>权属单位名称</translation>
    </message>
    <message>
      <source>POI category</source>
      <translation>兴趣点类别</translation>
    </message>
    <message>
      <source>POI identifier</source>
      <translation>兴趣点编码</translation>
    </message>
    <message>
      <source>POI name</source>
      <translation>兴趣点名称</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <source>Position (WKT)</source>
      <translation>位置（WKT）</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>部件状态</translation>
    </message>
    <message>
      <source>Street code</source>
      <translation>所在街道代码</translation>
    </message>
    <message>
      <source>Street name</source>
      <translation>所在街道名称</translation>
    </message>
    <message>
      <source>Unit grid</source>
      <translation>所在单元网格</translation>
    </message>
    <message>
      <source>Version</source>
      <translation>版本</translation>
    </message>
    <message>
      <source>X (east or longitude)</source>
      <translation>X 坐标（东向或经度）</translation>
    </message>
    <message>
      <source>Y (north or latitude)</source>
      <translation>Y 坐标（北向或纬度）</translation>
    </message>
  </context>
  <context>
    <name>CensusQA</name>
    <message>
      <source>Class {0} is not in the {1} class table.</source>
      <translation>类别 {0} 不在 {1} 类别表中。</translation>
    </message>
    <message>
      <source>Class {0} needs a {1}; the geometry is a {2}.</source>
      <translation>类别 {0} 应为{1}，实际几何为{2}。</translation>
    </message>
    <message>
      <source>Identifier {0} carries class {1}, the component is class {2}.</source>
      <translation>标识码 {0} 中的类别为 {1}，部件类别为 {2}。</translation>
    </message>
    <message>
      <source>Identifier {0} has serial 0.</source>
      <translation>标识码 {0} 的顺序号为 0。</translation>
    </message>
    <message>
      <source>Identifier {0} is of county {1}, its grid {2} of county {3}.</source>
      <translation>标识码 {0} 属于区县 {1}，其网格 {2} 属于区县 {3}。</translation>
    </message>
    <message>
      <source>Identifier {0} is used by {1} components.</source>
      <translation>标识码 {0} 被 {1} 个部件使用。</translation>
    </message>
    <message>
      <source>Identifier {0} must be {1} digits.</source>
      <translation>标识码 {0} 应为 {1} 位数字。</translation>
    </message>
    <message>
      <source>No geometry.</source>
      <translation>没有几何图形。</translation>
    </message>
    <message>
      <source>Same class as {0}, {1:.2f} m away.</source>
      <translation>与 {0} 同类，相距 {1:.2f} 米。</translation>
    </message>
    <message>
      <source>Stored grid {0}, but it lies in grid {1}.</source>
      <translation>记录的网格为 {0}，实际位于网格 {1}。</translation>
    </message>
    <message>
      <source>The component lies in no unit grid.</source>
      <translation>部件不在任何单元网格内。</translation>
    </message>
    <message>
      <source>Unknown identifier scheme {0}.</source>
      <translation>未知标识码方案 {0}。</translation>
    </message>
    <message>
      <source>{0} '{1}' is not allowed.</source>
      <translation>{0}“{1}”不允许。</translation>
    </message>
    <message>
      <source>{0} holds a placeholder: '{1}'.</source>
      <translation>{0}填写的是占位值“{1}”。</translation>
    </message>
    <message>
      <source>{0} is empty.</source>
      <translation>{0} 为空。</translation>
    </message>
  </context>
  <context>
    <name>Charts</name>
    <message>
      <source>Charts are left out: the Python package matplotlib is not installed (Debian: python3-matplotlib).</source>
      <translation>未绘制图表：未安装 Python 包 matplotlib（Debian：python3-matplotlib）。</translation>
    </message>
    <message>
      <source>Hour (local time)</source>
      <translation>时（北京时间）</translation>
    </message>
    <message>
      <source>Not valid</source>
      <translation>无效</translation>
    </message>
    <message>
      <source>Reports</source>
      <translation>上报</translation>
    </message>
    <message>
      <source>Reports per collector</source>
      <translation>各采集员上报数</translation>
    </message>
    <message>
      <source>Reports per hour of the day</source>
      <translation>各时段上报数</translation>
    </message>
    <message>
      <source>Reports per week</source>
      <translation>每周上报数</translation>
    </message>
    <message>
      <source>Target</source>
      <translation>目标</translation>
    </message>
    <message>
      <source>Valid reports</source>
      <translation>有效上报</translation>
    </message>
  </context>
  <context>
    <name>Checks</name>
    <message>
      <source>GPS track points</source>
      <translation>GPS 轨迹点</translation>
    </message>
    <message>
      <source>Weekly checks {0}</source>
      <translation>每周检查 {0}</translation>
    </message>
    <message>
      <source>main roads</source>
      <translation>主要道路</translation>
    </message>
    <message>
      <source>patrol routes</source>
      <translation>巡查路线</translation>
    </message>
    <message>
      <source>responsibility grid table</source>
      <translation>责任网格对照表</translation>
    </message>
    <message>
      <source>submissions</source>
      <translation>上报</translation>
    </message>
    <message>
      <source>unit grids</source>
      <translation>单元网格</translation>
    </message>
  </context>
  <context>
    <name>CityMgmtAlgorithm</name>
    <message>
      <source>Accept</source>
      <translation>接受</translation>
    </message>
    <message>
      <source>Accepted items</source>
      <translation>已接受条目</translation>
    </message>
    <message>
      <source>Administrative unit code field</source>
      <translation>行政区划代码字段</translation>
    </message>
    <message>
      <source>Administrative units (communities or streets)</source>
      <translation>行政区划（社区或街道）</translation>
    </message>
    <message>
      <source>All</source>
      <translation>全部</translation>
    </message>
    <message>
      <source>All KPIs passed</source>
      <translation>全部指标达标</translation>
    </message>
    <message>
      <source>Allow legacy 14-digit grid codes</source>
      <translation>允许旧版14位网格代码</translation>
    </message>
    <message>
      <source>Apply the accepted items to the workspace</source>
      <translation>将已接受的条目写入工作空间</translation>
    </message>
    <message>
      <source>Area balance</source>
      <translation>区域均衡性</translation>
    </message>
    <message>
      <source>Area out of range</source>
      <translation>面积超出范围</translation>
    </message>
    <message>
      <source>Assigning reports to grids…</source>
      <translation>正在将上报分配到网格……</translation>
    </message>
    <message>
      <source>Cancelled: no output was written.</source>
      <translation>已取消：未写出任何结果。</translation>
    </message>
    <message>
      <source>Category code field</source>
      <translation>类别代码字段</translation>
    </message>
    <message>
      <source>Category field</source>
      <translation>类别字段</translation>
    </message>
    <message>
      <source>Census</source>
      <translation>部件普查</translation>
    </message>
    <message>
      <source>Census QA (components)</source>
      <translation>部件普查质检</translation>
    </message>
    <message>
      <source>Census QA errors</source>
      <translation>普查质检错误</translation>
    </message>
    <message>
      <source>Census batch</source>
      <translation>普查批次</translation>
    </message>
    <message>
      <source>Census batch file</source>
      <translation>普查批次文件</translation>
    </message>
    <message>
      <source>Census import (batch file)</source>
      <translation>普查导入（批次文件）</translation>
    </message>
    <message>
      <source>Census reconciliation (batch layer)</source>
      <translation>普查比对（批次图层）</translation>
    </message>
    <message>
      <source>Check (核查)</source>
      <translation>核查</translation>
    </message>
    <message>
      <source>Check the numbering order (west to east, north to south)</source>
      <translation>检查编号顺序（自西向东、自北向南）</translation>
    </message>
    <message>
      <source>Checking {0} components…</source>
      <translation>正在检查 {0} 个部件…</translation>
    </message>
    <message>
      <source>Checking {0} grids…</source>
      <translation>正在检查 {0} 个网格……</translation>
    </message>
    <message>
      <source>Checks a component inventory: identifier structure and uniqueness, identifier county prefix vs the grid, stored grid code vs the grid the component lies in, duplicates of the same class within the accuracy tolerance, mandatory attributes, domain values and geometry kind vs class. Input: the workspace components layer or any layer with its fields, and the unit grids layer. Output: one error feature per problem, and counts.</source>
      <translation>检查部件清单：标识码结构与唯一性、标识码区县前缀与网格是否一致、记录的网格代码与部件实际所在网格是否一致、精度限差内的同类重复、必填属性、值域以及几何类型与类别是否相符。输入：工作空间部件图层或具有相同字段的任意图层，以及单元网格图层。输出：每个问题一个错误要素，以及各项计数。</translation>
    </message>
    <message>
      <source>Checks the contract rule that every main road and window area of every grid is patrolled (every week, for a one-week time window).
Collector GPS fixes are sorted by collector and time; fixes with no time or position are skipped; a fix that could only be reached from the last kept fix faster than the maximum speed is a GPS jump and is dropped; the track is broken where two kept fixes are more than the maximum gap apart.
A point of a road counts as covered when it lies within the tolerance of a track segment of any collector. Lengths are exact (no sampling).
Outputs: one feature per grid with road length, covered length, coverage share and whether it reaches the required share (required minus its tolerance; grids without roads pass); the uncovered road stretches; optionally sums per responsibility grid from a table of unit grid code and responsibility grid code.
The grid layer must be in a projected CRS in metres; the other layers are transformed to it. Times without a time zone are read as China Standard Time (Asia/Shanghai).
Run in PostGIS: when grids, roads and tracks are tables of one PostGIS database, the whole computation can run in the database with one SQL script.</source>
      <translation>检查合同规定：每个网格内的每条主要道路和窗口地区都须得到巡查（每周一次，时间窗口取一周）。
采集员的 GPS 轨迹点按采集员和时间排序；缺少时间或位置的轨迹点予以跳过；若从上一个保留的轨迹点到达某轨迹点须超过最大速度，则该点为 GPS 跳点，予以剔除；两个保留轨迹点的时间间隔超过最大间隔时，轨迹在此断开。
道路上的点位于任一采集员轨迹线段的容差范围内即视为已覆盖。长度为精确计算（不抽样）。
输出：每个网格一个要素，包含道路长度、已覆盖长度、覆盖率以及是否达到要求覆盖率（要求值减去其容差；没有道路的网格视为达标）；未覆盖的路段；以及可选的按责任网格汇总（依据单元网格代码与责任网格代码对照表）。
网格图层必须使用以米为单位的投影坐标系；其他图层会转换到该坐标系。不带时区的时间按中国标准时间（Asia/Shanghai）解读。
在 PostGIS 中运行：当网格、道路和轨迹是同一 PostGIS 数据库中的表时，可用一个 SQL 脚本在数据库中完成全部计算。</translation>
    </message>
    <message>
      <source>Checks the rule that collectors patrol along their prescribed route (no change of route without approval).
GPS fixes are cleaned as in the coverage check (null time or position skipped, GPS jumps faster than the maximum speed dropped, tracks broken at gaps longer than the maximum gap). A fix is off-route when it is farther than the tolerance from the collector's route; a segment between two off-route fixes counts wholly off-route, a segment with one end off counts in proportion.
Outputs: a table per collector and day (China Standard Time) with patrol time and distance, time and distance off-route and their shares; and the off-route stretches as lines with their length and duration. Collectors without a route are reported with empty off-route values.
Distances are measured in the tracks' projected CRS (or the routes' when the tracks are in longitude/latitude); at least one of them must be in a projected CRS in metres.</source>
      <translation>检查采集员是否按规定路线巡查（未经批准不得变更路线）。
GPS 轨迹点的清洗方式与覆盖率检查相同（跳过时间或位置为空的轨迹点，剔除速度超过最大速度的 GPS 跳点，在时间间隔超过最大间隔处断开轨迹）。与该采集员路线的距离大于容差的轨迹点视为偏离路线；两端均偏离路线的线段全部计为偏离，仅一端偏离的线段按比例计入。
输出：按采集员和日期（中国标准时间）统计的表，包含巡查时长和距离、偏离路线的时长和距离及其占比；以及偏离路段（线要素），包含其长度和持续时间。没有路线的采集员也会列出，其偏离值为空。
距离在轨迹的投影坐标系中量算（轨迹为经纬度时，在路线的坐标系中量算）；二者中至少有一个必须使用以米为单位的投影坐标系。</translation>
    </message>
    <message>
      <source>Checks unit grids against GB/T 30428.1: closed polygons that cover the area without gaps or overlaps, about 10,000 m² each, with well-formed codes that agree with the administrative units.

Each error in the output layer has its name in the field 'label' and its type in the field 'type':
- Invalid geometry ('invalid'): missing, not a polygon or not valid (the reason comes from GEOS); the other checks use a repaired copy.
- Overlap ('overlap'): the area two grids share (their codes in the fields 'grid_code' and 'other_code').
- Gap ('gap'): an area no grid covers, inside the outer boundary of the grids or, when administrative units are given, inside them.
- Outside the administrative units ('outside'): the part of a grid outside every administrative unit.
- Sliver ('sliver'): thinness 4πA/P² below the sliver ratio (1 for a disc, 0.785 for a square, 0.26 for a 10:1 rectangle).
- Area out of range ('area'): a grid area outside the minimum–maximum range.
- Duplicate code ('duplicate_code'), malformed code ('malformed_code'): a code has 15 digits, county (6) + street (3) + community (3) + sequence (3); legacy 14-digit codes only when they are allowed.
- Code not matching its administrative unit ('admin_mismatch'): the code of the administrative unit the grid lies in (at its point on surface) does not begin the grid code (use community polygons with 12-digit codes, or street polygons with 9-digit codes).
- Numbered out of order ('numbering'): inside a community the grids are not numbered west to east, north to south. Checked when asked for, or when the grids' workspace says so (the command line's census settings with --grid-numbering on).

Gaps, overlaps and outside parts smaller than the area tolerance are ignored. The grids must be in a projected coordinate system in metres. The result also gives the count of each error type.</source>
      <translation>按 GB/T 30428.1 检查单元网格：封闭的面，无缝隙、无重叠地覆盖辖区，每个约 10,000 平方米，代码格式正确并与所在行政区划一致。

输出图层中每个错误的名称在字段 'label' 中，类型在字段 'type' 中：
- 几何无效（'invalid'）：几何缺失、不是面或无效（原因来自 GEOS）；其余检查使用修复后的副本。
- 重叠（'overlap'）：两个网格共有的区域（两个网格的代码在字段 'grid_code' 和 'other_code' 中）。
- 缝隙（'gap'）：没有任何网格覆盖的区域，范围为网格外边界以内，给出行政区划时为行政区划以内。
- 超出行政区划（'outside'）：网格位于所有行政区划之外的部分。
- 狭长碎面（'sliver'）：紧凑度 4πA/P² 低于碎面阈值（圆为 1，正方形为 0.785，10:1 的矩形为 0.26）。
- 面积超出范围（'area'）：网格面积超出最小–最大面积范围。
- 代码重复（'duplicate_code'）、代码格式错误（'malformed_code'）：代码为 15 位，即区县（6 位）+ 街道（3 位）+ 社区（3 位）+ 序号（3 位）；仅在允许时接受旧版 14 位代码。
- 代码与所在行政区划不符（'admin_mismatch'）：网格（按其面内点）所在行政区划的代码不是网格代码的开头部分（请使用 12 位代码的社区面，或 9 位代码的街道面）。
- 编号顺序错误（'numbering'）：同一社区内的网格未按自西向东、自北向南的顺序编号。在要求检查时，或网格所在工作空间的设置要求时检查（用命令行的普查设置命令开启按网格编号检查）。

小于面积容差的缝隙、重叠和超出部分将被忽略。网格须采用以米为单位的投影坐标系。结果中还给出各类错误的数量。</translation>
    </message>
    <message>
      <source>Choose the unit grid code and responsibility grid code fields.</source>
      <translation>请选择单元网格代码字段和责任网格代码字段。</translation>
    </message>
    <message>
      <source>Closure field (a flag or the closing time)</source>
      <translation>结案字段（标志或结案时间）</translation>
    </message>
    <message>
      <source>Codes not matching admin unit</source>
      <translation>代码与行政区划不符</translation>
    </message>
    <message>
      <source>Collector field</source>
      <translation>采集员字段</translation>
    </message>
    <message>
      <source>Collectors: figures and scores</source>
      <translation>采集员：指标与得分</translation>
    </message>
    <message>
      <source>Component problem share</source>
      <translation>部件问题占比</translation>
    </message>
    <message>
      <source>Component status field (破损, 丢失 …)</source>
      <translation>部件状态字段（破损、丢失……）</translation>
    </message>
    <message>
      <source>Components</source>
      <translation>部件</translation>
    </message>
    <message>
      <source>Components checked</source>
      <translation>已检查部件数</translation>
    </message>
    <message>
      <source>Contract profile (JSON)</source>
      <translation>合同配置（JSON）</translation>
    </message>
    <message>
      <source>Contract profile (JSON; empty: the workspace's)</source>
      <translation>合同配置（JSON；留空：使用工作空间中的配置）</translation>
    </message>
    <message>
      <source>Contractor score</source>
      <translation>服务单位得分</translation>
    </message>
    <message>
      <source>Contractors: scores and payment</source>
      <translation>服务单位：得分与支付</translation>
    </message>
    <message>
      <source>Coordinate system of a table's coordinates</source>
      <translation>表格坐标所用的坐标系</translation>
    </message>
    <message>
      <source>Coordinate system of the thematic layer (outside a workspace)</source>
      <translation>专题图层的坐标系（不写入工作空间时）</translation>
    </message>
    <message>
      <source>Count days off the prescribed route</source>
      <translation>统计偏离规定路线的天数</translation>
    </message>
    <message>
      <source>Coverage per grid and week</source>
      <translation>各网格逐周覆盖率</translation>
    </message>
    <message>
      <source>Coverage per grid over the year</source>
      <translation>各网格全年覆盖情况</translation>
    </message>
    <message>
      <source>Coverage per week</source>
      <translation>逐周覆盖情况</translation>
    </message>
    <message>
      <source>Covered length (m)</source>
      <translation>已覆盖长度（米）</translation>
    </message>
    <message>
      <source>Create thematic layer from template</source>
      <translation>由模板新建专题图层</translation>
    </message>
    <message>
      <source>Created table {0} in {1}</source>
      <translation>已在 {1} 中新建表 {0}</translation>
    </message>
    <message>
      <source>Created {0} ({1})</source>
      <translation>已新建 {0}（{1}）</translation>
    </message>
    <message>
      <source>Creates an empty thematic layer from a template (management districts, construction zones, waterlogging, garbage accumulation, street occupation, patrol routes, main roads, window areas, or a city's own template), with the template's fields, lists of values, defaults and rules.
When a workspace is chosen (the connected one, one used before, or a GeoPackage file; in scripts a .gpkg path, a postgresql:// URL or service=NAME), the layer is a new table of that workspace, with its rules in the database, and is listed among the workspace's thematic layers. Otherwise it is written to the output “Thematic layer”, in the coordinate system chosen for it.
The main roads, window areas and patrol routes templates make no new table in a workspace: their layer is the workspace's own main roads or patrol routes, which the patrol coverage and route deviation checks read.
A template file, when given, is used instead of the template chosen in the list. In scripts and on the command line the template may also be given by its id, such as 'construction_zones'.</source>
      <translation>按模板新建空的专题图层（管理辖区、施工作业区域、雨水积聚、垃圾积存、占道集中、巡查路线、主要道路、窗口地区，或本市自定义模板），包含模板的字段、取值列表、默认值和规则。
选择了工作空间时（当前连接的工作空间、以前用过的工作空间，或一个 GeoPackage 文件；脚本中为 .gpkg 路径、postgresql:// URL 或 service=NAME），图层为该工作空间中新建的表，规则写入数据库，并登记为工作空间的专题图层；否则写入输出“专题图层”，采用为其选择的坐标系。
主要道路、窗口地区和巡查路线模板不在工作空间中新建表：其图层就是工作空间自身的主要道路表或巡查路线表，巡查覆盖率检查和路线偏离检查读取这些表。
给出模板文件时，使用该文件而不是列表中选择的模板。在脚本和命令行中，模板也可以用其标识给出，例如 'construction_zones'。</translation>
    </message>
    <message>
      <source>Deadline field (closure due)</source>
      <translation>处置时限字段（应结案时间）</translation>
    </message>
    <message>
      <source>Deviation from prescribed patrol routes</source>
      <translation>偏离规定巡查路线</translation>
    </message>
    <message>
      <source>Deviation per collector and day</source>
      <translation>按采集员和日期统计的偏离情况</translation>
    </message>
    <message>
      <source>Districts: wrong and missed reports, spot checks</source>
      <translation>区县：错报、漏报与现场检查</translation>
    </message>
    <message>
      <source>Duplicate codes</source>
      <translation>重复代码</translation>
    </message>
    <message>
      <source>Duplicate tolerance in metres (0: the accuracy class of each component)</source>
      <translation>重复限差（米；0 表示按各部件精度等级）</translation>
    </message>
    <message>
      <source>Duty roster (collector_code, day, status)</source>
      <translation>排班表（采集员、日期、状态）</translation>
    </message>
    <message>
      <source>End time</source>
      <translation>结束时间</translation>
    </message>
    <message>
      <source>Errors</source>
      <translation>错误数</translation>
    </message>
    <message>
      <source>Errors per rule (JSON)</source>
      <translation>各规则错误数（JSON）</translation>
    </message>
    <message>
      <source>Field mapping (JSON)</source>
      <translation>字段映射（JSON）</translation>
    </message>
    <message>
      <source>First day (instead of the year)</source>
      <translation>开始日期（代替年份）</translation>
    </message>
    <message>
      <source>Fixes skipped (null)</source>
      <translation>已跳过轨迹点数（空值）</translation>
    </message>
    <message>
      <source>Fixes used</source>
      <translation>已使用轨迹点数</translation>
    </message>
    <message>
      <source>For each unit or responsibility grid: how many features of a thematic layer it holds by category, and their length (lines) or area (polygons) inside the grid. Points count in the grid that holds them; lines and areas are cut by the grid boundaries. Measures are in the grid layer's coordinate system (use a projected one such as EPSG:4549). Without a category field, a thematic layer made from a template is counted by the template's category field.</source>
      <translation>按单元网格或责任网格，分类别统计专题图层要素的个数，以及网格内的长度（线）或面积（面）。点计入其所在网格；线和面按网格边界切分。量算采用网格图层的坐标系（请使用投影坐标系，如 EPSG:4549）。未指定类别字段时，由模板生成的专题图层按模板的类别字段统计。</translation>
    </message>
    <message>
      <source>GPS jumps dropped</source>
      <translation>已剔除 GPS 跳点数</translation>
    </message>
    <message>
      <source>Gap area (m²)</source>
      <translation>缝隙面积（平方米）</translation>
    </message>
    <message>
      <source>Gaps</source>
      <translation>缝隙</translation>
    </message>
    <message>
      <source>Give a components layer and a grids layer.</source>
      <translation>请提供部件图层和网格图层。</translation>
    </message>
    <message>
      <source>Give a thematic layer and the grids.</source>
      <translation>请指定专题图层和网格图层。</translation>
    </message>
    <message>
      <source>Give a workspace, or an output for the thematic layer.</source>
      <translation>请指定工作空间，或专题图层的输出位置。</translation>
    </message>
    <message>
      <source>Give the census batch file.</source>
      <translation>请指定普查批次文件。</translation>
    </message>
    <message>
      <source>Grid code field</source>
      <translation>网格编码字段</translation>
    </message>
    <message>
      <source>Grid coverage</source>
      <translation>网格覆盖率</translation>
    </message>
    <message>
      <source>Grid errors</source>
      <translation>网格错误</translation>
    </message>
    <message>
      <source>Grid-weeks failing</source>
      <translation>未达标的网格周数</translation>
    </message>
    <message>
      <source>Grids</source>
      <translation>网格数</translation>
    </message>
    <message>
      <source>Grids checked</source>
      <translation>已检查网格数</translation>
    </message>
    <message>
      <source>Grids failing</source>
      <translation>未达标网格数</translation>
    </message>
    <message>
      <source>Grids numbered out of order</source>
      <translation>编号顺序错误的网格</translation>
    </message>
    <message>
      <source>Grids with missed reports</source>
      <translation>有漏报的网格</translation>
    </message>
    <message>
      <source>ISO week, e.g. 2026-W46 (empty: the last full week)</source>
      <translation>ISO 周，例如 2026-W46（留空：上一个完整周）</translation>
    </message>
    <message>
      <source>Identifier scheme when the layer has no 'scheme' field</source>
      <translation>图层没有“scheme”字段时使用的标识码方案</translation>
    </message>
    <message>
      <source>Ignore gaps and overlaps smaller than (m²)</source>
      <translation>忽略小于此面积的缝隙和重叠（平方米）</translation>
    </message>
    <message>
      <source>Imports a census batch file as python -m citymgmt_plugin census import does: the file is read as it comes (CSV in UTF-8, UTF-8 with a byte-order mark or GBK/GB18030; Excel; GeoPackage, Shapefile or GeoJSON), with dates as older platforms and spreadsheets print them, positions from x and y or a WKT column (empty markers such as POINT EMPTY, NULL or 0 0 refused as no position), identifiers a spreadsheet turned into numbers refused; then reconciled with the workspace as Census reconciliation (batch layer) does, with the same parameters and outputs.</source>
      <translation>与命令行的普查导入命令相同，导入一个普查批次文件：按文件原样读取（UTF-8、带字节顺序标记的 UTF-8 或 GBK/GB18030 编码的 CSV；Excel；GeoPackage、Shapefile 或 GeoJSON），识别旧平台和电子表格输出的各种日期格式，位置取自 X、Y 列或 WKT 列（空几何、空值、0 0 等空位置标记按“无位置”拒收），被电子表格转成数字的标识码予以拒收；然后与“普查比对（批次图层）”一样与工作空间比对，参数和输出相同。</translation>
    </message>
    <message>
      <source>Invalid geometries</source>
      <translation>无效几何</translation>
    </message>
    <message>
      <source>KPIs</source>
      <translation>考核指标</translation>
    </message>
    <message>
      <source>KPIs of the month</source>
      <translation>月度考核指标</translation>
    </message>
    <message>
      <source>KPIs per collector</source>
      <translation>各采集员考核指标</translation>
    </message>
    <message>
      <source>KPIs per grid</source>
      <translation>各网格考核指标</translation>
    </message>
    <message>
      <source>Kind field (component / event)</source>
      <translation>类型字段（部件 / 事件）</translation>
    </message>
    <message>
      <source>Last day (instead of the year)</source>
      <translation>结束日期（代替年份）</translation>
    </message>
    <message>
      <source>Layer or sheet (default: the first)</source>
      <translation>图层或工作表（默认：第一个）</translation>
    </message>
    <message>
      <source>Main roads</source>
      <translation>主要道路</translation>
    </message>
    <message>
      <source>Malformed codes</source>
      <translation>代码格式错误</translation>
    </message>
    <message>
      <source>Maximum gap between fixes (s)</source>
      <translation>轨迹点最大时间间隔（秒）</translation>
    </message>
    <message>
      <source>Maximum grid area (m²)</source>
      <translation>网格最大面积（平方米）</translation>
    </message>
    <message>
      <source>Maximum speed (km/h)</source>
      <translation>最大速度（公里/小时）</translation>
    </message>
    <message>
      <source>Minimum balance (1 − Gini, 0-1)</source>
      <translation>均衡性下限（1 − 基尼系数，0-1）</translation>
    </message>
    <message>
      <source>Minimum closure rate (0-1)</source>
      <translation>结案率下限（0-1）</translation>
    </message>
    <message>
      <source>Minimum component share (0-1)</source>
      <translation>部件占比下限（0-1）</translation>
    </message>
    <message>
      <source>Minimum grid area (m²)</source>
      <translation>网格最小面积（平方米）</translation>
    </message>
    <message>
      <source>Minimum valid reports per collector per day</source>
      <translation>采集员人均日有效上报数下限</translation>
    </message>
    <message>
      <source>Minimum valid-report rate (0-1)</source>
      <translation>有效上报率下限（0-1）</translation>
    </message>
    <message>
      <source>Month (YYYY-MM)</source>
      <translation>月份（年-月，如 2021-03）</translation>
    </message>
    <message>
      <source>Monthly KPI and assessment report</source>
      <translation>月度考核指标报告</translation>
    </message>
    <message>
      <source>Monthly KPI report (PDF)</source>
      <translation>月度考核指标报告（PDF）</translation>
    </message>
    <message>
      <source>Monthly assessment (考核) and payment</source>
      <translation>月度考核与支付</translation>
    </message>
    <message>
      <source>No field {0} in the grids</source>
      <translation>网格图层中没有字段 {0}</translation>
    </message>
    <message>
      <source>No field {0} in the thematic layer</source>
      <translation>专题图层中没有字段 {0}</translation>
    </message>
    <message>
      <source>No grids layer: the per-grid output is not written.</source>
      <translation>没有网格图层：不输出各网格结果。</translation>
    </message>
    <message>
      <source>No report falls in the period.</source>
      <translation>统计期内没有上报。</translation>
    </message>
    <message>
      <source>No route for collectors: {}</source>
      <translation>以下采集员没有路线：{}</translation>
    </message>
    <message>
      <source>No usable fixes: every grid with roads is uncovered.</source>
      <translation>没有可用的轨迹点：所有含道路的网格均未覆盖。</translation>
    </message>
    <message>
      <source>No week starts in the period.</source>
      <translation>该期间内没有周开始。</translation>
    </message>
    <message>
      <source>Nothing was applied: {0}</source>
      <translation>未入库任何内容：{0}</translation>
    </message>
    <message>
      <source>Off-route stretches</source>
      <translation>偏离路段</translation>
    </message>
    <message>
      <source>On-time rate of checks</source>
      <translation>核查按时率</translation>
    </message>
    <message>
      <source>On-time rate of verification</source>
      <translation>核实按时率</translation>
    </message>
    <message>
      <source>On-time rates</source>
      <translation>按时率</translation>
    </message>
    <message>
      <source>Output folder</source>
      <translation>输出文件夹</translation>
    </message>
    <message>
      <source>Outside admin units</source>
      <translation>超出行政区划</translation>
    </message>
    <message>
      <source>Overlap area (m²)</source>
      <translation>重叠面积（平方米）</translation>
    </message>
    <message>
      <source>Overlaps</source>
      <translation>重叠</translation>
    </message>
    <message>
      <source>Patrol</source>
      <translation>巡查</translation>
    </message>
    <message>
      <source>Patrol GPS fixes</source>
      <translation>巡查 GPS 轨迹点</translation>
    </message>
    <message>
      <source>Patrol coverage of a year, week by week</source>
      <translation>全年逐周巡查覆盖率</translation>
    </message>
    <message>
      <source>Patrol coverage of main roads</source>
      <translation>主要道路巡查覆盖率</translation>
    </message>
    <message>
      <source>Patrol reports (weekly, monthly, atlas)</source>
      <translation>巡查报告（周报、月报、图册）</translation>
    </message>
    <message>
      <source>Payable</source>
      <translation>应支付</translation>
    </message>
    <message>
      <source>Period end (exclusive)</source>
      <translation>统计期结束（不含）</translation>
    </message>
    <message>
      <source>Period start</source>
      <translation>统计期开始</translation>
    </message>
    <message>
      <source>Prescribed routes</source>
      <translation>规定路线</translation>
    </message>
    <message>
      <source>Quality checks</source>
      <translation>质量检查</translation>
    </message>
    <message>
      <source>Reading administrative units…</source>
      <translation>正在读取行政区划……</translation>
    </message>
    <message>
      <source>Reading components…</source>
      <translation>正在读取部件…</translation>
    </message>
    <message>
      <source>Reading grids…</source>
      <translation>正在读取网格……</translation>
    </message>
    <message>
      <source>Reading submissions…</source>
      <translation>正在读取上报……</translation>
    </message>
    <message>
      <source>Reading the fixes from PostGIS week by week.</source>
      <translation>正在从 PostGIS 逐周读取定位点。</translation>
    </message>
    <message>
      <source>Reading unit grids…</source>
      <translation>正在读取单元网格…</translation>
    </message>
    <message>
      <source>Reading {0}…</source>
      <translation>正在读取 {0}…</translation>
    </message>
    <message>
      <source>Reconciles a census batch with the component inventory of a workspace: each row of the batch is mapped to the component fields, checked and compared with the stored components (new, unchanged, attributes changed, moved, duplicate), and the stored components of the surveyed unit grids that the batch lacks are found (missing). Rows that cannot be taken are refused, each with its reasons.

Field mapping: a JSON file {"target field": "source column"}; value mapping: {"target field": {"source value": "stored value"}} for coded fields (status, data source, accuracy class, department, class). Without them, what the reconciliation dialog remembered for the same columns is used, else known column names. Coordinate system: of a table without geometry (x and y or WKT columns); found from the numbers when not given.

The batch surveys components, or points of interest (name, category, address, phone, door number; matched by identifier, else by name within 30 m).

Accept: the kinds of item applied. Apply: write the accepted items into the workspace in one transaction, with history and audit rows (nothing is written when one cannot be applied, or when cancelled). Outputs: the items (a point each, kind and decision), the refused rows with their reasons, counts, and the report (CSV, text and HTML) in the report folder.</source>
      <translation>将一个普查批次与工作空间的部件清单比对：批次的每一行映射到部件字段，经检查后与已入库部件比较（新增、未变、属性变更、移位、重复），并找出所普查单元网格中批次缺少的已入库部件（缺失）。不能接收的行予以拒收，并逐一给出原因。

字段映射：JSON 文件 {"目标字段": "源数据列"}；值映射：对编码字段（状态、数据来源、精度等级、主管部门、类别）给出 {"目标字段": {"源数据值": "入库值"}}。未给出时，使用比对对话框为相同列记住的映射，否则按常见列名识别。坐标系：用于无几何表格（X、Y 列或 WKT 列）的坐标；未给出时根据数值判断。

普查对象为部件，或兴趣点（名称、类别、地址、电话、门牌号；按编码匹配，无编码时按 30 米内同名匹配）。

接受：要入库的条目类别。入库：在一个事务中将已接受的条目写入工作空间，并写入历史和审计记录（任一条目无法入库或取消时，不写入任何内容）。输出：比对条目（每条一个点，含类别和决定）、拒收的行及原因、各项计数，以及报告文件夹中的报告（CSV、文本和 HTML）。</translation>
    </message>
    <message>
      <source>Reconciliation items</source>
      <translation>比对条目</translation>
    </message>
    <message>
      <source>Refused rows</source>
      <translation>拒收的行</translation>
    </message>
    <message>
      <source>Refused rows by reason (JSON)</source>
      <translation>按原因统计的拒收行（JSON）</translation>
    </message>
    <message>
      <source>Report folder</source>
      <translation>报告文件夹</translation>
    </message>
    <message>
      <source>Report layers (GeoPackage)</source>
      <translation>报告图层（GeoPackage）</translation>
    </message>
    <message>
      <source>Reporting KPIs</source>
      <translation>上报考核指标</translation>
    </message>
    <message>
      <source>Reporting channel field</source>
      <translation>上报渠道字段</translation>
    </message>
    <message>
      <source>Reports</source>
      <translation>上报数</translation>
    </message>
    <message>
      <source>Reports per hour 0-23 (comma-separated)</source>
      <translation>0-23时各小时上报数（逗号分隔）</translation>
    </message>
    <message>
      <source>Reports per hour of day</source>
      <translation>各小时上报数</translation>
    </message>
    <message>
      <source>Reports to write</source>
      <translation>要生成的报告</translation>
    </message>
    <message>
      <source>Required coverage share</source>
      <translation>要求覆盖率</translation>
    </message>
    <message>
      <source>Responsibility grid atlas</source>
      <translation>责任网格图册</translation>
    </message>
    <message>
      <source>Responsibility grid atlas (PDF)</source>
      <translation>责任网格图册（PDF）</translation>
    </message>
    <message>
      <source>Responsibility grid code field</source>
      <translation>责任网格代码字段</translation>
    </message>
    <message>
      <source>Responsibility grid coverage</source>
      <translation>责任网格覆盖率</translation>
    </message>
    <message>
      <source>Responsibility grid table (unit grid to responsibility grid)</source>
      <translation>责任网格对照表（单元网格对应责任网格）</translation>
    </message>
    <message>
      <source>Road length (m)</source>
      <translation>道路长度（米）</translation>
    </message>
    <message>
      <source>Roster row {0}: {1}</source>
      <translation>排班表第 {0} 行：{1}</translation>
    </message>
    <message>
      <source>Route collector field</source>
      <translation>路线采集员字段</translation>
    </message>
    <message>
      <source>Rows read</source>
      <translation>读取行数</translation>
    </message>
    <message>
      <source>Run in PostGIS (inputs in one PostGIS database)</source>
      <translation>在 PostGIS 中运行（输入位于同一 PostGIS 数据库）</translation>
    </message>
    <message>
      <source>Sliver thinness ratio 4πA/P² below which a grid is a sliver</source>
      <translation>狭长碎面紧凑度阈值 4πA/P²（低于此值视为碎面）</translation>
    </message>
    <message>
      <source>Slivers</source>
      <translation>狭长碎面</translation>
    </message>
    <message>
      <source>Start time</source>
      <translation>开始时间</translation>
    </message>
    <message>
      <source>State field</source>
      <translation>状态字段</translation>
    </message>
    <message>
      <source>States of a valid (filed or accepted) report, comma-separated</source>
      <translation>有效（已立案或受理）上报的状态，以逗号分隔</translation>
    </message>
    <message>
      <source>Statistics per grid</source>
      <translation>分网格统计</translation>
    </message>
    <message>
      <source>Submissions (reports)</source>
      <translation>上报（提交记录）</translation>
    </message>
    <message>
      <source>Survey data (*.csv *.txt *.xlsx *.gpkg *.shp *.geojson *.json)</source>
      <translation>普查数据 (*.csv *.txt *.xlsx *.gpkg *.shp *.geojson *.json)</translation>
    </message>
    <message>
      <source>Table name in the workspace (default from template)</source>
      <translation>工作空间中的表名（默认取自模板）</translation>
    </message>
    <message>
      <source>Tasks</source>
      <translation>任务</translation>
    </message>
    <message>
      <source>Tasks overdue</source>
      <translation>超时任务数</translation>
    </message>
    <message>
      <source>Template</source>
      <translation>模板</translation>
    </message>
    <message>
      <source>Template file (overrides Template)</source>
      <translation>模板文件（优先于模板）</translation>
    </message>
    <message>
      <source>Template id</source>
      <translation>模板标识</translation>
    </message>
    <message>
      <source>The PostGIS fixes must be in the grid layer's CRS.</source>
      <translation>PostGIS 中的定位点必须与网格图层使用同一坐标系。</translation>
    </message>
    <message>
      <source>The batch surveys</source>
      <translation>普查对象</translation>
    </message>
    <message>
      <source>The components and the grids must be in the same CRS.</source>
      <translation>部件与网格必须使用相同坐标系。</translation>
    </message>
    <message>
      <source>The contract rule 「每个工作责任网格内所有主要道路、窗口地区每周必须巡查到位」 (seed 000: every main road and window area of every grid patrolled every week), checked for every week of a year in one run.
The weeks are local (Monday 00:00 to Monday 00:00, China Standard Time) that start in the year (52 or 53), or between the first and the last day when given. Each week is computed exactly as Patrol coverage of main roads computes one week (same cleaning of the fixes, same tolerance, exact lengths); the roads are cut by the grids only once.
When the fixes are a PostGIS table (the workspace's GPS fixes, partitioned by week) they are read week by week, one week in memory at a time, the next week read while the current one is computed; other sources are read whole first.
Outputs: coverage per grid and week (grid_code, week, road_m, covered_m, coverage, passed); per grid over the year (weeks, weeks passed and failed, lowest and mean coverage) with the grid polygons; and one row per week (fixes used, grids failing, covered length, seconds).</source>
      <translation>合同规定「每个工作责任网格内所有主要道路、窗口地区每周必须巡查到位」（资料 000：每个网格的所有主要道路和窗口地区每周都要巡查到），一次运行即可逐周检查全年。
周按本地时间计（北京时间周一 0:00 至下周一 0:00），取开始于该年内的各周（52 或 53 周），或给定起始日和结束日时取其间的各周。每一周的计算与“主要道路巡查覆盖率”计算一周完全相同（相同的定位点清洗、相同的容差、精确长度）；道路只按网格切分一次。
定位点为 PostGIS 表（工作空间中按周分区的 GPS 定位点）时逐周读取，内存中每次只有一周，计算当前周时同时读取下一周；其他数据源先整体读入。
输出：各网格逐周覆盖率（“grid_code”、“week”、“road_m”、“covered_m”、“coverage”、“passed”）；各网格全年情况（周数、达标与未达标周数、最低和平均覆盖率）及网格多边形；每周一行（使用的定位点、未达标网格、覆盖长度、用时）。</translation>
    </message>
    <message>
      <source>The duty roster could not be read.</source>
      <translation>无法读取排班表。</translation>
    </message>
    <message>
      <source>The duty roster needs a field named one of: {0}</source>
      <translation>排班表需要一个名为以下之一的字段：{0}</translation>
    </message>
    <message>
      <source>The end time is before the start time.</source>
      <translation>结束时间早于开始时间。</translation>
    </message>
    <message>
      <source>The figures the contract pays by, from the reports of a period, as the contracts define them: overall, per unit grid and per collector, each compared with the threshold of the contract profile (a JSON file; default the Suzhou 2021 contract, seed 000; a threshold given here overrides it).

A report is in the period when its time is at or after the period start and before the period end (local time; without them: the local days the valid reports span). Valid = filed or accepted (立案; states accepted, updated): pending and sent-back reports are not valid. A problem = an event, or a component reported with a problem status (破损, 丢失; the component status field, or the workspace payload's status): census records and components checked fine are not problems. Without a kind (or a code prefix such as 部件/事件) a report is neither (event and component codes share numbers).
- annual_valid: valid problems since the first service day, judged after the last (seed 000: 「项目服务期内有效上报事件问题总量不少于15万件」); monthly_valid: valid problems of each whole month from the second service month (「项目服务期第二个月起，每月不少于1万件」); nothing is spread over days.
- valid_rate = valid problems / problems (「事部件问题上报有效率 =90%」); component_share = valid component problems / valid problems (「其中部件类问题占比不少于20%」); closure_rate = closed / due (已结案/应结案, seed 004 「应解决问题数…已解决…解决率」): valid problems whose deadline (the deadline field) falls in the period, closed (the closure field: a flag or a time) by its end.
- reports_per_collector_day = valid problems / scheduled days (seed 003 「每人每天6条」): from the duty roster (collector_code, day, status on_duty / absent / leave / off; an absence counts), else every working day of the period; collectors_on_duty: the fewest on duty on a day (seed 002 「每天安排不低于53名」).
- channel_share:…: problems per reporting channel (the channel field; seed 004 「采集人员上报…占99.21%，其他渠道上报…」).
- Balance = 1 − Gini coefficient of the counts (1: perfectly even). area_balance: valid problems per grid; time_balance: per slot of the working time with breaks, weekends and holidays as the contract says (seed 000: 8:30–17:30, lunch 12:00–13:00, weekends and holidays worked; the working time parameter overrides the periods); outside_working_time: valid problems outside it; category_balance (for information): per major class. The contracts ask for balance without a figure: 0.5 is a local choice.

Outputs: the overall KPI table; the grids with reports, valid problems per major class (comp_01… components, event_01… events), valid rate, component share and passed; the collectors with reports, valid problems, scheduled and absent days, per scheduled day and per period day, reports per 4-hour bucket and passed; and the 24 hourly counts.</source>
      <translation>合同据以支付的指标，按合同的定义从统计期内的上报计算：总体、按单元网格和按采集员，分别与合同配置的目标值比较（JSON 文件；默认为资料 000 的苏州 2021 年合同；此处给出的目标值优先）。

上报时间不早于“统计期开始”且早于“统计期结束”即在统计期内（本地时间；未给出两者时取有效上报覆盖的各个自然日）。有效 = 已立案或受理（状态“accepted”、“updated”）：待审和退回补充的上报不算有效。问题 = 事件，或报告了问题状态（破损、丢失；“部件状态字段”，或工作空间上报内容中的状态）的部件：普查记录和核查完好的部件不是问题。未注明类型（且代码无“部件/事件”等前缀）的上报两者都不算（事件与部件代码编号重合）。
- “annual_valid”：自服务期第一天起的有效问题数，服务期结束后考核（资料 000：「项目服务期内有效上报事件问题总量不少于15万件」）；“monthly_valid”：自服务期第二个月起每个完整月的有效问题数（「项目服务期第二个月起，每月不少于1万件」）；不按天分摊。
- “valid_rate” = 有效问题数 / 问题数（「事部件问题上报有效率 =90%」）；“component_share” = 有效部件问题数 / 有效问题数（「其中部件类问题占比不少于20%」）；“closure_rate” = 已结案 / 应结案（资料 004「应解决问题数…已解决…解决率」）：处置时限（“处置时限字段”）落在统计期内的有效问题，及其中到期末已结案的（“结案字段”：标志或结案时间）。
- “reports_per_collector_day” = 有效问题数 / 应出勤天数（资料 003「每人每天6条」）：取自排班表（“排班表”参数：字段“collector_code”、“day”、“status”，状态为“on_duty”、“absent”、“leave”或“off”；缺勤计入），无排班表时取统计期内每个工作日；“collectors_on_duty”：一天中在岗人数的最小值（资料 002「每天安排不低于53名」）。
- “channel_share:…”：各上报渠道的问题数占比（“上报渠道字段”；资料 004「采集人员上报…占99.21%，其他渠道上报…」）。
- 均衡性 = 1 − 计数的基尼系数（1：完全均衡）。“area_balance”：按网格统计的有效问题；“time_balance”：按合同规定的工作时间（含午休、双休日和节假日）各时段统计（资料 000：8:30–17:30，午餐 12:00–13:00，双休日和节假日照常工作；“工作时间”参数可覆盖时段）；“outside_working_time”：工作时间以外的有效问题；“category_balance”（仅供参考）：按大类统计。合同只要求均衡而无具体数值：0.5 为本地设定。

输出：总体指标表；有上报的网格，各大类的有效问题数（“comp_01”等为部件，“event_01”等为事件）、有效上报率、部件问题占比及是否达标；采集员的上报数、有效问题数、应出勤和缺勤天数、每应出勤日和每统计日的有效问题数、每 4 小时时段的上报数及是否达标；以及 24 个小时的上报数。</translation>
    </message>
    <message>
      <source>The fixes are not a PostGIS table: they are read whole.</source>
      <translation>定位点不是 PostGIS 表：一次全部读取。</translation>
    </message>
    <message>
      <source>The grid CRS is not in metres: areas are in its own units.</source>
      <translation>网格坐标系的单位不是米：面积按其自身单位计算。</translation>
    </message>
    <message>
      <source>The grids layer has no field {0}.</source>
      <translation>网格图层没有字段 {0}。</translation>
    </message>
    <message>
      <source>The grids' CRS is geographic: lengths and areas are in degrees.</source>
      <translation>网格图层为地理坐标系：长度和面积的单位为度。</translation>
    </message>
    <message>
      <source>The maximum grid area is smaller than the minimum.</source>
      <translation>网格最大面积小于最小面积。</translation>
    </message>
    <message>
      <source>The month a contract is assessed and paid by (seed 002: 「月度考核与年度履约验收相结合」, 「按照考核结果支付相应支付项目进度款项」), from a workspace and its contract profile (or a contract profile file in JSON).
- KPIs as the contracts define them (see Reporting KPIs), over the workspace's reports, duty roster and its cases and 核实/核查 tasks.
- 错报 (wrong reports): reports rejected for a coded reason, per collector and district.
- 漏报 (missed reports): the confirmed candidates (found by the missed detect command or the Contract figures dialog and decided by a reviewer), per collector, grid and district; rate = confirmed / (valid problems + confirmed); spot checks per district.
- Scores: the profile's scoring sheet. Each collector starts at the base score and loses points per confirmed 漏报, 错报, late task, day off the prescribed route (with patrol routes and GPS fixes), absence and report shortfall, each capped. The contractor's score is its collectors' mean minus points for the month's volume and rate shortfalls; the payment is the monthly fee times the share of the band the score reaches.
Outputs: tables of the KPIs, the collectors, the districts, the grids with 漏报 and the payment.</source>
      <translation>合同据以考核和支付的月度结果（资料 002：「月度考核与年度履约验收相结合」、「按照考核结果支付相应支付项目进度款项」），依据工作空间及其合同配置（或 JSON 格式的合同配置文件）计算。
- 考核指标按合同的定义计算（见“上报考核指标”），依据工作空间的上报、排班表及其案件和核实、核查任务。
- 错报：因编码原因被驳回的上报，按采集员和区县统计。
- 漏报：已认定的漏报疑似（由命令行的漏报检测或“合同考核指标”对话框查找、由审核人员认定），按采集员、网格和区县统计；漏报率 = 已认定漏报 /（有效问题数 + 已认定漏报）；现场抽查按区县统计。
- 得分：按合同配置中的考核评分表计算。每名采集员从基础分起，按已认定漏报、错报、超时任务、偏离规定路线的天数（需有巡查路线和 GPS 定位点）、缺勤和上报不足扣分，每项有上限。服务单位得分为其采集员平均分减去当月上报量和各项比率不足的扣分；支付金额为月服务费乘以该得分所在档次的支付比例。
输出：考核指标、采集员、区县、有漏报的网格和支付情况的表格。</translation>
    </message>
    <message>
      <source>The month is written YYYY-MM, e.g. 2021-03.</source>
      <translation>月份请按“年-月”书写，例如 2021-03。</translation>
    </message>
    <message>
      <source>The period end must be after its start.</source>
      <translation>统计期结束时间必须晚于开始时间。</translation>
    </message>
    <message>
      <source>The responsibility grid table could not be read.</source>
      <translation>无法读取责任网格对照表。</translation>
    </message>
    <message>
      <source>The route layer has no routes with a collector and a geometry.</source>
      <translation>路线图层中没有同时具有采集员和几何图形的路线。</translation>
    </message>
    <message>
      <source>The tolerance must be greater than zero.</source>
      <translation>容差必须大于零。</translation>
    </message>
    <message>
      <source>The working day must end after it starts: {0}</source>
      <translation>工作日的结束必须晚于开始：{0}</translation>
    </message>
    <message>
      <source>The workspace has no {0}.</source>
      <translation>工作空间中没有{0}。</translation>
    </message>
    <message>
      <source>The workspace {0} cannot be opened: {1}</source>
      <translation>无法打开工作空间 {0}：{1}</translation>
    </message>
    <message>
      <source>The 核实 (verify) and 核查 (check) tasks of a workspace that are due in a period (from the period start up to, not including, its end; without them: all), one point per task at its case, with its state, whether it was done on time, late, is overdue or not due yet (pending), the hours past its deadline (negative: in time) and the outcome.

The on-time rates (optional) give per collector, responsibility grid and district and kind: on time / (on time + late + overdue); cancelled and pending tasks do not count. The median hours from task to result are given too. The district's on-time rates of verification and of checks are also returned as numbers (empty without tasks).</source>
      <translation>工作空间中在某时段内到期（从时段开始到时段结束前；不给时：全部）的核实和核查任务，每个任务一个点，位于其案件处，附任务状态、是按时完成、超时完成、已超时还是尚未到期、超出截止时间的小时数（负数：未超时）及结果。

按时率（可选）给出每名采集员、每个责任网格和每个区按任务类型的按时率：按时 /（按时 + 超时完成 + 已超时）；已撤销和未到期的任务不计。同时给出从派发任务到提交结果的中位小时数。全区的核实按时率和核查按时率另以数值返回（没有任务时为空）。</translation>
    </message>
    <message>
      <source>Thematic layer</source>
      <translation>专题图层</translation>
    </message>
    <message>
      <source>Thematic layer statistics per grid</source>
      <translation>专题图层分网格统计</translation>
    </message>
    <message>
      <source>Thematic layers</source>
      <translation>专题图层</translation>
    </message>
    <message>
      <source>Time field</source>
      <translation>时间字段</translation>
    </message>
    <message>
      <source>Time-of-day balance</source>
      <translation>上报时间均衡性</translation>
    </message>
    <message>
      <source>Tolerance (m)</source>
      <translation>容差（米）</translation>
    </message>
    <message>
      <source>Tolerance on the required share</source>
      <translation>要求覆盖率的容差</translation>
    </message>
    <message>
      <source>Uncovered road stretches</source>
      <translation>未覆盖路段</translation>
    </message>
    <message>
      <source>Unit grid code field</source>
      <translation>单元网格代码字段</translation>
    </message>
    <message>
      <source>Unit grid topology and codes</source>
      <translation>单元网格拓扑与编码检查</translation>
    </message>
    <message>
      <source>Unit grids</source>
      <translation>单元网格</translation>
    </message>
    <message>
      <source>Unit or responsibility grids</source>
      <translation>单元网格或责任网格</translation>
    </message>
    <message>
      <source>Unknown identifier scheme {0}; known: {1}.</source>
      <translation>未知的标识码方案 {0}；可用的方案：{1}。</translation>
    </message>
    <message>
      <source>Valid problem reports a month (empty: contract)</source>
      <translation>每月有效问题上报数（留空：按合同）</translation>
    </message>
    <message>
      <source>Valid problem reports a year (empty: contract)</source>
      <translation>每年有效问题上报数（留空：按合同）</translation>
    </message>
    <message>
      <source>Valid reports</source>
      <translation>有效上报数</translation>
    </message>
    <message>
      <source>Valid rows</source>
      <translation>有效行数</translation>
    </message>
    <message>
      <source>Valid-report rate</source>
      <translation>有效上报率</translation>
    </message>
    <message>
      <source>Value mapping of coded fields (JSON)</source>
      <translation>编码字段的值映射（JSON）</translation>
    </message>
    <message>
      <source>Values without a mapping (JSON)</source>
      <translation>未映射的值（JSON）</translation>
    </message>
    <message>
      <source>Verification and check tasks</source>
      <translation>核实核查任务</translation>
    </message>
    <message>
      <source>Verify (核实)</source>
      <translation>核实</translation>
    </message>
    <message>
      <source>Week of {0}: {1} fixes, {2} grids failing.</source>
      <translation>{0} 这一周：定位点 {1} 个，未达标网格 {2} 个。</translation>
    </message>
    <message>
      <source>Week {0}: {1}</source>
      <translation>周次 {0}：{1}</translation>
    </message>
    <message>
      <source>Weekly patrol report</source>
      <translation>巡查周报</translation>
    </message>
    <message>
      <source>Weekly patrol report (PDF)</source>
      <translation>巡查周报（PDF）</translation>
    </message>
    <message>
      <source>Weeks</source>
      <translation>周数</translation>
    </message>
    <message>
      <source>What applying did (JSON)</source>
      <translation>入库结果（JSON）</translation>
    </message>
    <message>
      <source>Working time, e.g. 08:30-12:00,13:00-17:30 (empty: contract)</source>
      <translation>工作时间，例如 08:30-12:00,13:00-17:30（留空：按合同）</translation>
    </message>
    <message>
      <source>Workspace (.gpkg, postgresql:// URL or service=NAME)</source>
      <translation>工作空间（.gpkg、postgresql:// URL 或 service=NAME）</translation>
    </message>
    <message>
      <source>Workspace (GeoPackage path, postgresql:// URL, service=)</source>
      <translation>工作空间（GeoPackage 路径、postgresql:// 地址或 service=）</translation>
    </message>
    <message>
      <source>Workspace (none: the layer goes to the output below)</source>
      <translation>工作空间（不选时写入下方的输出图层）</translation>
    </message>
    <message>
      <source>Workspace table</source>
      <translation>工作空间表</translation>
    </message>
    <message>
      <source>Writes the reports of one ISO week of a workspace as PDF files, from the shipped print layouts:
- the weekly patrol report: a map of the unit grids and road stretches that fail the weekly patrol rule, the failing responsibility grids, charts of reports per hour, per collector and per week, and tables of the collectors and of the failing unit grids;
- the monthly KPI and assessment report of the month the week belongs to (the month of its Thursday): every contract figure with its threshold and verdict, charts and the collectors' figures;
- an atlas with one page per responsibility grid: its map with the stretches nobody patrolled, scale bar, north arrow, legend, date, its figures and its collectors.

The checks run first, on the workspace's own layers: patrol coverage and route deviation for the week, reporting KPIs for the week and the month. The folder also gets the reports' layers (a GeoPackage), their data (JSON) and the charts (PNG). Leave the week empty for the last full week. The workspace is a GeoPackage path, a postgresql:// URL or service=NAME.</source>
      <translation>按随插件提供的打印版式，将工作空间某一 ISO 周的报告写成 PDF 文件：
- 巡查周报：未达每周巡查要求的单元网格和路段地图、未达标的责任网格、各时段/各采集员/各周上报数图表，以及采集员表和未达标单元网格表；
- 该周所属月份（以周四所在月份为准）的月度考核指标报告：每项合同指标及其要求和结论、图表和采集员指标；
- 责任网格图册，每个责任网格一页：含无人巡查路段的地图、比例尺、指北针、图例、日期、该网格的指标及其采集员。

先在工作空间自身的图层上运行检查：该周的巡查覆盖和路线偏离，该周及该月的上报考核指标。输出文件夹中还包括报告图层（GeoPackage）、报告数据（JSON）和图表（PNG）。周留空表示上一个完整周。工作空间为 GeoPackage 路径、postgresql:// URL 或 service=NAME。</translation>
    </message>
    <message>
      <source>Written: {0}</source>
      <translation>已写出：{0}</translation>
    </message>
    <message>
      <source>Year</source>
      <translation>年份</translation>
    </message>
    <message>
      <source>administrative units</source>
      <translation>行政区划</translation>
    </message>
    <message>
      <source>as the grids' workspace says</source>
      <translation>按网格所在工作空间的设置</translation>
    </message>
    <message>
      <source>check</source>
      <translation>检查</translation>
    </message>
    <message>
      <source>components</source>
      <translation>部件</translation>
    </message>
    <message>
      <source>do not check</source>
      <translation>不检查</translation>
    </message>
    <message>
      <source>grid</source>
      <translation>网格</translation>
    </message>
    <message>
      <source>points of interest</source>
      <translation>兴趣点</translation>
    </message>
    <message>
      <source>responsibility grid</source>
      <translation>责任网格</translation>
    </message>
    <message>
      <source>road</source>
      <translation>道路</translation>
    </message>
    <message>
      <source>route</source>
      <translation>路线</translation>
    </message>
    <message>
      <source>submissions</source>
      <translation>上报</translation>
    </message>
    <message>
      <source>track</source>
      <translation>轨迹</translation>
    </message>
    <message>
      <source>unit grids</source>
      <translation>单元网格</translation>
    </message>
    <message>
      <source>{0} errors on {1} of {2} components.</source>
      <translation>{2} 个部件中有 {1} 个共 {0} 处错误。</translation>
    </message>
    <message>
      <source>{0} rows for {1} features in {2} grids</source>
      <translation>{2} 个网格中的 {1} 个要素，共 {0} 行</translation>
    </message>
    <message>
      <source>{0} tasks, {1} overdue</source>
      <translation>任务 {0} 个，超时 {1} 个</translation>
    </message>
    <message>
      <source>{0} weeks in {1:.1f} s.</source>
      <translation>{0} 周，用时 {1:.1f} 秒。</translation>
    </message>
    <message>
      <source>{} fixes were dropped as GPS jumps.</source>
      <translation>已将 {} 个轨迹点作为 GPS 跳点剔除。</translation>
    </message>
    <message>
      <source>{} fixes without time, position or collector were skipped.</source>
      <translation>已跳过 {} 个缺少时间、位置或采集员的轨迹点。</translation>
    </message>
    <message>
      <source>… and {0} more roster rows</source>
      <translation>……另有 {0} 行排班记录</translation>
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
      <source>  line {0}: {1}</source>
      <translation>  第 {0} 行：{1}</translation>
    </message>
    <message>
      <source>  page {0}: {1} read</source>
      <translation>  第 {0} 页：已读取 {1}</translation>
    </message>
    <message>
      <source>  row {0} ({1}): {2}</source>
      <translation>  第 {0} 行（{1}）：{2}</translation>
    </message>
    <message>
      <source>  {0} of {1}</source>
      <translation>  {0} / {1}</translation>
    </message>
    <message>
      <source>  {0}: {1}</source>
      <translation>  {0}：{1}</translation>
    </message>
    <message>
      <source>(no profile saved: the shipped default)</source>
      <translation>（尚未保存合同配置：使用随附的默认配置）</translation>
    </message>
    <message>
      <source>Auto-match: {0}</source>
      <translation>自动匹配：{0}</translation>
    </message>
    <message>
      <source>CRS of the source, e.g. EPSG:4490 (default: found from the data)</source>
      <translation>源数据的坐标系，如 EPSG:4490（默认：根据数据判断）</translation>
    </message>
    <message>
      <source>CRS: EPSG:{0}</source>
      <translation>坐标系：EPSG:{0}</translation>
    </message>
    <message>
      <source>CSV or Excel class table</source>
      <translation>CSV 或 Excel 格式的类别表</translation>
    </message>
    <message>
      <source>CSV, Excel, GeoPackage, Shapefile</source>
      <translation>CSV、Excel、GeoPackage、Shapefile 文件</translation>
    </message>
    <message>
      <source>Component identifiers</source>
      <translation>部件标识码</translation>
    </message>
    <message>
      <source>Contract profile kept: {0}</source>
      <translation>已保存合同配置：{0}</translation>
    </message>
    <message>
      <source>Digital city management (数字城管) workspaces: schema, demo, intake.</source>
      <translation>数字城管工作空间：数据库结构、演示、数据接入。</translation>
    </message>
    <message>
      <source>GPS tracks from devices</source>
      <translation>来自终端设备的 GPS 轨迹</translation>
    </message>
    <message>
      <source>GeoPackage path, postgresql:// URL or service=NAME</source>
      <translation>GeoPackage 路径、postgresql:// URL 或 service=NAME</translation>
    </message>
    <message>
      <source>ISO week YYYY-Www (default: the last full week)</source>
      <translation>ISO 周，格式 YYYY-Www（默认：上一个完整周）</translation>
    </message>
    <message>
      <source>Missed reports (漏报): {0} problems found by other channels, {1} new candidates, {2} already known.</source>
      <translation>漏报：其他渠道发现问题 {0} 个，新增疑似 {1} 条，已有 {2} 条。</translation>
    </message>
    <message>
      <source>No candidate to decide.</source>
      <translation>没有待认定的漏报疑似。</translation>
    </message>
    <message>
      <source>No such file: {0}</source>
      <translation>文件不存在：{0}</translation>
    </message>
    <message>
      <source>Not collectors of this workspace: {0}</source>
      <translation>不是本工作空间的采集员：{0}</translation>
    </message>
    <message>
      <source>ODK Central account e-mail (password: CITYMGMT_ODK_PASSWORD)</source>
      <translation>ODK Central 账号邮箱（密码：CITYMGMT_ODK_PASSWORD）</translation>
    </message>
    <message>
      <source>ODK Central form id</source>
      <translation>ODK Central 表单编号</translation>
    </message>
    <message>
      <source>ODK Central project id</source>
      <translation>ODK Central 项目编号</translation>
    </message>
    <message>
      <source>ODK Central server URL</source>
      <translation>ODK Central 服务器地址</translation>
    </message>
    <message>
      <source>Office time zone</source>
      <translation>办公室时区</translation>
    </message>
    <message>
      <source>PostGIS inbox table (schema.table)</source>
      <translation>PostGIS 收件表（模式.表）</translation>
    </message>
    <message>
      <source>PostgreSQL refused: {0}</source>
      <translation>PostgreSQL 拒绝：{0}</translation>
    </message>
    <message>
      <source>QGIS authentication configuration with the ODK account</source>
      <translation>保存 ODK 账号的 QGIS 认证配置</translation>
    </message>
    <message>
      <source>Quarantined by reason: {0}</source>
      <translation>按原因隔离：{0}</translation>
    </message>
    <message>
      <source>Roles of {0}: {1}</source>
      <translation>{0} 的角色：{1}</translation>
    </message>
    <message>
      <source>Roster: {0} days stored, {1} rows not usable.</source>
      <translation>排班表：已保存 {0} 天，{1} 行无法使用。</translation>
    </message>
    <message>
      <source>Roster: {0} days stored.</source>
      <translation>排班表：已保存 {0} 天。</translation>
    </message>
    <message>
      <source>Rows per table:</source>
      <translation>各表行数：</translation>
    </message>
    <message>
      <source>Spot checks planned for {0}: {1}</source>
      <translation>{0} 计划现场检查的网格：{1}</translation>
    </message>
    <message>
      <source>Spot checks recorded: {0} grids, {1} findings.</source>
      <translation>已登记现场检查：{0} 个网格，发现问题 {1} 个。</translation>
    </message>
    <message>
      <source>Tables: {0}</source>
      <translation>表格：{0}</translation>
    </message>
    <message>
      <source>Workspace: {0}</source>
      <translation>工作空间：{0}</translation>
    </message>
    <message>
      <source>a month's contract figures, scores and payment</source>
      <translation>某月的合同考核指标、得分和支付</translation>
    </message>
    <message>
      <source>accept legacy 14-digit unit grid codes</source>
      <translation>允许旧版14位单元网格代码</translation>
    </message>
    <message>
      <source>all districts</source>
      <translation>全部辖区</translation>
    </message>
    <message>
      <source>apply the accepted items (one transaction)</source>
      <translation>将已接受的条目入库（一个事务）</translation>
    </message>
    <message>
      <source>apply the results of verification forms received</source>
      <translation>应用已收到的核实核查表单结果</translation>
    </message>
    <message>
      <source>assign every task to this collector</source>
      <translation>所有任务都派给此采集员</translation>
    </message>
    <message>
      <source>build the demo district and run the tools</source>
      <translation>生成演示城区并运行各项工具</translation>
    </message>
    <message>
      <source>candidate ids (missed list)</source>
      <translation>疑似漏报编号（见 missed list）</translation>
    </message>
    <message>
      <source>cases from the command centre's platform</source>
      <translation>来自指挥中心平台的案件</translation>
    </message>
    <message>
      <source>channel of rows that do not say it</source>
      <translation>未注明来源的行所用的问题来源</translation>
    </message>
    <message>
      <source>check that unit grids are numbered west to east, north to south</source>
      <translation>检查单元网格是否按自西向东、自北向南的顺序编号</translation>
    </message>
    <message>
      <source>class tables: load a city's own, history</source>
      <translation>类别表：载入本市类别表、查看历史版本</translation>
    </message>
    <message>
      <source>close finished tasks' entities by update (status) or delete</source>
      <translation>已结束任务的实体以更新状态或删除的方式关闭</translation>
    </message>
    <message>
      <source>collector code for files that name none (GPX, audit.csv)</source>
      <translation>文件中未注明采集员时使用的采集员编号（GPX、audit.csv）</translation>
    </message>
    <message>
      <source>comma-separated steps to run (default: all): {0}</source>
      <translation>要运行的步骤，以逗号分隔（默认全部运行）：{0}</translation>
    </message>
    <message>
      <source>component census: batch import, settings</source>
      <translation>部件普查：批量导入、设置</translation>
    </message>
    <message>
      <source>component identifier scheme</source>
      <translation>部件标识码方案</translation>
    </message>
    <message>
      <source>confirm or dismiss candidates by id</source>
      <translation>按编号认定或排除漏报疑似</translation>
    </message>
    <message>
      <source>contract profile (JSON) instead of the workspace's</source>
      <translation>使用该合同配置（JSON）代替工作空间中的配置</translation>
    </message>
    <message>
      <source>coordinate system of longitude/latitude (default: WGS84)</source>
      <translation>经纬度所用坐标系（默认：WGS84）</translation>
    </message>
    <message>
      <source>coordinate system of the source (files default: unknown, checked against roads)</source>
      <translation>数据源坐标系（文件默认：未知，按道路检查）</translation>
    </message>
    <message>
      <source>coordinate system: EPSG:n, CGCS2000, WGS84, GCJ02 or BD09</source>
      <translation>坐标系：EPSG:n、CGCS2000、WGS84、GCJ02 或 BD09</translation>
    </message>
    <message>
      <source>create or upgrade the schema</source>
      <translation>创建或升级数据库结构</translation>
    </message>
    <message>
      <source>create the workspace's roles, grants and district limits (PostGIS)</source>
      <translation>创建工作空间的角色、授权和辖区限制（PostGIS）</translation>
    </message>
    <message>
      <source>create verify or check tasks</source>
      <translation>生成核实或核查任务</translation>
    </message>
    <message>
      <source>create, push, limits or results (ACTION --help: more)</source>
      <translation>create（生成）、push（推送）、limits（时限）或 results（结果）（ACTION --help 查看详情）</translation>
    </message>
    <message>
      <source>data volume factor (1 = about 100 km², 10,000 grids)</source>
      <translation>数据量系数（1 = 约100平方公里、10000个网格）</translation>
    </message>
    <message>
      <source>detect, list, confirm or dismiss (ACTION --help: more)</source>
      <translation>detect（查找）、list（列出）、confirm（认定）或 dismiss（排除）（ACTION --help 查看详情）</translation>
    </message>
    <message>
      <source>device export: GeoJSON or CSV file, or its folder</source>
      <translation>设备导出：GeoJSON 或 CSV 文件，或其所在文件夹</translation>
    </message>
    <message>
      <source>device id for files that name none</source>
      <translation>文件中未注明设备时使用的设备编号</translation>
    </message>
    <message>
      <source>do not download photos</source>
      <translation>不下载照片</translation>
    </message>
    <message>
      <source>draw grids to check on a day</source>
      <translation>抽取某天要检查的网格</translation>
    </message>
    <message>
      <source>enter one status for a collector over days</source>
      <translation>为一名采集员的若干天设定同一状态</translation>
    </message>
    <message>
      <source>entity list (dataset) name</source>
      <translation>实体列表（数据集）名称</translation>
    </message>
    <message>
      <source>error: --odk needs --project and --form</source>
      <translation>错误：--odk 需要 --project 和 --form</translation>
    </message>
    <message>
      <source>error: no such file: {0}</source>
      <translation>错误：文件不存在：{0}</translation>
    </message>
    <message>
      <source>error: {0}</source>
      <translation>错误：{0}</translation>
    </message>
    <message>
      <source>error: {0} (nothing was saved)</source>
      <translation>错误：{0}（未保存任何内容）</translation>
    </message>
    <message>
      <source>error: {0} (the next run goes on from here)</source>
      <translation>错误：{0}（下次运行将从此处继续）</translation>
    </message>
    <message>
      <source>error: {0} (the next run resumes here)</source>
      <translation>错误：{0}（下次运行将从此处继续）</translation>
    </message>
    <message>
      <source>find the candidates of a month</source>
      <translation>查找某月的漏报疑似</translation>
    </message>
    <message>
      <source>first day (YYYY-MM-DD)</source>
      <translation>第一天（YYYY-MM-DD）</translation>
    </message>
    <message>
      <source>folder for the CSV tables</source>
      <translation>CSV 表格的保存文件夹</translation>
    </message>
    <message>
      <source>give a database login a workspace role</source>
      <translation>为数据库登录名授予工作空间角色</translation>
    </message>
    <message>
      <source>grids drawn per district</source>
      <translation>每个区抽取的网格数</translation>
    </message>
    <message>
      <source>hours to finish (default: the class's limit)</source>
      <translation>完成时限（小时，默认：该类别的时限）</translation>
    </message>
    <message>
      <source>identifier scheme of the component classes (default: the workspace's)</source>
      <translation>部件类别的标识码方案（默认：工作空间所用方案）</translation>
    </message>
    <message>
      <source>import (ACTION --help: more)</source>
      <translation>import（导入）（ACTION --help 查看详情）</translation>
    </message>
    <message>
      <source>import GPX, CSV, GeoJSON tracks and ODK audit logs</source>
      <translation>导入 GPX、CSV、GeoJSON 轨迹和 ODK 审计日志</translation>
    </message>
    <message>
      <source>import a roster CSV (collector, day, status)</source>
      <translation>导入排班表 CSV（采集员、日期、状态）</translation>
    </message>
    <message>
      <source>import cases from a file or PostGIS table</source>
      <translation>从文件或 PostGIS 表导入案件</translation>
    </message>
    <message>
      <source>import or from-reports (ACTION --help: more)</source>
      <translation>import（导入）或 from-reports（由上报生成）（ACTION --help 查看详情）</translation>
    </message>
    <message>
      <source>import or set (ACTION --help: more)</source>
      <translation>import（导入）或 set（设置）（ACTION --help 查看详情）</translation>
    </message>
    <message>
      <source>import or settings (ACTION --help: more)</source>
      <translation>import（导入）或 settings（设置）（ACTION --help 查看详情）</translation>
    </message>
    <message>
      <source>keep a profile (JSON file) in the workspace</source>
      <translation>将合同配置（JSON 文件）保存到工作空间</translation>
    </message>
    <message>
      <source>kind of rows that do not say it</source>
      <translation>未注明类型的行所用的问题类型</translation>
    </message>
    <message>
      <source>kinds of item to accept (default: new,changed,moved,missing)</source>
      <translation>要接受的条目类别（默认：new,changed,moved,missing）</translation>
    </message>
    <message>
      <source>language of messages, e.g. zh_CN or en (default: from LANG)</source>
      <translation>消息语言，如 zh_CN 或 en（默认取自 LANG 环境变量）</translation>
    </message>
    <message>
      <source>last day (YYYY-MM-DD)</source>
      <translation>最后一天（YYYY-MM-DD）</translation>
    </message>
    <message>
      <source>layer or sheet (default: the first)</source>
      <translation>图层或工作表（默认：第一个）</translation>
    </message>
    <message>
      <source>layer or sheet of the file</source>
      <translation>文件中的图层或工作表</translation>
    </message>
    <message>
      <source>limit the login to this district (6 digits) or street (9 digits); repeat for more; replaces the login's earlier list</source>
      <translation>将该登录名限制在此区县（6位）或街道（9位）；可重复指定多个；替换该登录名原有的辖区列表</translation>
    </message>
    <message>
      <source>list the candidates still to decide</source>
      <translation>列出待认定的漏报疑似</translation>
    </message>
    <message>
      <source>list the shipped seed contracts</source>
      <translation>列出随附的合同示例</translation>
    </message>
    <message>
      <source>load a city's class table as a new version</source>
      <translation>将本市类别表载入为新版本</translation>
    </message>
    <message>
      <source>load or history (ACTION --help: more)</source>
      <translation>load（载入）或 history（历史）（ACTION --help 查看详情）</translation>
    </message>
    <message>
      <source>load the city's time limits (CSV)</source>
      <translation>载入本市的时限表（CSV）</translation>
    </message>
    <message>
      <source>make cases of the collectors' accepted event reports</source>
      <translation>将采集员已受理的事件上报生成案件</translation>
    </message>
    <message>
      <source>missed reports (漏报): find and decide</source>
      <translation>漏报：查找与认定</translation>
    </message>
    <message>
      <source>name of a file source (default: device)</source>
      <translation>文件数据源名称（默认：device）</translation>
    </message>
    <message>
      <source>no role</source>
      <translation>无角色</translation>
    </message>
    <message>
      <source>no such case: {0}</source>
      <translation>没有此案件：{0}</translation>
    </message>
    <message>
      <source>note: the office's push target stays as an admin set it</source>
      <translation>注意：单位的推送目标保持管理员设置的值</translation>
    </message>
    <message>
      <source>note: the source configuration was not saved: only a workspace admin may change it. The pull goes on with the arguments given.</source>
      <translation>提示：数据源配置未保存：只有工作空间管理员可以修改。本次拉取按命令行参数继续。</translation>
    </message>
    <message>
      <source>on duty, absent, on leave or off</source>
      <translation>on_duty（在岗）、absent（缺勤）、leave（请假）或 off（休息）</translation>
    </message>
    <message>
      <source>output folder (default ./demo-output)</source>
      <translation>输出文件夹（默认 ./demo-output）</translation>
    </message>
    <message>
      <source>output folder (default ./reports)</source>
      <translation>输出文件夹（默认 ./reports）</translation>
    </message>
    <message>
      <source>per coded field: source value -&gt; stored value</source>
      <translation>各编码字段：源数据值 -&gt; 入库值</translation>
    </message>
    <message>
      <source>photo folder or zip of a device export</source>
      <translation>设备导出的照片文件夹或 zip</translation>
    </message>
    <message>
      <source>print the profile (JSON)</source>
      <translation>输出合同配置（JSON）</translation>
    </message>
    <message>
      <source>pull field-device submissions into a workspace</source>
      <translation>将外业设备上报拉取到工作空间</translation>
    </message>
    <message>
      <source>random seed of the generated district (same seed, same data)</source>
      <translation>生成演示城区所用的随机种子（种子相同，数据相同）</translation>
    </message>
    <message>
      <source>read, check and reconcile a survey batch; apply it if asked</source>
      <translation>读取、检查并比对一批普查数据；需要时入库</translation>
    </message>
    <message>
      <source>reason recorded in the history</source>
      <translation>记入历史的原因</translation>
    </message>
    <message>
      <source>record checks and findings from a CSV</source>
      <translation>从 CSV 登记检查及发现的问题</translation>
    </message>
    <message>
      <source>sample or record (ACTION --help: more)</source>
      <translation>sample（抽取）或 record（记录）（ACTION --help 查看详情）</translation>
    </message>
    <message>
      <source>send open tasks to ODK Central</source>
      <translation>将未完成任务推送到 ODK Central</translation>
    </message>
    <message>
      <source>send the ODK password over unencrypted http (not recommended)</source>
      <translation>通过未加密的 http 发送 ODK 密码（不建议）</translation>
    </message>
    <message>
      <source>show or change the census settings</source>
      <translation>查看或修改普查设置</translation>
    </message>
    <message>
      <source>show schema version and row counts</source>
      <translation>显示数据库结构版本和各表记录数</translation>
    </message>
    <message>
      <source>show, set or examples (ACTION --help: more)</source>
      <translation>show（显示）、set（设置）或 examples（示例）（ACTION --help 查看详情）</translation>
    </message>
    <message>
      <source>skip the route deviation (reads the month's GPS fixes)</source>
      <translation>不计算路线偏离（需读取当月的 GPS 定位点）</translation>
    </message>
    <message>
      <source>spot checks (现场检查) of sampled grids</source>
      <translation>抽样网格的现场检查</translation>
    </message>
    <message>
      <source>submissions per page</source>
      <translation>每页上报数</translation>
    </message>
    <message>
      <source>take workspace roles from a login</source>
      <translation>收回登录名的工作空间角色</translation>
    </message>
    <message>
      <source>target field -&gt; source column</source>
      <translation>目标字段 -&gt; 源数据列</translation>
    </message>
    <message>
      <source>the checks and their findings (CSV)</source>
      <translation>抽查及其发现的问题（CSV）</translation>
    </message>
    <message>
      <source>the city's time limits (CSV, as the shipped table)</source>
      <translation>本市的时限表（CSV，格式同随插件提供的表）</translation>
    </message>
    <message>
      <source>the collector's code</source>
      <translation>采集员编号</translation>
    </message>
    <message>
      <source>the collectors' duty roster</source>
      <translation>采集员排班表</translation>
    </message>
    <message>
      <source>the contract profile (JSON)</source>
      <translation>合同参数（JSON）</translation>
    </message>
    <message>
      <source>the database login</source>
      <translation>数据库登录名</translation>
    </message>
    <message>
      <source>the day of the checks</source>
      <translation>抽查日期</translation>
    </message>
    <message>
      <source>the event classes</source>
      <translation>事件类别表</translation>
    </message>
    <message>
      <source>the month</source>
      <translation>月份</translation>
    </message>
    <message>
      <source>the month is written YYYY-MM, e.g. 2021-03</source>
      <translation>月份请写作 YYYY-MM，例如 2021-03</translation>
    </message>
    <message>
      <source>the month to search</source>
      <translation>要查找的月份</translation>
    </message>
    <message>
      <source>the platform's export: CSV, Excel, GeoJSON or table:schema.name</source>
      <translation>平台导出的文件：CSV、Excel、GeoJSON 或 table：模式名.表名</translation>
    </message>
    <message>
      <source>the role to take (default: every workspace role): {0}</source>
      <translation>要收回的角色（默认收回全部工作空间角色）：{0}</translation>
    </message>
    <message>
      <source>the role: {0}</source>
      <translation>角色：{0}</translation>
    </message>
    <message>
      <source>the roster (CSV: collector_code, day, status)</source>
      <translation>排班表（CSV：collector_code、day、status）</translation>
    </message>
    <message>
      <source>the versions of a class table</source>
      <translation>类别表的各个版本</translation>
    </message>
    <message>
      <source>the workspace's contract profile</source>
      <translation>工作空间的合同配置</translation>
    </message>
    <message>
      <source>the workspace: a GeoPackage path, a postgresql:// URL (?schema=NAME, default citymgmt) or service=NAME; passwords come from the pg_service file, ~/.pgpass or PGPASSWORD</source>
      <translation>工作空间：GeoPackage 路径、postgresql:// URL（？schema=NAME，默认 citymgmt）或 service=NAME；密码来自 pg_service 文件、~/.pgpass 或 PGPASSWORD</translation>
    </message>
    <message>
      <source>then decide obvious matches</source>
      <translation>随后自动处理明显匹配</translation>
    </message>
    <message>
      <source>these case numbers instead (comma-separated)</source>
      <translation>改为这些案件编号（以逗号分隔）</translation>
    </message>
    <message>
      <source>to the responsibility grid, or also to its collector</source>
      <translation>派给责任网格，或同时派给其采集员</translation>
    </message>
    <message>
      <source>track files or folders</source>
      <translation>轨迹文件或文件夹</translation>
    </message>
    <message>
      <source>unknown kind of item: {0}</source>
      <translation>未知的条目类别：{0}</translation>
    </message>
    <message>
      <source>unknown report {0}: choose from weekly, monthly, atlas</source>
      <translation>未知的报告 {0}：请从 weekly、monthly、atlas 中选择</translation>
    </message>
    <message>
      <source>unknown steps: {0}; the steps are: {1}</source>
      <translation>未知的步骤：{0}；可用的步骤：{1}</translation>
    </message>
    <message>
      <source>upgrade or info (ACTION --help: more)</source>
      <translation>upgrade 或 info（ACTION --help 查看详情）</translation>
    </message>
    <message>
      <source>verify (核实) or check (核查)</source>
      <translation>verify（核实）或 check（核查）</translation>
    </message>
    <message>
      <source>what the batch surveys: components (default) or points of interest</source>
      <translation>该批数据的普查对象：部件（默认）或兴趣点</translation>
    </message>
    <message>
      <source>what to do (COMMAND --help: more)</source>
      <translation>要执行的命令（COMMAND --help 查看详情）</translation>
    </message>
    <message>
      <source>which cases (default: the rule of the kind)</source>
      <translation>选取哪些案件（默认：该任务类型的规则）</translation>
    </message>
    <message>
      <source>which reports, comma-separated: weekly, monthly, atlas (default: all)</source>
      <translation>要生成的报告，逗号分隔：weekly（周报）、monthly（月报）、atlas（图册）（默认：全部）</translation>
    </message>
    <message>
      <source>who checked (default: you)</source>
      <translation>检查人（默认：当前用户）</translation>
    </message>
    <message>
      <source>why (kept with the decision)</source>
      <translation>理由（随决定保存）</translation>
    </message>
    <message>
      <source>why the table changes (kept with the version)</source>
      <translation>类别表变更的原因（随版本保存）</translation>
    </message>
    <message>
      <source>workspace CRS when creating (default 4549)</source>
      <translation>创建时的工作空间坐标系（默认 4549）</translation>
    </message>
    <message>
      <source>workspace schema</source>
      <translation>工作空间数据库结构</translation>
    </message>
    <message>
      <source>write the report into DIR</source>
      <translation>将报告写入 DIR 目录</translation>
    </message>
    <message>
      <source>write the weekly patrol report, the monthly KPI report and the atlas</source>
      <translation>生成巡查周报、月度考核指标报告和责任网格图册</translation>
    </message>
    <message>
      <source>{0} cases made of accepted reports</source>
      <translation>已由受理的上报生成 {0} 件案件</translation>
    </message>
    <message>
      <source>{0} of {1} decided (the others were no longer open).</source>
      <translation>已认定 {1} 条中的 {0} 条（其余已不再待认定）。</translation>
    </message>
    <message>
      <source>{0} time limits loaded</source>
      <translation>已载入 {0} 条时限</translation>
    </message>
    <message>
      <source>{0}: schema at revision {1}</source>
      <translation>{0}：数据库结构版本 {1}</translation>
    </message>
    <message>
      <source>{0}: {1} ({2})</source>
      <translation>{0}：{1}（{2}）</translation>
    </message>
    <message>
      <source>{0}: {1} {2} {3} found {4} in grid {5}; {6} patrolled it at {7}</source>
      <translation>{0}：{1} {2} {3}，{4} 发现于网格 {5}；{6} 于 {7} 巡查过该网格</translation>
    </message>
    <message>
      <source>核实/核查 tasks for the collectors</source>
      <translation>采集员的核实/核查任务</translation>
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
      <translation>14位代码为旧版格式，如需使用请在工作空间设置中启用。</translation>
    </message>
    <message>
      <source>Component identifier</source>
      <translation>部件标识码</translation>
    </message>
    <message>
      <source>Component identifier {0} carries class {1} but the component's class is {2}.</source>
      <translation>部件标识码 {0} 中的类别代码为 {1}，但部件类别为 {2}。</translation>
    </message>
    <message>
      <source>Component identifier {0} starts with county {1} but its unit grid {2} is in county {3}.</source>
      <translation>部件标识码 {0} 的县级区划代码为 {1}，但其所在单元网格 {2} 属于 {3}。</translation>
    </message>
    <message>
      <source>Component identifier {0}: class {1} is not in the class table.</source>
      <translation>部件标识码 {0}：类别 {1} 不在部件分类表中。</translation>
    </message>
    <message>
      <source>Component identifier {0}: serial cannot be 0.</source>
      <translation>部件标识码 {0}：顺序码不能为0。</translation>
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
      <translation>单元网格代码 {0}：县级行政区代码 000000 无效。</translation>
    </message>
    <message>
      <source>Unit grid code {0}: grid sequence cannot be 0.</source>
      <translation>单元网格代码 {0}：网格顺序码不能为0。</translation>
    </message>
    <message>
      <source>{0} is empty.</source>
      <translation>{0}为空。</translation>
    </message>
    <message>
      <source>{0} {1} has {2} digits; it must have {3}.</source>
      <translation>{0} {1} 为{2}位，应为{3}位。</translation>
    </message>
    <message>
      <source>{0} {1} must contain digits only.</source>
      <translation>{0} {1} 只能由数字组成。</translation>
    </message>
  </context>
  <context>
    <name>Demo</name>
    <message>
      <source>      {0}  {1}: {2} features, {3:.1f} m, {4:.1f} m²</source>
      <translation>      {0}  {1}：{2} 个要素，{3:.1f} 米，{4:.1f} 平方米</translation>
    </message>
    <message>
      <source>   ({0:.1f} s)</source>
      <translation>   ({0:.1f} 秒)</translation>
    </message>
    <message>
      <source>   QGIS project with layers, map themes and layouts: {0}</source>
      <translation>   含图层、地图主题和打印版式的 QGIS 工程：{0}</translation>
    </message>
    <message>
      <source>   census QA: {0} errors on {1} point components</source>
      <translation>   普查质检：{1} 个点状部件中发现 {0} 处错误</translation>
    </message>
    <message>
      <source>   census batch: {0} rows (planted: {1})</source>
      <translation>   普查批次：{0} 行（预设：{1}）</translation>
    </message>
    <message>
      <source>   contract: Suzhou 2021 (seed 000), service from {0}</source>
      <translation>   合同：苏州 2021（资料 000），服务期自 {0} 起</translation>
    </message>
    <message>
      <source>   desk: {0} pending reports filed</source>
      <translation>   坐席：立案待审上报 {0} 条</translation>
    </message>
    <message>
      <source>   failing responsibility grids: {0}</source>
      <translation>   未达标的责任网格：{0}</translation>
    </message>
    <message>
      <source>   gap area {0:,.1f} m², overlap area {1:,.1f} m²</source>
      <translation>   缝隙面积 {0:,.1f} 平方米，重叠面积 {1:,.1f} 平方米</translation>
    </message>
    <message>
      <source>   no device export in {0}: run the district step first</source>
      <translation>   {0} 中没有设备导出：请先运行 district 步骤</translation>
    </message>
    <message>
      <source>   no submissions in the workspace yet (the intake step brings them): reporting KPIs skipped.</source>
      <translation>   工作空间中还没有上报（由接收步骤导入）：跳过上报考核指标。</translation>
    </message>
    <message>
      <source>   overview map: {0}</source>
      <translation>   总览图：{0}</translation>
    </message>
    <message>
      <source>   patrol coverage of {0:,.1f} km of main roads in {1} grids: {2:,.1f} km covered, {3} grids and {4} responsibility grids fail the weekly rule ({5:.1f} s)</source>
      <translation>   巡查覆盖：{1} 个网格内主要道路 {0:,.1f} 公里，已巡查 {2:,.1f} 公里，{3} 个单元网格和 {4} 个责任网格未达到每周巡查要求（{5:.1f} 秒）</translation>
    </message>
    <message>
      <source>   patrol reports of {0} in {1:.1f} s:</source>
      <translation>   {0} 巡查报告，用时 {1:.1f} 秒：</translation>
    </message>
    <message>
      <source>   reconciliation: {0}</source>
      <translation>   比对结果：{0}</translation>
    </message>
    <message>
      <source>   refused sample: {0}</source>
      <translation>   样例被拒绝：{0}</translation>
    </message>
    <message>
      <source>   reporting KPIs of {0} reports in {1:.1f} s:</source>
      <translation>   {0} 条上报的考核指标，用时 {1:.1f} 秒：</translation>
    </message>
    <message>
      <source>   reports per hour: {0}</source>
      <translation>   每小时上报数：{0}</translation>
    </message>
    <message>
      <source>   roster: {0} absences; desk: {1} wrong reports (错报) by coded reason</source>
      <translation>   排班表：缺勤 {0} 人次；坐席：按编码原因退回错报 {1} 条</translation>
    </message>
    <message>
      <source>   route deviation per collector and day in {0:.1f} s; most off-route:</source>
      <translation>   按采集员和日期统计偏离路线（{0:.1f} 秒）；偏离最多的：</translation>
    </message>
    <message>
      <source>   spot checks: {0} grids, {1} findings; {2} missed-report (漏报) candidates, {3} confirmed</source>
      <translation>   现场检查：{0} 个网格，发现问题 {1} 个；漏报疑似 {2} 条，已认定 {3} 条</translation>
    </message>
    <message>
      <source>   unit grid checks: {0} grids, {1} errors in {2:.1f} s</source>
      <translation>   单元网格检查：{0} 个网格，{1} 处错误，用时 {2:.1f} 秒</translation>
    </message>
    <message>
      <source>   {0}: bad sample refused, rule {1}</source>
      <translation>   {0}：错误样例被拒绝，规则 {1}</translation>
    </message>
    <message>
      <source>   {0}: kept in the workspace's {1}</source>
      <translation>   {0}：存放在工作空间的{1}中</translation>
    </message>
    <message>
      <source>  collector {0} {1}: on time {2:.0%} of {3}</source>
      <translation>  采集员 {0} {1}：{3} 个任务按时率 {2:.0%}</translation>
    </message>
    <message>
      <source>  refused row {0}: {1}</source>
      <translation>  拒收第 {0} 行：{1}</translation>
    </message>
    <message>
      <source>  {0}: {1} features in {2} grids{3}</source>
      <translation>  {0}：{1} 个要素，分布于 {2} 个网格{3}</translation>
    </message>
    <message>
      <source>#{0} repeats {1} ({2:.0f} m, {3:.0f} min later)</source>
      <translation>#{0} 重复上报 {1}（相距 {2:.0f} 米，晚 {3:.0f} 分钟）</translation>
    </message>
    <message>
      <source>, {0:.0f} m</source>
      <translation>，{0:.0f} 米</translation>
    </message>
    <message>
      <source>, {0:.0f} m²</source>
      <translation>，{0:.0f} 平方米</translation>
    </message>
    <message>
      <source>== {0}</source>
      <translation>== {0}</translation>
    </message>
    <message>
      <source>A ready QGIS project</source>
      <translation>可直接打开的 QGIS 工程</translation>
    </message>
    <message>
      <source>Atlas of the responsibility grids (PDF)</source>
      <translation>责任网格图集（PDF）</translation>
    </message>
    <message>
      <source>Cases as the command centre exports them</source>
      <translation>指挥中心平台导出的案件</translation>
    </message>
    <message>
      <source>Cases, 核实/核查 tasks to the devices and back</source>
      <translation>案件，核实核查任务发往终端并取回结果</translation>
    </message>
    <message>
      <source>Census QA errors</source>
      <translation>普查质检错误</translation>
    </message>
    <message>
      <source>Census batch</source>
      <translation>普查批次</translation>
    </message>
    <message>
      <source>Census import, reconciliation and QA</source>
      <translation>普查导入、比对与质检</translation>
    </message>
    <message>
      <source>Census reconciliation (CSV)</source>
      <translation>普查比对报告（CSV）</translation>
    </message>
    <message>
      <source>Census reconciliation (text)</source>
      <translation>普查比对报告（文本）</translation>
    </message>
    <message>
      <source>Census reconciliation (web page)</source>
      <translation>普查比对报告（网页）</translation>
    </message>
    <message>
      <source>Collectors: {0}, patrol routes: {1}, GPS fixes: {2}</source>
      <translation>信息采集员：{0} 名，巡查路线：{1} 条，GPS 定位点：{2} 个</translation>
    </message>
    <message>
      <source>Components: {0} in {1} classes</source>
      <translation>部件：{0} 个，共 {1} 个小类</translation>
    </message>
    <message>
      <source>Contract KPIs</source>
      <translation>合同考核指标</translation>
    </message>
    <message>
      <source>Demo district: overview</source>
      <translation>示范城区：总览图</translation>
    </message>
    <message>
      <source>Demo workspace</source>
      <translation>演示工作空间</translation>
    </message>
    <message>
      <source>Device export (CSV)</source>
      <translation>设备导出（CSV）</translation>
    </message>
    <message>
      <source>Device export (GeoJSON)</source>
      <translation>设备导出（GeoJSON）</translation>
    </message>
    <message>
      <source>Device export: {0} submissions ({1} duplicates, {2} GCJ-02, {3} malformed), {4} photos</source>
      <translation>设备导出：{0} 条上报（重复 {1} 条，GCJ-02 坐标 {2} 条，格式错误 {3} 条），照片 {4} 张</translation>
    </message>
    <message>
      <source>Device photos</source>
      <translation>设备照片</translation>
    </message>
    <message>
      <source>Digest: {0}</source>
      <translation>摘要：{0}</translation>
    </message>
    <message>
      <source>District {0} {1}: {2} km², {3} streets, {4} communities</source>
      <translation>城区 {0} {1}：{2} 平方公里，{3} 个街道，{4} 个社区</translation>
    </message>
    <message>
      <source>District, grids, roads, collectors, tracks, components</source>
      <translation>城区、网格、道路、采集员、轨迹和部件</translation>
    </message>
    <message>
      <source>Failed grids</source>
      <translation>未达标网格</translation>
    </message>
    <message>
      <source>GPS fixes</source>
      <translation>GPS 定位点</translation>
    </message>
    <message>
      <source>Intake of the device export</source>
      <translation>设备导出数据入库</translation>
    </message>
    <message>
      <source>KPIs</source>
      <translation>考核指标</translation>
    </message>
    <message>
      <source>KPIs per collector</source>
      <translation>各采集员考核指标</translation>
    </message>
    <message>
      <source>KPIs per grid</source>
      <translation>各网格考核指标</translation>
    </message>
    <message>
      <source>Main roads</source>
      <translation>主要道路</translation>
    </message>
    <message>
      <source>Main roads: {0} km, window areas: {1} km ({2} pieces); road network: {3} km</source>
      <translation>主要道路：{0} 公里，窗口地区：{1} 公里（共 {2} 段）；路网：{3} 公里</translation>
    </message>
    <message>
      <source>Map of the failing grids</source>
      <translation>未达标网格地图</translation>
    </message>
    <message>
      <source>Map of the 核实/核查 tasks</source>
      <translation>核实核查任务地图</translation>
    </message>
    <message>
      <source>Monthly KPI and assessment report (PDF)</source>
      <translation>月度考核指标与考核报告（PDF）</translation>
    </message>
    <message>
      <source>Outputs:</source>
      <translation>输出：</translation>
    </message>
    <message>
      <source>Overview map</source>
      <translation>总览图</translation>
    </message>
    <message>
      <source>Patrol coverage per grid</source>
      <translation>各网格巡查覆盖率</translation>
    </message>
    <message>
      <source>Planted defects of the district (for the checks)</source>
      <translation>城区中预设的缺陷（供核对）</translation>
    </message>
    <message>
      <source>QGIS project</source>
      <translation>QGIS 工程</translation>
    </message>
    <message>
      <source>Reports per hour of day</source>
      <translation>各时段上报数</translation>
    </message>
    <message>
      <source>Route deviation</source>
      <translation>路线偏离</translation>
    </message>
    <message>
      <source>The month as the contract judges it: KPIs, 错报/漏报, scores, payment</source>
      <translation>按合同考核一个月：考核指标、错报/漏报、得分、支付</translation>
    </message>
    <message>
      <source>The month's figures, scores and payment (tables)</source>
      <translation>当月考核指标、得分和支付（表格）</translation>
    </message>
    <message>
      <source>The reports' layers</source>
      <translation>报告所用图层</translation>
    </message>
    <message>
      <source>Thematic layers and statistics per grid</source>
      <translation>专题图层及按网格统计</translation>
    </message>
    <message>
      <source>Thematic statistics per grid</source>
      <translation>按网格统计的专题图层</translation>
    </message>
    <message>
      <source>Timings (s): {0}</source>
      <translation>耗时（秒）：{0}</translation>
    </message>
    <message>
      <source>Unit grid checks</source>
      <translation>单元网格检查</translation>
    </message>
    <message>
      <source>Unit grid errors</source>
      <translation>单元网格错误</translation>
    </message>
    <message>
      <source>Unit grids</source>
      <translation>单元网格</translation>
    </message>
    <message>
      <source>Unit grids: {0} (with {1} deliberate topology defects); responsibility grids: {2}</source>
      <translation>单元网格：{0} 个（含 {1} 处故意设置的拓扑错误）；责任网格：{2} 个</translation>
    </message>
    <message>
      <source>Unpatrolled stretches</source>
      <translation>未巡查路段</translation>
    </message>
    <message>
      <source>Verification and check tasks</source>
      <translation>核实核查任务</translation>
    </message>
    <message>
      <source>Weekly and monthly reports, the atlas of responsibility grids</source>
      <translation>周报、月报和责任网格图集</translation>
    </message>
    <message>
      <source>Weekly patrol coverage</source>
      <translation>每周巡查覆盖率</translation>
    </message>
    <message>
      <source>Weekly patrol coverage: failed grids and unpatrolled road stretches</source>
      <translation>每周巡查覆盖：未达标网格与未巡查路段</translation>
    </message>
    <message>
      <source>Weekly patrol report (PDF)</source>
      <translation>巡查周报（PDF）</translation>
    </message>
    <message>
      <source>What the device export hides (for the checks)</source>
      <translation>设备导出中的预设情况（供核对）</translation>
    </message>
    <message>
      <source>against the ground truth: shifted (declared WGS84) precision {0:.2f} recall {1:.2f}; duplicates precision {2:.2f} recall {3:.2f}</source>
      <translation>与真值对照：偏移坐标（声明为WGS84）精确率 {0:.2f} 召回率 {1:.2f}；重复上报精确率 {2:.2f} 召回率 {3:.2f}</translation>
    </message>
    <message>
      <source>answers pulled: {0}; {1}</source>
      <translation>已拉取回复 {0} 份；{1}</translation>
    </message>
    <message>
      <source>auto-match: {0}</source>
      <translation>自动匹配：{0}</translation>
    </message>
    <message>
      <source>cases by channel: {0}</source>
      <translation>按来源统计案件：{0}</translation>
    </message>
    <message>
      <source>components</source>
      <translation>部件</translation>
    </message>
    <message>
      <source>device export</source>
      <translation>设备导出</translation>
    </message>
    <message>
      <source>geography</source>
      <translation>地理数据</translation>
    </message>
    <message>
      <source>invalid rows</source>
      <translation>无效行</translation>
    </message>
    <message>
      <source>layers</source>
      <translation>图层</translation>
    </message>
    <message>
      <source>likely duplicates: {0} (within {1:.0f} m and {2:.0f} h)</source>
      <translation>疑似重复上报：{0} 条（{1:.0f} 米、{2:.0f} 小时内）</translation>
    </message>
    <message>
      <source>no local ODK Central in this installation: push skipped</source>
      <translation>此安装中没有本地 ODK Central：跳过推送</translation>
    </message>
    <message>
      <source>overdue tasks: {0}</source>
      <translation>超时任务：{0} 个</translation>
    </message>
    <message>
      <source>pulled again: {0} new, {1} unchanged</source>
      <translation>再次拉取：新增 {0}，未变 {1}</translation>
    </message>
    <message>
      <source>quarantined by reason: {0}</source>
      <translation>按原因隔离：{0}</translation>
    </message>
    <message>
      <source>reported to the desk by phone</source>
      <translation>已电话报告坐席</translation>
    </message>
    <message>
      <source>review queue: {0}</source>
      <translation>审核队列：{0}</translation>
    </message>
    <message>
      <source>shifted positions: {0} flagged ({1} corrected from the photos' GPS), by evidence: {2}; devices sending GCJ-02: {3}</source>
      <translation>偏移坐标：标记 {0} 条（其中 {1} 条依照片GPS已纠正），依据：{2}；发送GCJ-02坐标的设备：{3}</translation>
    </message>
    <message>
      <source>total</source>
      <translation>合计</translation>
    </message>
    <message>
      <source>tracks</source>
      <translation>轨迹</translation>
    </message>
    <message>
      <source>workspace</source>
      <translation>工作空间</translation>
    </message>
    <message>
      <source>{0} tasks: {1}</source>
      <translation>{0}任务：{1}</translation>
    </message>
    <message>
      <source>{0} unit grids fail; red lines: main roads nobody patrolled</source>
      <translation>{0} 个单元网格未达标；红线：无人巡查的主要道路</translation>
    </message>
    <message>
      <source>{0} unit grids, {1} components, {2} track points; EPSG:{3}</source>
      <translation>{0} 个单元网格，{1} 个部件，{2} 个轨迹点；EPSG:{3}</translation>
    </message>
    <message>
      <source>{0}: on time {1:.0%} ({2} on time, {3} late, {4} overdue), median {5:.1f} h</source>
      <translation>{0}：按时率 {1:.0%}（按时 {2}，超时完成 {3}，已超时 {4}），中位用时 {5:.1f} 小时</translation>
    </message>
  </context>
  <context>
    <name>Dependencies</name>
    <message>
      <source>City management</source>
      <translation>数字城管</translation>
    </message>
    <message>
      <source>City management cannot work with geometries in this QGIS: shapely {0} (built for GEOS {1}) fails with the GEOS library QGIS loaded (GEOS {2}): {3}. {4}</source>
      <translation>数字城管无法在此 QGIS 中处理几何图形：shapely {0}（针对 GEOS {1} 构建）与 QGIS 已加载的 GEOS 库（GEOS {2}）不兼容：{3}。{4}</translation>
    </message>
    <message>
      <source>City management could not unpack its Python packages into {0}: {1}</source>
      <translation>数字城管无法把 Python 包解压到 {0}：{1}</translation>
    </message>
    <message>
      <source>City management needs Python packages that this QGIS does not have and that the plugin does not bundle for this platform ({0}, Python {1}): {2}. Install them into QGIS's Python (for example: python3 -m pip install {3}) and restart QGIS, or install the plugin zip built for this platform.</source>
      <translation>数字城管插件需要的 Python 包在此 QGIS 中没有安装，插件也没有为此平台（{0}，Python {1}）附带：{2}。请把它们安装到 QGIS 使用的 Python 中（例如：python3 -m pip install {3}）然后重启 QGIS，或者安装为此平台打包的插件 zip。</translation>
    </message>
    <message>
      <source>City management needs newer Python packages than the ones already loaded by QGIS or another plugin: {0}. Restart QGIS so that City management is loaded first, or upgrade them in QGIS's Python.</source>
      <translation>数字城管插件需要比 QGIS 或其他插件已加载的版本更新的 Python 包：{0}。请重启 QGIS，让数字城管插件先加载，或在 QGIS 使用的 Python 中升级这些包。</translation>
    </message>
    <message>
      <source>City management: Python packages ready in {0}.</source>
      <translation>数字城管：Python 包已就绪，位于 {0}。</translation>
    </message>
    <message>
      <source>City management: preparing Python packages…</source>
      <translation>数字城管：正在准备 Python 包…</translation>
    </message>
    <message>
      <source>City management: preparing {0}…</source>
      <translation>数字城管：正在准备 {0}…</translation>
    </message>
    <message>
      <source>City management: setting up its bundled Python packages ({0}) in {1}. This happens once per plugin version.</source>
      <translation>数字城管：正在把插件附带的 Python 包（{0}）安装到 {1}。每个插件版本只需进行一次。</translation>
    </message>
    <message>
      <source>Install shapely 2 for QGIS's Python (python3 -m pip install "shapely&gt;=2.0", in OSGeo4W: the OSGeo4W Shell) and restart QGIS.</source>
      <translation>请为 QGIS 的 Python 安装 shapely 2（python3 -m pip install "shapely&gt;=2.0"，OSGeo4W 下在 OSGeo4W Shell 中运行），然后重启 QGIS。</translation>
    </message>
    <message>
      <source>Install the City management zip built for this system (it carries shapely built against this system's GEOS), or build shapely against it: install the GEOS development package (Debian/Ubuntu: libgeos-dev) and run python3 -m pip install --no-binary shapely "shapely&gt;=2.0" for QGIS's Python, then restart QGIS.</source>
      <translation>请安装为本系统构建的数字城管插件压缩包（其中的 shapely 基于本系统的 GEOS 构建），或针对本系统的 GEOS 自行构建 shapely：先安装 GEOS 开发包（Debian/Ubuntu：libgeos-dev），再为 QGIS 的 Python 运行 python3 -m pip install --no-binary shapely "shapely&gt;=2.0"，然后重启 QGIS。</translation>
    </message>
  </context>
  <context>
    <name>Figures</name>
    <message>
      <source>Base score</source>
      <translation>基础分</translation>
    </message>
    <message>
      <source>Cannot read the payment band {0!r}: write 90=98%.</source>
      <translation>无法识别支付档次 {0!r}：请写作 90=98%。</translation>
    </message>
    <message>
      <source>Cap a month</source>
      <translation>每月上限</translation>
    </message>
    <message>
      <source>City management</source>
      <translation>数字城管</translation>
    </message>
    <message>
      <source>Class</source>
      <translation>类别</translation>
    </message>
    <message>
      <source>Closure rate</source>
      <translation>结案率</translation>
    </message>
    <message>
      <source>Collector</source>
      <translation>采集员</translation>
    </message>
    <message>
      <source>Collectors on duty every day</source>
      <translation>每天在岗采集员人数</translation>
    </message>
    <message>
      <source>Component problem share</source>
      <translation>部件问题占比</translation>
    </message>
    <message>
      <source>Compute</source>
      <translation>计算</translation>
    </message>
    <message>
      <source>Computing…</source>
      <translation>正在计算…</translation>
    </message>
    <message>
      <source>Confirm 漏报</source>
      <translation>认定漏报</translation>
    </message>
    <message>
      <source>Connect a workspace first.</source>
      <translation>请先连接工作空间。</translation>
    </message>
    <message>
      <source>Contract</source>
      <translation>合同</translation>
    </message>
    <message>
      <source>Contract figures</source>
      <translation>合同考核指标</translation>
    </message>
    <message>
      <source>Contract figures of the month</source>
      <translation>月度合同考核指标</translation>
    </message>
    <message>
      <source>Contract figures…</source>
      <translation>合同考核指标…</translation>
    </message>
    <message>
      <source>Contract profile</source>
      <translation>合同配置</translation>
    </message>
    <message>
      <source>Contract profile, duty roster, missed reports and the month's scores</source>
      <translation>合同配置、排班表、漏报和月度考核得分</translation>
    </message>
    <message>
      <source>Deduction</source>
      <translation>扣分项</translation>
    </message>
    <message>
      <source>Dismiss</source>
      <translation>排除</translation>
    </message>
    <message>
      <source>Duty roster</source>
      <translation>排班表</translation>
    </message>
    <message>
      <source>Find candidates</source>
      <translation>查找疑似漏报</translation>
    </message>
    <message>
      <source>Find missed reports</source>
      <translation>查找漏报</translation>
    </message>
    <message>
      <source>Folder for the tables</source>
      <translation>表格的保存文件夹</translation>
    </message>
    <message>
      <source>Found</source>
      <translation>发现时间</translation>
    </message>
    <message>
      <source>Import GPS tracks…</source>
      <translation>导入GPS轨迹…</translation>
    </message>
    <message>
      <source>Import GPX, CSV, GeoJSON tracks and ODK audit logs into the workspace</source>
      <translation>将 GPX、CSV、GeoJSON 轨迹和 ODK 审计日志导入工作空间</translation>
    </message>
    <message>
      <source>Import roster CSV…</source>
      <translation>导入排班表 CSV…</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Last patrolled</source>
      <translation>最近巡查时间</translation>
    </message>
    <message>
      <source>Loaded; save to keep it in the workspace.</source>
      <translation>已载入；保存后才会存入工作空间。</translation>
    </message>
    <message>
      <source>Looking for problems other channels found…</source>
      <translation>正在查找其他渠道发现的问题…</translation>
    </message>
    <message>
      <source>Missed reports (漏报)</source>
      <translation>漏报</translation>
    </message>
    <message>
      <source>Month</source>
      <translation>月份</translation>
    </message>
    <message>
      <source>Month: scores and payment</source>
      <translation>月度考核与支付</translation>
    </message>
    <message>
      <source>Monthly fee</source>
      <translation>月服务费</translation>
    </message>
    <message>
      <source>Monthly floor from service month</source>
      <translation>月度下限起始服务月</translation>
    </message>
    <message>
      <source>Not collectors of this workspace: {0}</source>
      <translation>不是本工作空间的采集员：{0}</translation>
    </message>
    <message>
      <source>Off route above (share of the day's patrol)</source>
      <translation>偏离路线阈值（占当天巡查的比例）</translation>
    </message>
    <message>
      <source>On-time check rate</source>
      <translation>核查按时率</translation>
    </message>
    <message>
      <source>On-time verification rate</source>
      <translation>核实按时率</translation>
    </message>
    <message>
      <source>Open JSON…</source>
      <translation>打开 JSON…</translation>
    </message>
    <message>
      <source>Payment bands (score=share paid)</source>
      <translation>支付档次（得分=支付比例）</translation>
    </message>
    <message>
      <source>Points</source>
      <translation>扣分</translation>
    </message>
    <message>
      <source>Save JSON…</source>
      <translation>另存为 JSON…</translation>
    </message>
    <message>
      <source>Save tables…</source>
      <translation>保存表格…</translation>
    </message>
    <message>
      <source>Save to the workspace</source>
      <translation>保存到工作空间</translation>
    </message>
    <message>
      <source>Saved: {0}</source>
      <translation>已保存：{0}</translation>
    </message>
    <message>
      <source>Scoring sheet (考核):</source>
      <translation>考核评分表：</translation>
    </message>
    <message>
      <source>Seed contracts:</source>
      <translation>合同示例：</translation>
    </message>
    <message>
      <source>Select candidates first.</source>
      <translation>请先选择疑似漏报。</translation>
    </message>
    <message>
      <source>Service from</source>
      <translation>服务期开始</translation>
    </message>
    <message>
      <source>Service to (last day)</source>
      <translation>服务期结束（最后一天）</translation>
    </message>
    <message>
      <source>Set days</source>
      <translation>设定</translation>
    </message>
    <message>
      <source>Source</source>
      <translation>来源</translation>
    </message>
    <message>
      <source>The contract profile is saved in the workspace.</source>
      <translation>合同配置已保存到工作空间。</translation>
    </message>
    <message>
      <source>The seeds give no deduction figures: the shipped ones are examples; enter the city's own.</source>
      <translation>资料中没有扣分标准：随附的扣分值仅为示例，请填写本市的标准。</translation>
    </message>
    <message>
      <source>Unit grid</source>
      <translation>单元网格</translation>
    </message>
    <message>
      <source>Use example</source>
      <translation>使用示例</translation>
    </message>
    <message>
      <source>Valid problem reports a month</source>
      <translation>每月有效问题上报数</translation>
    </message>
    <message>
      <source>Valid problem reports a year</source>
      <translation>每年有效问题上报数</translation>
    </message>
    <message>
      <source>Valid reports per collector per day</source>
      <translation>每人每天有效上报数</translation>
    </message>
    <message>
      <source>Valid-report rate</source>
      <translation>有效上报率</translation>
    </message>
    <message>
      <source>Working time</source>
      <translation>工作时间</translation>
    </message>
    <message>
      <source>Written to {0}</source>
      <translation>已写入 {0}</translation>
    </message>
    <message>
      <source>absent</source>
      <translation>缺勤</translation>
    </message>
    <message>
      <source>collector code</source>
      <translation>采集员编号</translation>
    </message>
    <message>
      <source>component</source>
      <translation>部件</translation>
    </message>
    <message>
      <source>confirmed</source>
      <translation>已认定</translation>
    </message>
    <message>
      <source>contractor: per % short of the monthly floor</source>
      <translation>服务单位：月度下限每差 1%</translation>
    </message>
    <message>
      <source>contractor: per percentage point a rate falls short</source>
      <translation>服务单位：比率指标每差 1 个百分点</translation>
    </message>
    <message>
      <source>day off</source>
      <translation>休息</translation>
    </message>
    <message>
      <source>dismissed</source>
      <translation>已排除</translation>
    </message>
    <message>
      <source>event</source>
      <translation>事件</translation>
    </message>
    <message>
      <source>note (optional)</source>
      <translation>备注（可选）</translation>
    </message>
    <message>
      <source>on duty</source>
      <translation>在岗</translation>
    </message>
    <message>
      <source>on leave</source>
      <translation>请假</translation>
    </message>
    <message>
      <source>per confirmed missed report (漏报)</source>
      <translation>每条已认定漏报</translation>
    </message>
    <message>
      <source>per day absent</source>
      <translation>每缺勤一天</translation>
    </message>
    <message>
      <source>per day off the prescribed route</source>
      <translation>每天偏离规定路线</translation>
    </message>
    <message>
      <source>per late check task (核查)</source>
      <translation>每个超时的核查任务</translation>
    </message>
    <message>
      <source>per late verification task (核实)</source>
      <translation>每个超时的核实任务</translation>
    </message>
    <message>
      <source>per valid report short of the daily rate</source>
      <translation>每少一条有效上报（相对每日指标）</translation>
    </message>
    <message>
      <source>per wrong report (错报)</source>
      <translation>每条错报</translation>
    </message>
    <message>
      <source>public holidays worked</source>
      <translation>法定节假日照常工作</translation>
    </message>
    <message>
      <source>weekends worked</source>
      <translation>双休日照常工作</translation>
    </message>
    <message>
      <source>{0} days stored, {1} rows not usable.</source>
      <translation>已保存 {0} 天，{1} 行无法使用。</translation>
    </message>
    <message>
      <source>{0} days stored.</source>
      <translation>已保存 {0} 天。</translation>
    </message>
    <message>
      <source>{0} problems found by other channels: {1} new candidates, {2} known.</source>
      <translation>其他渠道发现问题 {0} 个：新增疑似 {1} 条，已有 {2} 条。</translation>
    </message>
  </context>
  <context>
    <name>Headless</name>
    <message>
      <source>QGIS Processing is not importable: add QGIS's python/plugins folder (e.g. /usr/share/qgis/python/plugins) to PYTHONPATH.</source>
      <translation>无法导入 QGIS 处理框架：请将 QGIS 的 python/plugins 文件夹（如 /usr/share/qgis/python/plugins）加入 PYTHONPATH。</translation>
    </message>
  </context>
  <context>
    <name>Help</name>
    <message>
      <source>How to work with the census, review and checks</source>
      <translation>如何进行部件普查、上报审核和各项检查</translation>
    </message>
    <message>
      <source>The user guide could not be opened.</source>
      <translation>无法打开使用指南。</translation>
    </message>
    <message>
      <source>User guide</source>
      <translation>使用指南</translation>
    </message>
  </context>
  <context>
    <name>Intake</name>
    <message>
      <source>An inbox source needs the workspace database.</source>
      <translation>收件表数据源需要工作空间数据库。</translation>
    </message>
    <message>
      <source>An inbox table must be in a PostgreSQL/PostGIS database.</source>
      <translation>收件表必须位于 PostgreSQL/PostGIS 数据库中。</translation>
    </message>
    <message>
      <source>Cancelled: what was stored stays, the next pull goes on from there.</source>
      <translation>已取消：已保存的数据保留，下次拉取从此处继续。</translation>
    </message>
    <message>
      <source>Edited on the server after the decision: {0} (decision kept, new version flagged for the reviewer).</source>
      <translation>审核决定后在服务器上被修改：{0} 条（决定保留，新版本已标记待审核员查看）。</translation>
    </message>
    <message>
      <source>Likely duplicates of earlier submissions: {0}.</source>
      <translation>疑似与先前上报重复：{0} 条。</translation>
    </message>
    <message>
      <source>Logged in as {0}, but project {1} has no form {2} for this account (forms: {3}).</source>
      <translation>已以 {0} 登录，但项目 {1} 中没有此账号可用的表单 {2}（现有表单：{3}）。</translation>
    </message>
    <message>
      <source>Logged in to {0} as {1}. Project {2} has {3} forms; {4}.</source>
      <translation>已以 {1} 登录 {0}。项目 {2} 共有 {3} 个表单；{4}。</translation>
    </message>
    <message>
      <source>No GeoJSON or CSV submissions file in {0}.</source>
      <translation>{0} 中没有 GeoJSON 或 CSV 上报文件。</translation>
    </message>
    <message>
      <source>No ODK Central account for {0} on this computer.</source>
      <translation>本机没有 {0} 的 ODK Central 账号。</translation>
    </message>
    <message>
      <source>No ODK Central account: give --user and set {0}, or name a QGIS authentication configuration.</source>
      <translation>没有 ODK Central 账号：请给出 --user 并设置 {0}，或指定 QGIS 认证配置。</translation>
    </message>
    <message>
      <source>No account for {0} on this computer: choose your QGIS authentication configuration in Sources….</source>
      <translation>本机尚未为 {0} 指定账号：请在“数据源…”中选择您的 QGIS 认证配置。</translation>
    </message>
    <message>
      <source>No inbox table {0}.</source>
      <translation>没有收件表 {0}。</translation>
    </message>
    <message>
      <source>No such file or folder: {0}</source>
      <translation>文件或文件夹不存在：{0}</translation>
    </message>
    <message>
      <source>No such photo folder: {0}</source>
      <translation>照片文件夹不存在：{0}</translation>
    </message>
    <message>
      <source>Not a server address: {0}. Give it as https://host/…</source>
      <translation>不是服务器地址：{0}。请按 https://主机/… 的形式填写。</translation>
    </message>
    <message>
      <source>Not a table name: {0}</source>
      <translation>不是表名：{0}</translation>
    </message>
    <message>
      <source>Not pulled: {0}.</source>
      <translation>未拉取：{0}。</translation>
    </message>
    <message>
      <source>ODK Central answered HTTP {0} after {1} attempts.</source>
      <translation>ODK Central 在 {1} 次尝试后返回 HTTP {0}。</translation>
    </message>
    <message>
      <source>ODK Central answered HTTP {0} for attachment {1}.</source>
      <translation>ODK Central 对附件 {1} 返回 HTTP {0}。</translation>
    </message>
    <message>
      <source>ODK Central answered HTTP {0} for {1}.</source>
      <translation>ODK Central 对 {1} 返回 HTTP {0}。</translation>
    </message>
    <message>
      <source>ODK Central did not answer after {0} attempts: {1}</source>
      <translation>ODK Central 在 {0} 次尝试后仍无应答：{1}</translation>
    </message>
    <message>
      <source>ODK Central did not send attachment {0} whole: {1}</source>
      <translation>ODK Central 未完整发送附件 {0}：{1}</translation>
    </message>
    <message>
      <source>ODK Central refused the login of {0} (HTTP {1}).</source>
      <translation>ODK Central 拒绝了 {0} 的登录（HTTP {1}）。</translation>
    </message>
    <message>
      <source>ODK Central sent a next-page link to another server or scheme: {0} (the account is for {1}); nothing was sent there.</source>
      <translation>ODK Central 返回的下一页链接指向其他服务器或协议：{0}（该账号用于 {1}）；未向其发送任何内容。</translation>
    </message>
    <message>
      <source>ODK Central sent a page nested too deeply to read: {0}</source>
      <translation>ODK Central 发来的页面嵌套过深，无法读取：{0}</translation>
    </message>
    <message>
      <source>ODK Central sent a page that is not JSON: {0}</source>
      <translation>ODK Central 返回的页面不是 JSON：{0}</translation>
    </message>
    <message>
      <source>Position looks {0}-shifted ({1}); kept as declared.</source>
      <translation>坐标疑似 {0} 偏移（{1}）；保留上报位置。</translation>
    </message>
    <message>
      <source>Pull cancelled: what was stored stays.</source>
      <translation>拉取已取消：已保存的数据保留。</translation>
    </message>
    <message>
      <source>Pulling {0} ({1} of {2}): page {3}, {4} of {5} read.</source>
      <translation>正在拉取 {0}（第 {1}/{2} 个数据源）：第 {3} 页，已读取 {4}/{5} 条。</translation>
    </message>
    <message>
      <source>Pulling {0} ({1} of {2}): page {3}, {4} read.</source>
      <translation>正在拉取 {0}（第 {1}/{2} 个数据源）：第 {3} 页，已读取 {4} 条。</translation>
    </message>
    <message>
      <source>QGIS authentication configuration {0} can only be read inside QGIS.</source>
      <translation>QGIS 认证配置 {0} 只能在 QGIS 中读取。</translation>
    </message>
    <message>
      <source>QGIS authentication configuration {0} has no user name: give your ODK Central e-mail as the user name.</source>
      <translation>QGIS 认证配置 {0} 没有用户名：请将您的 ODK Central 邮箱填为用户名。</translation>
    </message>
    <message>
      <source>Refused by the database and quarantined with its message: {0}.</source>
      <translation>被数据库拒收并连同其提示信息隔离：{0} 条。</translation>
    </message>
    <message>
      <source>Resumed an interrupted pull.</source>
      <translation>已从中断处继续拉取。</translation>
    </message>
    <message>
      <source>Shifted positions: {0} corrected from the photos' GPS, {1} flagged for review ({2}); devices sending GCJ-02: {3}.</source>
      <translation>偏移坐标：{0} 条依照片GPS已纠正，{1} 条标记待审核（{2}）；发送GCJ-02坐标的设备：{3}。</translation>
    </message>
    <message>
      <source>Stopped: {0} The next pull goes on from here.</source>
      <translation>已中止：{0} 下次拉取从此处继续。</translation>
    </message>
    <message>
      <source>The address of {0} now points to {1}, but your account was given for {2}. Nothing was sent. Check the address with your office, then choose your account again in Sources….</source>
      <translation>{0} 的地址现在指向 {1}，而您的账号是为 {2} 指定的，因此未发送任何内容。请与单位核实该地址，然后在“数据源…”中重新选择账号。</translation>
    </message>
    <message>
      <source>The address {0} contains an account: give the account in a QGIS authentication configuration instead.</source>
      <translation>地址 {0} 中包含账号：请改在 QGIS 认证配置中填写账号。</translation>
    </message>
    <message>
      <source>The database stopped the pull: {0}</source>
      <translation>数据库中断了拉取：{0}</translation>
    </message>
    <message>
      <source>The inbox table {0} needs an id column (instance_id, id or uuid) and a time column (updated_at, received_at or created_at).</source>
      <translation>收件表 {0} 需要一个标识列（instance_id、id 或 uuid）和一个时间列（updated_at、received_at 或 created_at）。</translation>
    </message>
    <message>
      <source>The server said: {0}</source>
      <translation>服务器返回：{0}</translation>
    </message>
    <message>
      <source>Unknown source type {0}.</source>
      <translation>未知数据源类型 {0}。</translation>
    </message>
    <message>
      <source>a link</source>
      <translation>链接文件</translation>
    </message>
    <message>
      <source>a link in the zip</source>
      <translation>压缩包中的链接</translation>
    </message>
    <message>
      <source>a path outside the export folder</source>
      <translation>导出文件夹以外的路径</translation>
    </message>
    <message>
      <source>none found</source>
      <translation>未找到</translation>
    </message>
    <message>
      <source>the photo folder is a link</source>
      <translation>照片文件夹是链接</translation>
    </message>
    <message>
      <source>{0} bytes or more (at most {1})</source>
      <translation>{0} 字节或更大（上限 {1}）</translation>
    </message>
    <message>
      <source>{0} is missing</source>
      <translation>{0} 缺失</translation>
    </message>
    <message>
      <source>{0} is not a GeoJSON FeatureCollection.</source>
      <translation>{0} 不是 GeoJSON 要素集合。</translation>
    </message>
    <message>
      <source>{0} is not encrypted (http://): the password would travel readable. Use https://, or allow unencrypted http for this source.</source>
      <translation>{0} 未加密（http://）：密码将以明文传输。请使用 https://，或为此数据源允许未加密的 http。</translation>
    </message>
    <message>
      <source>{0} position, corrected ({1}).</source>
      <translation>{0} 坐标，已纠正（{1}）。</translation>
    </message>
    <message>
      <source>{0} submissions</source>
      <translation>{0} 条上报</translation>
    </message>
    <message>
      <source>{0}: not pulled. {1}</source>
      <translation>{0}：未拉取。{1}</translation>
    </message>
    <message>
      <source>{0}: read {1}, new {2}, edited {3}, unchanged {4}, quarantined {5}, suspected GCJ-02 {6}, photos downloaded {7} (unchanged {8}).</source>
      <translation>{0}：读取 {1}，新增 {2}，已编辑 {3}，未变 {4}，隔离 {5}，疑似 GCJ-02 {6}，下载照片 {7}（未变 {8}）。</translation>
    </message>
    <message>
      <source>{0}: {1} earlier decisions written back.</source>
      <translation>{0}：已回写 {1} 条此前的审核结论。</translation>
    </message>
    <message>
      <source>{0}: {1} submissions; photos: {2}.</source>
      <translation>{0}：{1} 条上报；照片：{2}。</translation>
    </message>
  </context>
  <context>
    <name>Kpi</name>
    <message>
      <source>1 − Gini coefficient of valid problem reports per grid over {0} grids; {1} grids have reports.</source>
      <translation>按网格统计有效问题上报数的 1 − 基尼系数（共 {0} 个网格）；有上报的网格 {1} 个。</translation>
    </message>
    <message>
      <source>1 − Gini coefficient of valid problem reports per major class ({0} classes).</source>
      <translation>按大类统计有效问题上报数的 1 − 基尼系数（{0} 个大类）。</translation>
    </message>
    <message>
      <source>1 − Gini coefficient of valid problem reports per {0}-minute slot of the working time ({1}).</source>
      <translation>按工作时间内每 {0} 分钟时段统计有效问题上报数的 1 − 基尼系数（{1}）。</translation>
    </message>
    <message>
      <source>12345 hotline</source>
      <translation>12345热线</translation>
    </message>
    <message>
      <source>A contract profile is a JSON object.</source>
      <translation>合同配置应为一个 JSON 对象。</translation>
    </message>
    <message>
      <source>A finding is a component or an event problem.</source>
      <translation>发现的问题应为部件问题或事件问题。</translation>
    </message>
    <message>
      <source>A payment band's share must be between 0 and 1.5.</source>
      <translation>支付档次的支付比例应在 0 到 1.5 之间。</translation>
    </message>
    <message>
      <source>Absent days</source>
      <translation>缺勤天数</translation>
    </message>
    <message>
      <source>Area balance</source>
      <translation>区域均衡性</translation>
    </message>
    <message>
      <source>Cannot read the contract profile {0}: {1}</source>
      <translation>无法读取合同配置 {0}：{1}</translation>
    </message>
    <message>
      <source>Cannot read the working period {0!r}: write it as 08:30-12:00.</source>
      <translation>无法识别工作时段 {0!r}：请写作 08:30-12:00。</translation>
    </message>
    <message>
      <source>Category balance</source>
      <translation>类别均衡性</translation>
    </message>
    <message>
      <source>Closed / due ({0} / {1}): valid problems whose deadline falls in the period.</source>
      <translation>已结案 / 应结案（{0} / {1}）：处置时限落在统计期内的有效问题。</translation>
    </message>
    <message>
      <source>Closure rate</source>
      <translation>结案率</translation>
    </message>
    <message>
      <source>Collector</source>
      <translation>采集员</translation>
    </message>
    <message>
      <source>Collectors</source>
      <translation>采集员数</translation>
    </message>
    <message>
      <source>Collectors on duty (fewest in a day)</source>
      <translation>每日在岗采集员（最少一天）</translation>
    </message>
    <message>
      <source>Component problem share</source>
      <translation>部件问题占比</translation>
    </message>
    <message>
      <source>Confirmed missed (漏报)</source>
      <translation>已认定漏报</translation>
    </message>
    <message>
      <source>Contract figures of {0} ({1})</source>
      <translation>{0} 合同考核指标（{1}）</translation>
    </message>
    <message>
      <source>Contractor</source>
      <translation>服务单位</translation>
    </message>
    <message>
      <source>Contractor deductions</source>
      <translation>服务单位扣分</translation>
    </message>
    <message>
      <source>Contractor {0}: score {1:.1f}, {2:.0%} of the fee: {3:,.2f} payable, {4:,.2f} withheld</source>
      <translation>服务单位 {0}：得分 {1:.1f}，按服务费的 {2:.0%} 支付：应支付 {3:,.2f}，扣减 {4:,.2f}</translation>
    </message>
    <message>
      <source>Days off route</source>
      <translation>偏离路线天数</translation>
    </message>
    <message>
      <source>Deductions</source>
      <translation>扣分</translation>
    </message>
    <message>
      <source>Deductions and caps cannot be negative ({0}).</source>
      <translation>扣分及上限不能为负（{0}）。</translation>
    </message>
    <message>
      <source>District</source>
      <translation>区县</translation>
    </message>
    <message>
      <source>Done by the deadline / due in the period ({0} / {1}).</source>
      <translation>按时完成 / 统计期内到期（{0} / {1}）。</translation>
    </message>
    <message>
      <source>Fewest on duty: {0} on {1}; {2} days below the floor.</source>
      <translation>在岗人数最少：{1} 为 {0} 人；低于下限的有 {2} 天。</translation>
    </message>
    <message>
      <source>Grids passed</source>
      <translation>达标网格数</translation>
    </message>
    <message>
      <source>Grids spot-checked</source>
      <translation>现场检查网格数</translation>
    </message>
    <message>
      <source>Grids with reports whose valid rate and component share reach the thresholds, of {0}.</source>
      <translation>有效率和部件占比均达标的有上报网格数（共 {0} 个有上报网格）。</translation>
    </message>
    <message>
      <source>How it was computed</source>
      <translation>计算方法</translation>
    </message>
    <message>
      <source>KPI</source>
      <translation>指标</translation>
    </message>
    <message>
      <source>Late tasks</source>
      <translation>超时任务</translation>
    </message>
    <message>
      <source>Lowest whole month {0}; floor {1:,} a month from service month {2}.</source>
      <translation>最低的整月为 {0}；自服务期第 {2} 个月起每月不少于 {1:,} 件。</translation>
    </message>
    <message>
      <source>Mean collector score</source>
      <translation>采集员平均得分</translation>
    </message>
    <message>
      <source>Missed reports (漏报)</source>
      <translation>漏报</translation>
    </message>
    <message>
      <source>Missed, to decide</source>
      <translation>待认定漏报</translation>
    </message>
    <message>
      <source>Missed-report rate</source>
      <translation>漏报率</translation>
    </message>
    <message>
      <source>Monthly fee</source>
      <translation>月服务费</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>No collector {0} in this workspace.</source>
      <translation>本工作空间中没有采集员 {0}。</translation>
    </message>
    <message>
      <source>Not computed: closure needs each case's deadline and whether it was closed.</source>
      <translation>未计算：结案率需要每个案件的处置时限及是否已结案。</translation>
    </message>
    <message>
      <source>Not computed: no duty roster was given.</source>
      <translation>未计算：没有排班表。</translation>
    </message>
    <message>
      <source>Not computed: no grids layer was given.</source>
      <translation>未计算：没有指定网格图层。</translation>
    </message>
    <message>
      <source>Not computed: no 核实/核查 tasks.</source>
      <translation>未计算：没有核实、核查任务。</translation>
    </message>
    <message>
      <source>Not computed: the contract profile has no service period.</source>
      <translation>未计算：合同配置中没有服务期。</translation>
    </message>
    <message>
      <source>Not computed: the reports carry no component status (破损, 丢失 …).</source>
      <translation>未计算：上报中没有部件状态（破损、丢失……）。</translation>
    </message>
    <message>
      <source>Not judged: service month {0} is exempt (the floor of {1:,} applies from service month {2}).</source>
      <translation>不考核：服务期第 {0} 个月免于考核（每月 {1:,} 件的下限自服务期第 {2} 个月起执行）。</translation>
    </message>
    <message>
      <source>Not judged: the month is outside the service period.</source>
      <translation>不考核：该月不在服务期内。</translation>
    </message>
    <message>
      <source>Not judged: the monthly floor is judged on whole calendar months.</source>
      <translation>不考核：月度下限按完整自然月考核。</translation>
    </message>
    <message>
      <source>Not judged: the period is outside the service period {0} – {1}.</source>
      <translation>不考核：统计期不在服务期 {0} 至 {1} 内。</translation>
    </message>
    <message>
      <source>Not on the roster (left out): {0}.</source>
      <translation>不在排班表中（未计入）：{0}。</translation>
    </message>
    <message>
      <source>On-time check (核查) rate</source>
      <translation>核查按时率</translation>
    </message>
    <message>
      <source>On-time verification (核实) rate</source>
      <translation>核实按时率</translation>
    </message>
    <message>
      <source>Passed</source>
      <translation>达标</translation>
    </message>
    <message>
      <source>Payable</source>
      <translation>应支付</translation>
    </message>
    <message>
      <source>Problem reports filed or accepted ({0}); judged by the annual and monthly rows.</source>
      <translation>已立案或受理的问题上报（{0}）；由年度和月度指标考核。</translation>
    </message>
    <message>
      <source>Reports</source>
      <translation>上报数</translation>
    </message>
    <message>
      <source>Reports in the period ({0:.2f} days): {1} problems, {2} component reports that are not problems (census records, checked fine), {3} without a kind; {4} outside the period and {5} without a time were left out.</source>
      <translation>统计期内的上报（{0:.2f} 天）：问题 {1} 条，非问题的部件上报（普查记录、核查完好）{2} 条，未注明类型 {3} 条；期外 {4} 条、无时间 {5} 条未计入。</translation>
    </message>
    <message>
      <source>Reports outside the working time</source>
      <translation>工作时间以外的上报</translation>
    </message>
    <message>
      <source>Scheduled days</source>
      <translation>应出勤天数</translation>
    </message>
    <message>
      <source>Score</source>
      <translation>得分</translation>
    </message>
    <message>
      <source>Scores (base {0:g}):</source>
      <translation>得分（基础分 {0:g}）：</translation>
    </message>
    <message>
      <source>Share paid</source>
      <translation>支付比例</translation>
    </message>
    <message>
      <source>Share reported by {0}</source>
      <translation>{0}上报占比</translation>
    </message>
    <message>
      <source>Spot checks</source>
      <translation>现场检查</translation>
    </message>
    <message>
      <source>Spot-check findings</source>
      <translation>现场检查发现问题数</translation>
    </message>
    <message>
      <source>The contract profile is not valid JSON (line {0}: {1}).</source>
      <translation>合同配置不是有效的 JSON（第 {0} 行：{1}）。</translation>
    </message>
    <message>
      <source>The contract profile's {0} is not valid.</source>
      <translation>合同配置中的 {0} 无效。</translation>
    </message>
    <message>
      <source>The contract sets no monthly floor.</source>
      <translation>合同未规定月度下限。</translation>
    </message>
    <message>
      <source>The last day is before the first.</source>
      <translation>结束日期早于开始日期。</translation>
    </message>
    <message>
      <source>The period ends before it starts.</source>
      <translation>统计期的结束时间早于开始时间。</translation>
    </message>
    <message>
      <source>The rate {0} is a share between 0 and 1 (90 % is 0.9).</source>
      <translation>比率 {0} 应为 0 到 1 之间的小数（90% 写作 0.9）。</translation>
    </message>
    <message>
      <source>The roster has no {0} column (one of: {1}).</source>
      <translation>排班表缺少 {0} 列（可用列名：{1}）。</translation>
    </message>
    <message>
      <source>The scoring sheet has a value that is not a number.</source>
      <translation>考核评分表中有一个值不是数字。</translation>
    </message>
    <message>
      <source>The service period ends before it starts.</source>
      <translation>服务期的结束早于开始。</translation>
    </message>
    <message>
      <source>The spot-check file needs grid_code and day columns.</source>
      <translation>现场检查文件需要网格（grid_code）和日期（day）列。</translation>
    </message>
    <message>
      <source>The working day needs at least one period.</source>
      <translation>工作日至少需要一个工作时段。</translation>
    </message>
    <message>
      <source>The working period {0!r} must end after it starts, within the day.</source>
      <translation>工作时段 {0!r} 必须在同一天内且结束晚于开始。</translation>
    </message>
    <message>
      <source>The working periods overlap.</source>
      <translation>工作时段相互重叠。</translation>
    </message>
    <message>
      <source>Threshold</source>
      <translation>目标值</translation>
    </message>
    <message>
      <source>Time-of-day balance</source>
      <translation>上报时间均衡性</translation>
    </message>
    <message>
      <source>Unit grid</source>
      <translation>单元网格</translation>
    </message>
    <message>
      <source>Unknown deduction {0!r} in the scoring sheet; known: {1}.</source>
      <translation>考核评分表中有未知扣分项 {0!r}；可用的扣分项：{1}。</translation>
    </message>
    <message>
      <source>Unknown duty status {0}.</source>
      <translation>未知的出勤状态 {0}。</translation>
    </message>
    <message>
      <source>Valid component problems / valid problem reports ({0} / {1}).</source>
      <translation>有效部件问题数 / 有效问题上报数（{0} / {1}）。</translation>
    </message>
    <message>
      <source>Valid per scheduled day</source>
      <translation>每应出勤日有效问题数</translation>
    </message>
    <message>
      <source>Valid problem reports</source>
      <translation>有效问题上报数</translation>
    </message>
    <message>
      <source>Valid problem reports / problem reports ({0} / {1}); {2} still pending or sent back count as not valid.</source>
      <translation>有效问题上报数 / 问题上报数（{0} / {1}）；仍待审或被退回补充的 {2} 条计为无效。</translation>
    </message>
    <message>
      <source>Valid problem reports / scheduled days ({0} / {1}); {2}.</source>
      <translation>有效问题上报数 / 应出勤天数（{0} / {1}）；{2}。</translation>
    </message>
    <message>
      <source>Valid problem reports of the month</source>
      <translation>当月有效问题上报数</translation>
    </message>
    <message>
      <source>Valid problem reports of the service period {0} – {1}.</source>
      <translation>服务期 {0} 至 {1} 的有效问题上报数。</translation>
    </message>
    <message>
      <source>Valid problem reports of the service year</source>
      <translation>服务期累计有效问题上报数</translation>
    </message>
    <message>
      <source>Valid problem reports of {0}</source>
      <translation>{0} 有效问题上报数</translation>
    </message>
    <message>
      <source>Valid problem reports outside the working time ({0}).</source>
      <translation>工作时间（{0}）以外的有效问题上报数。</translation>
    </message>
    <message>
      <source>Valid problems</source>
      <translation>有效问题数</translation>
    </message>
    <message>
      <source>Valid reports per collector per day</source>
      <translation>采集员人均日有效上报数</translation>
    </message>
    <message>
      <source>Valid-report rate</source>
      <translation>有效上报率</translation>
    </message>
    <message>
      <source>Value</source>
      <translation>数值</translation>
    </message>
    <message>
      <source>Withheld</source>
      <translation>扣减</translation>
    </message>
    <message>
      <source>Wrong reports (错报)</source>
      <translation>错报</translation>
    </message>
    <message>
      <source>Wrong-report rate</source>
      <translation>错报率</translation>
    </message>
    <message>
      <source>Year to date: valid problem reports since {0}; judged after {1}.</source>
      <translation>年度累计：自 {0} 起的有效问题上报数；{1} 之后考核。</translation>
    </message>
    <message>
      <source>absence</source>
      <translation>缺勤</translation>
    </message>
    <message>
      <source>cannot read the day {0!r}</source>
      <translation>无法识别日期 {0!r}</translation>
    </message>
    <message>
      <source>collectors</source>
      <translation>采集员</translation>
    </message>
    <message>
      <source>every day</source>
      <translation>每天</translation>
    </message>
    <message>
      <source>kind is component (部件) or event (事件)</source>
      <translation>类型应为部件或事件</translation>
    </message>
    <message>
      <source>late check</source>
      <translation>核查超时</translation>
    </message>
    <message>
      <source>late verification</source>
      <translation>核实超时</translation>
    </message>
    <message>
      <source>leaders</source>
      <translation>领导交办</translation>
    </message>
    <message>
      <source>missed</source>
      <translation>漏报</translation>
    </message>
    <message>
      <source>no collector</source>
      <translation>无采集员</translation>
    </message>
    <message>
      <source>no grid or day</source>
      <translation>无网格或日期</translation>
    </message>
    <message>
      <source>no position</source>
      <translation>无位置</translation>
    </message>
    <message>
      <source>no roster: every working day of the period is scheduled</source>
      <translation>无排班表：统计期内每个工作日均计为应出勤</translation>
    </message>
    <message>
      <source>off route</source>
      <translation>偏离路线</translation>
    </message>
    <message>
      <source>other channels</source>
      <translation>其他渠道</translation>
    </message>
    <message>
      <source>outside every grid</source>
      <translation>不在任何网格内</translation>
    </message>
    <message>
      <source>scheduled days from the duty roster, {0} of them absences</source>
      <translation>应出勤天数取自排班表，其中缺勤 {0} 天</translation>
    </message>
    <message>
      <source>shortfall</source>
      <translation>上报不足</translation>
    </message>
    <message>
      <source>spot checks</source>
      <translation>现场检查</translation>
    </message>
    <message>
      <source>the public</source>
      <translation>公众</translation>
    </message>
    <message>
      <source>time not readable</source>
      <translation>时间无法识别</translation>
    </message>
    <message>
      <source>unknown duty status {0!r}</source>
      <translation>未知的出勤状态 {0!r}</translation>
    </message>
    <message>
      <source>video surveillance</source>
      <translation>视频监控</translation>
    </message>
    <message>
      <source>working days</source>
      <translation>工作日</translation>
    </message>
    <message>
      <source>wrong</source>
      <translation>错报</translation>
    </message>
    <message>
      <source>{0} confirmed, {1} to decide</source>
      <translation>已认定 {0} 条，待认定 {1} 条</translation>
    </message>
    <message>
      <source>{0} grids checked, {1} findings</source>
      <translation>检查网格 {0} 个，发现问题 {1} 个</translation>
    </message>
    <message>
      <source>{0} of them reach the per-day rate and the valid rate.</source>
      <translation>其中 {0} 人达到日均上报量和有效率要求。</translation>
    </message>
    <message>
      <source>{0} of {1} problem reports.</source>
      <translation>问题上报 {1} 条中的 {0} 条。</translation>
    </message>
    <message>
      <source>{0}, {1}</source>
      <translation>{0}，{1}</translation>
    </message>
  </context>
  <context>
    <name>Labels</name>
    <message>
      <source>(empty)</source>
      <translation>（空）</translation>
    </message>
    <message>
      <source>16 digits (GB/T 30428.2-2013)</source>
      <translation>16 位（GB/T 30428.2-2013）</translation>
    </message>
    <message>
      <source>17 digits (2026 form)</source>
      <translation>17 位（2026 版）</translation>
    </message>
    <message>
      <source>Accept new</source>
      <translation>新增入库</translation>
    </message>
    <message>
      <source>Administrative units</source>
      <translation>行政区划</translation>
    </message>
    <message>
      <source>Audit log</source>
      <translation>审计日志</translation>
    </message>
    <message>
      <source>BD-09 (Baidu)</source>
      <translation>BD-09（百度坐标）</translation>
    </message>
    <message>
      <source>Case history</source>
      <translation>案件历史</translation>
    </message>
    <message>
      <source>Cases</source>
      <translation>案件</translation>
    </message>
    <message>
      <source>Class table versions</source>
      <translation>类别表版本</translation>
    </message>
    <message>
      <source>Collectors</source>
      <translation>信息采集员</translation>
    </message>
    <message>
      <source>Component classes</source>
      <translation>部件类别</translation>
    </message>
    <message>
      <source>Component history</source>
      <translation>部件历史</translation>
    </message>
    <message>
      <source>Component photos</source>
      <translation>部件照片</translation>
    </message>
    <message>
      <source>Components</source>
      <translation>部件</translation>
    </message>
    <message>
      <source>Decisions to write back</source>
      <translation>待写回的审核决定</translation>
    </message>
    <message>
      <source>Districts of the logins' roles</source>
      <translation>登录名角色的限定辖区</translation>
    </message>
    <message>
      <source>Duplicate</source>
      <translation>判为重复</translation>
    </message>
    <message>
      <source>Duty roster</source>
      <translation>排班表</translation>
    </message>
    <message>
      <source>Event classes</source>
      <translation>事件类别</translation>
    </message>
    <message>
      <source>GCJ-02 (Chinese map SDKs)</source>
      <translation>GCJ-02（国测局坐标）</translation>
    </message>
    <message>
      <source>GPS fixes</source>
      <translation>GPS 定位点</translation>
    </message>
    <message>
      <source>Has issues</source>
      <translation>退回补充</translation>
    </message>
    <message>
      <source>Identifier counters</source>
      <translation>标识码计数器</translation>
    </message>
    <message>
      <source>Likely repeats</source>
      <translation>疑似重复上报</translation>
    </message>
    <message>
      <source>Main roads and window areas</source>
      <translation>主要道路和窗口地区</translation>
    </message>
    <message>
      <source>Missed reports (漏报) found and decided</source>
      <translation>已查找和认定的漏报</translation>
    </message>
    <message>
      <source>NaN or Infinity instead of a number</source>
      <translation>数值为 NaN 或无穷大</translation>
    </message>
    <message>
      <source>ODK Central {0}, project {1}, form {2}</source>
      <translation>ODK Central {0}，项目 {1}，表单 {2}</translation>
    </message>
    <message>
      <source>POI categories</source>
      <translation>兴趣点类别</translation>
    </message>
    <message>
      <source>POI history</source>
      <translation>兴趣点历史</translation>
    </message>
    <message>
      <source>Patrol routes</source>
      <translation>巡查路线</translation>
    </message>
    <message>
      <source>Points of interest</source>
      <translation>兴趣点</translation>
    </message>
    <message>
      <source>Reject</source>
      <translation>驳回</translation>
    </message>
    <message>
      <source>Responsibility grids</source>
      <translation>责任网格</translation>
    </message>
    <message>
      <source>Review decisions</source>
      <translation>审核决定</translation>
    </message>
    <message>
      <source>Spot check findings</source>
      <translation>抽查发现的问题</translation>
    </message>
    <message>
      <source>Spot checks</source>
      <translation>现场抽查</translation>
    </message>
    <message>
      <source>Submission photos</source>
      <translation>上报照片</translation>
    </message>
    <message>
      <source>Submission photos replaced by edits</source>
      <translation>被修改替换的上报照片</translation>
    </message>
    <message>
      <source>Submission versions</source>
      <translation>上报版本</translation>
    </message>
    <message>
      <source>Submissions</source>
      <translation>上报</translation>
    </message>
    <message>
      <source>Thematic layers</source>
      <translation>专题图层</translation>
    </message>
    <message>
      <source>Time limits of 核实/核查 tasks</source>
      <translation>核实核查任务时限</translation>
    </message>
    <message>
      <source>Unit grids</source>
      <translation>单元网格</translation>
    </message>
    <message>
      <source>Unit grids of responsibility grids</source>
      <translation>责任网格包含的单元网格</translation>
    </message>
    <message>
      <source>Update existing</source>
      <translation>更新已有部件</translation>
    </message>
    <message>
      <source>Where each source's pulls stand</source>
      <translation>各数据源的拉取进度</translation>
    </message>
    <message>
      <source>Workspace settings</source>
      <translation>工作空间设置</translation>
    </message>
    <message>
      <source>accepted</source>
      <translation>已入库</translation>
    </message>
    <message>
      <source>ambiguous</source>
      <translation>候选不唯一</translation>
    </message>
    <message>
      <source>area out of range</source>
      <translation>面积超出范围</translation>
    </message>
    <message>
      <source>attributes changed</source>
      <translation>属性变更</translation>
    </message>
    <message>
      <source>automatic</source>
      <translation>自动识别</translation>
    </message>
    <message>
      <source>below the filing standard</source>
      <translation>未达立案标准</translation>
    </message>
    <message>
      <source>census import</source>
      <translation>普查导入</translation>
    </message>
    <message>
      <source>characters that are not text (replaced)</source>
      <translation>含无法存储的字符（已替换）</translation>
    </message>
    <message>
      <source>class not in the class table</source>
      <translation>类别不在类别表中</translation>
    </message>
    <message>
      <source>code not matching its administrative unit</source>
      <translation>代码与所在行政区划不符</translation>
    </message>
    <message>
      <source>component</source>
      <translation>部件</translation>
    </message>
    <message>
      <source>corrected</source>
      <translation>已纠正</translation>
    </message>
    <message>
      <source>created</source>
      <translation>新建</translation>
    </message>
    <message>
      <source>data nested too deeply</source>
      <translation>数据嵌套层级过深</translation>
    </message>
    <message>
      <source>device export</source>
      <translation>设备导出</translation>
    </message>
    <message>
      <source>device export {0}</source>
      <translation>设备导出 {0}</translation>
    </message>
    <message>
      <source>device history</source>
      <translation>设备历史</translation>
    </message>
    <message>
      <source>duplicate</source>
      <translation>重复</translation>
    </message>
    <message>
      <source>duplicate code</source>
      <translation>代码重复</translation>
    </message>
    <message>
      <source>duplicate within tolerance</source>
      <translation>限差内重复</translation>
    </message>
    <message>
      <source>en</source>
      <translation>zh_CN</translation>
    </message>
    <message>
      <source>event</source>
      <translation>事件</translation>
    </message>
    <message>
      <source>far from the main roads, corrected it lies on one</source>
      <translation>远离主要道路，纠偏后位于道路上</translation>
    </message>
    <message>
      <source>gap</source>
      <translation>缝隙</translation>
    </message>
    <message>
      <source>geometry kind vs class</source>
      <translation>几何类型与类别不符</translation>
    </message>
    <message>
      <source>has issues</source>
      <translation>已退回</translation>
    </message>
    <message>
      <source>identifier county vs grid</source>
      <translation>标识码区县与网格不符</translation>
    </message>
    <message>
      <source>identifier not unique</source>
      <translation>标识码不唯一</translation>
    </message>
    <message>
      <source>identifier of another county</source>
      <translation>标识码属于其他区县</translation>
    </message>
    <message>
      <source>identifier structure</source>
      <translation>标识码结构</translation>
    </message>
    <message>
      <source>identifier turned into a number by a spreadsheet</source>
      <translation>标识码被电子表格转成了数字</translation>
    </message>
    <message>
      <source>identifier used twice</source>
      <translation>标识码重复</translation>
    </message>
    <message>
      <source>impossible time</source>
      <translation>时间不合理</translation>
    </message>
    <message>
      <source>inbox table {0}</source>
      <translation>收件表 {0}</translation>
    </message>
    <message>
      <source>instance id too long</source>
      <translation>实例编号过长</translation>
    </message>
    <message>
      <source>invalid geometry</source>
      <translation>几何无效</translation>
    </message>
    <message>
      <source>kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>left for review</source>
      <translation>留待人工审核</translation>
    </message>
    <message>
      <source>line</source>
      <translation>线</translation>
    </message>
    <message>
      <source>main road</source>
      <translation>主要道路</translation>
    </message>
    <message>
      <source>main roads</source>
      <translation>主要道路</translation>
    </message>
    <message>
      <source>main roads table</source>
      <translation>主要道路表</translation>
    </message>
    <message>
      <source>malformed code</source>
      <translation>代码格式错误</translation>
    </message>
    <message>
      <source>malformed identifier</source>
      <translation>标识码格式错误</translation>
    </message>
    <message>
      <source>mandatory attribute missing</source>
      <translation>缺少必填属性</translation>
    </message>
    <message>
      <source>missing</source>
      <translation>缺失</translation>
    </message>
    <message>
      <source>move into another county</source>
      <translation>移入其他区县</translation>
    </message>
    <message>
      <source>moved</source>
      <translation>移位</translation>
    </message>
    <message>
      <source>moved {0} m</source>
      <translation>移动 {0} 米</translation>
    </message>
    <message>
      <source>new</source>
      <translation>新增</translation>
    </message>
    <message>
      <source>no</source>
      <translation>否</translation>
    </message>
    <message>
      <source>no kind (component or event)</source>
      <translation>未注明类型（部件或事件）</translation>
    </message>
    <message>
      <source>no position</source>
      <translation>无位置</translation>
    </message>
    <message>
      <source>not a JPEG</source>
      <translation>不是 JPEG 图片</translation>
    </message>
    <message>
      <source>not a problem</source>
      <translation>不是问题</translation>
    </message>
    <message>
      <source>not a telephone number</source>
      <translation>不是电话号码</translation>
    </message>
    <message>
      <source>not declared (checked as WGS84)</source>
      <translation>未声明（按 WGS84 检查偏移）</translation>
    </message>
    <message>
      <source>numbered out of order</source>
      <translation>编号顺序错误</translation>
    </message>
    <message>
      <source>other reason</source>
      <translation>其他原因</translation>
    </message>
    <message>
      <source>outside every grid</source>
      <translation>不在任何网格内</translation>
    </message>
    <message>
      <source>outside every unit grid</source>
      <translation>不在任何单元网格内</translation>
    </message>
    <message>
      <source>outside the administrative units</source>
      <translation>超出行政区划</translation>
    </message>
    <message>
      <source>outside the city</source>
      <translation>位于城区之外</translation>
    </message>
    <message>
      <source>overlap</source>
      <translation>重叠</translation>
    </message>
    <message>
      <source>patrol routes table</source>
      <translation>巡查路线表</translation>
    </message>
    <message>
      <source>pending</source>
      <translation>待审核</translation>
    </message>
    <message>
      <source>photo GPS</source>
      <translation>照片GPS</translation>
    </message>
    <message>
      <source>photo missing</source>
      <translation>照片缺失</translation>
    </message>
    <message>
      <source>photo refused (link or outside the export folder)</source>
      <translation>照片被拒收（链接文件或不在导出文件夹内）</translation>
    </message>
    <message>
      <source>photo too large</source>
      <translation>照片过大</translation>
    </message>
    <message>
      <source>placeholder in a mandatory attribute</source>
      <translation>必填属性为占位值</translation>
    </message>
    <message>
      <source>point</source>
      <translation>点</translation>
    </message>
    <message>
      <source>polygon</source>
      <translation>面</translation>
    </message>
    <message>
      <source>quarantined</source>
      <translation>已隔离</translation>
    </message>
    <message>
      <source>record too large</source>
      <translation>记录过大</translation>
    </message>
    <message>
      <source>refused by the database</source>
      <translation>数据库拒收</translation>
    </message>
    <message>
      <source>rejected</source>
      <translation>已驳回</translation>
    </message>
    <message>
      <source>repeat report</source>
      <translation>重复上报</translation>
    </message>
    <message>
      <source>repeats of earlier submissions</source>
      <translation>与先前上报重复</translation>
    </message>
    <message>
      <source>retired</source>
      <translation>注销</translation>
    </message>
    <message>
      <source>sliver</source>
      <translation>狭长碎面</translation>
    </message>
    <message>
      <source>status changed</source>
      <translation>状态变更</translation>
    </message>
    <message>
      <source>stored grid vs position</source>
      <translation>记录网格与位置不符</translation>
    </message>
    <message>
      <source>taken {0} h from the report time</source>
      <translation>拍摄时间与上报时间相差 {0} 小时</translation>
    </message>
    <message>
      <source>taken {0} m from the reported position</source>
      <translation>拍摄位置距上报位置 {0} 米</translation>
    </message>
    <message>
      <source>text too long (shortened)</source>
      <translation>文字过长（已截短）</translation>
    </message>
    <message>
      <source>the photo's GPS position cannot be read</source>
      <translation>无法读取照片GPS位置</translation>
    </message>
    <message>
      <source>the photo's GPS position is the declared one before the shift</source>
      <translation>照片GPS位置经偏移后即为上报位置</translation>
    </message>
    <message>
      <source>the photo's time cannot be read</source>
      <translation>无法读取照片拍摄时间</translation>
    </message>
    <message>
      <source>this device's positions are consistently shifted</source>
      <translation>该设备的坐标持续存在偏移</translation>
    </message>
    <message>
      <source>unchanged</source>
      <translation>未变</translation>
    </message>
    <message>
      <source>unknown category</source>
      <translation>未知类别</translation>
    </message>
    <message>
      <source>unknown class</source>
      <translation>未知类别</translation>
    </message>
    <message>
      <source>unreadable</source>
      <translation>无法读取</translation>
    </message>
    <message>
      <source>unreadable JSON</source>
      <translation>JSON 无法读取</translation>
    </message>
    <message>
      <source>unreadable date</source>
      <translation>日期无法识别</translation>
    </message>
    <message>
      <source>unreadable photo</source>
      <translation>照片无法读取</translation>
    </message>
    <message>
      <source>updated</source>
      <translation>已更新</translation>
    </message>
    <message>
      <source>value outside its domain</source>
      <translation>取值超出值域</translation>
    </message>
    <message>
      <source>value without a mapping</source>
      <translation>值未映射</translation>
    </message>
    <message>
      <source>window area</source>
      <translation>窗口地区</translation>
    </message>
    <message>
      <source>wrong class</source>
      <translation>类别错误</translation>
    </message>
    <message>
      <source>wrong kind of geometry</source>
      <translation>几何类型不符</translation>
    </message>
    <message>
      <source>wrong position</source>
      <translation>位置错误</translation>
    </message>
    <message>
      <source>yes</source>
      <translation>是</translation>
    </message>
    <message>
      <source>核实/核查 tasks</source>
      <translation>核实核查任务</translation>
    </message>
  </context>
  <context>
    <name>Layers</name>
    <message>
      <source>Accepted</source>
      <translation>已采纳</translation>
    </message>
    <message>
      <source>Base grids</source>
      <translation>基础网格</translation>
    </message>
    <message>
      <source>Cancelled</source>
      <translation>已撤销</translation>
    </message>
    <message>
      <source>Cases</source>
      <translation>案件</translation>
    </message>
    <message>
      <source>Cases and tasks</source>
      <translation>案件与任务</translation>
    </message>
    <message>
      <source>City management</source>
      <translation>数字城管</translation>
    </message>
    <message>
      <source>Closed down</source>
      <translation>停业</translation>
    </message>
    <message>
      <source>Communities</source>
      <translation>社区</translation>
    </message>
    <message>
      <source>Community</source>
      <translation>社区</translation>
    </message>
    <message>
      <source>Components</source>
      <translation>部件</translation>
    </message>
    <message>
      <source>Components (lines)</source>
      <translation>部件（线）</translation>
    </message>
    <message>
      <source>Components (points)</source>
      <translation>部件（点）</translation>
    </message>
    <message>
      <source>Components (polygons)</source>
      <translation>部件（面）</translation>
    </message>
    <message>
      <source>District</source>
      <translation>区</translation>
    </message>
    <message>
      <source>Districts</source>
      <translation>区</translation>
    </message>
    <message>
      <source>Done late</source>
      <translation>超时完成</translation>
    </message>
    <message>
      <source>Done on time</source>
      <translation>按时完成</translation>
    </message>
    <message>
      <source>Due within the hour</source>
      <translation>一小时内到期</translation>
    </message>
    <message>
      <source>Duplicate</source>
      <translation>重复</translation>
    </message>
    <message>
      <source>Gone</source>
      <translation>已移除</translation>
    </message>
    <message>
      <source>In business</source>
      <translation>正常营业</translation>
    </message>
    <message>
      <source>Load the workspace layers</source>
      <translation>加载工作空间图层</translation>
    </message>
    <message>
      <source>Loading the layers failed and the project is unchanged: {0}</source>
      <translation>加载图层失败，工程未作任何改动：{0}</translation>
    </message>
    <message>
      <source>Loading the layers was cancelled; the project is unchanged.</source>
      <translation>已取消加载图层，工程未作任何改动。</translation>
    </message>
    <message>
      <source>Main road</source>
      <translation>主要道路</translation>
    </message>
    <message>
      <source>Main roads and window areas</source>
      <translation>主要道路和窗口地区</translation>
    </message>
    <message>
      <source>No layer of {0} could be opened.</source>
      <translation>{0} 的图层均无法打开。</translation>
    </message>
    <message>
      <source>Open</source>
      <translation>待办</translation>
    </message>
    <message>
      <source>Other</source>
      <translation>其他</translation>
    </message>
    <message>
      <source>Overdue</source>
      <translation>已超时</translation>
    </message>
    <message>
      <source>Patrol</source>
      <translation>巡查</translation>
    </message>
    <message>
      <source>Patrol routes</source>
      <translation>巡查路线</translation>
    </message>
    <message>
      <source>Pending review</source>
      <translation>待审核</translation>
    </message>
    <message>
      <source>Points of interest</source>
      <translation>兴趣点</translation>
    </message>
    <message>
      <source>Quarantined</source>
      <translation>已隔离</translation>
    </message>
    <message>
      <source>Quarantined submissions</source>
      <translation>隔离的上报</translation>
    </message>
    <message>
      <source>Rejected</source>
      <translation>已驳回</translation>
    </message>
    <message>
      <source>Responsibility grids</source>
      <translation>责任网格</translation>
    </message>
    <message>
      <source>Sent back (has issues)</source>
      <translation>已退回（有问题）</translation>
    </message>
    <message>
      <source>Street</source>
      <translation>街道</translation>
    </message>
    <message>
      <source>Streets</source>
      <translation>街道</translation>
    </message>
    <message>
      <source>Style {0} could not be applied: {1}</source>
      <translation>无法应用样式 {0}：{1}</translation>
    </message>
    <message>
      <source>Submissions</source>
      <translation>上报</translation>
    </message>
    <message>
      <source>Thematic layers</source>
      <translation>专题图层</translation>
    </message>
    <message>
      <source>Track points</source>
      <translation>轨迹点</translation>
    </message>
    <message>
      <source>Unit grids</source>
      <translation>单元网格</translation>
    </message>
    <message>
      <source>Updated a component</source>
      <translation>已更新部件</translation>
    </message>
    <message>
      <source>Verification and check tasks</source>
      <translation>核实核查任务</translation>
    </message>
    <message>
      <source>Window area</source>
      <translation>窗口地区</translation>
    </message>
    <message>
      <source>Workspace layers that could not be opened: {0}</source>
      <translation>无法打开的工作空间图层：{0}</translation>
    </message>
    <message>
      <source>{0} layers loaded.</source>
      <translation>已加载 {0} 个图层。</translation>
    </message>
  </context>
  <context>
    <name>Patrol</name>
    <message>
      <source>Could not connect to the PostGIS database: {0}</source>
      <translation>无法连接 PostGIS 数据库：{0}</translation>
    </message>
    <message>
      <source>The coverage SQL failed in PostGIS: {0}</source>
      <translation>覆盖率 SQL 在 PostGIS 中执行失败：{0}</translation>
    </message>
    <message>
      <source>The time field {0} must be a timestamp, date or number of seconds.</source>
      <translation>时间字段 {0} 必须是时间戳、日期或秒数。</translation>
    </message>
  </context>
  <context>
    <name>PhotoViewer</name>
    <message>
      <source>Actual size</source>
      <translation>原始大小</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>Fit</source>
      <translation>适应窗口</translation>
    </message>
    <message>
      <source>Next</source>
      <translation>下一张</translation>
    </message>
    <message>
      <source>Photos</source>
      <translation>照片</translation>
    </message>
    <message>
      <source>Previous</source>
      <translation>上一张</translation>
    </message>
    <message>
      <source>Zoom in</source>
      <translation>放大</translation>
    </message>
    <message>
      <source>Zoom out</source>
      <translation>缩小</translation>
    </message>
    <message>
      <source>this photo cannot be read</source>
      <translation>无法读取此照片</translation>
    </message>
    <message>
      <source>{0} of {1}</source>
      <translation>第 {0} 张，共 {1} 张</translation>
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
    <name>Processing</name>
    <message>
      <source>Choose a GeoPackage workspace file</source>
      <translation>选择 GeoPackage 工作空间文件</translation>
    </message>
    <message>
      <source>GeoPackage (*.gpkg)</source>
      <translation>GeoPackage 文件 (*.gpkg)</translation>
    </message>
    <message>
      <source>GeoPackage workspace</source>
      <translation>GeoPackage 工作空间</translation>
    </message>
    <message>
      <source>none: write to the output below</source>
      <translation>不选：写入下方的输出图层</translation>
    </message>
  </context>
  <context>
    <name>Project</name>
    <message>
      <source>Census</source>
      <translation>普查</translation>
    </message>
    <message>
      <source>City management: {0}</source>
      <translation>数字城管：{0}</translation>
    </message>
    <message>
      <source>Main roads (report maps)</source>
      <translation>主要道路（报告地图用）</translation>
    </message>
    <message>
      <source>Patrol</source>
      <translation>巡查</translation>
    </message>
    <message>
      <source>Quality checks</source>
      <translation>质量检查</translation>
    </message>
    <message>
      <source>Review</source>
      <translation>审核</translation>
    </message>
    <message>
      <source>Thematic</source>
      <translation>专题</translation>
    </message>
    <message>
      <source>Weekly checks {0}</source>
      <translation>每周检查 {0}</translation>
    </message>
  </context>
  <context>
    <name>Reports</name>
    <message>
      <source>Active days</source>
      <translation>上报天数</translation>
    </message>
    <message>
      <source>Assessment (考核)</source>
      <translation>考核</translation>
    </message>
    <message>
      <source>Assessment: collectors' scores</source>
      <translation>考核：采集员得分</translation>
    </message>
    <message>
      <source>Assessment: contractors and payment</source>
      <translation>考核：服务单位得分与付款</translation>
    </message>
    <message>
      <source>Atlas of responsibility grids…</source>
      <translation>正在生成责任网格图册……</translation>
    </message>
    <message>
      <source>Collector</source>
      <translation>采集员</translation>
    </message>
    <message>
      <source>Collectors</source>
      <translation>采集员</translation>
    </message>
    <message>
      <source>Collectors: patrol and reports</source>
      <translation>采集员巡查与上报情况</translation>
    </message>
    <message>
      <source>Contract figures</source>
      <translation>合同考核指标</translation>
    </message>
    <message>
      <source>Coverage</source>
      <translation>覆盖率</translation>
    </message>
    <message>
      <source>Failing the weekly rule</source>
      <translation>未达周巡查要求</translation>
    </message>
    <message>
      <source>Figure</source>
      <translation>指标</translation>
    </message>
    <message>
      <source>How it is counted</source>
      <translation>计算方法</translation>
    </message>
    <message>
      <source>Legend</source>
      <translation>图例</translation>
    </message>
    <message>
      <source>Main roads (km)</source>
      <translation>主要道路（公里）</translation>
    </message>
    <message>
      <source>Main roads (m)</source>
      <translation>主要道路（米）</translation>
    </message>
    <message>
      <source>Main roads nobody patrolled</source>
      <translation>无人巡查的主要道路</translation>
    </message>
    <message>
      <source>Monthly KPI and assessment report {0}</source>
      <translation>月度考核指标报告 {0}</translation>
    </message>
    <message>
      <source>Monthly report…</source>
      <translation>正在生成月报……</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Not met</source>
      <translation>未达标</translation>
    </message>
    <message>
      <source>Off route</source>
      <translation>偏离路线</translation>
    </message>
    <message>
      <source>Off-route stretches</source>
      <translation>偏离路线路段</translation>
    </message>
    <message>
      <source>Patrol time (h)</source>
      <translation>巡查时长（小时）</translation>
    </message>
    <message>
      <source>Patrolled</source>
      <translation>已巡查</translation>
    </message>
    <message>
      <source>Patrolled (km)</source>
      <translation>巡查里程（公里）</translation>
    </message>
    <message>
      <source>Patrolled (m)</source>
      <translation>已巡查（米）</translation>
    </message>
    <message>
      <source>Reports</source>
      <translation>上报情况</translation>
    </message>
    <message>
      <source>Reports per week of the month</source>
      <translation>本月各周上报数</translation>
    </message>
    <message>
      <source>Required</source>
      <translation>要求</translation>
    </message>
    <message>
      <source>Responsibility grid</source>
      <translation>责任网格</translation>
    </message>
    <message>
      <source>Responsibility grid atlas {0}</source>
      <translation>责任网格图册 {0}</translation>
    </message>
    <message>
      <source>Responsibility grids</source>
      <translation>责任网格</translation>
    </message>
    <message>
      <source>Responsibility grids failing the weekly rule</source>
      <translation>未达周巡查要求的责任网格</translation>
    </message>
    <message>
      <source>Scored with the contract profile {0}: each collector starts from {1:g} points, less the deductions; a contractor's score is its collectors' mean less its own deductions and decides the share of the monthly fee paid. Every collector's score is on page 3.</source>
      <translation>按合同配置“{0}”计分：每名采集员以 {1:g} 分为基础扣分；服务单位得分为其采集员平均分再扣除单位扣分，并据此确定月度服务费的支付比例。各采集员得分见第 3 页。</translation>
    </message>
    <message>
      <source>The PDF {0} could not be written.</source>
      <translation>无法写出 PDF 文件 {0}。</translation>
    </message>
    <message>
      <source>The assessment of the month could not be computed: {0} The other figures of the report are complete.</source>
      <translation>当月考核无法计算：{0}报告的其他数据完整。</translation>
    </message>
    <message>
      <source>The layout template {0} cannot be read.</source>
      <translation>无法读取版式模板 {0}。</translation>
    </message>
    <message>
      <source>The layout {0} has no item {1}.</source>
      <translation>版式 {0} 中没有元素 {1}。</translation>
    </message>
    <message>
      <source>The month is not over yet: figures so far.</source>
      <translation>本月尚未结束：以上为截至目前的数据。</translation>
    </message>
    <message>
      <source>This report was made without the assessment of the month.</source>
      <translation>本报告生成时未计算当月考核。</translation>
    </message>
    <message>
      <source>Unit grid</source>
      <translation>单元网格</translation>
    </message>
    <message>
      <source>Unit grid coverage</source>
      <translation>单元网格巡查覆盖</translation>
    </message>
    <message>
      <source>Unit grids</source>
      <translation>单元网格</translation>
    </message>
    <message>
      <source>Unit grids failing</source>
      <translation>未达标单元网格</translation>
    </message>
    <message>
      <source>Unit grids failing the weekly rule</source>
      <translation>未达周巡查要求的单元网格</translation>
    </message>
    <message>
      <source>Valid</source>
      <translation>有效</translation>
    </message>
    <message>
      <source>Valid per active day</source>
      <translation>每上报日有效数</translation>
    </message>
    <message>
      <source>Valid rate</source>
      <translation>有效率</translation>
    </message>
    <message>
      <source>Value</source>
      <translation>数值</translation>
    </message>
    <message>
      <source>Verdict</source>
      <translation>结论</translation>
    </message>
    <message>
      <source>Week {0}</source>
      <translation>周次 {0}</translation>
    </message>
    <message>
      <source>Weekly patrol report {0}</source>
      <translation>巡查周报 {0}</translation>
    </message>
    <message>
      <source>Weekly report…</source>
      <translation>正在生成周报……</translation>
    </message>
    <message>
      <source>generated on {0}</source>
      <translation>生成于 {0}</translation>
    </message>
    <message>
      <source>km</source>
      <translation>公里</translation>
    </message>
    <message>
      <source>met</source>
      <translation>达标</translation>
    </message>
    <message>
      <source>not met</source>
      <translation>未达标</translation>
    </message>
    <message>
      <source>{0:,.1f} km of main roads and window areas in {1:,} unit grids; {2:,.1f} km patrolled ({3}).</source>
      <translation>{1:,} 个单元网格内共有主要道路和窗口地区 {0:,.1f} 公里，已巡查 {2:,.1f} 公里（{3}）。</translation>
    </message>
    <message>
      <source>{0:,} reports, {1:,} of them valid.</source>
      <translation>共上报 {0:,} 条，其中有效 {1:,} 条。</translation>
    </message>
    <message>
      <source>{0} collectors patrolled {1:,.0f} km; {2} of it off their routes.</source>
      <translation>{0} 名采集员共巡查 {1:,.0f} 公里，其中 {2} 偏离规定路线。</translation>
    </message>
    <message>
      <source>{0} could not be written: {1}</source>
      <translation>无法写出 {0}：{1}</translation>
    </message>
    <message>
      <source>{0} has no week {1}.</source>
      <translation>{0} 年没有第 {1} 周。</translation>
    </message>
    <message>
      <source>{0} is not a month: write it as YYYY-MM, e.g. 2026-11.</source>
      <translation>{0} 不是月份：请写成 YYYY-MM，例如 2026-11。</translation>
    </message>
    <message>
      <source>{0} is not an ISO week: write it as YYYY-Www, e.g. 2026-W46.</source>
      <translation>{0} 不是 ISO 周：请写成 YYYY-Www，例如 2026-W46。</translation>
    </message>
    <message>
      <source>{0} of {1} contract figures met in {2} ({3} days).</source>
      <translation>{2}（{3} 天）的 {1} 项合同指标中有 {0} 项达标。</translation>
    </message>
    <message>
      <source>{0} unit grids and {1} responsibility grids fail the weekly patrol rule.</source>
      <translation>{0} 个单元网格、{1} 个责任网格未达到每周巡查要求。</translation>
    </message>
    <message>
      <source>{0} · page {1} of {2}</source>
      <translation>{0} · 第 {1} 页，共 {2} 页</translation>
    </message>
    <message>
      <source>{0}: score {1:.1f}, {2} of the monthly fee: {3:,.2f} payable, {4:,.2f} withheld.</source>
      <translation>{0}：得分 {1:.1f}，支付月度服务费的 {2}，应付 {3:,.2f}，扣减 {4:,.2f}。</translation>
    </message>
    <message>
      <source>… and {0} more: see the atlas.</source>
      <translation>……另有 {0} 个，详见责任网格图册。</translation>
    </message>
  </context>
  <context>
    <name>Review</name>
    <message>
      <source>A submission without position or category cannot become a component.</source>
      <translation>没有位置或类别的上报不能入库为部件。</translation>
    </message>
    <message>
      <source>Choose the stored component this submission updates.</source>
      <translation>请选择此上报要更新的已入库部件。</translation>
    </message>
    <message>
      <source>Class {0} is not in the class table.</source>
      <translation>类别 {0} 不在类别表中。</translation>
    </message>
    <message>
      <source>Component {0} was changed by {1} since you loaded it (version {2}, you saw version {3}): nothing was decided; reload and decide again.</source>
      <translation>部件 {0} 在您载入后已被 {1} 修改（当前版本 {2}，您看到的是版本 {3}）：未作任何决定，请重新载入后再决定。</translation>
    </message>
    <message>
      <source>Duplicate of a stored component.</source>
      <translation>与已入库部件重复。</translation>
    </message>
    <message>
      <source>Duplicate of an earlier submission.</source>
      <translation>与先前上报重复。</translation>
    </message>
    <message>
      <source>Field submission {0}</source>
      <translation>外业上报 {0}</translation>
    </message>
    <message>
      <source>Give a reason to reject or send back a submission.</source>
      <translation>驳回或退回上报时请填写原因。</translation>
    </message>
    <message>
      <source>No connection to {0}: decision kept, not written back.</source>
      <translation>无法连接 {0}：审核结论已保存，未回写。</translation>
    </message>
    <message>
      <source>No submission {0}.</source>
      <translation>没有上报 {0}。</translation>
    </message>
    <message>
      <source>Submission {0} changed since it was loaded; reload it.</source>
      <translation>上报 {0} 在加载后已被修改，请重新加载。</translation>
    </message>
    <message>
      <source>Submission {0} was already decided ({1}) by {2}; reload it.</source>
      <translation>上报 {0} 已由 {2} 处理（{1}），请重新加载。</translation>
    </message>
    <message>
      <source>Unknown decision {0}.</source>
      <translation>未知审核结论 {0}。</translation>
    </message>
    <message>
      <source>Unknown reject reason {0}.</source>
      <translation>未知的退回原因 {0}。</translation>
    </message>
    <message>
      <source>You may not change submission {0}: {1}</source>
      <translation>您无权修改上报 {0}：{1}</translation>
    </message>
    <message>
      <source>auto-match: {0} {1:.1f} m away, status as reported</source>
      <translation>自动匹配：{0}，相距 {1:.1f} 米，状态按上报更新</translation>
    </message>
    <message>
      <source>auto-match: {0} {1:.1f} m away, stored as {2} already: a report of the problem, not a duplicate</source>
      <translation>自动匹配：{0}，相距 {1:.1f} 米，库中已记为{2}：属于该问题的上报，不是重复</translation>
    </message>
    <message>
      <source>duplicate of submission {0} ({1:.0f} m, {2:.0f} min later)</source>
      <translation>与上报 {0} 重复（相距 {1:.0f} 米，晚 {2:.0f} 分钟）</translation>
    </message>
    <message>
      <source>matches {0}</source>
      <translation>匹配 {0}</translation>
    </message>
    <message>
      <source>status {0} → {1}</source>
      <translation>状态 {0} → {1}</translation>
    </message>
  </context>
  <context>
    <name>ReviewDock</name>
    <message>
      <source>Agreement</source>
      <translation>属性一致</translation>
    </message>
    <message>
      <source>All categories</source>
      <translation>全部类别</translation>
    </message>
    <message>
      <source>All collectors</source>
      <translation>全部采集员</translation>
    </message>
    <message>
      <source>All photos of the submission, large</source>
      <translation>放大查看该上报的全部照片</translation>
    </message>
    <message>
      <source>All resp. grids</source>
      <translation>全部责任网格</translation>
    </message>
    <message>
      <source>All sources</source>
      <translation>全部来源</translation>
    </message>
    <message>
      <source>All states</source>
      <translation>全部状态</translation>
    </message>
    <message>
      <source>Cancel pull</source>
      <translation>取消拉取</translation>
    </message>
    <message>
      <source>Cancelling after the page being stored…</source>
      <translation>当前页保存完毕后取消……</translation>
    </message>
    <message>
      <source>Category</source>
      <translation>类别</translation>
    </message>
    <message>
      <source>Class</source>
      <translation>类别</translation>
    </message>
    <message>
      <source>Click a submission on the map to select it in the list</source>
      <translation>点击地图上的上报，在列表中选中它</translation>
    </message>
    <message>
      <source>Click a submission on the map.</source>
      <translation>请在地图上点击一条上报。</translation>
    </message>
    <message>
      <source>Collector</source>
      <translation>采集员</translation>
    </message>
    <message>
      <source>Component</source>
      <translation>部件</translation>
    </message>
    <message>
      <source>Decide every selected submission</source>
      <translation>对选中的全部上报作出此决定</translation>
    </message>
    <message>
      <source>Distance (m)</source>
      <translation>距离（米）</translation>
    </message>
    <message>
      <source>Double-click a photo to see it large.</source>
      <translation>双击照片可放大查看。</translation>
    </message>
    <message>
      <source>Edited after the decision</source>
      <translation>决定后被修改</translation>
    </message>
    <message>
      <source>Edited on the server after the decision ({0}): the decision stays; look at the new version, then mark the edit as seen.</source>
      <translation>审核决定后在服务器上被修改（{0}）：决定保持不变；请查看新版本，然后将修改标记为已阅。</translation>
    </message>
    <message>
      <source>Every decision you make names this user.</source>
      <translation>您作出的每项审核决定都记在此用户名下。</translation>
    </message>
    <message>
      <source>Failed: {0}</source>
      <translation>失败：{0}</translation>
    </message>
    <message>
      <source>Filters</source>
      <translation>筛选</translation>
    </message>
    <message>
      <source>Flag / reason</source>
      <translation>标记 / 原因</translation>
    </message>
    <message>
      <source>Give a reason to reject or send back.</source>
      <translation>驳回或退回时请填写原因。</translation>
    </message>
    <message>
      <source>Grid</source>
      <translation>网格</translation>
    </message>
    <message>
      <source>Likely a repeat of submission {0} ({1:.0f} m away, {2:.0f} min later).</source>
      <translation>可能与上报 {0} 重复（相距 {1:.0f} 米，晚 {2:.0f} 分钟）。</translation>
    </message>
    <message>
      <source>Mark edit as seen</source>
      <translation>标记修改为已阅</translation>
    </message>
    <message>
      <source>Mark the selected submissions' edits after the decision as seen</source>
      <translation>将所选上报在决定后的修改标记为已阅</translation>
    </message>
    <message>
      <source>Marked as seen: {0}.</source>
      <translation>已标记为已阅：{0} 条。</translation>
    </message>
    <message>
      <source>Next</source>
      <translation>下一条</translation>
    </message>
    <message>
      <source>No more submissions to decide in this list.</source>
      <translation>列表中已没有待审核的上报。</translation>
    </message>
    <message>
      <source>No readable photo</source>
      <translation>没有可读照片</translation>
    </message>
    <message>
      <source>No sources configured: add one with Sources….</source>
      <translation>尚未配置数据源：请通过“数据源…”添加。</translation>
    </message>
    <message>
      <source>No submission of the list here: zoom in or change the filters.</source>
      <translation>此处没有列表中的上报：请放大地图或调整筛选条件。</translation>
    </message>
    <message>
      <source>No submission selected: choose one in the list or on the map.</source>
      <translation>未选中上报：请在列表或地图上选择。</translation>
    </message>
    <message>
      <source>No workspace open.</source>
      <translation>未打开工作空间。</translation>
    </message>
    <message>
      <source>Nothing to pull.</source>
      <translation>没有可拉取的内容。</translation>
    </message>
    <message>
      <source>Observed</source>
      <translation>上报时间</translation>
    </message>
    <message>
      <source>Photos</source>
      <translation>照片</translation>
    </message>
    <message>
      <source>Photos…</source>
      <translation>照片…</translation>
    </message>
    <message>
      <source>Pull field submissions</source>
      <translation>拉取外业上报</translation>
    </message>
    <message>
      <source>Pull sources</source>
      <translation>拉取数据源</translation>
    </message>
    <message>
      <source>Pulling {0} sources…</source>
      <translation>正在拉取 {0} 个数据源……</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Resp. grid</source>
      <translation>责任网格</translation>
    </message>
    <message>
      <source>Review: next submission to decide</source>
      <translation>上报审核：下一条待审核上报</translation>
    </message>
    <message>
      <source>Review: select a submission on the map</source>
      <translation>上报审核：在地图上选择上报</translation>
    </message>
    <message>
      <source>Review: {0}</source>
      <translation>上报审核：{0}</translation>
    </message>
    <message>
      <source>Select on map</source>
      <translation>在地图上选择</translation>
    </message>
    <message>
      <source>Select submissions edited after the decision.</source>
      <translation>请选择决定后被修改的上报。</translation>
    </message>
    <message>
      <source>Select submissions first.</source>
      <translation>请先选择上报。</translation>
    </message>
    <message>
      <source>Select the next submission still to decide</source>
      <translation>选中下一条尚待审核的上报</translation>
    </message>
    <message>
      <source>Showing {0} of {1}. </source>
      <translation>显示 {0} / {1}。</translation>
    </message>
    <message>
      <source>Source</source>
      <translation>来源</translation>
    </message>
    <message>
      <source>Sources…</source>
      <translation>数据源…</translation>
    </message>
    <message>
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Submission review</source>
      <translation>上报审核</translation>
    </message>
    <message>
      <source>The pull stopped: {0}</source>
      <translation>拉取中止：{0}</translation>
    </message>
    <message>
      <source>Unreadable photo</source>
      <translation>照片无法读取</translation>
    </message>
    <message>
      <source>Wheel: zoom; drag: move; double-click: all photos</source>
      <translation>滚轮缩放，拖动平移，双击查看全部照片</translation>
    </message>
    <message>
      <source>Why a report is rejected: counted as a wrong report (错报) of its collector</source>
      <translation>退回原因：计为该采集员的错报</translation>
    </message>
    <message>
      <source>edited after the decision</source>
      <translation>决定后被修改</translation>
    </message>
    <message>
      <source>grid code or prefix</source>
      <translation>网格代码或前缀</translation>
    </message>
    <message>
      <source>likely repeat</source>
      <translation>疑似重复</translation>
    </message>
    <message>
      <source>position corrected (GCJ-02/BD-09)</source>
      <translation>位置已纠偏（GCJ-02/BD-09）</translation>
    </message>
    <message>
      <source>reason (needed to reject or send back)</source>
      <translation>原因（驳回或退回时必填）</translation>
    </message>
    <message>
      <source>suspected GCJ-02/BD-09</source>
      <translation>疑似 GCJ-02/BD-09 坐标</translation>
    </message>
    <message>
      <source>{0} not yet written back to the server.</source>
      <translation>{0} 条尚未回写服务器。</translation>
    </message>
    <message>
      <source>{0} refused: {1}</source>
      <translation>{0} 条被拒绝：{1}</translation>
    </message>
    <message>
      <source>{0} without a candidate skipped.</source>
      <translation>{0} 条没有候选部件，已跳过。</translation>
    </message>
    <message>
      <source>{0}: {1} decided.</source>
      <translation>{0}：已处理 {1} 条。</translation>
    </message>
  </context>
  <context>
    <name>Security</name>
    <message>
      <source>No login {0} in this database: create it first (CREATE ROLE … LOGIN, with its password or other authentication).</source>
      <translation>数据库中没有登录名 {0}：请先创建（CREATE ROLE … LOGIN，并设置密码或其他认证方式）。</translation>
    </message>
    <message>
      <source>No role {0}: choose one of {1}.</source>
      <translation>没有角色 {0}：请从 {1} 中选择。</translation>
    </message>
    <message>
      <source>Not a district (6 digits) or street (9 digits) of this workspace: {0}</source>
      <translation>不是本工作空间的区县（6位）或街道（9位）代码：{0}</translation>
    </message>
    <message>
      <source>Role name</source>
      <translation>角色名</translation>
    </message>
    <message>
      <source>Roles and districts are PostgreSQL's: a GeoPackage is one person's file, protected by the file's own permissions.</source>
      <translation>角色和辖区限制仅适用于 PostgreSQL：GeoPackage 是个人文件，由文件本身的权限保护。</translation>
    </message>
    <message>
      <source>The schema name is too long for its role names: {0}</source>
      <translation>模式名过长，无法生成其角色名：{0}</translation>
    </message>
    <message>
      <source>The workspace has no roles yet: run db roles first.</source>
      <translation>工作空间尚无角色：请先运行 db roles。</translation>
    </message>
    <message>
      <source>The {0} role works for every district; it cannot be limited.</source>
      <translation>{0} 角色面向全部辖区，不能限制辖区。</translation>
    </message>
    <message>
      <source>This workspace's schema is too old for roles: run db upgrade first.</source>
      <translation>本工作空间的数据库结构版本过旧，不支持角色：请先运行 db upgrade。</translation>
    </message>
    <message>
      <source>{0} is an admin, who works for every district.</source>
      <translation>{0} 是管理员，面向全部辖区。</translation>
    </message>
  </context>
  <context>
    <name>Sources</name>
    <message>
      <source>A QGIS authentication configuration of the Basic method: user name = your ODK Central e-mail. It stays on this computer; the workspace never stores it.</source>
      <translation>使用 Basic 方式的 QGIS 认证配置：用户名为您的 ODK Central 邮箱。该配置只保存在本机，工作空间不会保存。</translation>
    </message>
    <message>
      <source>A folder source's name cannot start with odk: or inbox:.</source>
      <translation>文件夹数据源的名称不能以 odk：或 inbox：开头。</translation>
    </message>
    <message>
      <source>A source named {0} exists.</source>
      <translation>已存在名为 {0} 的数据源。</translation>
    </message>
    <message>
      <source>Add ODK Central…</source>
      <translation>添加 ODK Central…</translation>
    </message>
    <message>
      <source>Add device folder…</source>
      <translation>添加设备文件夹…</translation>
    </message>
    <message>
      <source>Allow unencrypted http for this server</source>
      <translation>允许对此服务器使用未加密的 http</translation>
    </message>
    <message>
      <source>BD-09 (Baidu)</source>
      <translation>BD-09（百度）</translation>
    </message>
    <message>
      <source>CGCS2000</source>
      <translation>CGCS2000</translation>
    </message>
    <message>
      <source>Choose a project and a form (Load projects lists them).</source>
      <translation>请选择项目和表单（点击“加载项目”列出）。</translation>
    </message>
    <message>
      <source>Choose a source to edit it, or add one.</source>
      <translation>选择一个数据源进行编辑，或添加新的数据源。</translation>
    </message>
    <message>
      <source>Choose an existing export folder.</source>
      <translation>请选择一个已存在的导出文件夹。</translation>
    </message>
    <message>
      <source>Choose the QGIS authentication configuration of your ODK account.</source>
      <translation>请选择您的 ODK 账号所在的 QGIS 认证配置。</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>Coordinates sent</source>
      <translation>上报坐标系</translation>
    </message>
    <message>
      <source>Device export folder</source>
      <translation>设备导出文件夹</translation>
    </message>
    <message>
      <source>Device folder {0}</source>
      <translation>设备文件夹 {0}</translation>
    </message>
    <message>
      <source>Export folder</source>
      <translation>导出文件夹</translation>
    </message>
    <message>
      <source>Failed: {0}</source>
      <translation>失败：{0}</translation>
    </message>
    <message>
      <source>Field-device sources</source>
      <translation>外业设备数据源</translation>
    </message>
    <message>
      <source>Form</source>
      <translation>表单</translation>
    </message>
    <message>
      <source>GCJ-02 (apps on Chinese map SDKs)</source>
      <translation>GCJ-02（基于国内地图 SDK 的应用）</translation>
    </message>
    <message>
      <source>Give the source a name.</source>
      <translation>请为数据源命名。</translation>
    </message>
    <message>
      <source>It replaces {0}; submissions already stored under that name stay.</source>
      <translation>它取代了 {0}；以该名称保存的上报仍然保留。</translation>
    </message>
    <message>
      <source>Listing the forms of project {0}</source>
      <translation>正在列出项目 {0} 的表单</translation>
    </message>
    <message>
      <source>Listing the projects of {0}</source>
      <translation>正在列出 {0} 的项目</translation>
    </message>
    <message>
      <source>Load projects</source>
      <translation>加载项目</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>New ODK Central source: give the server and your account.</source>
      <translation>新建 ODK Central 数据源：请填写服务器和您的账号。</translation>
    </message>
    <message>
      <source>New device folder source.</source>
      <translation>新建设备文件夹数据源。</translation>
    </message>
    <message>
      <source>No such photo folder: {0}</source>
      <translation>照片文件夹不存在：{0}</translation>
    </message>
    <message>
      <source>ODK Central {0}</source>
      <translation>ODK Central {0}</translation>
    </message>
    <message>
      <source>Photo folder</source>
      <translation>照片文件夹</translation>
    </message>
    <message>
      <source>Photos (optional)</source>
      <translation>照片（可选）</translation>
    </message>
    <message>
      <source>Project</source>
      <translation>项目</translation>
    </message>
    <message>
      <source>Reading {0}</source>
      <translation>正在读取 {0}</translation>
    </message>
    <message>
      <source>Remove</source>
      <translation>移除</translation>
    </message>
    <message>
      <source>Remove source</source>
      <translation>移除数据源</translation>
    </message>
    <message>
      <source>Remove {0}? Submissions already stored stay; it is no longer pulled.</source>
      <translation>移除 {0}？已保存的上报仍然保留，但不再拉取该数据源。</translation>
    </message>
    <message>
      <source>Removed {0}; its stored submissions stay.</source>
      <translation>已移除 {0}；其已保存的上报仍然保留。</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>保存</translation>
    </message>
    <message>
      <source>Saved {0}.</source>
      <translation>已保存 {0}。</translation>
    </message>
    <message>
      <source>Server</source>
      <translation>服务器</translation>
    </message>
    <message>
      <source>Still busy with the server; wait a moment.</source>
      <translation>仍在与服务器通信，请稍候。</translation>
    </message>
    <message>
      <source>Submissions per page</source>
      <translation>每页上报数</translation>
    </message>
    <message>
      <source>Test</source>
      <translation>测试</translation>
    </message>
    <message>
      <source>Test passed: {0}</source>
      <translation>测试通过：{0}</translation>
    </message>
    <message>
      <source>Testing {0}</source>
      <translation>正在测试 {0}</translation>
    </message>
    <message>
      <source>The address changed since you chose your account for it ({0}): check it, then choose your account again.</source>
      <translation>自您为其选择账号（{0}）以来，该地址已更改：请核实地址，然后重新选择账号。</translation>
    </message>
    <message>
      <source>The chosen authentication configuration uses the {0} method; ODK Central needs Basic (user name = e-mail, password).</source>
      <translation>所选认证配置使用的是 {0} 方式；ODK Central 需要 Basic 方式（用户名为邮箱，另加密码）。</translation>
    </message>
    <message>
      <source>WGS84 (GPS)</source>
      <translation>WGS84（GPS）</translation>
    </message>
    <message>
      <source>Without a photo folder, photos/ or photos.zip next to the submissions file is used.</source>
      <translation>未指定照片文件夹时，使用上报文件旁的 photos/ 或 photos.zip。</translation>
    </message>
    <message>
      <source>Without https, anyone on the network between you and the server can read your password and the submissions. Only for a server on this computer or a closed test network.</source>
      <translation>不使用 https 时，您与服务器之间网络上的任何人都能读取您的密码和上报数据。仅限本机服务器或封闭的测试网络使用。</translation>
    </message>
    <message>
      <source>Your account</source>
      <translation>您的账号</translation>
    </message>
    <message>
      <source>address changed: choose your account again</source>
      <translation>地址已更改：请重新选择账号</translation>
    </message>
    <message>
      <source>cancelled</source>
      <translation>已取消</translation>
    </message>
    <message>
      <source>e.g. device-north</source>
      <translation>例如 北区设备</translation>
    </message>
    <message>
      <source>no account on this computer</source>
      <translation>本机未指定账号</translation>
    </message>
    <message>
      <source>unknown (WGS84 assumed, shifted points flagged)</source>
      <translation>未知（按 WGS84 处理，偏移点将被标记）</translation>
    </message>
    <message>
      <source>your account: {0}</source>
      <translation>您的账号：{0}</translation>
    </message>
    <message>
      <source>{0} is configured with the ingest command.</source>
      <translation>{0} 是通过 ingest 命令配置的。</translation>
    </message>
  </context>
  <context>
    <name>SqlNames</name>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>{0} {1} is not allowed: names starting with pg_ are reserved.</source>
      <translation>{0} {1} 不可用：以 pg_ 开头的名称为系统保留。</translation>
    </message>
    <message>
      <source>{0} {1} is not allowed: use lower-case letters a-z, digits and _, starting with a letter or _.</source>
      <translation>{0} {1} 不可用：只能使用小写字母 a-z、数字和下划线 _，并以字母或 _ 开头。</translation>
    </message>
    <message>
      <source>{0} {1} is too long: at most {2} characters.</source>
      <translation>{0} {1} 过长：最多 {2} 个字符。</translation>
    </message>
  </context>
  <context>
    <name>Styles</name>
    <message>
      <source>10 – 25 % of the day off route</source>
      <translation>当日偏离路线 10%–25%</translation>
    </message>
    <message>
      <source>25 – 50 % of the day off route</source>
      <translation>当日偏离路线 25%–50%</translation>
    </message>
    <message>
      <source>Absent days</source>
      <translation>缺勤天数</translation>
    </message>
    <message>
      <source>Active days</source>
      <translation>上报天数</translation>
    </message>
    <message>
      <source>Area (m²)</source>
      <translation>面积（平方米）</translation>
    </message>
    <message>
      <source>Category</source>
      <translation>类别</translation>
    </message>
    <message>
      <source>Category name</source>
      <translation>类别名称</translation>
    </message>
    <message>
      <source>Collector</source>
      <translation>采集员</translation>
    </message>
    <message>
      <source>Collector code</source>
      <translation>采集员编号</translation>
    </message>
    <message>
      <source>Collectors</source>
      <translation>采集员</translation>
    </message>
    <message>
      <source>Comment</source>
      <translation>说明</translation>
    </message>
    <message>
      <source>Component feature id</source>
      <translation>部件要素编号</translation>
    </message>
    <message>
      <source>Component reports</source>
      <translation>部件上报数</translation>
    </message>
    <message>
      <source>Component share</source>
      <translation>部件问题占比</translation>
    </message>
    <message>
      <source>Count</source>
      <translation>数量</translation>
    </message>
    <message>
      <source>Coverage share</source>
      <translation>覆盖率</translation>
    </message>
    <message>
      <source>Day</source>
      <translation>日期</translation>
    </message>
    <message>
      <source>Distance off route (m)</source>
      <translation>偏离路线里程（米）</translation>
    </message>
    <message>
      <source>Duration (s)</source>
      <translation>时长（秒）</translation>
    </message>
    <message>
      <source>Error</source>
      <translation>错误</translation>
    </message>
    <message>
      <source>Event reports</source>
      <translation>事件上报数</translation>
    </message>
    <message>
      <source>Fails the weekly rule</source>
      <translation>未达周巡查要求</translation>
    </message>
    <message>
      <source>Grid code</source>
      <translation>网格编码</translation>
    </message>
    <message>
      <source>Hour</source>
      <translation>小时</translation>
    </message>
    <message>
      <source>Identifier</source>
      <translation>标识码</translation>
    </message>
    <message>
      <source>KPI</source>
      <translation>指标</translation>
    </message>
    <message>
      <source>KPI id</source>
      <translation>指标编号</translation>
    </message>
    <message>
      <source>Length (m)</source>
      <translation>长度（米）</translation>
    </message>
    <message>
      <source>Main road</source>
      <translation>主要道路</translation>
    </message>
    <message>
      <source>Main road length (m)</source>
      <translation>主要道路长度（米）</translation>
    </message>
    <message>
      <source>Main roads patrolled</source>
      <translation>主干道已巡查</translation>
    </message>
    <message>
      <source>Message</source>
      <translation>说明</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>No main roads</source>
      <translation>无主干道</translation>
    </message>
    <message>
      <source>No valid report</source>
      <translation>无有效上报</translation>
    </message>
    <message>
      <source>Other grid code</source>
      <translation>另一网格编码</translation>
    </message>
    <message>
      <source>Passed</source>
      <translation>是否达标</translation>
    </message>
    <message>
      <source>Patrol distance (m)</source>
      <translation>巡查里程（米）</translation>
    </message>
    <message>
      <source>Patrol time (h)</source>
      <translation>巡查时长（小时）</translation>
    </message>
    <message>
      <source>Patrol time (s)</source>
      <translation>巡查时长（秒）</translation>
    </message>
    <message>
      <source>Patrolled (km)</source>
      <translation>巡查里程（公里）</translation>
    </message>
    <message>
      <source>Patrolled length (m)</source>
      <translation>已巡查长度（米）</translation>
    </message>
    <message>
      <source>Reports</source>
      <translation>上报数</translation>
    </message>
    <message>
      <source>Responsibility grid</source>
      <translation>责任网格</translation>
    </message>
    <message>
      <source>Responsibility grid fails the weekly rule</source>
      <translation>责任网格未达周巡查要求</translation>
    </message>
    <message>
      <source>Rule</source>
      <translation>规则</translation>
    </message>
    <message>
      <source>Scheduled days</source>
      <translation>应出勤天数</translation>
    </message>
    <message>
      <source>Share of distance off route</source>
      <translation>偏离路线里程占比</translation>
    </message>
    <message>
      <source>Share of the day off route</source>
      <translation>当日偏离路线比例</translation>
    </message>
    <message>
      <source>Share of time off route</source>
      <translation>偏离路线时长占比</translation>
    </message>
    <message>
      <source>Share off route</source>
      <translation>偏离路线比例</translation>
    </message>
    <message>
      <source>Style {0} could not be applied: {1}</source>
      <translation>无法应用样式 {0}：{1}</translation>
    </message>
    <message>
      <source>This responsibility grid</source>
      <translation>本责任网格</translation>
    </message>
    <message>
      <source>Threshold</source>
      <translation>要求</translation>
    </message>
    <message>
      <source>Time off route (s)</source>
      <translation>偏离路线时长（秒）</translation>
    </message>
    <message>
      <source>Unit grids</source>
      <translation>单元网格数</translation>
    </message>
    <message>
      <source>Unit grids failing</source>
      <translation>未达标单元网格数</translation>
    </message>
    <message>
      <source>Valid component reports: {0}</source>
      <translation>有效部件上报：{0}</translation>
    </message>
    <message>
      <source>Valid event reports: {0}</source>
      <translation>有效事件上报：{0}</translation>
    </message>
    <message>
      <source>Valid problems per scheduled day</source>
      <translation>每应出勤日有效问题数</translation>
    </message>
    <message>
      <source>Valid reports</source>
      <translation>有效上报数</translation>
    </message>
    <message>
      <source>Valid reports per day of the period</source>
      <translation>统计期日均有效上报数</translation>
    </message>
    <message>
      <source>Valid-report rate</source>
      <translation>有效上报率</translation>
    </message>
    <message>
      <source>Value</source>
      <translation>数值</translation>
    </message>
    <message>
      <source>Window area</source>
      <translation>窗口地区</translation>
    </message>
    <message>
      <source>over 50 % of the day off route</source>
      <translation>当日偏离路线 50% 以上</translation>
    </message>
    <message>
      <source>up to 10 % of the day off route</source>
      <translation>当日偏离路线 10% 以下</translation>
    </message>
  </context>
  <context>
    <name>TaskDock</name>
    <message>
      <source> h</source>
      <translation> 小时</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <source>All collectors</source>
      <translation>全部采集员</translation>
    </message>
    <message>
      <source>All grids</source>
      <translation>全部网格</translation>
    </message>
    <message>
      <source>All states</source>
      <translation>全部状态</translation>
    </message>
    <message>
      <source>All tasks</source>
      <translation>全部任务</translation>
    </message>
    <message>
      <source>Allow unencrypted http (not recommended)</source>
      <translation>允许未加密的 http（不推荐）</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Cancel push</source>
      <translation>取消推送</translation>
    </message>
    <message>
      <source>Case</source>
      <translation>案件</translation>
    </message>
    <message>
      <source>Case {0} linked to component {1}.</source>
      <translation>案件 {0} 已关联部件 {1}。</translation>
    </message>
    <message>
      <source>Choose where to push first.</source>
      <translation>请先选择推送目标。</translation>
    </message>
    <message>
      <source>Class</source>
      <translation>类别</translation>
    </message>
    <message>
      <source>Collector</source>
      <translation>采集员</translation>
    </message>
    <message>
      <source>Component</source>
      <translation>部件</translation>
    </message>
    <message>
      <source>Delete the entity</source>
      <translation>删除实体</translation>
    </message>
    <message>
      <source>Distance (m)</source>
      <translation>距离（米）</translation>
    </message>
    <message>
      <source>Entity list</source>
      <translation>实体列表</translation>
    </message>
    <message>
      <source>Finished tasks</source>
      <translation>已结束的任务</translation>
    </message>
    <message>
      <source>Give the project, the entity list and your account.</source>
      <translation>请填写项目、实体列表并选择您的账号。</translation>
    </message>
    <message>
      <source>Grid</source>
      <translation>网格</translation>
    </message>
    <message>
      <source>Link component</source>
      <translation>关联部件</translation>
    </message>
    <message>
      <source>Mark closed (status)</source>
      <translation>标记为已关闭（状态）</translation>
    </message>
    <message>
      <source>No photos yet</source>
      <translation>暂无照片</translation>
    </message>
    <message>
      <source>No workspace open.</source>
      <translation>尚未打开工作空间。</translation>
    </message>
    <message>
      <source>Only an admin may change where the office pushes tasks.</source>
      <translation>只有管理员可以更改单位的任务推送目标。</translation>
    </message>
    <message>
      <source>Outcome</source>
      <translation>结果</translation>
    </message>
    <message>
      <source>Overdue</source>
      <translation>已超时</translation>
    </message>
    <message>
      <source>Project id</source>
      <translation>项目编号</translation>
    </message>
    <message>
      <source>Push</source>
      <translation>推送</translation>
    </message>
    <message>
      <source>Push cancelled: {0}</source>
      <translation>推送已取消：{0}</translation>
    </message>
    <message>
      <source>Push tasks to ODK Central</source>
      <translation>推送任务到 ODK Central</translation>
    </message>
    <message>
      <source>Push to ODK Central…</source>
      <translation>推送到 ODK Central…</translation>
    </message>
    <message>
      <source>Pushing tasks to {0}…</source>
      <translation>正在推送任务到 {0}…</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Select cases on the map (Cases layer) first.</source>
      <translation>请先在地图上（案件图层）选择案件。</translation>
    </message>
    <message>
      <source>Server</source>
      <translation>服务器</translation>
    </message>
    <message>
      <source>Showing {0} of {1}: {2} open ({3} overdue), {4} done, {5} cancelled</source>
      <translation>显示 {0}/{1}：待办 {2}（已超时 {3}），已完成 {4}，已撤销 {5}</translation>
    </message>
    <message>
      <source>Task</source>
      <translation>任务</translation>
    </message>
    <message>
      <source>Tasks for the selected cases</source>
      <translation>为选中案件生成任务</translation>
    </message>
    <message>
      <source>The push stopped: {0}</source>
      <translation>推送中断：{0}</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>时限</translation>
    </message>
    <message>
      <source>Verification and check tasks</source>
      <translation>核实核查任务</translation>
    </message>
    <message>
      <source>Your account</source>
      <translation>您的账号</translation>
    </message>
    <message>
      <source>cancelled</source>
      <translation>已撤销</translation>
    </message>
    <message>
      <source>class time limit</source>
      <translation>按类别时限</translation>
    </message>
    <message>
      <source>done on time</source>
      <translation>按时完成</translation>
    </message>
    <message>
      <source>done {0} late</source>
      <translation>超时 {0} 完成</translation>
    </message>
    <message>
      <source>overdue {0}</source>
      <translation>已超时 {0}</translation>
    </message>
    <message>
      <source>{0} d {1} h</source>
      <translation>{0} 天 {1} 小时</translation>
    </message>
    <message>
      <source>{0} h {1:02d} min</source>
      <translation>{0} 小时 {1:02d} 分</translation>
    </message>
    <message>
      <source>{0} left</source>
      <translation>剩余 {0}</translation>
    </message>
    <message>
      <source>{0} min</source>
      <translation>{0} 分钟</translation>
    </message>
    <message>
      <source>{0}, due {1}: {2}</source>
      <translation>{0}，截止 {1}：{2}</translation>
    </message>
  </context>
  <context>
    <name>Tasks</name>
    <message>
      <source>Case loop: {0} cases from accepted reports, {1} task results applied</source>
      <translation>案件流程：由受理的上报生成案件 {0} 件，应用任务结果 {1} 个</translation>
    </message>
    <message>
      <source>ODK Central answered HTTP {0} for {1}: {2}</source>
      <translation>ODK Central 对 {1} 返回 HTTP {0}：{2}</translation>
    </message>
    <message>
      <source>ODK Central refused {0}: it changed or exists already ({1}).</source>
      <translation>ODK Central 拒绝了 {0}：它已被修改或已存在（{1}）。</translation>
    </message>
    <message>
      <source>The entity of task {0} kept changing on the server; try again.</source>
      <translation>任务 {0} 的实体在服务器上不断被修改，请稍后重试。</translation>
    </message>
    <message>
      <source>{0} entities created, {1} updated, {2} closed; {3} conflicts resolved, {4} found already there, {5} gone from the server</source>
      <translation>新建实体 {0} 个，更新 {1} 个，关闭 {2} 个；解决冲突 {3} 个，已存在 {4} 个，服务器上已删除 {5} 个</translation>
    </message>
    <message>
      <source>{0} submissions looked at: {1} results applied, {2} kept in case history</source>
      <translation>查看了 {0} 份提交：应用结果 {1} 个，记入案件历史 {2} 个</translation>
    </message>
    <message>
      <source>{0} {1} {2} · {3} · due {4}</source>
      <translation>{0} {1} {2} · {3} · 截止 {4}</translation>
    </message>
  </context>
  <context>
    <name>Templates</name>
    <message>
      <source>'core_table' must be one of {0}</source>
      <translation>'core_table' 必须是 {0} 之一</translation>
    </message>
    <message>
      <source>'fields' must be a non-empty list</source>
      <translation>'fields' 必须是非空列表</translation>
    </message>
    <message>
      <source>'fixed' must be an object</source>
      <translation>'fixed' 必须是对象</translation>
    </message>
    <message>
      <source>'fixed' needs a 'core_table'</source>
      <translation>'fixed' 需要 'core_table'</translation>
    </message>
    <message>
      <source>'format' must be {0}</source>
      <translation>'format' 必须是 {0}</translation>
    </message>
    <message>
      <source>'geometry' must be one of {0}</source>
      <translation>'geometry' 必须是 {0} 之一</translation>
    </message>
    <message>
      <source>'id' must be lower-case letters, digits and _</source>
      <translation>'id' 只能由小写字母、数字和 _ 组成</translation>
    </message>
    <message>
      <source>'style' must be an object</source>
      <translation>'style' 必须是对象</translation>
    </message>
    <message>
      <source>'table' must be lower-case letters, digits and _</source>
      <translation>'table' 只能由小写字母、数字和 _ 组成</translation>
    </message>
    <message>
      <source>No thematic template {0!r}</source>
      <translation>没有专题模板 {0!r}</translation>
    </message>
    <message>
      <source>a template bound to {0} has no table of its own</source>
      <translation>绑定到 {0} 的模板没有单独的表</translation>
    </message>
    <message>
      <source>a template is a JSON object</source>
      <translation>模板必须是 JSON 对象</translation>
    </message>
    <message>
      <source>category_field {0} is not a field</source>
      <translation>category_field {0} 不是字段</translation>
    </message>
    <message>
      <source>each field must be an object</source>
      <translation>每个字段必须是对象</translation>
    </message>
    <message>
      <source>field name {0!r} must be lower-case letters, digits and _</source>
      <translation>字段名 {0!r} 只能由小写字母、数字和 _ 组成</translation>
    </message>
    <message>
      <source>field name {0} is reserved</source>
      <translation>字段名 {0} 为保留字</translation>
    </message>
    <message>
      <source>field {0} is not a {1} column of the workspace table {2}</source>
      <translation>字段 {0} 不是工作空间表 {2} 中的 {1} 类型列</translation>
    </message>
    <message>
      <source>field {0}: 'today' needs a date field</source>
      <translation>字段 {0}：'today' 需要日期字段</translation>
    </message>
    <message>
      <source>field {0}: bad max_length</source>
      <translation>字段 {0}：max_length 无效</translation>
    </message>
    <message>
      <source>field {0}: colour {1} is not #rrggbb</source>
      <translation>字段 {0}：颜色 {1} 不是 #rrggbb 格式</translation>
    </message>
    <message>
      <source>field {0}: default kind must be one of {1}</source>
      <translation>字段 {0}：默认值类型必须是 {1} 之一</translation>
    </message>
    <message>
      <source>field {0}: default {1!r} is not in its domain</source>
      <translation>字段 {0}：默认值 {1!r} 不在取值列表中</translation>
    </message>
    <message>
      <source>field {0}: default {1!r} is not of type {2}</source>
      <translation>字段 {0}：默认值 {1!r} 不是 {2} 类型</translation>
    </message>
    <message>
      <source>field {0}: domain items need a value</source>
      <translation>字段 {0}：取值项需要 value</translation>
    </message>
    <message>
      <source>field {0}: domain value {1!r} is not of type {2}</source>
      <translation>字段 {0}：取值 {1!r} 不是 {2} 类型</translation>
    </message>
    <message>
      <source>field {0}: domain values repeat</source>
      <translation>字段 {0}：取值重复</translation>
    </message>
    <message>
      <source>field {0}: type must be one of {1}</source>
      <translation>字段 {0}：类型必须是 {1} 之一</translation>
    </message>
    <message>
      <source>field {0}: {1} needs a number field</source>
      <translation>字段 {0}：{1} 需要数值字段</translation>
    </message>
    <message>
      <source>fields repeat: {0}</source>
      <translation>字段重复：{0}</translation>
    </message>
    <message>
      <source>fixed {0}: bad value {1!r}</source>
      <translation>固定值 {0}：值 {1!r} 无效</translation>
    </message>
    <message>
      <source>fixed {0}: not a column of {1}, or also a field</source>
      <translation>固定值 {0}：不是 {1} 的列，或同时也是字段</translation>
    </message>
    <message>
      <source>not readable JSON: {0}</source>
      <translation>不是可读的 JSON：{0}</translation>
    </message>
    <message>
      <source>rule {0} does not apply to {1} layers</source>
      <translation>规则 {0} 不适用于 {1} 图层</translation>
    </message>
    <message>
      <source>rule {0} needs a value &gt;= 0</source>
      <translation>规则 {0} 需要不小于 0 的值</translation>
    </message>
    <message>
      <source>rule {0}: {1} is not a field</source>
      <translation>规则 {0}：{1} 不是字段</translation>
    </message>
    <message>
      <source>snapping layer {0!r}: use self, workspace:&lt;table&gt; or thematic:&lt;template&gt;</source>
      <translation>捕捉图层 {0!r}：请使用 self、workspace:&lt;表名&gt; 或 thematic:&lt;模板&gt;</translation>
    </message>
    <message>
      <source>snapping targets need a 'layer'</source>
      <translation>捕捉目标需要 'layer'</translation>
    </message>
    <message>
      <source>snapping {0}: bad type or units</source>
      <translation>捕捉 {0}：类型或单位无效</translation>
    </message>
    <message>
      <source>style {0} is not #rrggbb</source>
      <translation>样式 {0} 不是 #rrggbb 格式</translation>
    </message>
    <message>
      <source>unknown rule {0!r}</source>
      <translation>未知规则 {0!r}</translation>
    </message>
    <message>
      <source>{0} holds {1} geometries</source>
      <translation>{0} 存放 {1} 几何图形</translation>
    </message>
    <message>
      <source>{0} needs English and Chinese text {{en, zh}}</source>
      <translation>{0} 需要英文和中文文本 {{en, zh}}</translation>
    </message>
    <message>
      <source>{0} needs {1}: make it a mandatory field or a fixed value</source>
      <translation>{0} 需要 {1}：请将其设为必填字段或固定值</translation>
    </message>
    <message>
      <source>{0}: 'zh' must be text</source>
      <translation>{0}：'zh' 必须是文本</translation>
    </message>
    <message>
      <source>{0}: no such folder</source>
      <translation>{0}：文件夹不存在</translation>
    </message>
  </context>
  <context>
    <name>Thematic</name>
    <message>
      <source>Database table “{0}”</source>
      <translation>数据库表“{0}”</translation>
    </message>
    <message>
      <source>Database table “{0}”, rows with {1}</source>
      <translation>数据库表“{0}”中 {1} 的行</translation>
    </message>
    <message>
      <source>Rules</source>
      <translation>规则</translation>
    </message>
    <message>
      <source>Table name</source>
      <translation>表名</translation>
    </message>
    <message>
      <source>Table {0} already exists in the workspace.</source>
      <translation>工作空间中已有表 {0}。</translation>
    </message>
    <message>
      <source>The workspace already has a layer on {0} (template {1}).</source>
      <translation>工作空间中已有基于 {0} 的图层（模板 {1}）。</translation>
    </message>
    <message>
      <source>{0} is not a thematic layer of this workspace</source>
      <translation>{0} 不是本工作空间的专题图层</translation>
    </message>
    <message>
      <source>{0} is saved in the workspace table {1}; it cannot have a table of its own.</source>
      <translation>{0} 保存在工作空间表 {1} 中，不能拥有单独的表。</translation>
    </message>
  </context>
  <context>
    <name>ThematicCapture</name>
    <message>
      <source>Enable tracing</source>
      <translation>启用追踪</translation>
    </message>
    <message>
      <source>{0} is not a thematic layer</source>
      <translation>{0} 不是专题图层</translation>
    </message>
  </context>
  <context>
    <name>ThematicDock</name>
    <message>
      <source>Choose a layer of the workspace first.</source>
      <translation>请先选择工作空间中的图层。</translation>
    </message>
    <message>
      <source>Create layer</source>
      <translation>新建图层</translation>
    </message>
    <message>
      <source>Created {0}.</source>
      <translation>已新建 {0}。</translation>
    </message>
    <message>
      <source>Digitise on the map: {0}</source>
      <translation>请在地图上采集：{0}</translation>
    </message>
    <message>
      <source>Folder of the city's template files</source>
      <translation>本市模板文件所在文件夹</translation>
    </message>
    <message>
      <source>Layers in the workspace</source>
      <translation>工作空间中的图层</translation>
    </message>
    <message>
      <source>Open a workspace to create thematic layers.</source>
      <translation>请先打开工作空间，再新建专题图层。</translation>
    </message>
    <message>
      <source>Saved in the workspace's {0}, which the patrol coverage checks read.</source>
      <translation>保存在工作空间的{0}中，巡查覆盖率检查读取该表。</translation>
    </message>
    <message>
      <source>Some template files were not loaded: {0}</source>
      <translation>部分模板文件未能加载：{0}</translation>
    </message>
    <message>
      <source>Start digitising</source>
      <translation>开始采集</translation>
    </message>
    <message>
      <source>Surveyor</source>
      <translation>采集人</translation>
    </message>
    <message>
      <source>Template folder…</source>
      <translation>模板文件夹…</translation>
    </message>
    <message>
      <source>Templates</source>
      <translation>模板</translation>
    </message>
    <message>
      <source>The layer could not be created: {0}</source>
      <translation>无法新建图层：{0}</translation>
    </message>
    <message>
      <source>Thematic layers</source>
      <translation>专题图层</translation>
    </message>
    <message>
      <source>areas</source>
      <translation>面</translation>
    </message>
    <message>
      <source>lines</source>
      <translation>线</translation>
    </message>
    <message>
      <source>login name when empty</source>
      <translation>为空时使用登录名</translation>
    </message>
    <message>
      <source>points</source>
      <translation>点</translation>
    </message>
    <message>
      <source>{0}
Geometry: {1}. Mandatory: {2}.
Rules: {3}.</source>
      <translation>{0}
几何类型：{1}。必填：{2}。
规则：{3}。</translation>
    </message>
    <message>
      <source>{0} could not be opened.</source>
      <translation>无法打开 {0}。</translation>
    </message>
  </context>
  <context>
    <name>ThematicForm</name>
    <message>
      <source>(empty)</source>
      <translation>（空）</translation>
    </message>
    <message>
      <source>a value from the list</source>
      <translation>取值须在列表中</translation>
    </message>
    <message>
      <source>at least {0:g}</source>
      <translation>不小于 {0:g}</translation>
    </message>
    <message>
      <source>at most {0:g}</source>
      <translation>不大于 {0:g}</translation>
    </message>
    <message>
      <source>at most {0} characters</source>
      <translation>最多 {0} 个字符</translation>
    </message>
    <message>
      <source>not blank</source>
      <translation>不得为空白</translation>
    </message>
    <message>
      <source>set by the layer</source>
      <translation>由图层设定</translation>
    </message>
  </context>
  <context>
    <name>ThematicGuard</name>
    <message>
      <source>Feature {0} breaks a rule and cannot be saved: {1}</source>
      <translation>要素 {0} 违反规则，不能保存：{1}</translation>
    </message>
    <message>
      <source>Thematic layer rules</source>
      <translation>专题图层规则</translation>
    </message>
    <message>
      <source>{0}: not saved, {1} feature(s) break the layer's rules: {2}</source>
      <translation>{0}：未保存，{1} 个要素违反图层规则：{2}</translation>
    </message>
    <message>
      <source>{0}: {1} feature(s) break the layer's rules: {2}</source>
      <translation>{0}：{1} 个要素违反图层规则：{2}</translation>
    </message>
  </context>
  <context>
    <name>ThematicRules</name>
    <message>
      <source>a {0} layer cannot hold a {1}</source>
      <translation>{0} 图层不能存放 {1}</translation>
    </message>
    <message>
      <source>area {0:.1f} m² is below the minimum {1:g} m²</source>
      <translation>面积 {0:.1f} 平方米小于最小值 {1:g} 平方米</translation>
    </message>
    <message>
      <source>invalid geometry: {0}</source>
      <translation>几何图形无效：{0}</translation>
    </message>
    <message>
      <source>length {0:.1f} m is below the minimum {1:g} m</source>
      <translation>长度 {0:.1f} 米小于最小值 {1:g} 米</translation>
    </message>
    <message>
      <source>mandatory fields</source>
      <translation>必填字段</translation>
    </message>
    <message>
      <source>mandatory fields are empty: {0}</source>
      <translation>必填字段为空：{0}</translation>
    </message>
    <message>
      <source>minimum area</source>
      <translation>最小面积</translation>
    </message>
    <message>
      <source>minimum length</source>
      <translation>最小长度</translation>
    </message>
    <message>
      <source>no overlap within the layer</source>
      <translation>图层内不得重叠</translation>
    </message>
    <message>
      <source>no self-intersection</source>
      <translation>不得自相交</translation>
    </message>
    <message>
      <source>overlaps feature(s) {0} of the same layer</source>
      <translation>与同图层要素 {0} 重叠</translation>
    </message>
    <message>
      <source>the boundary crosses itself ({0})</source>
      <translation>边界自相交（{0}）</translation>
    </message>
    <message>
      <source>the end date is before the start date</source>
      <translation>结束日期早于开始日期</translation>
    </message>
    <message>
      <source>the feature has no geometry</source>
      <translation>要素没有几何图形</translation>
    </message>
    <message>
      <source>the line crosses itself</source>
      <translation>线自相交</translation>
    </message>
    <message>
      <source>valid geometry</source>
      <translation>几何图形有效</translation>
    </message>
    <message>
      <source>values from the field's list</source>
      <translation>取值须在字段列表中</translation>
    </message>
    <message>
      <source>{0} ({1}): {2!r} is not one of the listed values</source>
      <translation>{0}（{1}）：{2!r} 不在取值列表中</translation>
    </message>
    <message>
      <source>{0} ({1}): {2} is outside {3:g} … {4:g}</source>
      <translation>{0}（{1}）：{2} 超出 {3:g} … {4:g}</translation>
    </message>
  </context>
  <context>
    <name>Topology</name>
    <message>
      <source>Area of {0:,.1f} m² in the administrative units has no grid.</source>
      <translation>行政区划内有 {0:,.1f} 平方米的区域没有网格。</translation>
    </message>
    <message>
      <source>Area {0:,.0f} m² is outside {1:,.0f}–{2:,.0f} m².</source>
      <translation>面积 {0:,.0f} 平方米，不在 {1:,.0f}–{2:,.0f} 平方米范围内。</translation>
    </message>
    <message>
      <source>Canceled.</source>
      <translation>已取消。</translation>
    </message>
    <message>
      <source>Code {0} is used by {1} grids.</source>
      <translation>代码 {0} 被 {1} 个网格使用。</translation>
    </message>
    <message>
      <source>Gap of {0:,.1f} m² between grids {1}.</source>
      <translation>网格 {1} 之间有 {0:,.1f} 平方米的缝隙。</translation>
    </message>
    <message>
      <source>Grid code {0} starts with {1} but the grid lies in administrative unit {2}.</source>
      <translation>网格代码 {0} 以 {1} 开头，但网格位于行政区划 {2} 内。</translation>
    </message>
    <message>
      <source>Grid geometry is a {0}, not a polygon.</source>
      <translation>网格几何类型为 {0}，不是面。</translation>
    </message>
    <message>
      <source>Grid has no geometry.</source>
      <translation>网格没有几何图形。</translation>
    </message>
    <message>
      <source>Grid {0} is numbered after {1} but lies north of it (rows are numbered north to south).</source>
      <translation>网格 {0} 编号在 {1} 之后，却位于其北侧（各行应自北向南编号）。</translation>
    </message>
    <message>
      <source>Grid {0} is numbered after {1} in the same row but lies west of it (grids are numbered west to east).</source>
      <translation>网格 {0} 与 {1} 同行且编号在其后，却位于其西侧（应自西向东编号）。</translation>
    </message>
    <message>
      <source>Grid {0} lies in no administrative unit.</source>
      <translation>网格 {0} 不在任何行政区划内。</translation>
    </message>
    <message>
      <source>Invalid geometry: {0}</source>
      <translation>几何图形无效：{0}</translation>
    </message>
    <message>
      <source>Overlap of {0:,.1f} m² with grid {1}.</source>
      <translation>与网格 {1} 重叠 {0:,.1f} 平方米。</translation>
    </message>
    <message>
      <source>Sliver: thinness 4πA/P² = {0:.3f} is below {1:g} (mean width about {2:.1f} m).</source>
      <translation>狭长碎面：紧凑度 4πA/P² = {0:.3f}，低于 {1:g}（平均宽度约 {2:.1f} 米）。</translation>
    </message>
    <message>
      <source>{0:,.1f} m² of the grid lie outside every administrative unit.</source>
      <translation>该网格有 {0:,.1f} 平方米位于所有行政区划之外。</translation>
    </message>
  </context>
  <context>
    <name>Tracks</name>
    <message>
      <source>Add files…</source>
      <translation>添加文件…</translation>
    </message>
    <message>
      <source>Add folder…</source>
      <translation>添加文件夹…</translation>
    </message>
    <message>
      <source>Add track files first.</source>
      <translation>请先添加轨迹文件。</translation>
    </message>
    <message>
      <source>BD-09</source>
      <translation>BD-09（百度坐标）</translation>
    </message>
    <message>
      <source>Bad rows by reason: {0}</source>
      <translation>无效行（按原因）：{0}</translation>
    </message>
    <message>
      <source>CGCS2000</source>
      <translation>CGCS2000</translation>
    </message>
    <message>
      <source>Cancel import</source>
      <translation>取消导入</translation>
    </message>
    <message>
      <source>Cancelled: nothing was imported.</source>
      <translation>已取消：未导入任何数据。</translation>
    </message>
    <message>
      <source>Clear</source>
      <translation>清空</translation>
    </message>
    <message>
      <source>Collector</source>
      <translation>采集员</translation>
    </message>
    <message>
      <source>Device</source>
      <translation>设备</translation>
    </message>
    <message>
      <source>Fixes per collector: {0}</source>
      <translation>各采集员定位点数：{0}</translation>
    </message>
    <message>
      <source>Folder of track files</source>
      <translation>轨迹文件所在文件夹</translation>
    </message>
    <message>
      <source>GCJ-02</source>
      <translation>GCJ-02（火星坐标）</translation>
    </message>
    <message>
      <source>Import</source>
      <translation>导入</translation>
    </message>
    <message>
      <source>Import GPS tracks</source>
      <translation>导入GPS轨迹</translation>
    </message>
    <message>
      <source>Importing…</source>
      <translation>正在导入…</translation>
    </message>
    <message>
      <source>Longitude/latitude in</source>
      <translation>经纬度坐标系</translation>
    </message>
    <message>
      <source>Not collectors of this workspace (imported all the same): {0}</source>
      <translation>不是本工作空间的采集员（仍已导入）：{0}</translation>
    </message>
    <message>
      <source>Not readable as a track file: {0}</source>
      <translation>无法作为轨迹文件读取：{0}</translation>
    </message>
    <message>
      <source>The import failed, nothing was imported: {0}</source>
      <translation>导入失败，未导入任何数据：{0}</translation>
    </message>
    <message>
      <source>Track files</source>
      <translation>轨迹文件</translation>
    </message>
    <message>
      <source>Tracks (*.gpx *.csv *.geojson *.json);;All files (*)</source>
      <translation>轨迹 (*.gpx *.csv *.geojson *.json)；；所有文件 (*)</translation>
    </message>
    <message>
      <source>WGS84 (GPS)</source>
      <translation>WGS84（GPS）</translation>
    </message>
    <message>
      <source>Weeks: {0} ({1} new).</source>
      <translation>周：{0}（新建 {1} 周）。</translation>
    </message>
    <message>
      <source>file not readable</source>
      <translation>文件无法读取</translation>
    </message>
    <message>
      <source>for files that name none (GPX, audit.csv)</source>
      <translation>用于未注明采集员的文件（GPX、audit.csv）</translation>
    </message>
    <message>
      <source>negative or unreadable accuracy</source>
      <translation>精度为负或无法识别</translation>
    </message>
    <message>
      <source>no collector</source>
      <translation>无采集员</translation>
    </message>
    <message>
      <source>no position</source>
      <translation>无位置</translation>
    </message>
    <message>
      <source>no time</source>
      <translation>无时间</translation>
    </message>
    <message>
      <source>position not readable or out of range</source>
      <translation>位置无法识别或超出范围</translation>
    </message>
    <message>
      <source>time before 2000 or in the future</source>
      <translation>时间早于 2000 年或在未来</translation>
    </message>
    <message>
      <source>time not readable</source>
      <translation>时间无法识别</translation>
    </message>
    <message>
      <source>{0} files: {1} fixes imported, {2} duplicates skipped, {3} bad rows ({4:.1f} s).</source>
      <translation>{0} 个文件：导入定位点 {1} 个，跳过重复 {2} 个，无效行 {3} 行（{4:.1f} 秒）。</translation>
    </message>
  </context>
  <context>
    <name>WeeklyChecks</name>
    <message>
      <source>Algorithm {0} is not available.</source>
      <translation>算法 {0} 不可用。</translation>
    </message>
    <message>
      <source>Any day of the week to check (ISO weeks: Monday to Sunday)</source>
      <translation>要检查的周内任意一天（ISO 周：周一至周日）</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Cancelled.</source>
      <translation>已取消。</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>Done: {0} layers in “{1}”.</source>
      <translation>完成：{0} 个图层已加入“{1}”。</translation>
    </message>
    <message>
      <source>GPS track points</source>
      <translation>GPS 轨迹点</translation>
    </message>
    <message>
      <source>Main roads</source>
      <translation>主要道路</translation>
    </message>
    <message>
      <source>Patrol coverage</source>
      <translation>巡查覆盖</translation>
    </message>
    <message>
      <source>Patrol reports…</source>
      <translation>巡查报告…</translation>
    </message>
    <message>
      <source>Patrol routes</source>
      <translation>巡查路线</translation>
    </message>
    <message>
      <source>Reporting KPIs</source>
      <translation>上报考核指标</translation>
    </message>
    <message>
      <source>Route deviation</source>
      <translation>路线偏离</translation>
    </message>
    <message>
      <source>Run checks</source>
      <translation>运行检查</translation>
    </message>
    <message>
      <source>Run patrol coverage, route deviation and KPIs for one week</source>
      <translation>对一周运行巡查覆盖、路线偏离和考核指标检查</translation>
    </message>
    <message>
      <source>Running: {0}…</source>
      <translation>正在运行：{0}……</translation>
    </message>
    <message>
      <source>Runs the checks the contract asks for every week: patrol coverage of the main roads, deviation from the prescribed routes and the reporting KPIs. The results are added to the map in a group named after the week.</source>
      <translation>运行合同要求的每周检查：主要道路巡查覆盖、偏离规定路线和上报考核指标。结果加入地图中以该周命名的图层组。</translation>
    </message>
    <message>
      <source>Submissions</source>
      <translation>上报</translation>
    </message>
    <message>
      <source>The week after</source>
      <translation>下一周</translation>
    </message>
    <message>
      <source>The week before</source>
      <translation>上一周</translation>
    </message>
    <message>
      <source>Tick at least one check.</source>
      <translation>请至少勾选一项检查。</translation>
    </message>
    <message>
      <source>Unit grids</source>
      <translation>单元网格</translation>
    </message>
    <message>
      <source>Week:</source>
      <translation>周次：</translation>
    </message>
    <message>
      <source>Weekly checks</source>
      <translation>每周检查</translation>
    </message>
    <message>
      <source>Weekly checks…</source>
      <translation>每周检查…</translation>
    </message>
    <message>
      <source>Weekly patrol report, monthly KPI report and atlas as PDF</source>
      <translation>生成巡查周报、月度考核指标报告和责任网格图册（PDF）</translation>
    </message>
    <message>
      <source>all passed</source>
      <translation>全部达标</translation>
    </message>
    <message>
      <source>choose {0}</source>
      <translation>请选择{0}</translation>
    </message>
    <message>
      <source>not all passed</source>
      <translation>未全部达标</translation>
    </message>
    <message>
      <source>{0} collector-days, {1} off-route stretches</source>
      <translation>{0} 个采集员工作日，{1} 段偏离路线</translation>
    </message>
    <message>
      <source>{0} failed: {1}</source>
      <translation>{0} 运行失败：{1}</translation>
    </message>
    <message>
      <source>{0} of {1} grids fail the weekly rule</source>
      <translation>{1} 个网格中有 {0} 个未达周巡查要求</translation>
    </message>
    <message>
      <source>{0} reports, KPIs {1}</source>
      <translation>上报 {0} 条，考核指标{1}</translation>
    </message>
  </context>
  <context>
    <name>Workspace</name>
    <message>
      <source>16 digits (GB/T 30428.2-2013, 2-digit minor class)</source>
      <translation>16 位（GB/T 30428.2-2013，小类 2 位）</translation>
    </message>
    <message>
      <source>17 digits (2026 form, 3-digit minor class)</source>
      <translation>17 位（2026 版，小类 3 位）</translation>
    </message>
    <message>
      <source>Also accept legacy 14-digit codes</source>
      <translation>同时接受旧版 14 位代码</translation>
    </message>
    <message>
      <source>An existing workspace, or the name of a new file to create.</source>
      <translation>已有的工作空间，或要新建的文件名。</translation>
    </message>
    <message>
      <source>Authentication</source>
      <translation>认证</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Cancelling…</source>
      <translation>正在取消…</translation>
    </message>
    <message>
      <source>Cannot connect to {0}: {1}</source>
      <translation>无法连接 {0}：{1}</translation>
    </message>
    <message>
      <source>Check</source>
      <translation>检查</translation>
    </message>
    <message>
      <source>Choose a GeoPackage file.</source>
      <translation>请选择 GeoPackage 文件。</translation>
    </message>
    <message>
      <source>City management workspace</source>
      <translation>数字城管工作空间</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>Component identifiers</source>
      <translation>部件标识码</translation>
    </message>
    <message>
      <source>Connect</source>
      <translation>连接</translation>
    </message>
    <message>
      <source>Connect a GeoPackage or PostGIS workspace and load its layers</source>
      <translation>连接 GeoPackage 或 PostGIS 工作空间并加载其图层</translation>
    </message>
    <message>
      <source>Connect and read the schema state</source>
      <translation>连接并读取数据库结构状态</translation>
    </message>
    <message>
      <source>Connected to the project's workspace {0}.</source>
      <translation>已连接到项目的工作空间 {0}。</translation>
    </message>
    <message>
      <source>Connected to {0}.</source>
      <translation>已连接到 {0}。</translation>
    </message>
    <message>
      <source>Connected. EPSG:{0}; component identifiers: {1}.</source>
      <translation>已连接。坐标系 EPSG:{0}；部件标识码：{1}。</translation>
    </message>
    <message>
      <source>Connection</source>
      <translation>连接方式</translation>
    </message>
    <message>
      <source>Create or upgrade schema</source>
      <translation>创建或升级数据库结构</translation>
    </message>
    <message>
      <source>Create or upgrade the workspace schema</source>
      <translation>创建或升级工作空间数据库结构</translation>
    </message>
    <message>
      <source>Creating or upgrading the schema of {0}…</source>
      <translation>正在创建或升级 {0} 的数据库结构…</translation>
    </message>
    <message>
      <source>Creating or upgrading the schema…</source>
      <translation>正在创建或升级数据库结构…</translation>
    </message>
    <message>
      <source>Database</source>
      <translation>数据库</translation>
    </message>
    <message>
      <source>File</source>
      <translation>文件</translation>
    </message>
    <message>
      <source>GeoPackage (*.gpkg)</source>
      <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
      <source>GeoPackage file</source>
      <translation>GeoPackage 文件</translation>
    </message>
    <message>
      <source>Give a service name without spaces.</source>
      <translation>请输入不含空格的服务名。</translation>
    </message>
    <message>
      <source>Give the host and the database.</source>
      <translation>请输入主机和数据库。</translation>
    </message>
    <message>
      <source>Host</source>
      <translation>主机</translation>
    </message>
    <message>
      <source>Load layers</source>
      <translation>加载图层</translation>
    </message>
    <message>
      <source>Loading layers…</source>
      <translation>正在加载图层…</translation>
    </message>
    <message>
      <source>New GeoPackage: the schema will be created in a new file.</source>
      <translation>新的 GeoPackage：将在新文件中创建数据库结构。</translation>
    </message>
    <message>
      <source>New schema options (fixed at creation)</source>
      <translation>新建数据库结构选项（创建后不可更改）</translation>
    </message>
    <message>
      <source>No city-management schema yet.</source>
      <translation>尚无数字城管数据库结构。</translation>
    </message>
    <message>
      <source>No such GeoPackage: {0}</source>
      <translation>GeoPackage 文件不存在：{0}</translation>
    </message>
    <message>
      <source>Not a workspace: give a .gpkg path, a postgresql:// URL or service=NAME.</source>
      <translation>不是有效的工作空间：请给出 .gpkg 文件路径、postgresql:// 地址或 service=名称。</translation>
    </message>
    <message>
      <source>Not signed in: no workspace is open.</source>
      <translation>未登录：尚未打开工作空间。</translation>
    </message>
    <message>
      <source>Open a workspace first.</source>
      <translation>请先打开工作空间。</translation>
    </message>
    <message>
      <source>Open or create a GeoPackage workspace</source>
      <translation>打开或新建 GeoPackage 工作空间</translation>
    </message>
    <message>
      <source>Optional: a QGIS authentication configuration whose user name is recorded as the person making each change (otherwise the system login).</source>
      <translation>可选：选择一个 QGIS 认证配置，其用户名将记为每项修改的操作人（不选则使用系统登录名）。</translation>
    </message>
    <message>
      <source>Port</source>
      <translation>端口</translation>
    </message>
    <message>
      <source>PostGIS database</source>
      <translation>PostGIS 数据库</translation>
    </message>
    <message>
      <source>QGIS authentication</source>
      <translation>QGIS 认证</translation>
    </message>
    <message>
      <source>Schema</source>
      <translation>模式</translation>
    </message>
    <message>
      <source>Schema is at revision {0}.</source>
      <translation>数据库结构版本为 {0}。</translation>
    </message>
    <message>
      <source>Schema name</source>
      <translation>模式名</translation>
    </message>
    <message>
      <source>Schema revision {0} is newer than this plugin knows ({1}): update the plugin.</source>
      <translation>数据库结构版本 {0} 比本插件所知的版本（{1}）更新：请更新插件。</translation>
    </message>
    <message>
      <source>Schema revision {0}: an upgrade to {1} is available.</source>
      <translation>数据库结构版本 {0}：可升级到 {1}。</translation>
    </message>
    <message>
      <source>Schema up to date (revision {0}).</source>
      <translation>数据库结构已是最新（版本 {0}）。</translation>
    </message>
    <message>
      <source>Schema:</source>
      <translation>数据库结构：</translation>
    </message>
    <message>
      <source>Service</source>
      <translation>服务</translation>
    </message>
    <message>
      <source>Service (pg_service.conf)</source>
      <translation>服务（pg_service.conf）</translation>
    </message>
    <message>
      <source>Show the whole district of the workspace on the map</source>
      <translation>在地图上显示工作空间的整个区</translation>
    </message>
    <message>
      <source>Sign in as</source>
      <translation>登录身份</translation>
    </message>
    <message>
      <source>Signed in as {0} ({1})</source>
      <translation>当前用户：{0}（{1}）</translation>
    </message>
    <message>
      <source>Stop loading; the project stays as it was</source>
      <translation>停止加载，工程保持原样</translation>
    </message>
    <message>
      <source>The project's workspace could not be opened: {0}</source>
      <translation>无法打开项目的工作空间：{0}</translation>
    </message>
    <message>
      <source>The workspace CRS must be a projected EPSG system in metres (e.g. EPSG:4549 CGCS2000 / 3-degree Gauss-Kruger CM 120E).</source>
      <translation>工作空间坐标系必须是以米为单位的 EPSG 投影坐标系（例如 EPSG:4549 CGCS2000 / 3 度带高斯-克吕格 中央经线 120°E）。</translation>
    </message>
    <message>
      <source>The workspace has no district or unit grids to zoom to yet.</source>
      <translation>工作空间中还没有可供缩放的区或单元网格。</translation>
    </message>
    <message>
      <source>Unexpected error ({0}): {1}. Details are in the log panel.</source>
      <translation>意外错误（{0}）：{1}。详情见日志面板。</translation>
    </message>
    <message>
      <source>Unit grid codes</source>
      <translation>单元网格代码</translation>
    </message>
    <message>
      <source>User</source>
      <translation>用户</translation>
    </message>
    <message>
      <source>Where the workspace is</source>
      <translation>工作空间位置</translation>
    </message>
    <message>
      <source>Workspace</source>
      <translation>工作空间</translation>
    </message>
    <message>
      <source>Workspace CRS</source>
      <translation>工作空间坐标系</translation>
    </message>
    <message>
      <source>Workspace…</source>
      <translation>工作空间…</translation>
    </message>
    <message>
      <source>Zoom to workspace</source>
      <translation>缩放至工作空间</translation>
    </message>
    <message>
      <source>database login</source>
      <translation>数据库登录名</translation>
    </message>
    <message>
      <source>not checked yet</source>
      <translation>尚未检查</translation>
    </message>
    <message>
      <source>optional: from the authentication or the service</source>
      <translation>可选：取自认证配置或服务</translation>
    </message>
    <message>
      <source>service name, e.g. citymgmt</source>
      <translation>服务名，例如 citymgmt</translation>
    </message>
    <message>
      <source>system login</source>
      <translation>系统登录名</translation>
    </message>
    <message>
      <source>{0} has no city-management schema yet: create it first.</source>
      <translation>{0} 中还没有数字城管数据库结构，请先创建。</translation>
    </message>
  </context>
  <context>
    <name>WorkspaceField</name>
    <message>
      <source>Accuracy (m)</source>
      <translation>定位精度（米）</translation>
    </message>
    <message>
      <source>Area (m²)</source>
      <translation>面积（平方米）</translation>
    </message>
    <message>
      <source>Attachments</source>
      <translation>附件</translation>
    </message>
    <message>
      <source>Category code</source>
      <translation>类别代码</translation>
    </message>
    <message>
      <source>Collector code</source>
      <translation>采集员编号</translation>
    </message>
    <message>
      <source>Collector name</source>
      <translation>采集员姓名</translation>
    </message>
    <message>
      <source>Coordinate shift flag</source>
      <translation>坐标偏移标记</translation>
    </message>
    <message>
      <source>Coordinate system sent</source>
      <translation>上报坐标系</translation>
    </message>
    <message>
      <source>Decided at</source>
      <translation>审核时间</translation>
    </message>
    <message>
      <source>Decided by</source>
      <translation>审核人</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>问题描述</translation>
    </message>
    <message>
      <source>Device ID</source>
      <translation>设备编号</translation>
    </message>
    <message>
      <source>Division code</source>
      <translation>区划代码</translation>
    </message>
    <message>
      <source>Edited after the decision at</source>
      <translation>决定后修改时间</translation>
    </message>
    <message>
      <source>Fix time</source>
      <translation>定位时间</translation>
    </message>
    <message>
      <source>Instance ID</source>
      <translation>实例编号</translation>
    </message>
    <message>
      <source>Item</source>
      <translation>序号</translation>
    </message>
    <message>
      <source>Level</source>
      <translation>级别</translation>
    </message>
    <message>
      <source>Observed at</source>
      <translation>发现时间</translation>
    </message>
    <message>
      <source>Parent division code</source>
      <translation>上级区划代码</translation>
    </message>
    <message>
      <source>Quarantine reason</source>
      <translation>隔离原因</translation>
    </message>
    <message>
      <source>Received at</source>
      <translation>接收时间</translation>
    </message>
    <message>
      <source>Record as received</source>
      <translation>原始记录</translation>
    </message>
    <message>
      <source>Report kind</source>
      <translation>上报类型</translation>
    </message>
    <message>
      <source>Responsibility grid code</source>
      <translation>责任网格代码</translation>
    </message>
    <message>
      <source>Responsible party</source>
      <translation>责任主体</translation>
    </message>
    <message>
      <source>Result</source>
      <translation>比对结果</translation>
    </message>
    <message>
      <source>Review state</source>
      <translation>审核状态</translation>
    </message>
    <message>
      <source>Road kind</source>
      <translation>道路类型</translation>
    </message>
    <message>
      <source>Road name</source>
      <translation>道路名称</translation>
    </message>
    <message>
      <source>Row in the file</source>
      <translation>文件行号</translation>
    </message>
    <message>
      <source>Row version</source>
      <translation>记录版本</translation>
    </message>
    <message>
      <source>Server version</source>
      <translation>服务器版本</translation>
    </message>
    <message>
      <source>Source</source>
      <translation>来源</translation>
    </message>
    <message>
      <source>Speed (km/h)</source>
      <translation>速度（千米/小时）</translation>
    </message>
    <message>
      <source>Unit grid code</source>
      <translation>单元网格代码</translation>
    </message>
    <message>
      <source>Updated at</source>
      <translation>更新时间</translation>
    </message>
    <message>
      <source>Updated by</source>
      <translation>更新人</translation>
    </message>
    <message>
      <source>Updated on the server at</source>
      <translation>服务器更新时间</translation>
    </message>
    <message>
      <source>Valid from</source>
      <translation>生效日期</translation>
    </message>
    <message>
      <source>X as sent</source>
      <translation>上报 X 坐标</translation>
    </message>
    <message>
      <source>Y as sent</source>
      <translation>上报 Y 坐标</translation>
    </message>
  </context>
</TS>
