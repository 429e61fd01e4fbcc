// The certification report as A4 portrait pages; a Handlebars template, values HTML-escaped.
export const REPORT_TEMPLATE = `<!doctype html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<title>{{t.title}}: {{institution.name}}</title>
<style>
@page{size:A4;margin:16mm 14mm}
body{font-family:"Liberation Sans","DejaVu Sans",Arial,sans-serif;font-size:9.5pt;color:#1d2733;margin:0}
h1{font-size:20pt;color:#1f4e79;margin:0 0 1mm}
h2{font-size:13pt;color:#1f4e79;border-bottom:1px solid #1f4e79;padding-bottom:1mm;margin:7mm 0 3mm;break-after:avoid}
h3{font-size:10.5pt;margin:4mm 0 1mm;break-after:avoid}
.confidential{color:#cf222e;font-weight:bold;margin:0 0 4mm}
dl{display:grid;grid-template-columns:42mm auto;gap:1mm 4mm;margin:0}
dt{color:#5a6772}dd{margin:0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:1.2mm 2mm;border-bottom:1px solid #dde3ea;vertical-align:top}
th{background:#eef3f8}
tr{break-inside:avoid}
tr.principle td{background:#f6f8fa;font-weight:bold}
td.standard{padding-left:6mm}
.met{color:#1a7f37}.not-met{color:#cf222e}.not-applicable{color:#5a6772}
.finding{border:1px solid #dde3ea;padding:2mm 3mm;margin:0 0 3mm;break-inside:avoid}
.finding p{margin:1mm 0}
.response{border-left:3px solid #1f4e79;padding-left:3mm;margin:2mm 0}
.muted{color:#5a6772}
code{font-family:"Liberation Mono","DejaVu Sans Mono",monospace;font-size:8.5pt;word-break:break-all}
</style>
</head>
<body>
<h1>{{t.title}}</h1>
<p class="confidential">{{t.confidential}}</p>
<dl>
  <dt>{{t.institution}}</dt><dd>{{institution.name}}</dd>
  <dt>{{t.certifier}}</dt><dd>{{certifier}}</dd>
  <dt>{{t.edition}}</dt><dd>{{edition}}</dd>
  <dt>{{t.caseType}}</dt><dd>{{caseType}}</dd>
</dl>

<h2>{{t.profile}}</h2>
<dl>
  <dt>{{t.country}}</dt><dd>{{institution.country}}</dd>
  <dt>{{t.legalForm}}</dt><dd>{{institution.legalForm}}</dd>
  <dt>{{t.clients}}</dt><dd>{{institution.clientCount}}</dd>
  <dt>{{t.branches}}</dt><dd>{{institution.branchCount}}</dd>
  <dt>{{t.services}}</dt><dd>{{institution.services}}</dd>
</dl>

<h2>{{t.mission}}</h2>
{{#if mission}}
<dl>
  <dt>{{t.missionDates}}</dt><dd>{{mission.dates}}</dd>
  <dt>{{t.branchesVisited}}</dt><dd>{{mission.branchesVisited}}</dd>
  <dt>{{t.interviews}}</dt><dd>{{mission.interviews}}</dd>
  <dt>{{t.team}}</dt><dd>{{#each team}}{{name}} ({{role}}){{#unless @last}}, {{/unless}}{{/each}}</dd>
</dl>
{{#if mission.branches.length}}
<h3>{{t.branchCounts}}</h3>
<table id="branch-counts">
<thead><tr><th>{{t.branch}}</th><th>{{t.interviews}}</th><th>{{t.focusGroups}}</th></tr></thead>
<tbody>{{#each mission.branches}}<tr><td>{{name}}</td><td>{{interviews}}</td><td>{{focusGroups}}</td></tr>{{/each}}</tbody>
</table>
{{/if}}
{{else}}<p class="muted">{{t.notRecorded}}</p>{{/if}}

<h2>{{t.results}}</h2>
<table id="results">
<thead><tr><th>{{t.principle}} / {{t.standard}}</th><th>{{t.result}}</th><th>{{t.indicatorsCompliant}}</th><th>{{t.score}}</th></tr></thead>
<tbody>
{{#each principles}}
<tr class="principle"><td>{{code}}. {{title}}</td><td class="{{resultClass}}">{{result}}</td><td>{{compliant}}</td><td>{{score}}</td></tr>
{{#each standards}}<tr><td class="standard">{{code}} {{title}}</td><td class="{{resultClass}}">{{result}}</td><td>{{compliant}}</td><td>{{score}}</td></tr>
{{/each}}
{{/each}}
</tbody>
</table>
<p class="muted">{{scoreNote}}</p>
{{#if tagScores.length}}
<h3>{{t.scoresByTag}}</h3>
<table id="tag-scores">
<tbody>{{#each tagScores}}<tr><td>{{name}}</td><td>{{compliant}}</td><td>{{score}}</td></tr>{{/each}}</tbody>
</table>
{{/if}}

{{#if isTiered}}
<h2>{{t.nextLevels}}</h2>
<dl><dt>{{t.levelReached}}</dt><dd>{{#if hasLevelReached}}{{levelReached}}{{else}}{{t.noLevel}}{{/if}}</dd></dl>
{{#each nextLevels}}
<div class="finding" id="next-level-{{@index}}">
  <h3>{{level}}</h3>
  <p><strong>{{../t.blockers}}:</strong> {{blockers}}</p>
  {{#each missing}}<p>{{this}}</p>{{/each}}
</div>
{{else}}<p class="muted">{{t.noNextLevel}}</p>{{/each}}
{{/if}}

<h2>{{t.findings}}</h2>
{{#each findings}}
<div class="finding">
  <h3>{{number}}. {{severity}} · {{../t.indicators}} {{indicators}} · {{status}}</h3>
  <p>{{description}}</p>
  <p><strong>{{../t.recommendation}}:</strong> {{recommendation}}</p>
  {{#if correctiveActionDueOn}}<p><strong>{{../t.correctiveActionDueOn}}:</strong> {{correctiveActionDueOn}}</p>{{/if}}
  {{#each responses}}<div class="response"><p class="muted">{{../../t.response}} · {{by}} · {{on}}</p><p>{{text}}</p></div>{{else}}<p class="muted">{{../t.noResponse}}</p>{{/each}}
  {{#if resolutionNote}}<p><strong>{{../t.resolution}}:</strong> {{resolutionNote}}</p>{{/if}}
</div>
{{else}}<p class="muted">{{t.noFindings}}</p>{{/each}}

<h2>{{t.actionPlan}}</h2>
{{#each actions}}
<div class="finding action">
  <h3>{{number}}. {{kind}}{{#if indicators}} · {{../t.indicators}} {{indicators}}{{/if}} · {{status}}</h3>
  {{#if carriedIn}}<p class="muted">{{carriedIn}}</p>{{/if}}
  <p>{{description}}</p>
  <p><strong>{{../t.owner}}:</strong> {{owner}} · <strong>{{../t.dueOn}}:</strong> {{dueOn}}</p>
  {{#if verification}}<p><strong>{{../t.verification}}:</strong> {{verification}}</p>{{/if}}
</div>
{{else}}<p class="muted">{{t.noActions}}</p>{{/each}}

{{#if verifiedRatings.length}}
<h2>{{t.ratingsVerification}}</h2>
<table id="verification-sources">
<thead><tr><th>{{t.indicator}}</th><th>{{t.rating}}</th><th>{{t.verifiedBy}}</th></tr></thead>
<tbody>{{#each verifiedRatings}}<tr><td>{{code}}</td><td>{{rating}}</td><td>{{sources}}</td></tr>{{/each}}</tbody>
</table>
{{/if}}

<h2>{{t.decision}}</h2>
<dl>
  <dt>{{t.outcome}}</dt><dd><strong>{{decision.outcome}}</strong></dd>
  {{#if decision.level}}<dt>{{t.level}}</dt><dd>{{decision.level}}</dd>{{/if}}
  <dt>{{t.rationale}}</dt><dd>{{decision.rationale}}</dd>
  <dt>{{t.decidedBy}}</dt><dd>{{decision.decidedBy}}</dd>
  <dt>{{t.decidedAt}}</dt><dd>{{decision.decidedAt}}</dd>
  {{#if appeal}}<dt>{{t.appeal}}</dt><dd>{{appeal}}</dd>{{/if}}
  <dt>{{t.package}}</dt><dd><code>{{decision.packageSha256}}</code></dd>
</dl>
<p class="muted">{{t.packageNote}}</p>
</body>
</html>`;
