/** The languages of every page and document the product renders. */
export const PAGE_LANGUAGES = ['en', 'fr', 'es'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

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

const DATE_FORMATS = new Map<PageLanguage, Intl.DateTimeFormat>(
  PAGE_LANGUAGES.map((language) => [
    language,
    new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }),
  ]),
);
const COUNTRY_NAMES = new Map<PageLanguage, Intl.DisplayNames>(
  PAGE_LANGUAGES.map((language) => [language, new Intl.DisplayNames([language], { type: 'region' })]),
);

/** A calendar date (`YYYY-MM-DD`) or an instant as a reader of `language` writes it: 23 novembre 2026. */
export function formatDate(value: string | Date, language: PageLanguage): string {
  const date =
    typeof value === 'string' && value.length === 10 ? new Date(`${value}T00:00:00Z`) : new Date(value);
  return DATE_FORMATS.get(language)!.format(date);
}

/** A country's name in `language` from its ISO 3166 code, or the code when it has no name. */
export function countryName(code: string, language: PageLanguage): string {
  try {
    return COUNTRY_NAMES.get(language)!.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

const LEVEL_NAMES: Record<PageLanguage, Record<string, string>> = {
  en: { certified: 'Certified', bronze: 'Bronze', silver: 'Silver', gold: 'Gold' },
  fr: { certified: 'Certifié', bronze: 'Bronze', silver: 'Argent', gold: 'Or' },
  es: { certified: 'Certificado', bronze: 'Bronce', silver: 'Plata', gold: 'Oro' },
};

/**
 * A certification level in `language`: the tiers of the bundled editions translated, other levels
 * as their edition names them, and `Certified` for an edition without tiers (no level).
 */
export function levelName(level: string | null, language: PageLanguage): string {
  const names = LEVEL_NAMES[language];
  if (!level) return names.certified;
  return names[level] ?? level.charAt(0).toUpperCase() + level.slice(1).replace(/_/g, ' ');
}
