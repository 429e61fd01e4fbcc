import type { PageLanguage } from '@app/common';
import type { CommitmentKind, PathwayStatus } from '../commitments/entities/commitment.entity';

type Messages = Record<
  | 'title'
  | 'intro'
  | 'language'
  | 'name'
  | 'country'
  | 'kind'
  | 'status'
  | 'committedOn'
  | 'certificates'
  | 'search'
  | 'clear'
  | 'all'
  | 'results'
  | 'none'
  | 'pages'
  | 'page'
  | 'of'
  | 'previous'
  | 'next'
  | 'recorded'
  | CommitmentKind
  | PathwayStatus,
  string
>;

export const COMMITMENTS_MESSAGES: Record<PageLanguage, Messages> = {
  en: {
    title: 'Commitments to the Client Protection Principles',
    intro:
      'Organizations that endorse or commit to the Client Protection Principles, and where committed institutions stand on the way to certification.',
    language: 'Language',
    name: 'Name',
    country: 'Country',
    kind: 'Kind',
    status: 'Pathway',
    committedOn: 'Committed on',
    certificates: 'Certificates',
    search: 'Search',
    clear: 'Clear',
    all: 'All',
    results: 'results',
    none: 'No commitment matches.',
    pages: 'Pages',
    page: 'Page',
    of: 'of',
    previous: 'Previous',
    next: 'Next',
    recorded: 'recorded',
    institution: 'Financial institution',
    investor: 'Investor',
    network: 'Network',
    donor: 'Donor',
    certification_body: 'Certification body',
    other: 'Other',
    committed: 'Committed',
    assessment_submitted: 'Self-assessment submitted',
    certified: 'Certified',
    inactive: 'Inactive',
  },
  fr: {
    title: 'Engagements envers les Principes de protection des clients',
    intro:
      "Organisations qui soutiennent les Principes de protection des clients ou s'y engagent, et où en sont les institutions engagées sur la voie de la certification.",
    language: 'Langue',
    name: 'Nom',
    country: 'Pays',
    kind: 'Type',
    status: 'Parcours',
    committedOn: 'Engagement le',
    certificates: 'Certificats',
    search: 'Rechercher',
    clear: 'Effacer',
    all: 'Tous',
    results: 'résultats',
    none: 'Aucun engagement ne correspond.',
    pages: 'Pages',
    page: 'Page',
    of: 'sur',
    previous: 'Précédente',
    next: 'Suivante',
    recorded: 'enregistré',
    institution: 'Institution financière',
    investor: 'Investisseur',
    network: 'Réseau',
    donor: 'Bailleur',
    certification_body: 'Organisme de certification',
    other: 'Autre',
    committed: 'Engagée',
    assessment_submitted: 'Auto-évaluation soumise',
    certified: 'Certifiée',
    inactive: 'Inactive',
  },
  es: {
    title: 'Compromisos con los Principios de Protección al Cliente',
    intro:
      'Organizaciones que respaldan los Principios de Protección al Cliente o se comprometen con ellos, y en qué punto están las instituciones comprometidas en el camino a la certificación.',
    language: 'Idioma',
    name: 'Nombre',
    country: 'País',
    kind: 'Tipo',
    status: 'Trayectoria',
    committedOn: 'Compromiso el',
    certificates: 'Certificados',
    search: 'Buscar',
    clear: 'Borrar',
    all: 'Todos',
    results: 'resultados',
    none: 'Ningún compromiso coincide.',
    pages: 'Páginas',
    page: 'Página',
    of: 'de',
    previous: 'Anterior',
    next: 'Siguiente',
    recorded: 'registrado',
    institution: 'Institución financiera',
    investor: 'Inversor',
    network: 'Red',
    donor: 'Donante',
    certification_body: 'Organismo de certificación',
    other: 'Otro',
    committed: 'Comprometida',
    assessment_submitted: 'Autoevaluación presentada',
    certified: 'Certificada',
    inactive: 'Inactiva',
  },
};
