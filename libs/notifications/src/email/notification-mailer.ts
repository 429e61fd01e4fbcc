import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { MailConfig } from '@app/config';
import {
  createTransport,
  type SMTPSentMessageInfo,
  type SMTPTransportOptions,
  type Transporter,
} from 'nodemailer';

export interface OutgoingEmail {
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  /** Stable per notification, so that a copy sent twice can be recognised as one message. */
  messageId: string;
  headers: Record<string, string>;
}

// Bounded waits, so that an unreachable server fails an attempt well within the worker's lease.
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/** Sends e-mail over the configured SMTP server (nodemailer); disabled when SMTP_URL is unset. */
@Injectable()
export class NotificationMailer implements OnApplicationShutdown {
  private readonly transport: Transporter<SMTPSentMessageInfo, SMTPTransportOptions> | undefined;
  private readonly from: string | undefined;

  constructor(config: MailConfig) {
    this.from = config.smtp?.from;
    // Options in the URL's query (e.g. `?requireTLS=true`) take precedence over these defaults.
    this.transport = config.smtp ? createTransport({ ...TIMEOUTS, url: config.smtp.url }) : undefined;
  }

  get isEnabled(): boolean {
    return this.transport !== undefined;
  }

  /** The sender's domain, for Message-IDs. */
  get senderDomain(): string {
    const address = /<([^>]+)>/.exec(this.from ?? '')?.[1] ?? this.from ?? '';
    return address.split('@')[1] || 'localhost';
  }

  /** Resolves once the server accepted the message; rejects with nodemailer's error otherwise. */
  async send(email: OutgoingEmail): Promise<void> {
    if (!this.transport) throw new Error('E-mail is not configured (SMTP_URL)');
    await this.transport.sendMail({ from: this.from, ...email });
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
