import { environment } from '@/lib/platform/config';
import type { Channel } from './outbox';

/**
 * Which real transports the environment configures. Kept apart from the transports themselves:
 * pages ask `outboxEnabled()`, and this way no route bundle pulls in nodemailer.
 */
export interface TransportConfig {
  /** `requireTls`: refuse to log in or send unless the server upgrades to TLS (STARTTLS). */
  email?: { url: URL; from: string; requireTls: boolean };
  sms?: { url: URL; token?: string };
}

/** The environment, or a plain object in tests. */
export type Env = Record<string, string | undefined>;

/** A misconfiguration that must stop start-up; the message names the variable, never its value. */
export class TransportConfigError extends Error {}

const set = (value: string | undefined): string | undefined => (value?.trim() ? value.trim() : undefined);

/** The channels that have a transport. Presence only: `readTransportConfig` at start-up validates. */
export function configuredChannels(env: Env = environment()): Channel[] {
  const channels: Channel[] = [];
  if (set(env.KEYDESK_SMTP_URL)) channels.push('email');
  if (set(env.KEYDESK_SMS_GATEWAY_URL)) channels.push('sms');
  return channels;
}

export function readTransportConfig(env: Env = environment()): TransportConfig {
  const config: TransportConfig = {};
  const smtpUrl = set(env.KEYDESK_SMTP_URL);
  const from = set(env.KEYDESK_MAIL_FROM);
  if (smtpUrl) {
    if (!from)
      throw new TransportConfigError(
        'KEYDESK_SMTP_URL is set but KEYDESK_MAIL_FROM is not: set the sender address, e.g. "Keydesk <no-reply@example.com>".',
      );
    if (!isMailbox(from))
      throw new TransportConfigError(
        'KEYDESK_MAIL_FROM is not an email address (expected "no-reply@example.com" or "Keydesk <no-reply@example.com>").',
      );
    const url = parseUrl('KEYDESK_SMTP_URL', smtpUrl, ['smtp:', 'smtps:']);
    // Beyond this machine, the password and the codes never cross the network in clear.
    config.email = { url, from, requireTls: url.protocol === 'smtp:' && !isLoopback(url.hostname) };
  } else if (from) {
    throw new TransportConfigError('KEYDESK_MAIL_FROM is set but KEYDESK_SMTP_URL is not: email would not be sent.');
  }
  const gatewayUrl = set(env.KEYDESK_SMS_GATEWAY_URL);
  const token = set(env.KEYDESK_SMS_GATEWAY_TOKEN);
  if (gatewayUrl) {
    const url = parseUrl('KEYDESK_SMS_GATEWAY_URL', gatewayUrl, ['https:', 'http:']);
    if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
      throw new TransportConfigError(
        'KEYDESK_SMS_GATEWAY_URL must use https:// (http:// only to this machine): the codes and the token would cross the network in clear.',
      );
    }
    config.sms = { url, token };
  } else if (token) {
    throw new TransportConfigError('KEYDESK_SMS_GATEWAY_TOKEN is set but KEYDESK_SMS_GATEWAY_URL is not: SMS would not be sent.');
  }
  return config;
}

// The value is never quoted back: an SMTP URL carries a password.
function parseUrl(name: string, value: string, protocols: string[]): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TransportConfigError(`${name} is not a valid URL.`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new TransportConfigError(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')} (got ${url.protocol}//).`);
  }
  if (!url.hostname) throw new TransportConfigError(`${name} has no host.`);
  return url;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function isMailbox(value: string): boolean {
  const address = /<([^<>]+)>\s*$/.exec(value)?.[1] ?? value;
  return /^[^\s@<>]+@[^\s@<>]+$/.test(address.trim());
}
