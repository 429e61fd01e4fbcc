import { Injectable } from '@nestjs/common';
import { PAGE_LANGUAGES, type PageLanguage } from '@app/common';
import Handlebars from 'handlebars';
import type { RegistryQueryDto } from '../dto/certificate.dto';
import { CERTIFICATE_STATUSES } from '../entities/certificate.entity';
import { RegistryService } from '../registry.service';
import { REGISTRY_MESSAGES } from './registry-messages';
import { REGISTRY_LIST_TEMPLATE, VERIFICATION_TEMPLATE } from './registry-templates';

/** The public registry as HTML pages in English, French and Spanish. */
@Injectable()
export class RegistryPagesService {
  private readonly listPage = Handlebars.compile(REGISTRY_LIST_TEMPLATE, { strict: false });
  private readonly verificationPage = Handlebars.compile(VERIFICATION_TEMPLATE, { strict: false });

  constructor(private readonly registry: RegistryService) {}

  async renderList(query: RegistryQueryDto, lang: PageLanguage): Promise<string> {
    const page = await this.registry.search(query);
    const t = REGISTRY_MESSAGES[lang];
    const current = query.status ?? 'active';
    return this.listPage({
      lang,
      t,
      query,
      total: page.total,
      items: page.items.map((item) => ({ ...item, statusLabel: t[item.status] })),
      statuses: [...CERTIFICATE_STATUSES, 'all'].map((value) => ({
        value,
        label: value === 'all' ? t.all : t[value],
        selected: value === current,
      })),
      languages: this.languages(lang, (code) => {
        const params = new URLSearchParams();
        for (const [key, value] of Object.entries(query)) {
          if (value !== undefined && key !== 'page' && key !== 'pageSize') params.set(key, String(value));
        }
        params.set('lang', code);
        return `/registry?${params.toString()}`;
      }),
    });
  }

  async renderVerification(number: string, lang: PageLanguage): Promise<string> {
    const certificate = await this.registry.verify(number);
    const t = REGISTRY_MESSAGES[lang];
    return this.verificationPage({
      lang,
      t,
      certificate,
      statusLabel: t[certificate.status],
      languages: this.languages(lang, (code) => `/registry/${encodeURIComponent(number)}?lang=${code}`),
    });
  }

  private languages(current: PageLanguage, href: (code: PageLanguage) => string) {
    return PAGE_LANGUAGES.map((code) => ({ code, href: href(code), current: code === current }));
  }
}
