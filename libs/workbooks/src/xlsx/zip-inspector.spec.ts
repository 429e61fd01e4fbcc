import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { inspectWorkbookZip } from './zip-inspector';

async function aWorkbook(rows: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Ratings');
  for (let i = 0; i < rows; i++) sheet.addRow([`${i}`, 'met']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Rewrites the uncompressed size an entry declares, in its local header and in the central directory. */
function patchDeclaredSize(zip: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(zip);
  const nameBytes = Buffer.from(name);
  for (let offset = 0; offset < out.length - 4; offset++) {
    const signature = out.readUInt32LE(offset);
    if (
      signature === 0x04034b50 &&
      out.subarray(offset + 30, offset + 30 + nameBytes.length).equals(nameBytes)
    )
      out.writeUInt32LE(size, offset + 22);
    if (
      signature === 0x02014b50 &&
      out.subarray(offset + 46, offset + 46 + nameBytes.length).equals(nameBytes)
    )
      out.writeUInt32LE(size, offset + 24);
  }
  return out;
}

describe('inspectWorkbookZip', () => {
  it('counts the rows of the worksheets', async () => {
    const inspection = await inspectWorkbookZip(await aWorkbook(1234));
    expect(inspection.rowCount).toBe(1234);
  });

  it('refuses more rows than the limit', async () => {
    await expect(inspectWorkbookZip(await aWorkbook(5001))).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
  });

  it('refuses an entry that inflates past the size it declares', async () => {
    const zip = await JSZip.loadAsync(await aWorkbook(3));
    zip.file('xl/media/liar.bin', Buffer.alloc(8 * 1024 * 1024));
    const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    await expect(
      inspectWorkbookZip(patchDeclaredSize(bytes, 'xl/media/liar.bin', 100)),
    ).rejects.toMatchObject({
      code: 'WORKBOOK_UNREADABLE',
    });
  });

  it('refuses what is not a zip', async () => {
    await expect(inspectWorkbookZip(Buffer.from('hello'))).rejects.toMatchObject({
      code: 'WORKBOOK_UNREADABLE',
    });
  });
});
