import { Injectable } from '@nestjs/common';
import { type Actor, countryName, formatDate, levelName, type PageLanguage } from '@app/common';
import { HttpConfig } from '@app/config';
import { type PdfDocument, PdfDocumentsService } from '@app/documents';
import { StandardsService } from '@app/standards';
import { toString as qrCodeSvg } from 'qrcode';
import { CertificatesService } from '../certificates.service';
import { REGISTRY_MESSAGES } from '../pages/registry-messages';
import { CERTIFICATE_MESSAGES } from './certificate-messages';
import { CERTIFICATE_TEMPLATE } from './certificate-template';

/**
 * The certificate as a PDF: the institution, level, dates, the certification body, and the
 * verification URL with a QR code to it. A certificate that is no longer active says so across the page.
 */
@Injectable()
export class CertificatePdfService {
  constructor(
    private readonly certificates: CertificatesService,
    private readonly standards: StandardsService,
    private readonly documents: PdfDocumentsService,
    private readonly http: HttpConfig,
  ) {}

  async render(actor: Actor, number: string, lang: PageLanguage): Promise<PdfDocument> {
    const certificate = await this.certificates.get(actor, number);
    const edition = await this.standards.requireTree(certificate.edition);
    const t = CERTIFICATE_MESSAGES[lang];
    const verificationUrl = `${this.http.publicBaseUrl}/registry/${certificate.certificateNumber}`;
    return this.documents.render({
      kind: 'certificate',
      template: CERTIFICATE_TEMPLATE,
      page: { landscape: true },
      model: {
        lang,
        t,
        verificationUrl,
        qrSvg: await qrCodeSvg(verificationUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }),
        notice: certificate.status === 'active' ? null : REGISTRY_MESSAGES[lang][certificate.status],
        certificate: {
          number: certificate.certificateNumber,
          // The holder as certified, not the organization's current name.
          institution: certificate.holder.name,
          country: countryName(certificate.holder.country, lang),
          certifier: certificate.certifier.name,
          edition: edition.title(lang),
          level: levelName(certificate.level, lang),
          isTiered: certificate.level !== null,
          decidedOn: formatDate(certificate.decidedOn, lang),
          publishedOn: formatDate(certificate.publishedOn, lang),
          validUntil: formatDate(certificate.validUntil, lang),
          checkInDueOn: certificate.checkInDueOn ? formatDate(certificate.checkInDueOn, lang) : null,
          packageSha256: certificate.packageSha256,
        },
      },
    });
  }
}
