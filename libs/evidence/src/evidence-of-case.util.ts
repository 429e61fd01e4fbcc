import { type EntityManager, In, IsNull } from 'typeorm';
import { EvidenceItemEntity } from './entities/evidence-item.entity';

/** Of the given evidence ids, those that are not live evidence items of the case (in the order given). */
export async function evidenceIdsNotInCase(
  manager: EntityManager,
  caseId: string,
  evidenceIds: string[],
): Promise<string[]> {
  const wanted = [...new Set(evidenceIds)];
  if (wanted.length === 0) return [];
  const found = await manager
    .getRepository(EvidenceItemEntity)
    .find({ where: { id: In(wanted), caseId, deletedAt: IsNull() }, select: { id: true } });
  const known = new Set(found.map((item) => item.id));
  return evidenceIds.filter((id) => !known.has(id));
}
