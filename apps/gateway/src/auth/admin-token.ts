/** The admin token: see `resolveAdminToken` in @hangar/messaging (the services share it as their NATS credential). */
export { resolveAdminToken } from '@hangar/messaging';
