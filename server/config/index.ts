export type * from './config-types.ts';
export { loadConfig, validateConfig, configProblems, defaultConfig, CONFIG_SCHEMA } from './load-config.ts';
