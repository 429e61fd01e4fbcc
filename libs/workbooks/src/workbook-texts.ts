export const WORKBOOK_LANGUAGES = ['en', 'fr', 'es'] as const;
export type WorkbookLanguage = (typeof WORKBOOK_LANGUAGES)[number];

export type WorkbookKind = 'ratings' | 'self_assessment';

export const IMPORT_OUTCOMES = ['new', 'changed', 'unchanged', 'skipped', 'conflict', 'invalid'] as const;
export type ImportOutcome = (typeof IMPORT_OUTCOMES)[number];

export interface WorkbookTexts {
  sheets: { cover: string; ratings: string; selfAssessment: string; evidence: string };
  cover: {
    title: Record<WorkbookKind, string>;
    caseId: string;
    caseType: string;
    status: string;
    institution: string;
    certifier: string;
    edition: string;
    team: string;
    exportedAt: string;
    exportedBy: string;
    language: string;
    fingerprint: string;
    scale: string;
    requiresJustification: string;
    instructions: Record<WorkbookKind, string>;
  };
  columns: {
    code: string;
    level: string;
    text: string;
    guidance: string;
    applicable: string;
    rating: string;
    justification: string;
    comment: string;
    evidence: string;
    version: string;
    exported: string;
  };
  levels: { principle: string; standard: string; indicator: string };
  yes: string;
  no: string;
  evidenceColumns: { id: string; title: string; fileName: string; indicators: string };
  outcomes: Record<ImportOutcome, string>;
  flag: string;
}

const en: WorkbookTexts = {
  sheets: { cover: 'Cover', ratings: 'Ratings', selfAssessment: 'Self-assessment', evidence: 'Evidence' },
  cover: {
    title: { ratings: 'Rating workbook', self_assessment: 'Self-assessment workbook' },
    caseId: 'Case',
    caseType: 'Case type',
    status: 'Status at export',
    institution: 'Institution',
    certifier: 'Certification body',
    edition: 'Standards edition',
    team: 'Team',
    exportedAt: 'Exported at',
    exportedBy: 'Exported by',
    language: 'Language',
    fingerprint: 'Case fingerprint',
    scale: 'Rating scale',
    requiresJustification: 'justification required',
    instructions: {
      ratings:
        'Fill in only the Rating, Justification and Evidence columns of the Ratings sheet. Cite evidence by the ids of the Evidence sheet, separated by commas. Do not move, add or delete rows. Upload the file back to the case: a dry run shows every difference before anything is saved.',
      self_assessment:
        'Fill in only the Rating and Comment columns of the Self-assessment sheet. Do not move, add or delete rows. Upload the file back to the case: a dry run shows every difference before anything is saved.',
    },
  },
  columns: {
    code: 'Code',
    level: 'Level',
    text: 'Text',
    guidance: 'Guidance',
    applicable: 'Applicable',
    rating: 'Rating',
    justification: 'Justification',
    comment: 'Comment',
    evidence: 'Evidence ids',
    version: 'Version',
    exported: 'Exported',
  },
  levels: { principle: 'Principle', standard: 'Standard', indicator: 'Indicator' },
  yes: 'Yes',
  no: 'No',
  evidenceColumns: { id: 'Id', title: 'Title', fileName: 'File name', indicators: 'Indicators' },
  outcomes: {
    new: 'new',
    changed: 'changed',
    unchanged: 'unchanged',
    skipped: 'skipped: not blank',
    conflict: 'conflict: changed on the server since export',
    invalid: 'invalid',
  },
  flag: 'A non-compliant rating needs a justification',
};

const fr: WorkbookTexts = {
  sheets: {
    cover: 'Couverture',
    ratings: 'Notations',
    selfAssessment: 'Auto-évaluation',
    evidence: 'Preuves',
  },
  cover: {
    title: { ratings: 'Classeur de notation', self_assessment: "Classeur d'auto-évaluation" },
    caseId: 'Dossier',
    caseType: 'Type de dossier',
    status: "Statut à l'export",
    institution: 'Institution',
    certifier: 'Organisme de certification',
    edition: 'Édition des normes',
    team: 'Équipe',
    exportedAt: 'Exporté le',
    exportedBy: 'Exporté par',
    language: 'Langue',
    fingerprint: 'Empreinte du dossier',
    scale: 'Échelle de notation',
    requiresJustification: 'justification requise',
    instructions: {
      ratings:
        "Ne remplissez que les colonnes Note, Justification et Preuves de la feuille Notations. Citez les preuves par les identifiants de la feuille Preuves, séparés par des virgules. Ne déplacez, n'ajoutez ni ne supprimez de lignes. Renvoyez le fichier au dossier : une simulation montre chaque différence avant tout enregistrement.",
      self_assessment:
        "Ne remplissez que les colonnes Note et Commentaire de la feuille Auto-évaluation. Ne déplacez, n'ajoutez ni ne supprimez de lignes. Renvoyez le fichier au dossier : une simulation montre chaque différence avant tout enregistrement.",
    },
  },
  columns: {
    code: 'Code',
    level: 'Niveau',
    text: 'Texte',
    guidance: 'Orientation',
    applicable: 'Applicable',
    rating: 'Note',
    justification: 'Justification',
    comment: 'Commentaire',
    evidence: 'Identifiants des preuves',
    version: 'Version',
    exported: 'Exporté',
  },
  levels: { principle: 'Principe', standard: 'Norme', indicator: 'Indicateur' },
  yes: 'Oui',
  no: 'Non',
  evidenceColumns: {
    id: 'Identifiant',
    title: 'Titre',
    fileName: 'Nom du fichier',
    indicators: 'Indicateurs',
  },
  outcomes: {
    new: 'nouveau',
    changed: 'modifié',
    unchanged: 'inchangé',
    skipped: 'ignoré : déjà renseigné',
    conflict: "conflit : modifié sur le serveur depuis l'export",
    invalid: 'invalide',
  },
  flag: 'Une note non conforme exige une justification',
};

const es: WorkbookTexts = {
  sheets: {
    cover: 'Portada',
    ratings: 'Calificaciones',
    selfAssessment: 'Autoevaluación',
    evidence: 'Evidencias',
  },
  cover: {
    title: { ratings: 'Libro de calificación', self_assessment: 'Libro de autoevaluación' },
    caseId: 'Caso',
    caseType: 'Tipo de caso',
    status: 'Estado al exportar',
    institution: 'Institución',
    certifier: 'Organismo certificador',
    edition: 'Edición de las normas',
    team: 'Equipo',
    exportedAt: 'Exportado el',
    exportedBy: 'Exportado por',
    language: 'Idioma',
    fingerprint: 'Huella del caso',
    scale: 'Escala de calificación',
    requiresJustification: 'requiere justificación',
    instructions: {
      ratings:
        'Complete solo las columnas Calificación, Justificación y Evidencias de la hoja Calificaciones. Cite las evidencias por los identificadores de la hoja Evidencias, separados por comas. No mueva, añada ni elimine filas. Suba el archivo al caso: una simulación muestra cada diferencia antes de guardar nada.',
      self_assessment:
        'Complete solo las columnas Calificación y Comentario de la hoja Autoevaluación. No mueva, añada ni elimine filas. Suba el archivo al caso: una simulación muestra cada diferencia antes de guardar nada.',
    },
  },
  columns: {
    code: 'Código',
    level: 'Nivel',
    text: 'Texto',
    guidance: 'Orientación',
    applicable: 'Aplicable',
    rating: 'Calificación',
    justification: 'Justificación',
    comment: 'Comentario',
    evidence: 'Identificadores de evidencias',
    version: 'Versión',
    exported: 'Exportado',
  },
  levels: { principle: 'Principio', standard: 'Norma', indicator: 'Indicador' },
  yes: 'Sí',
  no: 'No',
  evidenceColumns: {
    id: 'Identificador',
    title: 'Título',
    fileName: 'Nombre del archivo',
    indicators: 'Indicadores',
  },
  outcomes: {
    new: 'nuevo',
    changed: 'modificado',
    unchanged: 'sin cambios',
    skipped: 'omitido: ya completado',
    conflict: 'conflicto: modificado en el servidor desde la exportación',
    invalid: 'inválido',
  },
  flag: 'Una calificación no conforme requiere una justificación',
};

export const WORKBOOK_TEXTS: Readonly<Record<WorkbookLanguage, WorkbookTexts>> = { en, fr, es };

/** Every language's name of a sheet, so a workbook exported in any language is read back. */
export function sheetNames(sheet: keyof WorkbookTexts['sheets']): string[] {
  return WORKBOOK_LANGUAGES.map((language) => WORKBOOK_TEXTS[language].sheets[sheet]);
}
