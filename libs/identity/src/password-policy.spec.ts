import { PasswordPolicy } from './password-policy';

const owner = { email: 'valentina.ruiz@example.org', name: 'Valentina Ruiz' };

describe(PasswordPolicy.name, () => {
  const policy = new PasswordPolicy();

  describe('problemsOf', () => {
    it.each([
      ['demo-password-2026'],
      ['correct-horse-battery-1'],
      ['root-admin-password-1'],
      ['copper-meadow-violin-17'],
    ])('accepts %s', (password) => {
      expect(policy.problemsOf(password, owner)).toEqual([]);
    });

    it.each([
      ['shorter than 12 characters', 'short-pass1', 'at least 12'],
      ['in the common list', 'password1234', 'most common'],
      ['in the common list once digits and symbols are taken off the end', 'qwertyuiop2026!', 'most common'],
      ['one character repeated', 'aaaaaaaaaaaa', 'different characters'],
      ['built on the e-mail local part', 'valentinaruiz-2026', 'e-mail address or the name'],
      ['built on a part of the name', 'my-name-is-Ruiz-ok', 'e-mail address or the name'],
    ])('refuses a password %s', (_what, password, problem) => {
      expect(policy.problemsOf(password, owner).join(' ')).toContain(problem);
    });
  });

  it('holds the bundled list of at least 10,000 common passwords', () => {
    expect(policy.problemsOf('iloveyou', owner)).toContain('is one of the most common passwords');
    expect((policy as unknown as { common: Set<string> }).common.size).toBeGreaterThan(10_000);
  });
});
