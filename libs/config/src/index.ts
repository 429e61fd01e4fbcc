export * from './app-config';
export * from './config.module';
export * from './configuration.error';
export { Environment } from './environment';
export { loadConfiguration, readProcessEnvironment, type EnvironmentSource } from './load-configuration';
export { loadConfigurationOrExit } from './load-configuration-or-exit';
