import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { DomainError, ErrorCode, ValidationError as DomainValidationError } from '@app/common';
import { SaveRatingsRequestDto } from '@app/assessment';
import { ListCasesQueryDto } from '@app/cases';
import { CreateOrganizationRequestDto } from '@app/identity';
import { ValidationError } from 'class-validator';
import { createValidationPipe, toValidationError, UuidParamPipe } from './validation';

/** A class-validator error built by hand, as the ValidationPipe would hand it over. */
function validationError(
  property: string,
  constraints?: Record<string, string>,
  children: ValidationError[] = [],
): ValidationError {
  const error = new ValidationError();
  error.property = property;
  error.constraints = constraints;
  error.children = children;
  return error;
}

describe('validation', () => {
  describe(toValidationError.name, () => {
    it('returns a VALIDATION_FAILED domain error', () => {
      const error = toValidationError([validationError('name', { isString: 'name must be a string' })]);
      expect(error).toBeInstanceOf(DomainValidationError);
      expect(error.code).toBe(ErrorCode.ValidationFailed);
      expect(error.details).toEqual([{ field: 'name', message: 'must be a string' }]);
      expect(error.message).toBe('name must be a string');
    });

    it('joins nested object paths with dots (profile.clientCount)', () => {
      const error = toValidationError([
        validationError('profile', undefined, [
          validationError('clientCount', { min: 'clientCount must not be less than 0' }),
        ]),
      ]);
      expect(error.details).toEqual([{ field: 'profile.clientCount', message: 'must not be less than 0' }]);
    });

    it('writes array indexes in brackets (ratings[3].rating)', () => {
      const error = toValidationError([
        validationError('ratings', undefined, [
          validationError('3', undefined, [
            validationError('rating', { isIn: 'rating must be one of the following values: met, not_met' }),
          ]),
        ]),
      ]);
      expect(error.details).toEqual([
        { field: 'ratings[3].rating', message: 'must be one of the following values: met, not_met' },
      ]);
    });

    it('handles nested arrays and indexes followed by a field (matrix[0][1].value)', () => {
      const error = toValidationError([
        validationError('matrix', undefined, [
          validationError('0', undefined, [
            validationError('1', undefined, [validationError('value', { isInt: 'bad' })]),
          ]),
        ]),
      ]);
      expect(error.details).toEqual([{ field: 'matrix[0][1].value', message: 'bad' }]);
    });

    it("says 'is not a known field' for a whitelist violation", () => {
      const error = toValidationError([
        validationError('extra', { whitelistValidation: 'property extra should not exist' }),
        validationError('profile', undefined, [
          validationError('colour', { whitelistValidation: 'property colour should not exist' }),
        ]),
      ]);
      expect(error.details).toEqual([
        { field: 'extra', message: 'is not a known field' },
        { field: 'profile.colour', message: 'is not a known field' },
      ]);
      expect(error.message).toBe('2 fields are invalid');
    });

    it('keeps one detail per failed constraint and a message that does not repeat the property', () => {
      const error = toValidationError([
        validationError('name', {
          isString: 'name must be a string',
          minLength: 'name must be longer than or equal to 2 characters',
        }),
        validationError('kind', { isIn: 'a custom message' }),
      ]);
      expect(error.details).toEqual([
        { field: 'name', message: 'must be a string' },
        { field: 'name', message: 'must be longer than or equal to 2 characters' },
        { field: 'kind', message: 'a custom message' },
      ]);
    });
  });

  describe(createValidationPipe.name, () => {
    const metadata: ArgumentMetadata = { type: 'body', metatype: CreateOrganizationRequestDto };

    async function detailsOf(body: unknown): Promise<unknown> {
      try {
        await createValidationPipe().transform(body, metadata);
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        return (error as DomainError).details;
      }
      throw new Error('expected the pipe to refuse the body');
    }

    it('reports wrong types, unknown fields and nested paths of a real DTO in one error', async () => {
      const details = await detailsOf({
        kind: true,
        name: 123,
        country: 'PE',
        extra: 1,
        profile: { legalForm: 'NGO', clientCount: -1, colour: 'red' },
      });
      expect(details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'kind' }),
          expect.objectContaining({ field: 'name' }),
          { field: 'extra', message: 'is not a known field' },
          expect.objectContaining({ field: 'profile.clientCount' }),
          { field: 'profile.colour', message: 'is not a known field' },
        ]),
      );
    });

    it('converts and trims a valid body into the DTO class', async () => {
      const value = (await createValidationPipe().transform(
        { kind: 'certifier', name: '  Rating Co  ', country: 'ke' },
        metadata,
      )) as CreateOrganizationRequestDto;
      expect(value).toBeInstanceOf(CreateOrganizationRequestDto);
      expect(value).toMatchObject({ kind: 'certifier', name: 'Rating Co', country: 'KE' });
    });

    describe('a body with a fast path (a batch of ratings)', () => {
      const ratings: ArgumentMetadata = { type: 'body', metatype: SaveRatingsRequestDto };
      const uuid = '3f2b8c1e-5d4a-4f6b-9c7d-1a2b3c4d5e6f';
      const item = { indicatorCode: '2.1.3', rating: 'met' };
      /** Bodies the fast path must answer exactly as class-validator does: valid, invalid, and in between. */
      const bodies: unknown[] = [
        { ratings: [item] },
        {
          ratings: [
            {
              ...item,
              justification: '  Seen in the files ',
              evidenceIds: [uuid],
              verifiedBy: ['interview'],
            },
            { indicatorCode: '4A.1.1', rating: 'partially_met', version: 3, verifiedBy: [] },
            { indicatorCode: '1-2', rating: 'not_applicable', justification: '', version: 0 },
          ],
        },
        { ratings: [{ ...item, justification: null, evidenceIds: null, verifiedBy: null, version: null }] },
        { ratings: [] },
        { ratings: Array.from({ length: 1001 }, () => item) },
        { ratings: [item], extra: true },
        { ratings: [{ ...item, colour: 'red' }] },
        { ratings: [{ ...item, indicatorCode: '2..1' }] },
        { ratings: [{ ...item, indicatorCode: 'x'.repeat(51) }] },
        { ratings: [{ ...item, rating: '' }] },
        { ratings: [{ ...item, rating: 'é'.repeat(50) }] },
        { ratings: [{ ...item, rating: 'm'.repeat(51) }] },
        { ratings: [{ ...item, rating: 7 }] },
        { ratings: [{ ...item, justification: ' '.repeat(9000) }] },
        { ratings: [{ ...item, justification: 'x'.repeat(8001) }] },
        { ratings: [{ ...item, justification: 5 }] },
        { ratings: [{ ...item, evidenceIds: ['not-a-uuid'] }] },
        { ratings: [{ ...item, evidenceIds: Array.from({ length: 51 }, () => uuid) }] },
        { ratings: [{ ...item, evidenceIds: uuid }] },
        { ratings: [{ ...item, verifiedBy: ['telepathy'] }] },
        {
          ratings: [
            { ...item, verifiedBy: ['document', 'document', 'document', 'document', 'document', 'document'] },
          ],
        },
        { ratings: [{ ...item, version: -1 }] },
        { ratings: [{ ...item, version: 1.5 }] },
        { ratings: [{ ...item, version: '2' }] },
        { ratings: [{ ...item, version: 2_147_483_648 }] },
        { ratings: [null] },
        { ratings: ['2.1.3'] },
        { ratings: 'all' },
        {},
        [],
        JSON.parse('{"ratings":[{"indicatorCode":"2.1.3","rating":"met","__proto__":{"x":1}}]}'),
      ];

      /** What the pipe answers: the value, or the error's details. */
      async function answerOf(transform: () => Promise<unknown>): Promise<unknown> {
        try {
          return await transform();
        } catch (error) {
          return (error as DomainError).details;
        }
      }

      it.each(bodies.map((body, index) => [index, body]))(
        'answers body %i as class-validator does',
        async (_index, body) => {
          const pipe = createValidationPipe();
          const fast = await answerOf(() => pipe.transform(structuredClone(body), ratings));
          const slow = await answerOf(() =>
            ValidationPipe.prototype.transform.call(pipe, structuredClone(body), ratings),
          );
          expect(fast).toEqual(slow);
          if (slow instanceof SaveRatingsRequestDto) {
            expect(fast).toBeInstanceOf(SaveRatingsRequestDto);
            expect((fast as SaveRatingsRequestDto).ratings.map((rating) => rating.constructor)).toEqual(
              slow.ratings.map((rating) => rating.constructor),
            );
          }
        },
      );
    });

    describe('a query string already found valid', () => {
      const query: ArgumentMetadata = { type: 'query', metatype: ListCasesQueryDto };
      const parsed = (fields: Record<string, string | string[]>) =>
        Object.assign(Object.create(null) as object, fields);

      it('is answered again as a copy without validating it again, as validating it would', async () => {
        const pipe = createValidationPipe();
        const validate = jest.spyOn(ValidationPipe.prototype, 'transform');
        try {
          const first = await pipe.transform(
            parsed({ status: 'desk_review', page: '200', pageSize: '10' }),
            query,
          );
          const again = await pipe.transform(
            parsed({ status: 'desk_review', page: '200', pageSize: '10' }),
            query,
          );
          expect(validate).toHaveBeenCalledTimes(1);
          expect(again).toBeInstanceOf(ListCasesQueryDto);
          expect(again).toEqual(first);
          expect(again).toEqual({ status: 'desk_review', page: 200, pageSize: 10 });
          expect(again).not.toBe(first);
          (again as ListCasesQueryDto).page = 3;
          expect(
            await pipe.transform(parsed({ status: 'desk_review', page: '200', pageSize: '10' }), query),
          ).toMatchObject({ page: 200 });
        } finally {
          validate.mockRestore();
        }
      });

      it('is kept apart from other queries, and an invalid query is checked every time', async () => {
        const pipe = createValidationPipe();
        await pipe.transform(parsed({ status: 'onsite' }), query);
        expect(await pipe.transform(parsed({ status: 'closed' }), query)).toMatchObject({ status: 'closed' });
        for (let attempt = 0; attempt < 2; attempt += 1) {
          await expect(pipe.transform(parsed({ status: 'nonsense' }), query)).rejects.toBeInstanceOf(
            DomainValidationError,
          );
          await expect(pipe.transform(parsed({ pageSize: '500' }), query)).rejects.toBeInstanceOf(
            DomainValidationError,
          );
        }
      });
    });
  });
});

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe(UuidParamPipe.name, () => {
  const pipe = new UuidParamPipe();
  const param: ArgumentMetadata = { type: 'param', data: 'organizationId' };

  describe('transform', () => {
    it.each(['6f1c3c1e-4a47-4f5e-9a39-7d7c3f1b2a10', '00000000-0000-0000-0000-000000000000'])(
      'accepts %s',
      (value) => {
        expect(pipe.transform(value, param)).toBe(value);
      },
    );

    it('lower-cases an upper-case UUID', () => {
      expect(pipe.transform('6F1C3C1E-4A47-4F5E-9A39-7D7C3F1B2A10', param)).toBe(
        '6f1c3c1e-4a47-4f5e-9a39-7d7c3f1b2a10',
      );
    });

    it.each([
      '123',
      '',
      'not-a-uuid',
      '6f1c3c1e-4a47-4f5e-9a39-7d7c3f1b2a1',
      '6f1c3c1e-4a47-4f5e-9a39-7d7c3f1b2a10x',
      '6f1c3c1e4a474f5e9a397d7c3f1b2a10',
      '{6f1c3c1e-4a47-4f5e-9a39-7d7c3f1b2a10}',
      '6f1c3c1e-4a47-4f5e-9a39-7d7c3f1b2a1g',
    ])('rejects %j naming the parameter', (value) => {
      const thrown = thrownBy(() => pipe.transform(value, param));
      expect(thrown).toBeInstanceOf(DomainValidationError);
      expect((thrown as DomainError).code).toBe(ErrorCode.ValidationFailed);
      expect((thrown as DomainError).details).toEqual([
        { field: 'organizationId', message: 'must be a UUID' },
      ]);
    });

    it('names the field id when the parameter has no name', () => {
      const thrown = thrownBy(() => pipe.transform('123', { type: 'param' }));
      expect((thrown as DomainError).details).toEqual([{ field: 'id', message: 'must be a UUID' }]);
    });

    it('rejects a value that is not a string', () => {
      expect(() => pipe.transform(42 as unknown as string, param)).toThrow(DomainValidationError);
    });
  });
});
