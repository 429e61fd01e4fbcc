import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { ApiClient } from '../support/api-client';
import { CaseBuilder } from '../support/case-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';
import { downloadWorkbook, fillWorkbook, reworkWorkbook, uploadWorkbook } from '../support/workbooks';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe('offline rating workbook', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseBuilder;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    cases = new CaseBuilder(client, world);
  });

  afterAll(() => testApp?.close());

  const path = (caseId: string) => `/api/v1/cases/${caseId}/rating-workbook`;

  async function ratings(caseId: string): Promise<Map<string, any>> {
    const response = await client.get(`/api/v1/cases/${caseId}/ratings`, world.sessions.rater).expect(200);
    return new Map(response.body.ratings.map((rating: any) => [rating.indicatorCode, rating]));
  }

  async function applicableCodes(caseId: string): Promise<string[]> {
    return [...(await ratings(caseId)).values()].filter((r) => r.applicable).map((r) => r.indicatorCode);
  }

  async function uploadEvidence(caseId: string): Promise<string> {
    const response = await client
      .post(`/api/v1/cases/${caseId}/evidence`, world.sessions.rater)
      .field('title', 'Complaints register')
      .field('indicatorCodes', '1.1.1')
      .attach('file', PDF, 'complaints.pdf')
      .expect(201);
    return response.body.id as string;
  }

  it('exports the hierarchy outlined by level, with applicability, validation, conditional formatting and protection', async () => {
    const onsite = await cases.onsite();
    const evidenceId = await uploadEvidence(onsite.id);
    const bytes = await downloadWorkbook(client, `${path(onsite.id)}?lang=fr`, world.sessions.rater);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as never);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Couverture', 'Notations', 'Preuves']);

    const cover = workbook.worksheets[0];
    const coverText = JSON.stringify(cover.getSheetValues());
    expect(coverText).toContain(onsite.id);
    expect(coverText).toContain('Empreinte du dossier');
    expect(coverText).toMatch(/[0-9a-f]{64}/);

    const sheet = workbook.worksheets[1];
    expect(sheet.getRow(1).values).toEqual(
      expect.arrayContaining(['Code', 'Niveau', 'Note', 'Justification']),
    );
    const current = await ratings(onsite.id);
    const rows = sheet.getRows(2, sheet.rowCount - 1)!;
    const indicatorRows = rows.filter((row) => row.outlineLevel === 2);
    expect(indicatorRows.map((row) => row.getCell(1).value)).toEqual([...current.keys()]);
    expect(rows.find((row) => row.getCell(1).value === '1')!.outlineLevel).toBe(0);
    expect(rows.find((row) => row.getCell(1).value === '1.1')!.outlineLevel).toBe(1);
    expect(rows.find((row) => row.getCell(1).value === '1.1')!.getCell(2).value).toBe('Norme');

    // Inapplicable rows are pre-set not_applicable with the profile's reason.
    const inapplicable = [...current.values()].find((rating) => !rating.applicable);
    const inapplicableRow = indicatorRows.find((row) => row.getCell(1).value === inapplicable.indicatorCode)!;
    expect(inapplicableRow.getCell(5).value).toBe('Non');
    expect(inapplicableRow.getCell(6).value).toBe('not_applicable');
    expect(inapplicableRow.getCell(7).text).toContain('Not applicable');

    // Only the rating, justification and evidence cells are editable; the version column is hidden.
    expect((sheet as any).sheetProtection).toMatchObject({ sheet: true });
    expect((sheet as any).sheetProtection.hashValue).toBeUndefined();
    const first = indicatorRows[0];
    expect(first.getCell(6).protection).toMatchObject({ locked: false });
    expect(first.getCell(7).protection).toMatchObject({ locked: false });
    expect(first.getCell(8).protection).toMatchObject({ locked: false });
    expect(first.getCell(3).protection?.locked).not.toBe(false);
    expect(sheet.getColumn(9).hidden).toBe(true);
    expect(first.getCell(9).value).toBe(0);
    expect(first.getCell(6).dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"met,partially_met,not_met,not_applicable"'],
    });
    const formatting = (sheet as any).conditionalFormattings as {
      ref: string;
      rules: { formulae: string[] }[];
    }[];
    expect(formatting[0].rules[0].formulae[0]).toContain('$F2="not_met"');
    expect(formatting[0].rules[0].formulae[0]).toContain('LEN(TRIM($G2))=0');

    // Every outline level opens expanded (a collapsed group hides its indicators in Calc and Excel).
    const sheetXml = await (await JSZip.loadAsync(bytes)).file('xl/worksheets/sheet2.xml')!.async('string');
    expect(sheetXml).toContain('outlineLevel="2"');
    expect(sheetXml).not.toContain('collapsed="1"');

    const evidence = workbook.worksheets[2];
    expect(evidence.getRow(2).values).toEqual([
      undefined,
      evidenceId,
      'Complaints register',
      'complaints.pdf',
      '1.1.1',
    ]);
  });

  it('export → fill in → dry run → apply; the same path as PUT /ratings, one audit event with the SHA-256', async () => {
    const onsite = await cases.onsite();
    const evidenceId = await uploadEvidence(onsite.id);
    const [a, b, c] = await applicableCodes(onsite.id);
    const exported = await downloadWorkbook(client, path(onsite.id), world.sessions.rater);
    const filled = await fillWorkbook(exported, {
      [a]: { rating: 'met', evidence: evidenceId },
      [b]: { rating: 'not_met', note: 'No complaints mechanism at the branches' },
      [c]: { rating: 'Partially met', note: 'Pricing disclosed orally only' },
    });

    const dry = await uploadWorkbook(client, path(onsite.id), world.sessions.rater, filled).expect(200);
    expect(dry.body.applied).toBe(false);
    expect(dry.body.counts).toMatchObject({ new: 3, changed: 0, conflict: 0, invalid: 0 });
    expect(dry.body.counts.unchanged).toBe((await ratings(onsite.id)).size - 3);
    expect(dry.body.rows.find((row: any) => row.indicatorCode === c)).toMatchObject({
      outcome: 'new',
      current: { rating: null },
      workbook: { rating: 'partially_met', justification: 'Pricing disclosed orally only' },
    });
    expect([...(await ratings(onsite.id)).values()].filter((r) => r.version > 0)).toHaveLength(0);

    const applied = await uploadWorkbook(client, path(onsite.id), world.sessions.rater, filled, {
      dryRun: false,
    }).expect(200);
    expect(applied.body.applied).toBe(true);
    const after = await ratings(onsite.id);
    expect(after.get(a)).toMatchObject({ rating: 'met', evidenceIds: [evidenceId], version: 1 });
    expect(after.get(b)).toMatchObject({
      rating: 'not_met',
      justification: 'No complaints mechanism at the branches',
    });
    expect(after.get(c)).toMatchObject({ rating: 'partially_met', version: 1 });

    const history = await client.get(`/api/v1/cases/${onsite.id}/history`, world.sessions.rater).expect(200);
    const events = history.body.filter((event: any) => event.action === 'ratings.saved');
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0])).toContain(applied.body.sha256);

    // The same workbook again: what it holds is saved now, so nothing is new and nothing conflicts.
    const again = await uploadWorkbook(client, path(onsite.id), world.sessions.rater, filled).expect(200);
    expect(again.body.counts).toMatchObject({ new: 0, changed: 0, conflict: 0, invalid: 0 });
  });

  it('fill_blanks keeps existing ratings; override changes them', async () => {
    const onsite = await cases.onsite();
    const [a, b] = await applicableCodes(onsite.id);
    await client
      .put(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater)
      .send({ ratings: [{ indicatorCode: a, rating: 'met' }] })
      .expect(200);
    const exported = await downloadWorkbook(client, path(onsite.id), world.sessions.rater);
    const filled = await fillWorkbook(exported, {
      [a]: { rating: 'not_met', note: 'Found on the second day' },
      [b]: { rating: 'met' },
    });

    const blanks = await uploadWorkbook(client, path(onsite.id), world.sessions.rater, filled, {
      mode: 'fill_blanks',
      dryRun: false,
    }).expect(200);
    const rowA = blanks.body.rows.find((row: any) => row.indicatorCode === a);
    expect(rowA).toMatchObject({
      outcome: 'skipped',
      current: { rating: 'met' },
      workbook: { rating: 'not_met' },
    });
    let now = await ratings(onsite.id);
    expect(now.get(a)).toMatchObject({ rating: 'met', version: 1 });
    expect(now.get(b)).toMatchObject({ rating: 'met', version: 1 });

    const override = await uploadWorkbook(client, path(onsite.id), world.sessions.rater, filled, {
      mode: 'override',
      dryRun: true,
    }).expect(200);
    expect(override.body.rows.find((row: any) => row.indicatorCode === a).outcome).toBe('changed');
    // b was saved by the fill_blanks import with the workbook's own value: nothing to do.
    expect(override.body.rows.find((row: any) => row.indicatorCode === b).outcome).toBe('unchanged');

    const fresh = await fillWorkbook(await downloadWorkbook(client, path(onsite.id), world.sessions.rater), {
      [a]: { rating: 'not_met', note: 'Found on the second day' },
    });
    await uploadWorkbook(client, path(onsite.id), world.sessions.rater, fresh, {
      mode: 'override',
      dryRun: false,
    }).expect(200);
    now = await ratings(onsite.id);
    expect(now.get(a)).toMatchObject({
      rating: 'not_met',
      justification: 'Found on the second day',
      version: 2,
    });
  });

  it('an edit on the server after export is a conflict, and nothing of the workbook is applied', async () => {
    const onsite = await cases.onsite();
    const [a, b] = await applicableCodes(onsite.id);
    const exported = await downloadWorkbook(client, path(onsite.id), world.sessions.rater);
    const filled = await fillWorkbook(exported, { [a]: { rating: 'met' }, [b]: { rating: 'met' } });
    await client
      .put(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater)
      .send({ ratings: [{ indicatorCode: a, rating: 'not_met', justification: 'Seen at head office' }] })
      .expect(200);

    const dry = await uploadWorkbook(client, path(onsite.id), world.sessions.rater, filled, {
      mode: 'override',
    }).expect(200);
    expect(dry.body.rows.find((row: any) => row.indicatorCode === a)).toMatchObject({
      outcome: 'conflict',
      current: { rating: 'not_met' },
      workbook: { rating: 'met' },
      reason: expect.stringContaining('changed on the server'),
    });
    const refused = await uploadWorkbook(client, path(onsite.id), world.sessions.rater, filled, {
      mode: 'override',
      dryRun: false,
    }).expect(409);
    expect(refused.body.code).toBe('STALE_VERSION');
    const now = await ratings(onsite.id);
    expect(now.get(a)).toMatchObject({ rating: 'not_met', version: 1 });
    expect(now.get(b)).toMatchObject({ rating: null, version: 0 });
  });

  it('reports invalid rows with their cell and applies nothing: formulas, values off the scale, missing justifications, foreign evidence', async () => {
    const onsite = await cases.onsite();
    const other = await cases.onsite();
    const foreignEvidence = await uploadEvidence(other.id);
    const [a, b, c, d, e] = await applicableCodes(onsite.id);
    const exported = await downloadWorkbook(client, path(onsite.id), world.sessions.rater);
    const filled = await fillWorkbook(exported, {
      [a]: { rating: { formula: '"met"', result: 'met' } },
      [b]: { rating: 'excellent' },
      [c]: { rating: 'not_met' },
      [d]: { rating: 'met', evidence: foreignEvidence },
      [e]: { rating: 'met' },
    });
    const dry = await uploadWorkbook(client, path(onsite.id), world.sessions.rater, filled).expect(200);
    const byCode = new Map(dry.body.rows.map((row: any) => [row.indicatorCode, row]));
    expect(byCode.get(a)).toMatchObject({
      outcome: 'invalid',
      cell: { column: 'F' },
      reason: expect.stringContaining('formula'),
    });
    expect(byCode.get(b)).toMatchObject({ outcome: 'invalid', cell: { column: 'F' } });
    expect(byCode.get(c)).toMatchObject({ outcome: 'invalid', cell: { column: 'G' } });
    expect(byCode.get(d)).toMatchObject({
      outcome: 'invalid',
      cell: { column: 'H' },
      reason: expect.stringContaining('not evidence of this case'),
    });
    expect(byCode.get(e)).toMatchObject({ outcome: 'new' });
    expect((byCode.get(a) as any).cell.row).toBeGreaterThan(1);
    expect(dry.body.counts.invalid).toBe(4);

    const refused = await uploadWorkbook(client, path(onsite.id), world.sessions.rater, filled, {
      dryRun: false,
    }).expect(422);
    expect(refused.body.code).toBe('WORKBOOK_ROWS_INVALID');
    expect((await ratings(onsite.id)).get(e)).toMatchObject({ rating: null, version: 0 });
  });

  describe('refusals', () => {
    let caseId: string;
    let exported: Buffer;

    beforeAll(async () => {
      caseId = (await cases.onsite()).id;
      exported = await downloadWorkbook(client, path(caseId), world.sessions.rater);
    });

    const upload = (file: Buffer, query = {}) =>
      uploadWorkbook(client, path(caseId), world.sessions.rater, file, query);

    it("another case's workbook: 422 WORKBOOK_NOT_FOR_CASE", async () => {
      const other = await cases.onsite();
      const foreign = await downloadWorkbook(client, path(other.id), world.sessions.rater);
      const response = await upload(foreign).expect(422);
      expect(response.body.code).toBe('WORKBOOK_NOT_FOR_CASE');
    });

    it('a workbook of another edition (fingerprint edited to match the case id): 422 WORKBOOK_NOT_FOR_CASE', async () => {
      const other = await cases.withEdition('cps-2022').onsite();
      const foreign = await downloadWorkbook(client, path(other.id), world.sessions.rater);
      const relabelled = await reworkWorkbook(foreign, (workbook) => {
        workbook.worksheets[0].eachRow((row) => {
          if (row.getCell(3).value === 'case_id') row.getCell(2).value = caseId;
        });
      });
      const response = await upload(relabelled).expect(422);
      expect(response.body.code).toBe('WORKBOOK_NOT_FOR_CASE');
    });

    it('moved, deleted rows or edited codes: 422 WORKBOOK_STRUCTURE_CHANGED', async () => {
      const deleted = await reworkWorkbook(exported, (workbook) => {
        workbook.worksheets[1].spliceRows(5, 1);
      });
      expect((await upload(deleted).expect(422)).body.code).toBe('WORKBOOK_STRUCTURE_CHANGED');

      const recoded = await reworkWorkbook(exported, (workbook) => {
        workbook.worksheets[1].getRow(4).getCell(1).value = '9.9.9';
      });
      const response = await upload(recoded).expect(422);
      expect(response.body.code).toBe('WORKBOOK_STRUCTURE_CHANGED');
      expect(response.body.details[0]).toMatchObject({ row: 4, found: '9.9.9' });

      const moved = await reworkWorkbook(exported, (workbook) => {
        const sheet = workbook.worksheets[1];
        const third = sheet.getRow(4).values as ExcelJS.CellValue[];
        const fourth = sheet.getRow(5).values as ExcelJS.CellValue[];
        sheet.getRow(4).values = fourth;
        sheet.getRow(5).values = third;
      });
      expect((await upload(moved).expect(422)).body.code).toBe('WORKBOOK_STRUCTURE_CHANGED');
    });

    it('not a workbook: 422 WORKBOOK_UNREADABLE; a zip that is no spreadsheet too', async () => {
      expect((await upload(PDF).expect(422)).body.code).toBe('WORKBOOK_UNREADABLE');
      const zip = new JSZip();
      zip.file('hello.txt', 'hello');
      const notXlsx = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
      expect((await upload(notXlsx).expect(422)).body.code).toBe('WORKBOOK_UNREADABLE');
    });

    it('external links: 422 WORKBOOK_UNREADABLE', async () => {
      const zip = await JSZip.loadAsync(exported);
      zip.file('xl/externalLinks/externalLink1.xml', '<externalLink/>');
      const linked = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
      const response = await upload(linked).expect(422);
      expect(response.body).toMatchObject({
        code: 'WORKBOOK_UNREADABLE',
        message: expect.stringContaining('external'),
      });
    });

    it('a zip bomb is refused from its central directory (413), before any spreadsheet parsing', async () => {
      const zip = await JSZip.loadAsync(exported);
      zip.file('xl/media/padding.bin', Buffer.alloc(200 * 1024 * 1024));
      const bomb = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
      expect(bomb.length).toBeLessThan(1024 * 1024);
      const response = await upload(bomb).expect(413);
      expect(response.body).toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
        message: expect.stringContaining('zip bomb'),
      });
    });

    it('a zip entry that lies about its size is stopped while inflating (422), never parsed', async () => {
      // A stored sheet entry whose central directory claims 100 bytes but which inflates to 8 MB.
      const zip = await JSZip.loadAsync(exported);
      zip.file('xl/media/liar.bin', Buffer.alloc(8 * 1024 * 1024));
      const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
      const patched = patchDeclaredSize(bytes, 'xl/media/liar.bin', 100);
      const response = await upload(patched).expect(422);
      expect(response.body).toMatchObject({
        code: 'WORKBOOK_UNREADABLE',
        message: expect.stringContaining('inflates past the size it declares'),
      });
    });

    it('over 5,000 rows: 413 before parsing', async () => {
      const big = await reworkWorkbook(exported, (workbook) => {
        const sheet = workbook.addWorksheet('Notes');
        for (let i = 0; i < 6000; i++) sheet.addRow([i]);
      });
      const response = await upload(big).expect(413);
      expect(response.body.message).toContain('rows');
    });

    it('over 10 MB: 413', async () => {
      const huge = Buffer.concat([exported, deflateRawSync(Buffer.alloc(1)), Buffer.alloc(10 * 1024 * 1024)]);
      expect((await upload(huge).expect(413)).body.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('bad query values: 400', async () => {
      expect((await upload(exported, { mode: 'merge' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
      await client.get(`${path(caseId)}?lang=de`, world.sessions.rater).expect(400);
    });
  });

  it("shows and checks applicability by the case's profile, not the organization's profile edited since", async () => {
    const onsite = await cases.onsite();
    const read = async () =>
      (await client.get(`/api/v1/organizations/${world.institutionId}`, world.sessions.institution_admin))
        .body;
    const editProfile = async (profile: Record<string, unknown>) =>
      client
        .patch(`/api/v1/organizations/${world.institutionId}`, world.sessions.institution_admin)
        .send({ version: (await read()).version, profile })
        .expect(200);
    const submitted = (await read()).profile as Record<string, unknown>;
    const before = (await applicableCodes(onsite.id)).sort();
    // After submission the institution says it now takes savings and works through agents: the
    // organization's profile changes, the case's does not (a new case would take the new one).
    await editProfile({ ...submitted, offersSavings: true, usesAgents: true, offersCredit: false });
    try {
      const flipped = await cases.open();
      const edited = await client
        .get(`/api/v1/cases/${flipped.id}/self-assessment`, world.sessions.institution_admin)
        .expect(200);
      const editedApplicable = (edited.body.answers as { indicatorCode: string; applicable: boolean }[])
        .filter((answer) => answer.applicable)
        .map((answer) => answer.indicatorCode)
        .sort();
      // The edit changes what applies (else this test would prove nothing).
      expect(editedApplicable).not.toEqual(before);
      expect((await applicableCodes(onsite.id)).sort()).toEqual(before);

      const bytes = await downloadWorkbook(client, path(onsite.id), world.sessions.rater);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(bytes as never);
      const sheet = workbook.worksheets[1];
      const shownApplicable = sheet
        .getRows(2, sheet.rowCount - 1)!
        .filter((row) => row.outlineLevel === 2 && row.getCell(5).value === 'Yes')
        .map((row) => row.getCell(1).value as string)
        .sort();
      expect(shownApplicable).toEqual(before);

      // Rated as PUT /ratings would take them: every indicator applicable under the case's profile met,
      // without justification, applies with nothing invalid.
      const filled = await fillWorkbook(
        bytes,
        Object.fromEntries(before.map((code) => [code, { rating: 'met' }])),
      );
      const applied = await uploadWorkbook(client, path(onsite.id), world.sessions.rater, filled, {
        dryRun: false,
      }).expect(200);
      expect(applied.body.counts).toMatchObject({ invalid: 0, conflict: 0, new: before.length });
    } finally {
      await editProfile(submitted);
    }
  });

  it('the window and the actors: the certifier admin exports; the institution 404; closed outside onsite/findings', async () => {
    const onsite = await cases.onsite();
    await downloadWorkbook(client, path(onsite.id), world.sessions.certifier_admin);
    await client.get(path(onsite.id), world.sessions.institution_admin).expect(404);
    await client.get(path(onsite.id), world.sessions.other_certifier_admin).expect(404);
    await client.get(path(onsite.id), world.sessions.secretariat_admin).expect(403);
    const review = await cases.inDeskReview();
    const locked = await client.get(path(review.id), world.sessions.rater).expect(409);
    expect(locked.body.code).toBe('CASE_LOCKED');
  });
});

/** Rewrites the uncompressed size an entry declares, in its local header and in the central directory. */
function patchDeclaredSize(zip: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(zip);
  const nameBytes = Buffer.from(name);
  for (let offset = 0; offset < out.length - 4; offset++) {
    const signature = out.readUInt32LE(offset);
    if (
      signature === 0x04034b50 &&
      out.subarray(offset + 30, offset + 30 + nameBytes.length).equals(nameBytes)
    ) {
      out.writeUInt32LE(size, offset + 22);
    }
    if (
      signature === 0x02014b50 &&
      out.subarray(offset + 46, offset + 46 + nameBytes.length).equals(nameBytes)
    ) {
      out.writeUInt32LE(size, offset + 24);
    }
  }
  return out;
}
