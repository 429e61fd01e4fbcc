import { InitialSchema1795440936853 } from './1795440936853-InitialSchema';
import { AddIdempotencyRecords1795442650449 } from './1795442650449-AddIdempotencyRecords';
import { AddCases1795443205631 } from './1795443205631-AddCases';
import { AddSelfAssessment1795443614735 } from './1795443614735-AddSelfAssessment';

/** Every migration, oldest first. New ones are generated with `npm run migration:generate -- <Name>`. */
export const MIGRATIONS = [
  InitialSchema1795440936853,
  AddIdempotencyRecords1795442650449,
  AddCases1795443205631,
  AddSelfAssessment1795443614735,
];
