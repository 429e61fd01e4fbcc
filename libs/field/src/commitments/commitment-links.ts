import type { EntityManager } from 'typeorm';
import type { CommitmentCertificateDto } from './dto/commitment.dto';

interface LinkRow {
  commitment_id: string;
  number: string;
  status: string;
  origin: string;
}

/**
 * The certificates of each commitment: those of its organization, and the recorded (historical) ones
 * whose holder has the same normalized name and country.
 */
export async function certificatesOfCommitments(
  manager: EntityManager,
  commitmentIds: string[],
): Promise<Map<string, CommitmentCertificateDto[]>> {
  const links = new Map<string, CommitmentCertificateDto[]>(commitmentIds.map((id) => [id, []]));
  if (commitmentIds.length === 0) return links;
  const rows = await manager.query<LinkRow[]>(
    `SELECT commitment.id AS commitment_id, certificate.number, certificate.origin,
            CASE WHEN certificate.status = 'active' AND certificate.valid_until < (now() AT TIME ZONE 'UTC')::date
                 THEN 'expired' ELSE certificate.status END AS status
       FROM commitment
       JOIN certificate
         ON certificate.institution_id = commitment.organization_id
         OR (certificate.holder_key = commitment.normalized_name AND certificate.holder_country = commitment.country)
      WHERE commitment.id = ANY($1::uuid[])
      ORDER BY certificate.issued_on DESC, certificate.number`,
    [commitmentIds],
  );
  for (const row of rows) {
    links.get(row.commitment_id)?.push({
      certificateNumber: row.number,
      status: row.status,
      origin: row.origin,
      href: `/api/v1/registry/${encodeURIComponent(row.number)}`,
    });
  }
  return links;
}
