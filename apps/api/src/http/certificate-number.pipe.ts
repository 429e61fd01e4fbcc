import { Injectable, type PipeTransform } from '@nestjs/common';
import { ValidationError } from '@app/common';

const CERTIFICATE_NUMBER = /^[A-Z]{2,6}-\d{4}-\d{4,6}$/;

/** A certificate number such as CPC-2026-0042. */
@Injectable()
export class CertificateNumberPipe implements PipeTransform<string, string> {
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
