import { createHash } from 'node:crypto';

/** The one style sheet of the field's public pages (inline, allowed by its hash in the pages' CSP). */
export const FIELD_PAGE_STYLE = `
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d2733}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #dde3ea}
form{display:flex;flex-wrap:wrap;align-items:flex-end;gap:.6rem 1rem;margin:1rem 0}
form label{display:flex;flex-direction:column;font-size:.85rem;gap:.2rem}
input,select,button{font:inherit;padding:.3rem .4rem}nav.languages a{margin-right:.6rem}
nav.languages a[aria-current]{font-weight:600;text-decoration:none;color:inherit}.nowrap{white-space:nowrap}
nav.pages{display:flex;gap:1rem;align-items:center;margin:1rem 0}figure{margin:1rem 0}svg text{font-size:12px;fill:#1d2733}
.suppressed{color:#57606a;font-style:italic}
`;

/** `'sha256-…'` of FIELD_PAGE_STYLE, for the pages' `style-src`. */
export const FIELD_PAGE_STYLE_SOURCE = `'sha256-${createHash('sha256').update(FIELD_PAGE_STYLE).digest('base64')}'`;

// The head shared by the field's public pages; Handlebars escapes every {{value}}.
export const FIELD_PAGE_HEAD = `<!doctype html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{t.title}}</title>
<style>${FIELD_PAGE_STYLE}</style>
</head>
<body>
<nav class="languages" aria-label="{{t.language}}">{{#each languages}}<a href="{{href}}" hreflang="{{code}}" lang="{{code}}" {{#if current}}aria-current="true"{{/if}}>{{code}}</a>{{/each}}</nav>
<main>`;

export const FIELD_PAGE_FOOT = `</main>
</body>
</html>`;
