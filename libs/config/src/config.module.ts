import { type DynamicModule, Global, Module } from '@nestjs/common';
import {
  AppConfig,
  AuthConfig,
  BootstrapConfig,
  CalendarConfig,
  DatabaseConfig,
  DocumentsConfig,
  HttpConfig,
  LoggingConfig,
  MailConfig,
  QaConfig,
  RateLimitConfig,
  StandardsConfig,
  StorageConfig,
} from './app-config';

/** Makes the validated configuration injectable, one class per area. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    const providers = [
      { provide: AppConfig, useValue: config },
      { provide: HttpConfig, useValue: config.http },
      { provide: DatabaseConfig, useValue: config.database },
      { provide: StorageConfig, useValue: config.storage },
      { provide: AuthConfig, useValue: config.auth },
      { provide: BootstrapConfig, useValue: config.bootstrap },
      { provide: DocumentsConfig, useValue: config.documents },
      { provide: StandardsConfig, useValue: config.standards },
      { provide: LoggingConfig, useValue: config.logging },
      { provide: CalendarConfig, useValue: config.calendar },
      { provide: MailConfig, useValue: config.mail },
      { provide: RateLimitConfig, useValue: config.rateLimit },
      { provide: QaConfig, useValue: config.qa },
    ];
    return { module: ConfigModule, providers, exports: providers.map((provider) => provider.provide) };
  }
}
