import nodemailer from 'nodemailer';
import { environment } from '@/lib/platform/config';
import { readTransportConfig, type Env, type TransportConfig } from './channels';
import type { Channel } from './outbox';
import { log } from '@/lib/platform/log';

/**
 * One message on its way out; `deliver` resolves once the server accepted it, and throws
 * otherwise. Emails carry their subject and HTML part (lib/messaging/email-template.ts); the
 * body is the SMS, or the email's plain-text part.
 */
export interface Transport {
  deliver(message: { destination: string; body: string; subject?: string | null; html?: string | null }): Promise<void>;
}

export type Transports = Partial<Record<Channel, Transport>>;

/** Every network step is bounded: a stuck server must not hold a claimed message for long. */
const TRANSPORT_TIMEOUT_MS = 10_000;

/** For a row queued before emails had subjects of their own. */
const EMAIL_SUBJECT = 'Keydesk';

export function smtpTransport(config: NonNullable<TransportConfig['email']>): Transport {
  // One transporter for the process; nodemailer's logger stays off, as it would print the message.
  // Options, not `url`: given a `url`, nodemailer drops every other option (timeouts, requireTLS).
  const { url } = config;
  const transporter = nodemailer.createTransport({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    requireTLS: config.requireTls,
    connectionTimeout: TRANSPORT_TIMEOUT_MS,
    greetingTimeout: TRANSPORT_TIMEOUT_MS,
    socketTimeout: TRANSPORT_TIMEOUT_MS,
  });
  return {
    async deliver({ destination, body, subject, html }) {
      await transporter.sendMail({
        from: config.from,
        to: destination,
        subject: subject || EMAIL_SUBJECT,
        text: body,
        ...(html && { html }),
      });
    },
  };
}

/** POSTs `{"to", "body"}` as JSON; any answer but 2xx, or none within the timeout, is a failure. */
export function smsGatewayTransport(config: NonNullable<TransportConfig['sms']>, timeoutMs = TRANSPORT_TIMEOUT_MS): Transport {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (config.token) headers.authorization = `Bearer ${config.token}`;
  return {
    async deliver({ destination, body }) {
      let response: Response;
      try {
        response = await fetch(config.url, {
          method: 'POST',
          headers,
          body: JSON.stringify({ to: destination, body }),
          // A redirect would carry the code (and the token) somewhere nobody configured.
          redirect: 'error',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        if (error instanceof Error && error.name === 'TimeoutError') throw new Error(`SMS gateway did not answer within ${timeoutMs} ms`);
        // fetch says only "fetch failed"; the reason (ECONNREFUSED, a DNS error…) is its cause.
        const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
        throw new Error(`SMS gateway unreachable: ${cause}`);
      }
      await response.body?.cancel(); // the answer's content is not needed; free the connection
      if (!response.ok) throw new Error(`SMS gateway answered ${response.status}`);
    },
  };
}

/**
 * The transports the environment configures, or null for none (the outbox alone). Throws a
 * `TransportConfigError` on a misconfiguration: server.ts calls it first, so start-up stops there.
 */
export function messageTransports(env: Env = environment()): Transports | null {
  const config = readTransportConfig(env);
  const transports: Transports = {};
  if (config.email) transports.email = smtpTransport(config.email);
  if (config.sms) transports.sms = smsGatewayTransport(config.sms);
  if (!transports.email && !transports.sms) return null;
  const missing = (['email', 'sms'] as const).filter((c) => !transports[c]);
  const delivered = [config.email && `SMTP (${config.email.url.host})`, config.sms && `SMS gateway (${config.sms.url.host})`];
  log.info({ transports: delivered.filter(Boolean) }, 'messages are delivered by real transports; /dev/outbox is off');
  for (const channel of missing) log.warn({ channel }, `no ${channel} transport is configured: ${channel} codes will not be sent`);
  return transports;
}
