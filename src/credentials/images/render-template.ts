import { AppError } from '../../errors';
import { fillBadgeTemplate, type BadgeTextFields } from './fill-template';
import { defaultTemplatesDir, listBadgeTemplates as listTemplateFiles, readBadgeTemplate } from './template-files';

export type { BadgeTextFields } from './fill-template';

export interface TemplateLocation {
  /** Folder holding the `*.svg` templates; defaults to `badge-templates/` at the project root. */
  templatesDir?: string;
}

// Long enough for any real badge or faculty name; stops a runaway value from costing layout time.
const MAX_FIELD_LENGTH = 400;

function checkField(key: string, value: unknown, required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || (required && value.trim() === '') || value.length > MAX_FIELD_LENGTH) {
    throw new AppError('BADGE_FIELDS_INVALID', `The badge ${key} must be text of 1 to ${MAX_FIELD_LENGTH} characters.`, {
      status: 400,
      details: { field: key },
    });
  }
}

/** The names `renderBadgeSvg` accepts, sorted. */
export function listBadgeTemplates(options: TemplateLocation = {}): string[] {
  return listTemplateFiles(options.templatesDir ?? defaultTemplatesDir());
}

/**
 * The badge picture as SVG text: the template with the name, institution and optional level filled in
 * (escaped, wrapped and shrunk to fit). Unknown or malformed template names throw BADGE_TEMPLATE_UNKNOWN.
 */
export function renderBadgeSvg(templateName: string, fields: BadgeTextFields, options: TemplateLocation = {}): string {
  checkField('name', fields?.name, true);
  checkField('institution', fields?.institution, true);
  checkField('level', fields?.level, false);
  const template = readBadgeTemplate(templateName, options.templatesDir ?? defaultTemplatesDir());
  return fillBadgeTemplate(template, fields);
}
