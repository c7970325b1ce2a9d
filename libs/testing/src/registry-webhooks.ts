import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { RegistrySource } from '@hangar/contracts';
import { acrFixtures, ecrFixtures, garFixtures } from './registry-webhook-cloud-sources';
import { distributionFixtures, dockerhubFixtures, quayFixtures, type PushSpec, type RegistryWebhookOptions, type SourceFixtures } from './registry-webhook-sources';
import { ghcrFixtures, harborFixtures, jfrogFixtures } from './registry-webhook-vendor-sources';

export type { RegistryWebhookOptions } from './registry-webhook-sources';

const SOURCE_FIXTURES: Readonly<Record<RegistrySource, SourceFixtures>> = {
  distribution: distributionFixtures,
  dockerhub: dockerhubFixtures,
  ghcr: ghcrFixtures,
  harbor: harborFixtures,
  quay: quayFixtures,
  ecr: ecrFixtures,
  gar: garFixtures,
  acr: acrFixtures,
  jfrog: jfrogFixtures,
};

/**
 * Registry webhook deliveries for tests, built from `/work/shared/reference/registry-webhooks.md`:
 * the JSON each registry really sends (distribution's 3-space indent and event media types, GitHub's
 * headers, Pub/Sub's base64 envelope, …), unsigned. `signDelivery` adds the receiver secret the way
 * the source carries it. Header names are lower-case, as Node presents them.
 */
export interface WebhookFixture {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Query parameters to add to the receiver URL (only after `signDelivery` for `?token=` sources). */
  readonly query?: Readonly<Record<string, string>>;
}

export interface PushFixtureOptions {
  /** Registry host as the payload carries it; default per source (fixed for Docker Hub and GHCR). */
  readonly host?: string;
  /** Repository without host, as the dialect should report it (case kept, so tests can send upper case). */
  readonly repository: string;
  readonly tag: string;
  /** `sha256:<hex>`; default `fixtureDigest("<repository>:<tag>")`. Docker Hub and Quay send none. */
  readonly digest?: string;
  /** Default now. Sources with second precision (GitHub, Harbor, ECR, Docker Hub) drop milliseconds. */
  readonly pushedAt?: Date;
  /** The sender's event/delivery id where the source has one; default a random UUID (Pub/Sub: digits). */
  readonly id?: string;
}

export type DigestPushFixtureOptions = Omit<PushFixtureOptions, 'tag'>;

export interface MultiArchFixtureOptions extends PushFixtureOptions {
  /** Default `['linux/amd64', 'linux/arm64']`; each gets a digest derived from the index's. */
  readonly platforms?: readonly string[];
}

export interface RegistryWebhookFixtures {
  readonly source: RegistrySource;
  /** One delivery of one tagged push. */
  push(options: PushFixtureOptions): WebhookFixture;
  /** What a push by digest (no tag) sends; `[]` where the source sends nothing (Docker Hub). */
  byDigestPush(options: DigestPushFixtureOptions): WebhookFixture[];
  /** A multi-arch push as the source reports it: per-platform manifests, then the tagged index. */
  multiArch(options: MultiArchFixtureOptions): WebhookFixture[];
  /** Authenticated deliveries that are not pushes (pulls, deletes, pings, scans); `[]` for Docker Hub. */
  irrelevant(options: PushFixtureOptions): WebhookFixture[];
}

/** A deterministic `sha256:<hex>` for `seed`, so a test can name the digest it expects. */
export function fixtureDigest(seed: string): string {
  return `sha256:${createHash('sha256').update(seed).digest('hex')}`;
}

export function registryWebhook(source: RegistrySource, options: RegistryWebhookOptions = {}): RegistryWebhookFixtures {
  const fixtures = SOURCE_FIXTURES[source];
  const spec = (o: DigestPushFixtureOptions, tag: string): PushSpec => ({
    host: o.host ?? fixtures.defaultHost,
    repository: o.repository,
    tag,
    digest: o.digest ?? fixtureDigest(`${o.repository}:${tag}`),
    pushedAt: o.pushedAt ?? new Date(),
    id: o.id ?? (source === 'gar' ? String(Date.now() * 1000 + Math.floor(Math.random() * 1000)) : randomUUID()),
  });
  return {
    source,
    push: (o) => fixtures.push(spec(o, o.tag), options),
    byDigestPush: (o) => fixtures.byDigestPush(spec(o, ''), options),
    multiArch: (o) => {
      const index = spec(o, o.tag);
      const platforms = (o.platforms ?? ['linux/amd64', 'linux/arm64']).map((platform) => ({
        platform,
        digest: fixtureDigest(`${index.digest}/${platform}`),
      }));
      return fixtures.multiArch(index, platforms, options);
    },
    irrelevant: (o) => fixtures.irrelevant(spec(o, o.tag), options),
  };
}

export interface SignOptions {
  /** JFrog "use secret for signing": on (default) sends the HMAC, off sends the secret itself. */
  readonly jfrogSigning?: boolean;
}

/** `delivery` with the receiver secret added the way `source` sends it. */
export function signDelivery(source: RegistrySource, secret: string, delivery: WebhookFixture, options: SignOptions = {}): WebhookFixture {
  const hmac = () => createHmac('sha256', secret).update(delivery.body).digest('hex');
  const withHeader = (name: string, value: string): WebhookFixture => ({ ...delivery, headers: { ...delivery.headers, [name]: value } });
  switch (source) {
    case 'ghcr':
      return withHeader('x-hub-signature-256', `sha256=${hmac()}`);
    case 'jfrog':
      return withHeader('x-jfrog-event-auth', options.jfrogSigning === false ? secret : hmac());
    case 'distribution':
    case 'harbor':
    case 'acr':
      return withHeader('authorization', `Bearer ${secret}`);
    case 'ecr':
      return withHeader('x-api-key', secret);
    case 'dockerhub':
    case 'quay':
    case 'gar':
      return { ...delivery, query: { ...delivery.query, token: secret } };
    default: {
      const unknown: never = source;
      throw new Error(`no signing for registry source ${String(unknown)}`);
    }
  }
}

/** A fixture as the gateway hands it to a dialect (`WebhookDelivery`): raw body bytes and a receipt time. */
export function fixtureDelivery(
  fixture: WebhookFixture,
  receivedAt: Date = new Date(),
): { headers: Record<string, string>; query: Record<string, string>; body: Buffer; receivedAt: Date } {
  return { headers: { ...fixture.headers }, query: { ...fixture.query }, body: Buffer.from(fixture.body), receivedAt };
}
