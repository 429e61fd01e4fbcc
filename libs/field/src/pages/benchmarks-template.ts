import { FIELD_PAGE_FOOT, FIELD_PAGE_HEAD } from './page-layout';

// Charts are SVG drawn on the server (no script); each has a title and a description, and the table
// beside it holds the same figures for readers who cannot see the chart.
export const BENCHMARKS_TEMPLATE = `${FIELD_PAGE_HEAD}
<h1>{{t.title}}</h1>
<p>{{t.intro}}</p>
<p id="anonymity"><strong>{{anonymity}}</strong></p>
<p id="as-of">{{asOf}}</p>
{{#each sections}}
<section aria-labelledby="{{id}}-heading">
<h2 id="{{id}}-heading">{{heading}}</h2>
{{#if rows.length}}
<figure>
<svg id="{{id}}-chart" role="img" aria-labelledby="{{id}}-title {{id}}-desc" width="{{width}}" height="{{height}}" viewBox="0 0 {{width}} {{height}}" xmlns="http://www.w3.org/2000/svg">
<title id="{{id}}-title">{{../t.chartOf}} {{heading}}</title>
<desc id="{{id}}-desc">{{description}}</desc>
{{#each bars}}<g><text x="0" y="{{textY}}">{{label}}</text>{{#if suppressed}}<text x="{{../labelWidth}}" y="{{textY}}" class="suppressed">{{../../suppressedText}}</text>{{else}}<rect x="{{../labelWidth}}" y="{{y}}" width="{{barWidth}}" height="18" fill="#1f6feb"></rect><text x="{{valueX}}" y="{{textY}}">{{percent}}</text>{{/if}}</g>
{{/each}}
</svg>
</figure>
<table>
<caption>{{heading}}</caption>
<thead><tr><th scope="col">{{../t.group}}</th><th scope="col">{{../t.institutions}}</th><th scope="col">{{../t.cases}}</th><th scope="col">{{../t.passRate}}</th></tr></thead>
<tbody>
{{#each rows}}<tr data-key="{{key}}"{{#if suppressed}} data-suppressed="true"{{/if}}><th scope="row">{{label}}</th>{{#if suppressed}}<td colspan="3" class="suppressed">{{../../suppressedText}}</td>{{else}}<td>{{institutions}}</td><td>{{count}}</td><td>{{percent}}</td>{{/if}}</tr>
{{/each}}
</tbody>
</table>
{{else}}
<p>{{../t.none}}</p>
{{/if}}
</section>
{{/each}}
<section aria-labelledby="time-heading">
<h2 id="time-heading">{{t.timeInState}}</h2>
<table id="time-in-state">
<thead><tr><th scope="col">{{t.state}}</th><th scope="col">{{t.institutions}}</th><th scope="col">{{t.averageDays}}</th></tr></thead>
<tbody>
{{#each states}}<tr><th scope="row">{{state}}</th>{{#if suppressed}}<td colspan="2" class="suppressed">{{../suppressedText}}</td>{{else}}<td>{{institutions}}</td><td>{{averageDays}}</td>{{/if}}</tr>
{{/each}}
</tbody>
</table>
</section>
${FIELD_PAGE_FOOT}`;
