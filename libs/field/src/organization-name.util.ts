// Legal-form words that differ between lists of the same organization ("Banco Sol S.A." / "BANCO SOL").
const LEGAL_FORMS = new Set([
  'sa',
  'sas',
  'sarl',
  'sac',
  'saa',
  'srl',
  'sl',
  'spa',
  'ltd',
  'ltda',
  'limited',
  'llc',
  'llp',
  'inc',
  'incorporated',
  'plc',
  'gmbh',
  'ag',
  'bv',
  'nv',
  'co',
  'corp',
  'corporation',
  'company',
  'cia',
  'pvt',
  'private',
  'pty',
  'ong',
  'ngo',
  'asbl',
  'cic',
  'de',
  'cv',
  'rl',
  'ab',
  'oy',
  'as',
]);

/**
 * The name two lists of organizations are compared by: case, accents, punctuation and legal-form
 * suffixes ignored. `Financiera Confianza S.A.A.` and `financiera  confianza` give the same key.
 */
export function normalizeOrganizationName(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    // "S.A." and "S. A." become "sa" before punctuation turns into spaces.
    .replace(/\b(\p{L})\.\s?(?=\p{L}\b\.?)/gu, '$1')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  while (words.length > 1 && LEGAL_FORMS.has(words[words.length - 1])) words.pop();
  return words.join(' ');
}
