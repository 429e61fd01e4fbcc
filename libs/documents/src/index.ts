export { CHROMIUM_ARGS } from './chromium-args';
export { PdfRendererUnavailableError } from './documents.errors';
export { DocumentsModule } from './documents.module';
export { RenderedDocumentEntity } from './entities/rendered-document.entity';
export {
  PDF_RENDER_QUEUE,
  PDF_RENDER_RETRY_AFTER_SECONDS,
  type PdfDocument,
  type PdfDocumentRequest,
  PdfDocumentsService,
  type PdfRenderJob,
  PdfRenderQueueTimeoutError,
} from './pdf-documents.service';
export { type PdfPageOptions, PdfRenderer, type PdfRendererStats } from './pdf-renderer';
export { DocumentLanguageQueryDto } from './dto/document-language-query.dto';
