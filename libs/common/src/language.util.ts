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
