import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { MAX_IMPORT_ROWS, readTabularFile } from './tabular-file.reader';

const csvFile = (text: string) => ({ fileName: 'list.csv', content: Buffer.from(text) });

function csvOf(dataRows: number, row: (index: number) => string): string {
  const lines = ['name,country,statement'];
  for (let index = 0; index < dataRows; index += 1) lines.push(row(index));
  return `${lines.join('\n')}\n`;
}

async function aWorkbook(dataRows: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Signatories');
  sheet.addRow(['name', 'country', 'committedOn']);
  for (let index = 0; index < dataRows; index += 1)
    sheet.addRow([`Signatory ${index}`, 'PE', new Date(Date.UTC(2012, 2, 1))]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('readTabularFile', () => {
  it('reads a CSV by header, keeping quoted line breaks in one cell and skipping blank rows', async () => {
    const rows = await readTabularFile(
      csvFile(
        '\uFEFFName,Country,Statement\r\nCaja "Uno",PE,"first line\nsecond, line"\r\n\r\nDos,BO,007\r\n',
      ),
    );
    expect(rows).toEqual([
      {
        line: 2,
        cells: { name: 'Caja "Uno"', country: 'PE', statement: 'first line\nsecond, line' },
      },
      { line: 4, cells: { name: 'Dos', country: 'BO', statement: '007' } },
    ]);
  });

  it(`reads a CSV of exactly ${MAX_IMPORT_ROWS} rows, line breaks inside quotes not counted as rows`, async () => {
    const rows = await readTabularFile(
      csvFile(csvOf(MAX_IMPORT_ROWS, (index) => `Signatory ${index},PE,"line one\nline two\nline three"`)),
    );
    expect(rows).toHaveLength(MAX_IMPORT_ROWS);
    expect(rows[MAX_IMPORT_ROWS - 1]).toMatchObject({ line: MAX_IMPORT_ROWS + 1 });
  });

  it(`refuses a CSV of ${MAX_IMPORT_ROWS + 1} rows with 413 PAYLOAD_TOO_LARGE`, async () => {
    await expect(
      readTabularFile(csvFile(csvOf(MAX_IMPORT_ROWS + 1, (index) => `Signatory ${index},PE,`))),
    ).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      details: [{ field: 'file', maxRows: MAX_IMPORT_ROWS }],
    });
  });

  it('refuses a 5 MB CSV of 1.7 million short rows without materialising it', async () => {
    const content = Buffer.from(`name,country\n${'a,\n'.repeat(1_700_000)}`);
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 5);
    const started = Date.now();
    try {
      await expect(readTabularFile({ fileName: 'big.csv', content })).rejects.toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
      });
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    // Before the fix the whole file became an ExcelJS worksheet: ~1.7 GB of heap and seconds of parsing.
    expect(peak - before).toBeLessThan(200 * 1024 * 1024);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses text that is not UTF-8 as unsupported media', async () => {
    await expect(
      readTabularFile({ fileName: 'list.csv', content: Buffer.from([0x6e, 0x61, 0xff, 0xfe, 0x0a]) }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('reads the first sheet of an .xlsx workbook, dates as YYYY-MM-DD', async () => {
    const rows = await readTabularFile({ fileName: 'list.xlsx', content: await aWorkbook(2) });
    expect(rows).toEqual([
      { line: 2, cells: { name: 'Signatory 0', country: 'PE', committedon: '2012-03-01' } },
      { line: 3, cells: { name: 'Signatory 1', country: 'PE', committedon: '2012-03-01' } },
    ]);
  });

  it(`refuses an .xlsx of ${MAX_IMPORT_ROWS + 1} rows with 413 before loading it`, async () => {
    await expect(
      readTabularFile({ fileName: 'list.xlsx', content: await aWorkbook(MAX_IMPORT_ROWS + 1) }),
    ).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  }, 60_000);

  it('refuses an .xlsx whose sheet inflates a hundredfold (zip bomb) with 413', async () => {
    const zip = await JSZip.loadAsync(await aWorkbook(1));
    zip.file('xl/worksheets/sheet1.xml', Buffer.alloc(8 * 1024 * 1024, 0x20));
    const bomb = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expect(readTabularFile({ fileName: 'list.xlsx', content: bomb })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
  });

  it('refuses a zip that is not a workbook as unsupported media', async () => {
    const zip = new JSZip();
    zip.file('hello.txt', 'hello');
    const content = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    await expect(readTabularFile({ fileName: 'list.xlsx', content })).rejects.toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
  });
});
