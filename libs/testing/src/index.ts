export { TEST_PG_ADMIN_URL, TEST_NATS_URL, uniqueSuffix, testNamespace, createTestDatabase } from './test-database';
export type { TestDatabase } from './test-database';
export { buildMinimalImage, writeTar, OCI_MANIFEST_MEDIA_TYPE, OCI_CONFIG_MEDIA_TYPE, OCI_LAYER_MEDIA_TYPE } from './oci-image';
export type { OciBlob, OciImage, MinimalImageOptions } from './oci-image';
export { pushImage, deleteImage, TEST_REGISTRY_URL, TEST_REGISTRY_HOST } from './oci-push';
export { HangarProcesses, ALL_SERVICES, freePort, runCli } from './hangar-processes';
export type { HangarService, HangarProcessesOptions, CliResult } from './hangar-processes';
