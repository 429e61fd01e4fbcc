import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';

export interface ReceivedEmail {
  /** Envelope recipients (RCPT TO). */
  recipients: string[];
  headers: Record<string, string>;
  subject: string;
  text: string;
  html: string;
}

/** How the server treats the next sessions: accept, refuse the recipient, or refuse the whole session. */
export type SmtpBehaviour =
  { kind: 'accept' } | { kind: 'reject_recipient'; code: number; message: string } | { kind: 'unavailable' };

const USER = 'mailer';
const PASSWORD = 'mail-secret';

/**
 * A real SMTP server on loopback (smtp-server) that requires the credentials of its URL, keeps what it
 * accepts, and can be told to refuse recipients or sessions, as a failing mail server would.
 */
export class SmtpTestServer {
  readonly received: ReceivedEmail[] = [];
  behaviour: SmtpBehaviour = { kind: 'accept' };
  private port = 0;

  private readonly server: SMTPServer;

  private constructor() {
    this.server = new SMTPServer({
      logger: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      disableReverseLookup: true,
      onConnect: (_session, callback) =>
        this.behaviour.kind === 'unavailable'
          ? callback(Object.assign(new Error('Service temporarily unavailable'), { responseCode: 421 }))
          : callback(),
      onAuth: (auth, _session, callback) =>
        auth.username === USER && auth.password === PASSWORD
          ? callback(null, { user: USER })
          : callback(Object.assign(new Error('Invalid credentials'), { responseCode: 535 })),
      onRcptTo: (_address, _session, callback) => {
        const behaviour = this.behaviour;
        if (behaviour.kind === 'reject_recipient') {
          return callback(Object.assign(new Error(behaviour.message), { responseCode: behaviour.code }));
        }
        callback();
      },
      onData: (stream, session, callback) => {
        readAll(stream)
          .then((raw) => {
            this.received.push({
              recipients: session.envelope.rcptTo.map((recipient) => recipient.address),
              ...parseMessage(raw),
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
  }

  static async start(): Promise<SmtpTestServer> {
    const instance = new SmtpTestServer();
    await new Promise<void>((resolve, reject) => {
      instance.server.server.once('error', reject);
      instance.server.listen(0, '127.0.0.1', () => resolve());
    });
    instance.port = (instance.server.server.address() as AddressInfo).port;
    return instance;
  }

  /** The SMTP_URL of this server, with its credentials. */
  get url(): string {
    return `smtp://${USER}:${PASSWORD}@127.0.0.1:${this.port}`;
  }

  /** Messages that carry this notification id. */
  messagesFor(notificationId: string): ReceivedEmail[] {
    return this.received.filter((email) => email.headers['x-notification-id'] === notificationId);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function readAll(stream: SMTPServerDataStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Just enough MIME for the messages nodemailer writes: headers, multipart/alternative, QP or base64. */
function parseMessage(raw: string): Omit<ReceivedEmail, 'recipients'> {
  const { headers, body } = splitHeaders(raw);
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  const parts = boundary
    ? body
        .split(`--${boundary}`)
        .slice(1, -1)
        .map((part) => splitHeaders(part.replace(/^\r\n/, '')))
    : [{ headers, body }];
  const content = (type: string): string => {
    const part = parts.find((candidate) => (candidate.headers['content-type'] ?? '').startsWith(type));
    return part ? decodeBody(part.body, part.headers['content-transfer-encoding']) : '';
  };
  return {
    headers,
    subject: decodeWords(headers.subject ?? ''),
    text: content('text/plain'),
    html: content('text/html'),
  };
}

function splitHeaders(raw: string): { headers: Record<string, string>; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  const headerText = raw.slice(0, end).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of headerText.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: raw.slice(end + 4) };
}

function decodeBody(body: string, encoding = '7bit'): string {
  const trimmed = body.replace(/\r\n$/, '');
  switch (encoding.toLowerCase()) {
    case 'base64':
      return Buffer.from(trimmed, 'base64').toString('utf8');
    case 'quoted-printable':
      return Buffer.from(
        trimmed
          .replace(/=\r\n/g, '')
          .replace(/=([0-9A-F]{2})/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        'latin1',
      )
        .toString('utf8')
        .replace(/\r\n/g, '\n');
    default:
      return trimmed.replace(/\r\n/g, '\n');
  }
}

/** RFC 2047 encoded words, as nodemailer writes a subject that is not plain ASCII. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_match, kind: string, text: string) =>
      kind.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          ).toString('utf8'),
    );
}
