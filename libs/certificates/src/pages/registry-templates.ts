// Handlebars templates of the public registry pages; values are HTML-escaped by Handlebars.
const LAYOUT_HEAD = `<!doctype html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{t.title}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d2733}
h1{font-size:1.6rem}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #dde3ea}
.status-active{color:#1a7f37}.status-suspended,.status-expired,.status-superseded{color:#9a6700}.status-revoked{color:#cf222e}
form{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}nav.languages a{margin-right:.6rem}
</style>
</head>
<body>
<nav class="languages">{{#each languages}}<a href="{{href}}" hreflang="{{code}}" {{#if current}}aria-current="true"{{/if}}>{{code}}</a>{{/each}}</nav>`;

export const REGISTRY_LIST_TEMPLATE = `${LAYOUT_HEAD}
<h1>{{t.title}}</h1>
<p>{{t.intro}}</p>
<form method="get" action="/registry">
  <input type="hidden" name="lang" value="{{lang}}">
  <input name="q" value="{{query.q}}" placeholder="{{t.name}}" aria-label="{{t.name}}">
  <input name="country" value="{{query.country}}" placeholder="{{t.country}}" aria-label="{{t.country}}" size="3">
  <input name="level" value="{{query.level}}" placeholder="{{t.level}}" aria-label="{{t.level}}" size="8">
  <select name="status" aria-label="{{t.status}}">
    {{#each statuses}}<option value="{{value}}" {{#if selected}}selected{{/if}}>{{label}}</option>{{/each}}
  </select>
  <button type="submit">{{t.search}}</button>
</form>
<p id="total">{{total}} {{t.results}}</p>
{{#if items.length}}
<table id="registry">
<thead><tr><th>{{t.number}}</th><th>{{t.name}}</th><th>{{t.country}}</th><th>{{t.certifier}}</th><th>{{t.level}}</th><th>{{t.issuedOn}}</th><th>{{t.checkInDueOn}}</th><th>{{t.validUntil}}</th><th>{{t.status}}</th></tr></thead>
<tbody>
{{#each items}}<tr data-certificate="{{certificateNumber}}"><td><a href="/registry/{{certificateNumber}}?lang={{../lang}}">{{certificateNumber}}</a></td><td>{{institution.name}}</td><td>{{institution.country}}</td><td>{{certifier.name}}</td><td>{{level}}</td><td>{{issuedOn}}</td><td>{{checkInDueOn}}</td><td>{{validUntil}}</td><td class="status-{{status}}">{{statusLabel}}</td></tr>
{{/each}}
</tbody>
</table>
{{else}}
<p>{{t.none}}</p>
{{/if}}
</body>
</html>`;

export const VERIFICATION_TEMPLATE = `${LAYOUT_HEAD}
<h1>{{t.verification}}: {{certificate.certificateNumber}}</h1>
<p class="status-{{certificate.status}}" id="verdict">{{#if certificate.valid}}{{t.valid}}{{else}}{{t.notValid}}{{/if}} ({{statusLabel}})</p>
<dl>
  <dt>{{t.name}}</dt><dd>{{certificate.institution.name}} ({{certificate.institution.country}})</dd>
  <dt>{{t.certifier}}</dt><dd>{{certificate.certifier.name}}</dd>
  <dt>{{t.level}}</dt><dd>{{certificate.level}}</dd>
  <dt>{{t.issuedOn}}</dt><dd>{{certificate.issuedOn}}</dd>
  <dt>{{t.validUntil}}</dt><dd>{{certificate.validUntil}}</dd>
  <dt>{{t.package}}</dt><dd><code>{{certificate.packageSha256}}</code></dd>
</dl>
<p><a href="/registry?lang={{lang}}">{{t.back}}</a></p>
</body>
</html>`;
