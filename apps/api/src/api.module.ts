import { logDestination } from '@app/common';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AssessmentModule } from '@app/assessment';
import { AuditModule } from '@app/audit';
import { CasesModule } from '@app/cases';
import { CertificatesModule } from '@app/certificates';
import { DecisionsModule } from '@app/decisions';
import { NotificationsModule } from '@app/notifications';
import { WorkbooksModule } from '@app/workbooks';
import { FindingsModule } from '@app/findings';
import { type AppConfig, ConfigModule } from '@app/config';
import { type DatabaseConnection, DatabaseModule } from '@app/database';
import { EvidenceModule } from '@app/evidence';
import { FieldModule } from '@app/field';
import { IdentityModule } from '@app/identity';
import { MIGRATIONS } from '@app/migrations';
import { StandardsModule } from '@app/standards';
import { StorageModule } from '@app/storage';
import { LoggerModule } from 'nestjs-pino';
import { AuditController } from './controllers/audit.controller';
import { AuthController } from './controllers/auth.controller';
import { CasesController } from './controllers/cases.controller';
import { EvidenceController } from './controllers/evidence.controller';
import { HealthController } from './controllers/health.controller';
import { MeController } from './controllers/me.controller';
import { NotificationsController } from './controllers/notifications.controller';
import { OrganizationsController } from './controllers/organizations.controller';
import { CertificatesController } from './controllers/certificates.controller';
import { CommitmentsPagesController } from './controllers/commitments-pages.controller';
import { BenchmarksController } from './controllers/benchmarks.controller';
import { CommitmentsController } from './controllers/commitments.controller';
import { HistoricalRegistryController } from './controllers/historical-registry.controller';
import { QaReviewsController } from './controllers/qa-reviews.controller';
import { DecisionsController } from './controllers/decisions.controller';
import { ActionsController } from './controllers/actions.controller';
import { FindingsController } from './controllers/findings.controller';
import { PriorServicesController } from './controllers/prior-services.controller';
import { RegistryPagesController } from './controllers/registry-pages.controller';
import { RegistryController } from './controllers/registry.controller';
import { RatingsController } from './controllers/ratings.controller';
import { SelfAssessmentController } from './controllers/self-assessment.controller';
import { StandardsController } from './controllers/standards.controller';
import { CrosswalksController } from './controllers/crosswalks.controller';
import { WorkbooksController } from './controllers/workbooks.controller';
import { AccessGuard } from './http/access.guard';
import { RateLimitGuard } from './http/rate-limit.guard';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { JwtStrategy } from './http/jwt.strategy';
import type { RequestWithId } from './http/request-id';
import { createValidationPipe } from './http/validation';
import { DemoSeeder } from './operations/demo-seeder';
import { HealthService } from './operations/health.service';
import { StartupService } from './operations/startup.service';

/** True when pino-http's request records (written at info) pass the configured level. */
function logsRequests(level: string): boolean {
  return level === 'info' || level === 'debug' || level === 'trace';
}

/** The HTTP API: transport only; the domain lives in the libs. */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig, connection: DatabaseConnection): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logging.level,
            genReqId: (request) => (request as RequestWithId).id ?? 'unknown',
            // Lean request and response records: pino-http serialises the request into every
            // request's logger up front, whatever the level; with all headers that was a third of the
            // cost of a cached registry read. Headers (tokens, cookies) stay out of the logs.
            serializers: {
              req: (request: { id: string; method: string; url: string; remoteAddress?: string }) => ({
                id: request.id,
                method: request.method,
                url: request.url,
                remoteAddress: request.remoteAddress,
              }),
              res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
            },
            // pino-http writes its request records at info: below that level it would register listeners
            // and build a record per response only to drop it.
            autoLogging: logsRequests(config.logging.level)
              ? { ignore: (request) => request.url === '/health/live' }
              : false,
            customProps: (request) => ({ requestId: (request as RequestWithId).id }),
            stream: logDestination(config.logging.isPretty),
          },
        }),
        DatabaseModule.forRoot(connection, MIGRATIONS),
        StorageModule,
        PassportModule,
        AuditModule,
        IdentityModule,
        StandardsModule,
        CasesModule,
        EvidenceModule,
        FieldModule,
        AssessmentModule,
        FindingsModule,
        DecisionsModule,
        CertificatesModule,
        NotificationsModule,
        WorkbooksModule,
      ],
      // Express matches a request against its routes one by one, in this order (path-to-regexp, about
      // 0.3 µs a route on Node 20): the public registry, the field's busiest pages, comes first, then the
      // case routes every party works in, then the rest. No two of these controllers' paths overlap, so
      // the order changes the cost of matching only (README, Benchmarks).
      controllers: [
        RegistryController,
        RegistryPagesController,
        CasesController,
        RatingsController,
        AuthController,
        MeController,
        OrganizationsController,
        StandardsController,
        CrosswalksController,
        EvidenceController,
        PriorServicesController,
        SelfAssessmentController,
        WorkbooksController,
        FindingsController,
        ActionsController,
        DecisionsController,
        CertificatesController,
        CommitmentsController,
        CommitmentsPagesController,
        HistoricalRegistryController,
        QaReviewsController,
        BenchmarksController,
        NotificationsController,
        AuditController,
        HealthController,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AccessGuard },
        // After the access guard, so that a signed-in caller is counted as a user.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        JwtStrategy,
        HealthService,
        StartupService,
        DemoSeeder,
      ],
    };
  }
}
