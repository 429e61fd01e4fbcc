import { InitialSchema1795440936853 } from './1795440936853-InitialSchema';
import { AddIdempotencyRecords1795442650449 } from './1795442650449-AddIdempotencyRecords';
import { AddCases1795443205631 } from './1795443205631-AddCases';
import { AddSelfAssessment1795443614735 } from './1795443614735-AddSelfAssessment';
import { AddEvidence1795444045782 } from './1795444045782-AddEvidence';
import { AddRatings1795444282661 } from './1795444282661-AddRatings';
import { AddFindings1795444699896 } from './1795444699896-AddFindings';
import { AddCaseResponseDueOn1795444821174 } from './1795444821174-AddCaseResponseDueOn';
import { AddDecisions1795445072320 } from './1795445072320-AddDecisions';
import { AddCertificates1795446321313 } from './1795446321313-AddCertificates';
import { AddNotifications1795446722084 } from './1795446722084-AddNotifications';
import { AddNotificationDedupeKey1795447941992 } from './1795447941992-AddNotificationDedupeKey';
import { AddNotificationEmailOutbox1795450365454 } from './1795450365454-AddNotificationEmailOutbox';
import { RenderedDocuments1795450553407 } from './1795450553407-RenderedDocuments';
import { CertificateOrganizationIndexes1795450967441 } from './1795450967441-CertificateOrganizationIndexes';
import { CertificateLifecycleIntegrity1796000000000 } from './1796000000000-CertificateLifecycleIntegrity';
import { CaseProfileSnapshot1796100000000 } from './1796100000000-CaseProfileSnapshot';
import { EditionDocumentV21796700000000 } from './1796700000000-EditionDocumentV2';

/** Every migration, oldest first. New ones are generated with `npm run migration:generate -- <Name>`. */
export const MIGRATIONS = [
  InitialSchema1795440936853,
  AddIdempotencyRecords1795442650449,
  AddCases1795443205631,
  AddSelfAssessment1795443614735,
  AddEvidence1795444045782,
  AddRatings1795444282661,
  AddFindings1795444699896,
  AddCaseResponseDueOn1795444821174,
  AddDecisions1795445072320,
  AddCertificates1795446321313,
  AddNotifications1795446722084,
  AddNotificationDedupeKey1795447941992,
  AddNotificationEmailOutbox1795450365454,
  RenderedDocuments1795450553407,
  CertificateOrganizationIndexes1795450967441,
  CertificateLifecycleIntegrity1796000000000,
  CaseProfileSnapshot1796100000000,
  EditionDocumentV21796700000000,
];
