/**
 * LIS role vocabulary → the product's three roles.
 * LTI 1.3 core §5.3.7 and Appendix A.2; Moodle sends full URIs (membership#Instructor, membership#Learner,
 * institution/person#Administrator, system/person#Administrator), some platforms send short names.
 */
export type Role = 'teacher' | 'student' | 'registrar';

const LIS = 'http://purl.imsglobal.org/vocab/lis/v2/';

const TEACHER_ROLES = new Set([
  `${LIS}membership#Instructor`,
  `${LIS}membership#ContentDeveloper`,
  `${LIS}membership#Administrator`,
  `${LIS}membership/Instructor#TeachingAssistant`,
  'Instructor',
  'ContentDeveloper',
  'TeachingAssistant',
]);

const STUDENT_ROLES = new Set([`${LIS}membership#Learner`, `${LIS}membership/Learner#Learner`, 'Learner']);

const REGISTRAR_ROLES = new Set([`${LIS}institution/person#Administrator`, `${LIS}system/person#Administrator`]);

export function mapRoles(lisRoles: readonly string[], isConfiguredRegistrar: boolean): Role[] {
  const roles = new Set<Role>();
  for (const r of lisRoles) {
    if (TEACHER_ROLES.has(r)) roles.add('teacher');
    if (STUDENT_ROLES.has(r)) roles.add('student');
    if (REGISTRAR_ROLES.has(r)) roles.add('registrar');
  }
  if (isConfiguredRegistrar) roles.add('registrar');
  return [...roles].sort();
}

/** The landing page a launch opens: the course role first; registrar pages are reached from the navigation. */
export function primaryRole(roles: readonly Role[]): Role | null {
  for (const r of ['teacher', 'student', 'registrar'] as const) if (roles.includes(r)) return r;
  return null;
}
