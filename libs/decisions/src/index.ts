export { DecisionPackageBuilder, type SealedPackage } from './decision-package.builder';
export { DecisionsModule } from './decisions.module';
export { DecisionsService } from './decisions.service';
export * from './dto/decision.dto';
export { CaseAppealEntity } from './entities/case-appeal.entity';
export { CaseDecisionEntity } from './entities/case-decision.entity';
export { CertificationReportService } from './report/certification-report.service';
