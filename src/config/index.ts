export { loadConfig, type ConfigResult } from './load';
export { projectRoot } from './paths';
export type { Config, Mode } from './schema';
