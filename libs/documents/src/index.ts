export { CHROMIUM_ARGS } from './chromium-args';
export { PdfRendererUnavailableError } from './documents.errors';
export { DocumentsModule } from './documents.module';
export { RenderedDocumentEntity } from './entities/rendered-document.entity';
export { type PdfDocument, type PdfDocumentRequest, PdfDocumentsService } from './pdf-documents.service';
export { type PdfPageOptions, PdfRenderer, type PdfRendererStats } from './pdf-renderer';
export { DocumentLanguageQueryDto } from './dto/document-language-query.dto';
