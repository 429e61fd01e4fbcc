export const PAGE_LANGUAGES = ['en', 'fr', 'es'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

/** The words of the public registry pages in each language. */
export const REGISTRY_MESSAGES: Record<PageLanguage, Record<string, string>> = {
  en: {
    title: 'Registry of client protection certifications',
    intro: 'Financial institutions certified for the way they treat their clients.',
    search: 'Search',
    name: 'Institution',
    country: 'Country',
    certifier: 'Certification body',
    level: 'Level',
    status: 'Status',
    issuedOn: 'Issued',
    checkInDueOn: 'Check-in due',
    validUntil: 'Valid until',
    number: 'Certificate',
    all: 'All',
    none: 'No certificate matches.',
    results: 'certificates',
    verification: 'Certificate verification',
    valid: 'This certificate is valid.',
    notValid: 'This certificate is not valid.',
    package: 'Decision package (SHA-256)',
    back: 'Back to the registry',
    active: 'active',
    suspended: 'suspended',
    revoked: 'revoked',
    expired: 'expired',
    superseded: 'superseded',
  },
  fr: {
    title: 'Registre des certifications de protection des clients',
    intro: 'Institutions financières certifiées pour la manière dont elles traitent leurs clients.',
    search: 'Rechercher',
    name: 'Institution',
    country: 'Pays',
    certifier: 'Organisme de certification',
    level: 'Niveau',
    status: 'Statut',
    issuedOn: 'Délivré le',
    checkInDueOn: 'Revue à mi-parcours',
    validUntil: "Valable jusqu'au",
    number: 'Certificat',
    all: 'Tous',
    none: 'Aucun certificat ne correspond.',
    results: 'certificats',
    verification: "Vérification d'un certificat",
    valid: 'Ce certificat est valide.',
    notValid: "Ce certificat n'est pas valide.",
    package: 'Dossier de décision (SHA-256)',
    back: 'Retour au registre',
    active: 'actif',
    suspended: 'suspendu',
    revoked: 'révoqué',
    expired: 'expiré',
    superseded: 'remplacé',
  },
  es: {
    title: 'Registro de certificaciones de protección al cliente',
    intro: 'Instituciones financieras certificadas por la manera en que tratan a sus clientes.',
    search: 'Buscar',
    name: 'Institución',
    country: 'País',
    certifier: 'Organismo certificador',
    level: 'Nivel',
    status: 'Estado',
    issuedOn: 'Emitido',
    checkInDueOn: 'Revisión intermedia',
    validUntil: 'Válido hasta',
    number: 'Certificado',
    all: 'Todos',
    none: 'Ningún certificado coincide.',
    results: 'certificados',
    verification: 'Verificación de certificado',
    valid: 'Este certificado es válido.',
    notValid: 'Este certificado no es válido.',
    package: 'Expediente de decisión (SHA-256)',
    back: 'Volver al registro',
    active: 'vigente',
    suspended: 'suspendido',
    revoked: 'revocado',
    expired: 'vencido',
    superseded: 'reemplazado',
  },
};

/** `?lang=` when it is a known language, else the first known language of Accept-Language, else English. */
export function negotiateLanguage(
  requested: string | undefined,
  acceptLanguage: string | undefined,
): PageLanguage {
  const known = (value: string): PageLanguage | undefined =>
    PAGE_LANGUAGES.find((language) => value.toLowerCase().startsWith(language));
  if (requested) {
    const match = known(requested);
    if (match) return match;
  }
  const preferences = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, quality] = part.trim().split(';q=');
      return { tag, quality: quality === undefined ? 1 : Number(quality) };
    })
    .filter((entry) => entry.tag && !Number.isNaN(entry.quality))
    .sort((a, b) => b.quality - a.quality);
  for (const preference of preferences) {
    const match = known(preference.tag);
    if (match) return match;
  }
  return 'en';
}
