import type { Issuance } from '../../../issuance/services';
import type { AuditLogRepository } from '../../../store/audit-log';
import type { Site } from '../../../store/platforms';
import { requireRole } from '../../middleware/session';
import type { SetupStateOf } from '../../setup-state';

export interface RegistrarCredentialDeps {
  issuance: Issuance;
  audit: AuditLogRepository;
  findPlatform(id: string): Promise<Site | null>;
  setupState: SetupStateOf;
}

export const registrarOnly = requireRole('registrar');
