/** Stable machine-readable error codes; the API maps each to one HTTP status in a single place. */
export enum ErrorCode {
  // 400
  ValidationFailed = 'VALIDATION_FAILED',
  MalformedJson = 'MALFORMED_JSON',
  MalformedMultipart = 'MALFORMED_MULTIPART',
  InvalidEditionDocument = 'INVALID_EDITION_DOCUMENT',
  InvalidCrosswalk = 'INVALID_CROSSWALK',
  // 401
  Unauthenticated = 'UNAUTHENTICATED',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  InvalidRefreshToken = 'INVALID_REFRESH_TOKEN',
  RefreshTokenReused = 'REFRESH_TOKEN_REUSED',
  InvalidResetToken = 'INVALID_RESET_TOKEN',
  InvalidMfaChallenge = 'INVALID_MFA_CHALLENGE',
  InvalidMfaCode = 'INVALID_MFA_CODE',
  // 403
  Forbidden = 'FORBIDDEN',
  MfaRequired = 'MFA_REQUIRED',
  // 404
  NotFound = 'NOT_FOUND',
  RouteNotFound = 'ROUTE_NOT_FOUND',
  // 409
  StaleVersion = 'STALE_VERSION',
  AlreadyExists = 'ALREADY_EXISTS',
  EmailTaken = 'EMAIL_TAKEN',
  MfaAlreadyEnabled = 'MFA_ALREADY_ENABLED',
  EditionAlreadyPublished = 'EDITION_ALREADY_PUBLISHED',
  EditionImmutable = 'EDITION_IMMUTABLE',
  CrosswalkAlreadyPublished = 'CROSSWALK_ALREADY_PUBLISHED',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  IdempotencyRequestInProgress = 'IDEMPOTENCY_REQUEST_IN_PROGRESS',
  InvalidTransition = 'INVALID_TRANSITION',
  ReportNotReady = 'REPORT_NOT_READY',
  CaseLocked = 'CASE_LOCKED',
  EvidenceLocked = 'EVIDENCE_LOCKED',
  /** PostgreSQL deadlock or serialization failure that outlasted the automatic retries. */
  ConcurrentUpdate = 'CONCURRENT_UPDATE',
  // 413
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  EvidenceQuotaExceeded = 'EVIDENCE_QUOTA_EXCEEDED',
  // 414
  UriTooLong = 'URI_TOO_LONG',
  // 415
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  // 431
  HeadersTooLarge = 'HEADERS_TOO_LARGE',
  // 422
  RoleNotAllowedForOrganization = 'ROLE_NOT_ALLOWED_FOR_ORGANIZATION',
  OrganizationNotCertifier = 'ORGANIZATION_NOT_CERTIFIER',
  OrganizationNotInstitution = 'ORGANIZATION_NOT_INSTITUTION',
  WrongCurrentPassword = 'WRONG_CURRENT_PASSWORD',
  PasswordReused = 'PASSWORD_REUSED',
  PasswordTooWeak = 'PASSWORD_TOO_WEAK',
  LastActiveAdmin = 'LAST_ACTIVE_ADMIN',
  MfaNotEnabled = 'MFA_NOT_ENABLED',
  EditionNotPublished = 'EDITION_NOT_PUBLISHED',
  CertifierNotLicensed = 'CERTIFIER_NOT_LICENSED',
  InstitutionProfileMissing = 'INSTITUTION_PROFILE_MISSING',
  SelfAssessmentIncomplete = 'SELF_ASSESSMENT_INCOMPLETE',
  TeamMemberInvalid = 'TEAM_MEMBER_INVALID',
  ConflictOfInterest = 'CONFLICT_OF_INTEREST',
  CommitteeNotIndependent = 'COMMITTEE_NOT_INDEPENDENT',
  TeamConflictUndeclared = 'TEAM_CONFLICT_UNDECLARED',
  MissionNotSet = 'MISSION_NOT_SET',
  NotOnTeam = 'NOT_ON_TEAM',
  UnknownIndicatorCodes = 'UNKNOWN_INDICATOR_CODES',
  IndicatorNotApplicable = 'INDICATOR_NOT_APPLICABLE',
  EvidenceNotInCase = 'EVIDENCE_NOT_IN_CASE',
  CommitteeNotAssigned = 'COMMITTEE_NOT_ASSIGNED',
  UnratedIndicators = 'UNRATED_INDICATORS',
  NonCompliantWithoutFinding = 'NON_COMPLIANT_WITHOUT_FINDING',
  FindingsUnanswered = 'FINDINGS_UNANSWERED',
  DecisionRuleNotMet = 'DECISION_RULE_NOT_MET',
  /** A QA review names a case that has no decision yet. */
  CaseNotDecided = 'CASE_NOT_DECIDED',
  LevelNotEarned = 'LEVEL_NOT_EARNED',
  DecisionAccepted = 'DECISION_ACCEPTED',
  AppealWindowClosed = 'APPEAL_WINDOW_CLOSED',
  AppealWindowOpen = 'APPEAL_WINDOW_OPEN',
  AppealAlreadyMade = 'APPEAL_ALREADY_MADE',
  AppealReviewerNotIndependent = 'APPEAL_REVIEWER_NOT_INDEPENDENT',
  QuorumNotReached = 'QUORUM_NOT_REACHED',
  CommitteeTied = 'COMMITTEE_TIED',
  AppealNotResolved = 'APPEAL_NOT_RESOLVED',
  EscalationWindowClosed = 'ESCALATION_WINDOW_CLOSED',
  /** The institution may still escalate the appeal's resolution: no publication or closing yet. */
  EscalationWindowOpen = 'ESCALATION_WINDOW_OPEN',
  PreAssessmentNotPublishable = 'PRE_ASSESSMENT_NOT_PUBLISHABLE',
  CaseCertified = 'CASE_CERTIFIED',
  CaseNotCertified = 'CASE_NOT_CERTIFIED',
  CertificateNotFound = 'CERTIFICATE_NOT_FOUND',
  CertificateNotHeld = 'CERTIFICATE_NOT_HELD',
  CertificateNotCheckable = 'CERTIFICATE_NOT_CHECKABLE',
  CertificateNotRenewable = 'CERTIFICATE_NOT_RENEWABLE',
  EditionClosed = 'EDITION_CLOSED',
  NoPendingChange = 'NO_PENDING_CHANGE',
  /** A foreign key names a record that does not exist (PostgreSQL 23503). */
  ReferenceNotFound = 'REFERENCE_NOT_FOUND',
  /** An uploaded workbook belongs to another case or edition (its fingerprint differs). */
  WorkbookNotForCase = 'WORKBOOK_NOT_FOR_CASE',
  /** An uploaded workbook's rows were moved, deleted or their codes edited. */
  WorkbookStructureChanged = 'WORKBOOK_STRUCTURE_CHANGED',
  /** The upload is not a readable .xlsx workbook (or carries external links). */
  WorkbookUnreadable = 'WORKBOOK_UNREADABLE',
  /** Applying a workbook with rows that cannot be saved as they are. */
  WorkbookRowsInvalid = 'WORKBOOK_ROWS_INVALID',
  ImportRowsInvalid = 'IMPORT_ROWS_INVALID',
  /** Pre-fill from a case that is not another case of the same institution (or does not exist). */
  PrefillSourceNotFound = 'PREFILL_SOURCE_NOT_FOUND',
  /** Pre-fill across editions with no published crosswalk between them. */
  CrosswalkNotAvailable = 'CROSSWALK_NOT_AVAILABLE',
  // 429
  TooManyRequests = 'TOO_MANY_REQUESTS',
  RateLimited = 'RATE_LIMITED',
  // 503
  DatabaseUnavailable = 'DATABASE_UNAVAILABLE',
  /** A lock wait or a statement outlasted its timeout (PostgreSQL 55P03, 57014). */
  DatabaseBusy = 'DATABASE_BUSY',
  NotReady = 'NOT_READY',
  StorageUnavailable = 'STORAGE_UNAVAILABLE',
  PdfRendererUnavailable = 'PDF_RENDERER_UNAVAILABLE',
  // 500
  InternalError = 'INTERNAL_ERROR',
}
