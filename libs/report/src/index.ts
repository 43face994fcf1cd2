export { buildReport, checkReportOut, writeReport, type Report, type ReportRequest } from './report';
export { buildPlatformModel, type PlatformModel, type AppModel, type ComponentRow, type AppGraph } from './model';
export { networkFlows, simplifyFlows, selects, type Flow } from './flows';
export { componentFacts, FACT_LABELS, type ComponentFacts } from './workloads';
export { dependencySvg, flowSvg } from './graph';
