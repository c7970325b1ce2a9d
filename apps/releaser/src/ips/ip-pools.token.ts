/** Injection token of the configured `IpPools` (from `HANGAR_IPV4_POOL` / `HANGAR_IPV6_POOL`). */
export const IP_POOLS = Symbol('IP_POOLS');
