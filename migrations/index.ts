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
import { AddUserSessions1796400000000 } from './1796400000000-AddUserSessions';
import { AddPasswordResetTokens1796400100000 } from './1796400100000-AddPasswordResetTokens';
import { AddRateCounters1796400200000 } from './1796400200000-AddRateCounters';
import { IndexCaseListOrder1797000000000 } from './1797000000000-IndexCaseListOrder';
import { AddMfa1796400300000 } from './1796400300000-AddMfa';
import { IdempotencyLease1796200000000 } from './1796200000000-IdempotencyLease';
import { RegistryChangeNotifications1797100000000 } from './1797100000000-RegistryChangeNotifications';
import { NotificationEmailJobs1797700000000 } from './1797700000000-NotificationEmailJobs';
import { ActorChangeNotifications1798300000000 } from './1798300000000-ActorChangeNotifications';
import { CaseListNotifications1798500000000 } from './1798500000000-CaseListNotifications';
import { WholeOrNothing1798700000000 } from './1798700000000-WholeOrNothing';
import { CommitmentLiveEntriesUnique1798740000000 } from './1798740000000-CommitmentLiveEntriesUnique';
import { AddCorrectiveActions1796900000000 } from './1796900000000-AddCorrectiveActions';
import { CommitteeVotes1796800000000 } from './1796800000000-CommitteeVotes';
import { AppealsEscalationAndDeskExits1796800100000 } from './1796800100000-AppealsEscalationAndDeskExits';
import { AddCommitments1796600000000 } from './1796600000000-AddCommitments';
import { RecordedCertificates1796600000001 } from './1796600000001-RecordedCertificates';
import { EditionDocumentV21796700000000 } from './1796700000000-EditionDocumentV2';
import { BenchmarkSummary1797300000000 } from './1797300000000-BenchmarkSummary';
import { QaReviews1797300000001 } from './1797300000001-QaReviews';
import { CrosswalksAndPrefill1797500000000 } from './1797500000000-CrosswalksAndPrefill';
import { AuditChainHead1797600000000 } from './1797600000000-AuditChainHead';
import { IndexTeamMemberCases1797600000001 } from './1797600000001-IndexTeamMemberCases';
import { CaseTeamList1798100000000 } from './1798100000000-CaseTeamList';

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
  AddUserSessions1796400000000,
  AddPasswordResetTokens1796400100000,
  AddRateCounters1796400200000,
  AddMfa1796400300000,
  IdempotencyLease1796200000000,
  RegistryChangeNotifications1797100000000,
  AddCorrectiveActions1796900000000,
  IndexCaseListOrder1797000000000,
  CommitteeVotes1796800000000,
  AppealsEscalationAndDeskExits1796800100000,
  AddCommitments1796600000000,
  RecordedCertificates1796600000001,
  EditionDocumentV21796700000000,
  BenchmarkSummary1797300000000,
  QaReviews1797300000001,
  CrosswalksAndPrefill1797500000000,
  AuditChainHead1797600000000,
  IndexTeamMemberCases1797600000001,
  NotificationEmailJobs1797700000000,
  CaseTeamList1798100000000,
  ActorChangeNotifications1798300000000,
  CaseListNotifications1798500000000,
  WholeOrNothing1798700000000,
  CommitmentLiveEntriesUnique1798740000000,
];
