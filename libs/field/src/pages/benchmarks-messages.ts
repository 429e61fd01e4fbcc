import type { PageLanguage } from '@app/common';

type Messages = Record<
  | 'title'
  | 'intro'
  | 'language'
  | 'anonymity'
  | 'country'
  | 'edition'
  | 'year'
  | 'group'
  | 'institutions'
  | 'cases'
  | 'passRate'
  | 'suppressed'
  | 'chartOf'
  | 'timeInState'
  | 'state'
  | 'averageDays'
  | 'none'
  | 'asOf',
  string
>;

export const BENCHMARKS_MESSAGES: Record<PageLanguage, Messages> = {
  en: {
    title: 'The state of the field: certification benchmarks',
    intro:
      'Pass rates of decided certification cases and the time cases spend in each state, across all certification bodies.',
    language: 'Language',
    anonymity:
      'Figures describing fewer than {{threshold}} institutions are withheld so that no institution can be identified.',
    country: 'Pass rate by country',
    edition: 'Pass rate by edition',
    year: 'Pass rate by year of decision',
    group: 'Group',
    institutions: 'Institutions',
    cases: 'Decided cases',
    passRate: 'Pass rate',
    suppressed: 'withheld (fewer than {{threshold}} institutions)',
    chartOf: 'Bar chart of',
    timeInState: 'Average time in each state',
    state: 'State',
    averageDays: 'Average days',
    none: 'No figures yet.',
    asOf: 'Figures as of {{asOf}} (updated every 10 minutes).',
  },
  fr: {
    title: "L'état du secteur : repères de certification",
    intro:
      'Taux de réussite des dossiers de certification décidés et temps passé dans chaque état, pour tous les organismes de certification.',
    language: 'Langue',
    anonymity:
      "Les chiffres portant sur moins de {{threshold}} institutions sont masqués afin qu'aucune institution ne soit identifiable.",
    country: 'Taux de réussite par pays',
    edition: 'Taux de réussite par édition',
    year: 'Taux de réussite par année de décision',
    group: 'Groupe',
    institutions: 'Institutions',
    cases: 'Dossiers décidés',
    passRate: 'Taux de réussite',
    suppressed: 'masqué (moins de {{threshold}} institutions)',
    chartOf: 'Graphique en barres :',
    timeInState: 'Temps moyen dans chaque état',
    state: 'État',
    averageDays: 'Jours en moyenne',
    none: 'Pas encore de chiffres.',
    asOf: 'Chiffres au {{asOf}} (mis à jour toutes les 10 minutes).',
  },
  es: {
    title: 'El estado del sector: referencias de certificación',
    intro:
      'Tasas de aprobación de los casos de certificación decididos y tiempo que pasan los casos en cada estado, en todos los organismos de certificación.',
    language: 'Idioma',
    anonymity:
      'Las cifras que describen a menos de {{threshold}} instituciones se ocultan para que ninguna institución pueda identificarse.',
    country: 'Tasa de aprobación por país',
    edition: 'Tasa de aprobación por edición',
    year: 'Tasa de aprobación por año de decisión',
    group: 'Grupo',
    institutions: 'Instituciones',
    cases: 'Casos decididos',
    passRate: 'Tasa de aprobación',
    suppressed: 'oculto (menos de {{threshold}} instituciones)',
    chartOf: 'Gráfico de barras:',
    timeInState: 'Tiempo medio en cada estado',
    state: 'Estado',
    averageDays: 'Días de media',
    none: 'Aún no hay cifras.',
    asOf: 'Cifras a {{asOf}} (actualizadas cada 10 minutos).',
  },
};
