import { createHash } from 'node:crypto';

// Handlebars templates of the public registry pages; values are HTML-escaped by Handlebars.

/** The pages' only style sheet, inline; the Content-Security-Policy allows exactly it by its hash. */
export const REGISTRY_PAGE_STYLE = `body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d2733}
h1{font-size:1.6rem}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #dde3ea}
.status-active{color:#1a7f37}.status-suspended,.status-expired,.status-superseded{color:#9a6700}.status-revoked{color:#cf222e}
form{display:flex;flex-wrap:wrap;align-items:flex-end;gap:.6rem 1rem;margin:1rem 0}
form label{display:flex;flex-direction:column;font-size:.85rem;gap:.2rem}
input,select,button{font:inherit;padding:.3rem .4rem}nav.languages a{margin-right:.6rem}
nav.languages a[aria-current]{font-weight:600;text-decoration:none;color:inherit}.nowrap{white-space:nowrap}
nav.pages{display:flex;gap:1rem;align-items:center;margin:1rem 0}
`;

/** `'sha256-…'` of REGISTRY_PAGE_STYLE, for the pages' `style-src`. */
export const REGISTRY_PAGE_STYLE_SOURCE = `'sha256-${createHash('sha256').update(REGISTRY_PAGE_STYLE).digest('base64')}'`;

export const LAYOUT_HEAD = `<!doctype html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{t.title}}</title>
<style>${REGISTRY_PAGE_STYLE}</style>
</head>
<body>
<nav class="languages" aria-label="{{t.language}}">{{#each languages}}<a href="{{href}}" hreflang="{{code}}" {{#if current}}aria-current="true"{{/if}}>{{code}}</a>{{/each}}</nav>`;

export const REGISTRY_LIST_TEMPLATE = `${LAYOUT_HEAD}
<h1>{{t.title}}</h1>
<p>{{t.intro}}</p>
<form method="get" action="/registry" role="search">
  <input type="hidden" name="lang" value="{{lang}}">
  {{#if customPageSize}}<input type="hidden" name="pageSize" value="{{customPageSize}}">{{/if}}
  <label>{{t.name}} <input type="search" name="q" value="{{query.q}}"></label>
  <label>{{t.country}} <select name="country">{{#each countries}}<option value="{{value}}" {{#if selected}}selected{{/if}}>{{label}}</option>{{/each}}</select></label>
  <label>{{t.certifier}} <select name="certifier">{{#each certifiers}}<option value="{{value}}" {{#if selected}}selected{{/if}}>{{label}}</option>{{/each}}</select></label>
  <label>{{t.level}} <input name="level" value="{{query.level}}" size="8"></label>
  <label>{{t.status}} <select name="status">{{#each statuses}}<option value="{{value}}" {{#if selected}}selected{{/if}}>{{label}}</option>{{/each}}</select></label>
  <label>{{t.sort}} <select name="sort">{{#each sorts}}<option value="{{value}}" {{#if selected}}selected{{/if}}>{{label}}</option>{{/each}}</select></label>
  <button type="submit">{{t.search}}</button>
  <a href="/registry?lang={{lang}}">{{t.clear}}</a>
</form>
<p id="total">{{total}} {{t.results}}</p>
{{#if items.length}}
<table id="registry">
<thead><tr><th>{{t.number}}</th><th>{{t.name}}</th><th>{{t.country}}</th><th>{{t.certifier}}</th><th>{{t.level}}</th><th>{{t.issuedOn}}</th><th>{{t.checkInDueOn}}</th><th>{{t.validUntil}}</th><th>{{t.status}}</th></tr></thead>
<tbody>
{{#each items}}<tr data-certificate="{{certificateNumber}}"><td class="nowrap"><a href="/registry/{{certificateNumber}}?lang={{../lang}}">{{certificateNumber}}</a></td><td>{{holder.name}}</td><td>{{countryName}}</td><td>{{certifier.name}}</td><td>{{level}}</td><td class="nowrap">{{issuedOn}}</td><td class="nowrap">{{checkInDueOn}}{{#if checkInOverdue}} <strong class="overdue">({{../t.checkInOverdue}})</strong>{{/if}}</td><td class="nowrap">{{validUntil}}</td><td class="status-{{status}}">{{statusLabel}}{{#if isRecorded}} <span class="origin-recorded" title="{{../t.recorded}}">({{../t.recordedShort}})</span>{{/if}}</td></tr>
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
</body>
</html>`;

export const VERIFICATION_TEMPLATE = `${LAYOUT_HEAD}
<h1>{{t.verification}}: {{certificate.certificateNumber}}</h1>
<p class="status-{{certificate.status}}" id="verdict">{{#if certificate.valid}}{{t.valid}}{{else}}{{t.notValid}}{{/if}} ({{statusLabel}})</p>
<dl>
  <dt>{{t.name}}</dt><dd>{{certificate.holder.name}} ({{certificate.holder.country}})</dd>
  <dt>{{t.certifier}}</dt><dd>{{certificate.certifier.name}}</dd>
  <dt>{{t.edition}}</dt><dd id="edition">{{editionTitle}}</dd>
  <dt>{{t.level}}</dt><dd>{{certificate.level}}</dd>
  <dt>{{t.decidedOn}}</dt><dd>{{certificate.decidedOn}}</dd>
  <dt>{{t.publishedOn}}</dt><dd>{{certificate.publishedOn}}</dd>
  <dt>{{t.issuedOn}}</dt><dd>{{certificate.issuedOn}}</dd>
  {{#if certificate.checkInOverdue}}<dt>{{t.checkInDueOn}}</dt><dd id="check-in-overdue"><strong>{{t.checkInOverdue}}</strong></dd>{{/if}}
  <dt>{{t.validUntil}}</dt><dd>{{certificate.validUntil}}</dd>
  {{#if certificate.packageSha256}}<dt>{{t.package}}</dt><dd><code>{{certificate.packageSha256}}</code></dd>{{/if}}
  {{#if isRecorded}}<dt>{{t.originLabel}}</dt><dd id="origin-recorded"><strong>{{t.recorded}}</strong></dd>{{/if}}
</dl>
<p><a href="/registry?lang={{lang}}">{{t.back}}</a></p>
</body>
</html>`;
