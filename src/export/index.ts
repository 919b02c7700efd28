/** Credential export: CSV, JSON Lines, ZIP (baked PNGs) and CLR 2.0, streamed from MongoDB. See README.md. */
export {
  countExport,
  effectiveFilter,
  exportFilename,
  FORMAT_INFO,
  openExport,
  runExport,
  type ExportDeps,
  type ExportHooks,
  type ExportRequest,
  type OpenedExport,
} from './export';
export { EXPORT_FORMATS, paramsFromQuery, parseExportParams, type ExportFilter, type ExportFormat, type ExportOptions, type RawExportParams } from './filter';
export { CLR_CONTEXT_URL, CLR_CONTEXTS, buildClr } from './clr';
export { CSV_COLUMNS } from './csv';
