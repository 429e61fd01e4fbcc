import { FIELD_PAGE_FOOT, FIELD_PAGE_HEAD } from './page-layout';

export const COMMITMENTS_TEMPLATE = `${FIELD_PAGE_HEAD}
<h1>{{t.title}}</h1>
<p>{{t.intro}}</p>
<form method="get" action="/commitments" role="search">
  <input type="hidden" name="lang" value="{{lang}}">
  <label>{{t.name}} <input type="search" name="q" value="{{query.q}}"></label>
  <label>{{t.country}} <input name="country" value="{{query.country}}" size="3" maxlength="2"></label>
  <label>{{t.kind}} <select name="kind">{{#each kinds}}<option value="{{value}}" {{#if selected}}selected{{/if}}>{{label}}</option>{{/each}}</select></label>
  <label>{{t.status}} <select name="status">{{#each statuses}}<option value="{{value}}" {{#if selected}}selected{{/if}}>{{label}}</option>{{/each}}</select></label>
  <button type="submit">{{t.search}}</button>
  <a href="/commitments?lang={{lang}}">{{t.clear}}</a>
</form>
<p id="total">{{total}} {{t.results}}</p>
{{#if items.length}}
<table id="commitments">
<thead><tr><th scope="col">{{t.name}}</th><th scope="col">{{t.country}}</th><th scope="col">{{t.kind}}</th><th scope="col">{{t.committedOn}}</th><th scope="col">{{t.status}}</th><th scope="col">{{t.certificates}}</th></tr></thead>
<tbody>
{{#each items}}<tr data-commitment="{{id}}"><td>{{name}}</td><td>{{countryName}}</td><td>{{kindLabel}}</td><td class="nowrap">{{committedOn}}</td><td>{{statusLabel}}</td><td>{{#each certificates}}<a href="/registry/{{certificateNumber}}?lang={{../../lang}}">{{certificateNumber}}</a>{{#if isRecorded}} ({{../../t.recorded}}){{/if}} {{/each}}</td></tr>
{{/each}}
</tbody>
</table>
<nav class="pages" aria-label="{{t.pages}}">
{{#if previousHref}}<a rel="prev" href="{{previousHref}}">{{t.previous}}</a>{{/if}}
<span id="page">{{t.page}} {{page}} {{t.of}} {{pageCount}}</span>
{{#if nextHref}}<a rel="next" href="{{nextHref}}">{{t.next}}</a>{{/if}}
</nav>
{{else}}
<p>{{t.none}}</p>
{{/if}}
${FIELD_PAGE_FOOT}`;
