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
