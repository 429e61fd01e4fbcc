export interface InvalidVariable {
  variable: string;
  problems: string[];
}

/** Thrown at boot when the environment holds invalid values; its message names every bad variable. */
export class ConfigurationError extends Error {
  constructor(readonly invalidVariables: InvalidVariable[]) {
    super(
      'Invalid configuration:\n' +
        invalidVariables.map((entry) => `  ${entry.variable}: ${entry.problems.join('; ')}`).join('\n'),
    );
    this.name = 'ConfigurationError';
  }
}
