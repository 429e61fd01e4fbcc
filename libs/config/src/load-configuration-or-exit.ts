import type { AppConfig } from './app-config';
import { ConfigurationError } from './configuration.error';
import { loadConfiguration } from './load-configuration';

/** For entry points: the configuration, or exit 1 with every invalid variable named on stderr. */
export function loadConfigurationOrExit(): AppConfig {
  try {
    return loadConfiguration();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
