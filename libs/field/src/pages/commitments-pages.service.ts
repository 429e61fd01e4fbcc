import { Injectable } from '@nestjs/common';
import { countryName, DEFAULT_PAGE_SIZE, PAGE_LANGUAGES, type PageLanguage } from '@app/common';
import Handlebars from 'handlebars';
import { CommitmentsService } from '../commitments/commitments.service';
import type { CommitmentsQueryDto } from '../commitments/dto/commitment.dto';
import { COMMITMENT_KINDS, PATHWAY_STATUSES } from '../commitments/entities/commitment.entity';
import { COMMITMENTS_MESSAGES } from './commitments-messages';
import { COMMITMENTS_TEMPLATE } from './commitments-template';

/** The public list of commitments as an HTML page in English, French and Spanish. */
@Injectable()
export class CommitmentsPagesService {
  private readonly page = Handlebars.compile(COMMITMENTS_TEMPLATE, { strict: false });

  constructor(private readonly commitments: CommitmentsService) {}

  async render(query: CommitmentsQueryDto, lang: PageLanguage): Promise<string> {
    const result = await this.commitments.search(query);
    const t = COMMITMENTS_MESSAGES[lang];
    const pageCount = Math.max(1, Math.ceil(result.total / result.pageSize));
    const option = (value: string, label: string, current: string | undefined) => ({
      value,
      label,
      selected: value === (current ?? ''),
    });
    return this.page({
      lang,
      t,
      query,
      total: result.total,
      page: result.page,
      pageCount,
      previousHref: result.page > 1 ? this.href(query, lang, result.page - 1) : undefined,
      nextHref: result.page < pageCount ? this.href(query, lang, result.page + 1) : undefined,
      items: result.items.map((item) => ({
        ...item,
        countryName: countryName(item.country, lang),
        kindLabel: t[item.kind],
        statusLabel: item.pathwayStatus ? t[item.pathwayStatus] : '',
        certificates: item.certificates.map((certificate) => ({
          ...certificate,
          isRecorded: certificate.origin === 'recorded',
        })),
      })),
      kinds: [
        option('', t.all, query.kind),
        ...COMMITMENT_KINDS.map((kind) => option(kind, t[kind], query.kind)),
      ],
      statuses: [
        option('', t.all, query.status),
        ...PATHWAY_STATUSES.map((status) => option(status, t[status], query.status)),
      ],
      languages: PAGE_LANGUAGES.map((code) => ({
        code,
        href: this.href(query, code, result.page),
        current: code === lang,
      })),
    });
  }

  private href(query: CommitmentsQueryDto, lang: PageLanguage, page: number): string {
    const params = new URLSearchParams({ lang });
    for (const key of ['q', 'country', 'kind', 'status'] as const) {
      const value = query[key];
      if (value) params.set(key, value);
    }
    if (page > 1) params.set('page', String(page));
    if (query.pageSize !== DEFAULT_PAGE_SIZE) params.set('pageSize', String(query.pageSize));
    return `/commitments?${params.toString()}`;
  }
}
