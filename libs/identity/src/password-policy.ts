import { Injectable } from '@nestjs/common';
import { dictionary } from '@zxcvbn-ts/language-common';
import { PasswordTooWeakError } from './identity.errors';

const MIN_LENGTH = 12;
const MIN_DISTINCT_CHARACTERS = 5;
// Parts of the e-mail or name shorter than this are too common to refuse (e.g. "ana", "li").
const MIN_PERSONAL_TOKEN_LENGTH = 4;

/** Whose password it is: a password close to these is refused. */
export interface PasswordOwner {
  email: string;
  name: string;
}

const normalize = (value: string): string => value.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/**
 * ASVS 2.1: at least 12 characters, not one of the ~49,000 most common passwords of
 * `@zxcvbn-ts/language-common` (also once trailing digits and symbols are taken off, as in
 * `password2024!`), not a run of a few characters, and not built on the owner's e-mail or name.
 */
@Injectable()
export class PasswordPolicy {
  private readonly common = new Set(dictionary['passwords-common'].map((word) => word.toLowerCase()));

  /** The reasons the password is refused; empty when it is acceptable. */
  problemsOf(password: string, owner: PasswordOwner): string[] {
    const problems: string[] = [];
    const lower = password.toLowerCase();
    if ([...password].length < MIN_LENGTH) problems.push(`must be at least ${MIN_LENGTH} characters`);
    const withoutSuffix = lower.replace(/[\d\W_]+$/u, '');
    if (this.common.has(lower) || (withoutSuffix.length > 0 && this.common.has(withoutSuffix))) {
      problems.push('is one of the most common passwords');
    }
    if (new Set(lower).size < MIN_DISTINCT_CHARACTERS) problems.push('repeats too few different characters');
    const compact = normalize(password);
    const personal = personalTokens(owner).find(
      (token) =>
        compact.includes(token) || (compact.length >= MIN_PERSONAL_TOKEN_LENGTH && token.includes(compact)),
    );
    if (personal !== undefined) problems.push('must not contain the e-mail address or the name of the user');
    return problems;
  }

  assertAcceptable(password: string, owner: PasswordOwner, field = 'newPassword'): void {
    const problems = this.problemsOf(password, owner);
    if (problems.length > 0) throw new PasswordTooWeakError(field, problems);
  }
}

function personalTokens(owner: PasswordOwner): string[] {
  const localPart = owner.email.split('@')[0] ?? '';
  const pieces = [
    localPart,
    ...localPart.split(/[^\p{L}\p{N}]+/u),
    owner.name,
    ...owner.name.split(/[^\p{L}\p{N}]+/u),
  ];
  return [...new Set(pieces.map(normalize).filter((token) => token.length >= MIN_PERSONAL_TOKEN_LENGTH))];
}
