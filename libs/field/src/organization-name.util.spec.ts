import { normalizeOrganizationName } from './organization-name.util';

describe('normalizeOrganizationName', () => {
  it.each([
    ['Financiera Confianza S.A.A.', 'financiera confianza'],
    ['FINANCIERA  CONFIANZA', 'financiera confianza'],
    ['Caja Municipal de Ahorro y Crédito, S. A.', 'caja municipal de ahorro y credito'],
    ['Société Générale Microfinance SARL', 'societe generale microfinance'],
    ['Acme Holdings Ltd.', 'acme holdings'],
    ['Acme Holdings Pvt Ltd', 'acme holdings'],
  ])('reads %s as %s', (name, key) => {
    expect(normalizeOrganizationName(name)).toBe(key);
  });

  it('keeps a name made only of a legal-form word', () => {
    expect(normalizeOrganizationName('S.A.')).toBe('sa');
  });

  it('tells different organizations apart', () => {
    expect(normalizeOrganizationName('Banco Sol')).not.toBe(normalizeOrganizationName('Banco Solidario'));
  });
});
