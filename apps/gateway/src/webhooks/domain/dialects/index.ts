import type { RegistrySource } from '@hangar/contracts';
import type { RegistryDialect } from '../webhook-delivery';
import { acrDialect } from './acr.dialect';
import { distributionDialect } from './distribution.dialect';
import { dockerhubDialect } from './dockerhub.dialect';
import { ecrDialect } from './ecr.dialect';
import { garDialect } from './gar.dialect';
import { ghcrDialect } from './ghcr.dialect';
import { harborDialect } from './harbor.dialect';
import { jfrogDialect } from './jfrog.dialect';
import { quayDialect } from './quay.dialect';

/** Every source's dialect; a `Record` over `RegistrySource` so a new source without one fails to compile. */
export const DIALECTS: Readonly<Record<RegistrySource, RegistryDialect>> = {
  distribution: distributionDialect,
  dockerhub: dockerhubDialect,
  ghcr: ghcrDialect,
  harbor: harborDialect,
  quay: quayDialect,
  ecr: ecrDialect,
  gar: garDialect,
  acr: acrDialect,
  jfrog: jfrogDialect,
};

/** The dialect a receiver of `source` speaks. */
export function dialectFor(source: RegistrySource): RegistryDialect {
  const dialect = DIALECTS[source] as RegistryDialect | undefined;
  // Sources come from stored receivers; an unknown one means a newer writer, not a bad request.
  if (dialect === undefined) throw new Error(`no webhook dialect for registry source ${JSON.stringify(source)}`);
  return dialect;
}
