import { Injectable } from '@nestjs/common';
import { countryName, PAGE_LANGUAGES, type PageLanguage } from '@app/common';
import Handlebars from 'handlebars';
import { ANONYMITY_THRESHOLD } from '../benchmarks/anonymity.util';
import type { BenchmarkGroupDto } from '../benchmarks/benchmarks.dto';
import { BenchmarksService } from '../benchmarks/benchmarks.service';
import { BENCHMARKS_MESSAGES } from './benchmarks-messages';
import { BENCHMARKS_TEMPLATE } from './benchmarks-template';

const LABEL_WIDTH = 160;
const BAR_SPACE = 360;
const ROW_HEIGHT = 26;
const PERCENT = Object.fromEntries(
  PAGE_LANGUAGES.map((lang) => [
    lang,
    new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }),
  ]),
) as Record<PageLanguage, Intl.NumberFormat>;

/** The public "state of the field" page: the anonymised benchmarks with server-drawn SVG charts. */
@Injectable()
export class BenchmarksPageService {
  private readonly page = Handlebars.compile(BENCHMARKS_TEMPLATE, { strict: false });

  constructor(private readonly benchmarks: BenchmarksService) {}

  async render(lang: PageLanguage): Promise<string> {
    const t = BENCHMARKS_MESSAGES[lang];
    const threshold = String(ANONYMITY_THRESHOLD);
    const fill = (text: string) => text.replace('{{threshold}}', threshold);
    const groupings = ['country', 'edition', 'year'] as const;
    const results = await Promise.all(groupings.map((by) => this.benchmarks.read(null, { by })));
    const sections = groupings.map((by, index) => {
      const rows = results[index].figures.groups.map((group) => this.row(group, by, lang));
      const shown = rows.filter((row) => !row.suppressed);
      return {
        id: by,
        heading: t[by],
        rows,
        width: LABEL_WIDTH + BAR_SPACE + 60,
        height: Math.max(1, rows.length) * ROW_HEIGHT + 4,
        labelWidth: LABEL_WIDTH,
        description: shown.map((row) => `${row.label}: ${row.percent}`).join('; '),
        bars: rows.map((row, position) => ({
          ...row,
          y: position * ROW_HEIGHT + 4,
          textY: position * ROW_HEIGHT + 18,
          barWidth: Math.round((row.passRate ?? 0) * BAR_SPACE),
          valueX: LABEL_WIDTH + Math.round((row.passRate ?? 0) * BAR_SPACE) + 6,
        })),
      };
    });
    return this.page({
      lang,
      t,
      anonymity: fill(t.anonymity),
      asOf: t.asOf.replace(
        '{{asOf}}',
        new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(
          new Date(results[0].asOf),
        ) + ' UTC',
      ),
      suppressedText: fill(t.suppressed),
      sections,
      states: results[0].figures.timeInState,
      languages: PAGE_LANGUAGES.map((code) => ({
        code,
        href: `/benchmarks?lang=${code}`,
        current: code === lang,
      })),
    });
  }

  private row(group: BenchmarkGroupDto, by: string, lang: PageLanguage) {
    return {
      ...group,
      label: by === 'country' ? countryName(group.key, lang) : group.key,
      percent: group.passRate === null ? '' : PERCENT[lang].format(group.passRate),
    };
  }
}
