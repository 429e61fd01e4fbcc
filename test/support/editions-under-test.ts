import type { ApiClient } from './api-client';
import { CaseBuilder } from './case-builder';
import type { World } from './world';

/** The editions the product ships, as the improvement and committee journeys run on each. */
export interface ShippedEdition {
  editionId: 'cps-2016' | 'cps-2022';
  /** 2022 names levels (bronze, silver, gold); 2016 is pass/fail. */
  isTiered: boolean;
}

export const SHIPPED_EDITIONS: readonly ShippedEdition[] = [
  { editionId: 'cps-2016', isTiered: false },
  { editionId: 'cps-2022', isTiered: true },
];

/**
 * A builder of cases under `editionId`, opened the way that edition takes them today: 2022 as initial
 * certifications; 2016, closed to new initial certifications since 2021-04-30, as renewals of a
 * certificate the world's institution holds (issued by the product through its own flow, on the open
 * copy of 2016). Cases built by one builder share that certificate: a builder publishes at most one
 * renewal (the certificate is superseded then); ask for another builder for the next publication.
 */
export async function casesUnder(client: ApiClient, world: World, editionId: string): Promise<CaseBuilder> {
  const initial = new CaseBuilder(client, world);
  if (editionId !== 'cps-2016') return initial.withEdition(editionId);
  const { certificateNumber } = await initial.published();
  if (!certificateNumber) throw new Error('no certificate to renew under cps-2016');
  return initial.withEdition('cps-2016').ofCertificate(certificateNumber);
}
