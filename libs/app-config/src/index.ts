export type {
  DeployStrategy,
  BuildConfig,
  DeployConfig,
  MountConfig,
  CheckConfig,
  ServicePortConfig,
  ServiceConfig,
  VmConfig,
  ConfigWarning,
  AppConfig,
  ConfigIssue,
} from './app-config.types';
export { parseAppConfig, parseAppConfigOrThrow, formatConfigIssue, toJsonErrors } from './parse-app-config';
export { parseNormalizedAppConfig } from './normalized-app-config';
export { formatFlyToml, formatDurationMs } from './format-fly-toml';
export type { ParseAppConfigOptions, ParseAppConfigResult } from './parse-app-config';
export { loadAppConfigFile, CONFIG_UNREADABLE } from './load-app-config-file';
export { DEPLOY_STRATEGIES, KILL_SIGNALS } from './normalize-app-config';
export { MAX_PROCESS_GROUPS, PROCESS_GROUP_NAME } from './normalize-env-processes';
export { parseDurationMs, formatGoDuration, DURATION_HINT } from './durations';
export { splitCommand, joinCommand, INVALID_COMMAND } from './split-command';
export { createTomlLocator } from './toml-locator';
export type { KeySegment, TomlLocator } from './toml-locator';
export {
  DEFAULT_PROCESS_GROUP,
  processGroupsOf,
  defaultProcessGroup,
  servicesFor,
  hasServices,
  mountsFor,
  checksFor,
  vmFor,
  toJsonContract,
} from './app-config.helpers';
