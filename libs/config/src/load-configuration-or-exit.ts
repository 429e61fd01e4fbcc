import type { AppConfig } from './app-config';
import { ConfigurationError } from './configuration.error';
import { type EnvironmentSource, loadConfiguration, readProcessEnvironment } from './load-configuration';

/** For entry points: the configuration, or exit 1 with every invalid variable named on stderr. */
export function loadConfigurationOrExit(source: EnvironmentSource = readProcessEnvironment()): AppConfig {
  try {
    return loadConfiguration(source);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
