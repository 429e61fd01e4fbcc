import type { EditionDocument } from '../edition-document';
import type { DriverDefinition, EditionDocumentV2, EditionItem, LevelDefinition } from './edition-v2';

/** The v1 profile flags as boolean drivers, with their labels. */
export const V1_DRIVERS: DriverDefinition[] = [
  {
    key: 'offersCredit',
    type: 'boolean',
    label: { en: 'Offers credit', fr: 'Offre du crédit', es: 'Ofrece crédito' },
  },
  {
    key: 'offersSavings',
    type: 'boolean',
    label: { en: 'Offers savings', fr: "Offre de l'épargne", es: 'Ofrece ahorro' },
  },
  {
    key: 'offersInsurance',
    type: 'boolean',
    label: { en: 'Offers insurance', fr: 'Offre de l’assurance', es: 'Ofrece seguros' },
  },
  {
    key: 'offersPayments',
    type: 'boolean',
    label: { en: 'Offers payments', fr: 'Offre des paiements', es: 'Ofrece pagos' },
  },
  {
    key: 'usesDigitalChannels',
    type: 'boolean',
    label: { en: 'Uses digital channels', fr: 'Utilise des canaux numériques', es: 'Usa canales digitales' },
  },
  {
    key: 'usesAgents',
    type: 'boolean',
    label: { en: 'Uses agents', fr: 'Recourt à des agents', es: 'Usa agentes' },
  },
  {
    key: 'groupLending',
    type: 'boolean',
    label: { en: 'Group lending', fr: 'Prêt de groupe', es: 'Préstamo grupal' },
  },
  {
    key: 'creditBureauAvailable',
    type: 'boolean',
    label: {
      en: 'A credit bureau exists',
      fr: 'Un bureau de crédit existe',
      es: 'Existe un buró de crédito',
    },
  },
];

export const V1_LEVELS: LevelDefinition[] = [
  { key: 'principle', label: { en: 'Principle', fr: 'Principe', es: 'Principio' } },
  { key: 'standard', label: { en: 'Standard', fr: 'Norme', es: 'Norma' } },
  { key: 'indicator', label: { en: 'Indicator', fr: 'Indicateur', es: 'Indicador' }, rated: true },
];

/** Whether a candidate document declares itself v2. */
export function isV2Candidate(candidate: unknown): boolean {
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    (candidate as Record<string, unknown>).schemaVersion !== undefined
  );
}

/**
 * A valid v1 document as v2: levels principle → standard → indicator, drivers = the v1 profile flags,
 * the indicator `level` becomes its `tag`, scores 1 (compliant), 0.5 (`partially_met`), 0 (others).
 * Codes, English texts, tags, conditions and the rule are kept as they are.
 */
export function convertV1ToV2(document: EditionDocument): EditionDocumentV2 {
  const items: EditionItem[] = document.principles.map((principle) => ({
    code: principle.code,
    level: 'principle',
    title: principle.title,
    children: principle.standards.map((standard) => ({
      code: standard.code,
      level: 'standard',
      title: standard.title,
      children: standard.indicators.map((indicator) => ({
        code: indicator.code,
        level: 'indicator',
        statement: indicator.statement,
        guidance: indicator.guidance,
        ...(indicator.level ? { tag: indicator.level } : {}),
        ...(indicator.appliesWhen ? { appliesWhen: { ...indicator.appliesWhen } } : {}),
      })),
    })),
  }));
  return {
    schemaVersion: 2,
    id: document.id,
    title: document.title,
    languages: ['en'],
    effectiveFrom: document.effectiveFrom,
    ...(document.openForNewCasesUntil !== undefined
      ? { openForNewCasesUntil: document.openForNewCasesUntil }
      : {}),
    ...(document.retiredOn !== undefined ? { retiredOn: document.retiredOn } : {}),
    validityMonths: document.validityMonths,
    checkInMonths: document.checkInMonths,
    ...(document.checkInGraceDays !== undefined ? { checkInGraceDays: document.checkInGraceDays } : {}),
    levels: V1_LEVELS.map((level) => ({ ...level })),
    drivers: V1_DRIVERS.map((driver) => ({ ...driver })),
    scale: {
      ratings: document.scale.ratings.map((rating) => ({
        value: rating.value,
        label: rating.label,
        compliant: rating.compliant,
        ...(rating.notApplicable
          ? {}
          : { score: rating.compliant ? 1 : rating.value === 'partially_met' ? 0.5 : 0 }),
        requiresJustification: rating.requiresJustification,
        notApplicable: rating.notApplicable,
      })),
    },
    decisionRule:
      document.decisionRule.type === 'tiered'
        ? {
            type: 'tiered',
            tiers: document.decisionRule.tiers.map((tier) => ({
              level: tier.level,
              requiredIndicatorLevels: [...tier.requiredIndicatorLevels],
            })),
          }
        : { type: 'all_applicable_standards_met' },
    items,
  };
}
