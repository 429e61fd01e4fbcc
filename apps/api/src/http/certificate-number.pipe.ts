import { Injectable, type PipeTransform } from '@nestjs/common';
import { ValidationError } from '@app/common';

// The product's numbers (CPC-2026-0042), and recorded ones as they were issued (SMART-2015-017, MF.2019.88).
const CERTIFICATE_NUMBER = /^(?=.{3,40}$)[A-Z0-9]+(?:[-.][A-Z0-9]+)+$/;

/** A certificate number such as CPC-2026-0042. */
@Injectable()
export class CertificateNumberPipe implements PipeTransform<string, string> {
  /** What the document states the parameter accepts (lower case is accepted too, and upper-cased). */
  static readonly openApiSchema = {
    pattern: '^[A-Za-z0-9]+(?:[-.][A-Za-z0-9]+)+$',
    minLength: 3,
    maxLength: 40,
  };

  transform(value: string): string {
    const normalized = typeof value === 'string' ? value.trim().toUpperCase() : '';
    if (!CERTIFICATE_NUMBER.test(normalized)) {
      throw new ValidationError('certificateNumber must look like CPC-2026-0042', [
        { field: 'certificateNumber', message: 'must look like CPC-2026-0042' },
      ]);
    }
    return normalized;
  }
}
