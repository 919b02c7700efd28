/** The reason a teacher or registrar gives for a change, trimmed and capped as stored in the audit log. */
export const reasonFrom = (body: Record<string, unknown>) => (typeof body.reason === 'string' ? body.reason.trim().slice(0, 500) : '');
