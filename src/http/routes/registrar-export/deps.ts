import type { Connection } from 'mongoose';
import type { ExportDeps } from '../../../export/export';
import type { Issuance } from '../../../issuance/services';
import type { ApiTokenRepository } from '../../../store/api-tokens';
import type { AuditLogRepository } from '../../../store/audit-log';

export interface RegistrarExportDeps {
  connection: Connection;
  issuance: Issuance;
  apiTokens: ApiTokenRepository;
  audit?: AuditLogRepository;
  now?: () => number;
  /** Passed to the export (tests: where the ZIP central directory spills). */
  exportOptions?: Pick<ExportDeps, 'zip'>;
}
