import { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { canonicalJson, sha256Hex } from '@app/common';
import { EvidenceStorage } from '@app/storage';
import Handlebars from 'handlebars';
import { DataSource } from 'typeorm';
import { RenderedDocumentEntity } from './entities/rendered-document.entity';
import { type PdfPageOptions, PdfRenderer } from './pdf-renderer';

export interface PdfDocumentRequest {
  /** What the document is, e.g. `certificate`; part of the cache key. */
  kind: string;
  /** A Handlebars template of a whole HTML document; values are HTML-escaped. */
  template: string;
  /** Everything the template shows, already formatted and translated (JSON-serialisable). */
  model: object;
  page?: PdfPageOptions;
}

export interface PdfDocument {
  bytes: Buffer;
  /** SHA-256 of the bytes: the storage key and a strong ETag. */
  sha256: string;
  /** True when the document was served from storage without rendering. */
  reused: boolean;
}

/** Rendered documents are kept this long; a request after that renders them again. */
const RETENTION_DAYS = 90;

interface CompiledTemplate {
  render: Handlebars.TemplateDelegate;
  sha256: string;
}

/**
 * PDFs from Handlebars templates, kept in storage by content hash. A document is rendered once for
 * the same template and data; later requests read it back from storage.
 */
@Injectable()
export class PdfDocumentsService {
  private readonly logger = new Logger(PdfDocumentsService.name);
  private readonly templates = new Map<string, CompiledTemplate>();
  /** Renders under way by input hash: simultaneous requests for one document share one render. */
  private readonly pending = new Map<string, Promise<PdfDocument>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: EvidenceStorage,
    private readonly renderer: PdfRenderer,
  ) {}

  async render(request: PdfDocumentRequest): Promise<PdfDocument> {
    const template = this.compiled(request.template);
    const inputSha256 = sha256Hex(
      canonicalJson({
        kind: request.kind,
        template: template.sha256,
        page: request.page ?? {},
        model: request.model,
      }),
    );
    const underWay = this.pending.get(inputSha256);
    if (underWay) return underWay;
    const rendering = this.renderOrReuse(inputSha256, template, request).finally(() =>
      this.pending.delete(inputSha256),
    );
    this.pending.set(inputSha256, rendering);
    return rendering;
  }

  /**
   * Forgets documents rendered more than `RETENTION_DAYS` ago and removes their files once no other
   * document shares them; a later request renders again. Returns how many documents were forgotten.
   */
  async purgeOlderThanRetention(now: Date = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - RETENTION_DAYS * 86_400_000);
    const deleted = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(RenderedDocumentEntity)
      .where('created_at < :cutoff', { cutoff })
      .returning('content_sha256')
      .execute();
    const rows = deleted.raw as { content_sha256: string }[];
    const hashes = [...new Set(rows.map((row) => row.content_sha256))];
    for (const sha256 of hashes) {
      const isShared = await this.dataSource
        .getRepository(RenderedDocumentEntity)
        .existsBy({ contentSha256: sha256 });
      // A file that a concurrent render still refers to would be rendered again on its next read.
      if (!isShared) await this.storage.delete(storageKey(sha256));
    }
    return rows.length;
  }

  private async renderOrReuse(
    inputSha256: string,
    template: CompiledTemplate,
    request: PdfDocumentRequest,
  ): Promise<PdfDocument> {
    const repository = this.dataSource.getRepository(RenderedDocumentEntity);
    const stored = await repository.findOneBy({ inputSha256 });
    if (stored) {
      const bytes = await this.readStored(stored);
      if (bytes) return { bytes, sha256: stored.contentSha256, reused: true };
    }
    const bytes = await this.renderer.render(template.render(request.model), request.page);
    const sha256 = sha256Hex(bytes);
    await this.storage.put(storageKey(sha256), Readable.from([bytes]), 'application/pdf');
    await repository.upsert(
      { inputSha256, kind: request.kind, contentSha256: sha256, byteSize: bytes.length },
      ['inputSha256'],
    );
    return { bytes, sha256, reused: false };
  }

  /** The stored bytes, or undefined when they are gone or damaged (then the document is rendered again). */
  private async readStored(stored: RenderedDocumentEntity): Promise<Buffer | undefined> {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of await this.storage.get(storageKey(stored.contentSha256))) {
        chunks.push(Buffer.from(chunk as Uint8Array));
      }
      const bytes = Buffer.concat(chunks);
      if (sha256Hex(bytes) === stored.contentSha256) return bytes;
      this.logger.warn(
        { key: storageKey(stored.contentSha256) },
        'A stored document is damaged; rendering again',
      );
    } catch (error) {
      this.logger.warn(
        { err: error, key: storageKey(stored.contentSha256) },
        'A stored document cannot be read; rendering again',
      );
    }
    return undefined;
  }

  private compiled(source: string): CompiledTemplate {
    let template = this.templates.get(source);
    if (!template) {
      template = { render: Handlebars.compile(source, { strict: true }), sha256: sha256Hex(source) };
      this.templates.set(source, template);
    }
    return template;
  }
}

function storageKey(sha256: string): string {
  return `documents/${sha256}`;
}
