// The certificate as an A4 landscape page; a Handlebars template, values HTML-escaped.
export const CERTIFICATE_TEMPLATE = `<!doctype html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<title>{{t.title}} {{certificate.number}}</title>
<style>
@page{size:A4 landscape;margin:0}
*{box-sizing:border-box}
body{margin:0;font-family:"Liberation Serif","DejaVu Serif",Georgia,serif;color:#1d2733}
.sheet{width:297mm;height:210mm;padding:12mm}
.frame{height:100%;border:3px double #1f4e79;padding:12mm 16mm;position:relative;display:flex;flex-direction:column}
h1{font-size:30pt;margin:0 0 6mm;text-align:center;color:#1f4e79;letter-spacing:.5pt}
.lead{text-align:center;font-size:13pt;margin:1mm 0}
.institution{text-align:center;font-size:26pt;font-weight:bold;margin:3mm 0 1mm}
.country{text-align:center;font-size:13pt;margin:0 0 3mm}
.edition,.level{text-align:center;font-size:15pt;margin:1mm 0}
.level strong{font-size:18pt}
.facts{display:flex;justify-content:space-between;align-items:flex-end;margin-top:auto;font-family:"Liberation Sans","DejaVu Sans",Arial,sans-serif;font-size:10pt}
.facts dl{margin:0;display:grid;grid-template-columns:auto auto;gap:1.2mm 5mm}
.facts dt{color:#5a6772}.facts dd{margin:0;font-weight:bold}
.verify{text-align:center}.verify svg{width:36mm;height:36mm}
.verify p{margin:1mm 0;font-size:8pt;white-space:nowrap}
.package{font-family:"Liberation Mono","DejaVu Sans Mono",monospace;font-size:7pt;color:#5a6772;margin-top:3mm}
.banner{position:absolute;top:44%;left:8%;right:8%;text-align:center;font:bold 26pt "Liberation Sans",Arial,sans-serif;color:#cf222e;border:3px solid #cf222e;padding:3mm;transform:rotate(-8deg);background:rgba(255,255,255,.85)}
</style>
</head>
<body>
<div class="sheet"><div class="frame">
<h1>{{t.title}}</h1>
<p class="lead">{{t.certifies}}</p>
<p class="institution">{{certificate.institution}}</p>
<p class="country">{{certificate.country}}</p>
<p class="edition">{{t.meets}} <em>{{certificate.edition}}</em></p>
{{#if certificate.isTiered}}<p class="level">{{t.atLevel}} <strong>{{certificate.level}}</strong></p>{{/if}}
{{#if notice}}<div class="banner">{{t.notValid}}: {{notice}}</div>{{/if}}
<div class="facts">
  <dl>
    <dt>{{t.number}}</dt><dd>{{certificate.number}}</dd>
    <dt>{{t.level}}</dt><dd>{{certificate.level}}</dd>
    <dt>{{t.decidedOn}}</dt><dd>{{certificate.decidedOn}}</dd>
    <dt>{{t.publishedOn}}</dt><dd>{{certificate.publishedOn}}</dd>
    <dt>{{t.validUntil}}</dt><dd>{{certificate.validUntil}}</dd>
    {{#if certificate.checkInDueOn}}<dt>{{t.checkInDueOn}}</dt><dd>{{certificate.checkInDueOn}}</dd>{{/if}}
    <dt>{{t.certifier}}</dt><dd>{{certificate.certifier}}</dd>
  </dl>
  <div class="verify">{{{qrSvg}}}<p>{{t.verify}}</p><p>{{verificationUrl}}</p></div>
</div>
<p class="package">{{t.package}}: {{certificate.packageSha256}}</p>
</div></div>
</body>
</html>`;
