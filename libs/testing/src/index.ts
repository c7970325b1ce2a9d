export { TEST_PG_ADMIN_URL, TEST_NATS_URL, TEST_NATS_ENV, TEST_NATS_ENDPOINT, TEST_AUDIT_KEY, uniqueSuffix, testNamespace, createTestDatabase } from './test-database';
export type { TestDatabase } from './test-database';
export { buildMinimalImage, writeTar, writeTarEntries, OCI_MANIFEST_MEDIA_TYPE, OCI_CONFIG_MEDIA_TYPE, OCI_LAYER_MEDIA_TYPE } from './oci-image';
export type { OciBlob, OciImage, MinimalImageOptions, TarEntry } from './oci-image';
export { buildDemoImage, pushDemoImages, BUSYBOX_STATIC_BIN, DEMO_IMAGE_PORT } from './demo-image';
export type { DemoImageVariant, DemoImageOptions, DemoImageSpec, PushedDemoImage } from './demo-image';
export { PODMAN_ENV, podmanAvailable, runPodman } from './podman';
export type { PodmanResult } from './podman';
export { pushImage, deleteImage, TEST_REGISTRY_URL, TEST_REGISTRY_HOST } from './oci-push';
export { HangarProcesses, ALL_SERVICES, freePort, runCli } from './hangar-processes';
export { TestNatsServer, NATS_SERVER_BIN } from './test-nats-server';
export type { TestNatsServerOptions } from './test-nats-server';
export type { HangarService, HangarProcessesOptions, CliResult } from './hangar-processes';
export { startRegistryProcess, DOCKER_REGISTRY_BIN } from './registry-process';
export { steadyLoad } from './steady-load';
export type { SteadyLoadOptions, SteadyLoadResult } from './steady-load';
export type { RegistryProcess, RegistryProcessOptions, RegistryNotificationsOptions } from './registry-process';
export { registryWebhook, signDelivery, fixtureDigest, fixtureDelivery } from './registry-webhooks';
export type {
  WebhookFixture,
  PushFixtureOptions,
  DigestPushFixtureOptions,
  MultiArchFixtureOptions,
  RegistryWebhookOptions,
  RegistryWebhookFixtures,
  SignOptions,
} from './registry-webhooks';
export {
  waitFor,
  cliOk,
  cliJson,
  statusOf,
  releasesOf,
  settledRelease,
  apiRequest,
  addFault,
  clearFaults,
  fleetMachines,
  fleetFetch,
  failureOf,
  holdLeases,
  natsCommand,
  natsPublisher,
  pushEvaluation,
  pushTestImages,
  flyToml,
  startHangarE2e,
} from './e2e-helpers';
export type {
  Diagnosable,
  CliRunner,
  CliOptions,
  WaitForOptions,
  MachineStatus,
  AppStatus,
  ApiResponse,
  FleetFault,
  FleetMachine,
  FleetAccess,
  HangarE2eOptions,
  HangarE2e,
} from './e2e-helpers';
