export interface NotificationEmailInput {
  recipientName: string;
  title: string;
  body: string;
  caseId: string | null;
}

export interface NotificationEmailContent {
  subject: string;
  text: string;
  html: string;
}

const FOOTER =
  'This e-mail repeats a notification in your inbox of the client protection certification system.';

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The e-mail copy of an in-app notification: its title as subject, a plain-text and a simple HTML body. */
export function renderNotificationEmail(input: NotificationEmailInput): NotificationEmailContent {
  const subject = input.title.replace(/[\r\n]+/g, ' ').trim();
  const reference = input.caseId ? `Case reference: ${input.caseId}` : undefined;
  const text = [`Hello ${input.recipientName},`, subject, input.body, reference, `--\n${FOOTER}`]
    .filter((part): part is string => part !== undefined)
    .join('\n\n');
  const html = [
    '<!doctype html>',
    '<html><body style="font-family: Arial, Helvetica, sans-serif; color: #1a1a1a; line-height: 1.5">',
    `<p>Hello ${escapeHtml(input.recipientName)},</p>`,
    `<h2 style="font-size: 18px">${escapeHtml(subject)}</h2>`,
    `<p>${escapeHtml(input.body).replace(/\r?\n/g, '<br>')}</p>`,
    reference ? `<p style="color: #555">${escapeHtml(reference)}</p>` : '',
    `<hr><p style="color: #777; font-size: 12px">${escapeHtml(FOOTER)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
