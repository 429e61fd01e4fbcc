import { PAGE_LANGUAGES, type PageLanguage } from '@app/common';
import Handlebars from 'handlebars';
import { REGISTRY_MESSAGES } from './registry-messages';
import { LAYOUT_HEAD } from './registry-templates';

type ErrorKind = 'badRequest' | 'notFound' | 'tooManyRequests' | 'unavailable' | 'internal';

interface ErrorWords {
  heading: string;
  text: string;
}

/** What the public pages say for each kind of error, in each language; never the request's own words. */
const ERROR_MESSAGES: Record<PageLanguage, Record<ErrorKind, ErrorWords> & { reference: string }> = {
  en: {
    badRequest: {
      heading: 'This search cannot be run',
      text: 'The address holds a parameter or a value this page does not know. Start again from the registry.',
    },
    notFound: {
      heading: 'Certificate or page not found',
      text: 'No certificate has this number, or the page does not exist. Check the number and search the registry.',
    },
    tooManyRequests: {
      heading: 'Too many requests',
      text: 'Too many requests came from your address. Wait a moment, then try again.',
    },
    unavailable: {
      heading: 'The registry is unavailable',
      text: 'The registry cannot be read right now. Try again in a few minutes.',
    },
    internal: {
      heading: 'Something went wrong',
      text: 'The page could not be shown. Try again later; if it persists, quote the reference below.',
    },
    reference: 'Reference',
  },
  fr: {
    badRequest: {
      heading: 'Cette recherche ne peut pas être effectuée',
      text: "L'adresse contient un paramètre ou une valeur que cette page ne connaît pas. Recommencez depuis le registre.",
    },
    notFound: {
      heading: 'Certificat ou page introuvable',
      text: "Aucun certificat ne porte ce numéro, ou la page n'existe pas. Vérifiez le numéro et cherchez dans le registre.",
    },
    tooManyRequests: {
      heading: 'Trop de requêtes',
      text: 'Trop de requêtes sont venues de votre adresse. Patientez un instant puis réessayez.',
    },
    unavailable: {
      heading: 'Le registre est indisponible',
      text: 'Le registre ne peut pas être lu pour le moment. Réessayez dans quelques minutes.',
    },
    internal: {
      heading: 'Une erreur est survenue',
      text: "La page n'a pas pu être affichée. Réessayez plus tard ; si l'erreur persiste, citez la référence ci-dessous.",
    },
    reference: 'Référence',
  },
  es: {
    badRequest: {
      heading: 'Esta búsqueda no se puede realizar',
      text: 'La dirección contiene un parámetro o un valor que esta página no conoce. Vuelva a empezar desde el registro.',
    },
    notFound: {
      heading: 'Certificado o página no encontrados',
      text: 'Ningún certificado tiene este número, o la página no existe. Compruebe el número y busque en el registro.',
    },
    tooManyRequests: {
      heading: 'Demasiadas solicitudes',
      text: 'Llegaron demasiadas solicitudes desde su dirección. Espere un momento y vuelva a intentarlo.',
    },
    unavailable: {
      heading: 'El registro no está disponible',
      text: 'El registro no se puede consultar en este momento. Vuelva a intentarlo en unos minutos.',
    },
    internal: {
      heading: 'Se produjo un error',
      text: 'No se pudo mostrar la página. Vuelva a intentarlo más tarde; si persiste, cite la referencia de abajo.',
    },
    reference: 'Referencia',
  },
};

const ERROR_TEMPLATE = Handlebars.compile(
  `${LAYOUT_HEAD}
<main>
<h1>{{words.heading}}</h1>
<p id="error-text">{{words.text}}</p>
<p><a id="back" href="/registry?lang={{lang}}">{{t.back}}</a></p>
<p><small>{{reference}}: <code id="request-id">{{requestId}}</code> ({{status}})</small></p>
</main>
</body>
</html>`,
  { strict: false },
);

function kindOf(status: number): ErrorKind {
  if (status === 404) return 'notFound';
  if (status === 429) return 'tooManyRequests';
  if (status === 503) return 'unavailable';
  if (status >= 500) return 'internal';
  return 'badRequest';
}

/**
 * The error page of the public registry pages: localized, every value escaped, no word of the request
 * itself (an unknown parameter's name is never echoed), a title, the page language and a way back.
 */
export function renderRegistryErrorPage(status: number, lang: PageLanguage, requestId: string): string {
  const words = ERROR_MESSAGES[lang][kindOf(status)];
  const t = REGISTRY_MESSAGES[lang];
  return ERROR_TEMPLATE({
    lang,
    status,
    requestId,
    words,
    reference: ERROR_MESSAGES[lang].reference,
    t: { ...t, title: `${words.heading} – ${t.title}` },
    languages: PAGE_LANGUAGES.map((code) => ({
      code,
      href: `/registry?lang=${code}`,
      current: code === lang,
    })),
  });
}
