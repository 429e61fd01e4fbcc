import { Injectable } from '@nestjs/common';
import { DEFAULT_PAGE_SIZE, PAGE_LANGUAGES, type PageLanguage } from '@app/common';
import Handlebars from 'handlebars';
import { REGISTRY_SORTS, type RegistryQueryDto } from '../dto/certificate.dto';
import { CERTIFICATE_STATUSES } from '../entities/certificate.entity';
import { StandardsService } from '@app/standards';
import { RegistryService } from '../registry.service';
import { REGISTRY_MESSAGES } from './registry-messages';
import { REGISTRY_LIST_TEMPLATE, VERIFICATION_TEMPLATE } from './registry-templates';

const SORT_LABELS: Record<(typeof REGISTRY_SORTS)[number], string> = {
  '-issuedOn': 'sortNewest',
  issuedOn: 'sortOldest',
  name: 'sortNameAscending',
  '-name': 'sortNameDescending',
  validUntil: 'sortExpiringFirst',
  '-validUntil': 'sortExpiringLast',
};

// Built once: making them per request costs more than rendering the page.
const COUNTRY_NAMES = Object.fromEntries(
  PAGE_LANGUAGES.map((lang) => [lang, new Intl.DisplayNames([lang], { type: 'region', fallback: 'code' })]),
) as Record<PageLanguage, Intl.DisplayNames>;
const COLLATORS = Object.fromEntries(PAGE_LANGUAGES.map((lang) => [lang, new Intl.Collator(lang)])) as Record<
  PageLanguage,
  Intl.Collator
>;

const withCurrent = (values: string[], current: string | undefined): string[] =>
  current && !values.includes(current) ? [...values, current] : values;

/** The public registry as HTML pages in English, French and Spanish. */
@Injectable()
export class RegistryPagesService {
  private readonly listPage = Handlebars.compile(REGISTRY_LIST_TEMPLATE, { strict: false });
  private readonly verificationPage = Handlebars.compile(VERIFICATION_TEMPLATE, { strict: false });

  constructor(
    private readonly registry: RegistryService,
    private readonly standards: StandardsService,
  ) {}

  /**
   * The list page; a page rendered in the last few seconds is answered from memory (the registry's
   * cache, dropped on every change), since rendering costs more than reading the cached results.
   */
  renderList(query: RegistryQueryDto, lang: PageLanguage): Promise<string> {
    const key = [
      'list',
      lang,
      query.q,
      query.country,
      query.certifier,
      query.level,
      query.status,
      query.sort,
    ];
    return this.registry.remember([...key, query.page, query.pageSize], () => this.buildList(query, lang));
  }

  /** The verification page of one certificate, kept like the list page. */
  renderVerification(number: string, lang: PageLanguage): Promise<string> {
    return this.registry.remember(['verification', lang, number], () => this.buildVerification(number, lang));
  }

  private async buildList(query: RegistryQueryDto, lang: PageLanguage): Promise<string> {
    const [page, facets] = await Promise.all([this.registry.search(query), this.registry.facets()]);
    const t = REGISTRY_MESSAGES[lang];
    const countryName = this.countryNames(lang);
    const pageCount = Math.max(1, Math.ceil(page.total / page.pageSize));
    const option = (value: string, label: string, current: string | undefined) => ({
      value,
      label,
      selected: value === (current ?? ''),
    });
    // A filter typed into the address bar stays selectable even when no certificate matches it.
    const currentCountry = query.country?.toUpperCase();
    const countries = withCurrent(facets.countries, currentCountry);
    const currentCertifier =
      facets.certifiers.find((name) => name.toLowerCase() === query.certifier?.toLowerCase()) ??
      query.certifier;
    const certifiers = withCurrent(facets.certifiers, currentCertifier);
    return this.listPage({
      lang,
      t,
      query,
      total: page.total,
      page: page.page,
      pageCount,
      customPageSize: page.pageSize === DEFAULT_PAGE_SIZE ? undefined : page.pageSize,
      previousHref: page.page > 1 ? this.listHref(query, lang, page.page - 1) : undefined,
      nextHref: page.page < pageCount ? this.listHref(query, lang, page.page + 1) : undefined,
      items: page.items.map((item) => ({
        ...item,
        countryName: countryName(item.holder.country),
        statusLabel: t[item.status],
        isRecorded: item.origin === 'recorded',
      })),
      countries: [
        option('', t.all, currentCountry),
        ...countries
          .map((code) => option(code, countryName(code), currentCountry))
          .sort((a, b) => COLLATORS[lang].compare(a.label, b.label)),
      ],
      certifiers: [
        option('', t.all, currentCertifier),
        ...certifiers.map((name) => option(name, name, currentCertifier)),
      ],
      statuses: [...CERTIFICATE_STATUSES, 'all'].map((value) =>
        option(value, value === 'all' ? t.all : t[value], query.status ?? 'active'),
      ),
      sorts: REGISTRY_SORTS.map((value) => option(value, t[SORT_LABELS[value]], query.sort ?? '-issuedOn')),
      languages: this.languages(lang, (code) => this.listHref(query, code, page.page)),
    });
  }

  private async buildVerification(number: string, lang: PageLanguage): Promise<string> {
    const certificate = await this.registry.verify(number);
    const t = REGISTRY_MESSAGES[lang];
    // The edition's title in the reader's language, English where the edition has no translation; a
    // certificate recorded from before the product names its edition as it was issued, as text.
    const editionTitle =
      certificate.origin === 'recorded' && !(await this.standards.isPublished(certificate.edition))
        ? certificate.edition
        : (await this.standards.requireTree(certificate.edition)).title(lang);
    return this.verificationPage({
      lang,
      t,
      certificate,
      editionTitle,
      statusLabel: t[certificate.status],
      isRecorded: certificate.origin === 'recorded',
      languages: this.languages(lang, (code) => `/registry/${encodeURIComponent(number)}?lang=${code}`),
    });
  }

  private languages(current: PageLanguage, href: (code: PageLanguage) => string) {
    return PAGE_LANGUAGES.map((code) => ({ code, href: href(code), current: code === current }));
  }

  /** The list page with the same filters, in `lang`, at `page`. */
  private listHref(query: RegistryQueryDto, lang: PageLanguage, page: number): string {
    const params = new URLSearchParams({ lang });
    for (const key of ['q', 'country', 'certifier', 'level', 'status', 'sort'] as const) {
      const value = query[key];
      if (value) params.set(key, value);
    }
    if (page > 1) params.set('page', String(page));
    if (query.pageSize !== DEFAULT_PAGE_SIZE) params.set('pageSize', String(query.pageSize));
    return `/registry?${params.toString()}`;
  }

  /** Country names in the page's language (ISO codes where the runtime knows no name). */
  private countryNames(lang: PageLanguage): (code: string) => string {
    const names = COUNTRY_NAMES[lang];
    return (code) => names.of(code) ?? code;
  }
}
