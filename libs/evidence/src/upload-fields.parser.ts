import { type ErrorDetail, ValidationError } from '@app/common';
import { INDICATOR_CODE_PATTERN } from './dto/evidence.dto';
import { type EvidenceUploadFields, MAX_INDICATOR_CODES } from './dto/evidence-upload.dto';
import type { MultipartFields } from './multipart.reader';

const MAX_TITLE_LENGTH = 200;
const MAX_DESCRIPTION_LENGTH = 2000;
// Line breaks and tabs are text; other control characters (NUL above all) are not.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function single(fields: MultipartFields, name: string, problems: ErrorDetail[]): string | undefined {
  const values = fields.get(name);
  if (!values) return undefined;
  if (values.length > 1) problems.push({ field: name, message: 'must be sent once' });
  return values[0];
}

function checkText(
  value: string,
  name: string,
  maxLength: number,
  allowsLineBreaks: boolean,
  problems: ErrorDetail[],
): string {
  const text = value.trim();
  if (text.length === 0) problems.push({ field: name, message: 'must not be empty' });
  if (text.length > maxLength)
    problems.push({ field: name, message: `must be at most ${maxLength} characters` });
  if (CONTROL_CHARACTERS.test(text) || (!allowsLineBreaks && /[\r\n\t]/.test(text))) {
    problems.push({ field: name, message: 'must not contain control characters' });
  }
  return text;
}

function indicatorCodesOf(values: readonly string[], problems: ErrorDetail[]): string[] {
  const codes = [
    ...new Set(
      values
        .flatMap((value) => value.split(','))
        .map((code) => code.trim())
        .filter(Boolean),
    ),
  ];
  if (codes.length === 0)
    problems.push({ field: 'indicatorCodes', message: 'must name at least one indicator' });
  if (codes.length > MAX_INDICATOR_CODES) {
    problems.push({
      field: 'indicatorCodes',
      message: `must name at most ${MAX_INDICATOR_CODES} indicators`,
    });
  }
  codes.forEach((code, index) => {
    if (!INDICATOR_CODE_PATTERN.test(code)) {
      problems.push({
        field: `indicatorCodes[${index}]`,
        message: 'must be an indicator code such as 2.1.3',
      });
    }
  });
  return codes;
}

/**
 * The text fields of an upload, checked. `isComplete: false` checks only the fields present (those
 * sent before the file); the missing ones are required once the whole body has been read.
 */
export function parseUploadFields(
  fields: MultipartFields,
  isComplete: boolean,
): Partial<EvidenceUploadFields> {
  const problems: ErrorDetail[] = [];
  const parsed: Partial<EvidenceUploadFields> = {};
  const title = single(fields, 'title', problems);
  if (title !== undefined) parsed.title = checkText(title, 'title', MAX_TITLE_LENGTH, false, problems);
  else if (isComplete) problems.push({ field: 'title', message: 'is required' });
  const codes = fields.get('indicatorCodes');
  if (codes) parsed.indicatorCodes = indicatorCodesOf(codes, problems);
  else if (isComplete) problems.push({ field: 'indicatorCodes', message: 'is required' });
  const description = single(fields, 'description', problems);
  if (description !== undefined) {
    const text = description.trim();
    parsed.description =
      text === '' ? null : checkText(text, 'description', MAX_DESCRIPTION_LENGTH, true, problems);
  } else if (isComplete) {
    parsed.description = null;
  }
  if (problems.length > 0) {
    throw new ValidationError(
      problems.length === 1
        ? `${problems[0].field} ${problems[0].message}`
        : `${problems.length} fields are invalid`,
      problems,
    );
  }
  return parsed;
}

/** All the fields of an upload, once the whole body has been read. */
export function parseCompleteUploadFields(fields: MultipartFields): EvidenceUploadFields {
  return parseUploadFields(fields, true) as EvidenceUploadFields;
}
