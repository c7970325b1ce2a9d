export { TEST_PG_ADMIN_URL, TEST_NATS_URL, uniqueSuffix, testNamespace, createTestDatabase } from './test-database';
export type { TestDatabase } from './test-database';
