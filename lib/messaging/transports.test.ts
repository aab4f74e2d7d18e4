import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmsGateway, startSmtpServer } from '@/test/support/message-servers';
import { renderEmail } from './email-template';
import { smsGatewayTransport, smtpTransport } from './transports';

/** Each transport against a real server on 127.0.0.1. */
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let gateway: Awaited<ReturnType<typeof startSmsGateway>>;

beforeAll(async () => {
  [smtp, gateway] = await Promise.all([startSmtpServer(), startSmsGateway()]);
});
afterAll(() => Promise.all([smtp.close(), gateway.close()]));

describe('SMTP transport', () => {
  it('sends an email from KEYDESK_MAIL_FROM with its subject, text and HTML parts, logging in with the URL credentials', async () => {
    const transport = smtpTransport({ url: new URL(smtp.url), from: 'Keydesk <no-reply@keydesk.test>', requireTls: false });
    const email = renderEmail({
      subject: 'Your Keydesk sign-in code',
      heading: 'Sign in to Keydesk',
      blocks: [{ kind: 'code', label: 'Your code', code: '123456' }],
      footer: 'Keydesk',
    });
    await transport.deliver({ destination: 'alice@example.com', body: email.text, subject: email.subject, html: email.html });
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail.from).toBe('no-reply@keydesk.test');
    expect(mail.to).toEqual(['alice@example.com']);
    expect(mail.raw).toMatch(/^Subject: Your Keydesk sign-in code\r?$/m);
    expect(mail.raw).toMatch(/^Content-Type: multipart\/alternative/m);
    expect(mail.raw).toMatch(/^Content-Type: text\/plain/m);
    expect(mail.raw).toMatch(/^Content-Type: text\/html/m);
    expect(mail.raw).toContain('Your code: 123456');
  });

  it('a message with no subject or HTML of its own goes as plain text under a generic subject', async () => {
    const before = smtp.received.length;
    const transport = smtpTransport({ url: new URL(smtp.url), from: 'no-reply@keydesk.test', requireTls: false });
    await transport.deliver({ destination: 'alice@example.com', body: 'An older message.' });
    const mail = smtp.received[before];
    expect(mail.raw).toMatch(/^Subject: Keydesk\r?$/m);
    expect(mail.raw).toMatch(/^Content-Type: text\/plain/m);
    expect(mail.raw).toContain('An older message.');
  });

  it('fails when the server refuses the login', async () => {
    const url = new URL(smtp.url);
    url.password = 'wrong';
    const transport = smtpTransport({ url, from: 'no-reply@keydesk.test', requireTls: false });
    await expect(transport.deliver({ destination: 'alice@example.com', body: 'x' })).rejects.toThrow(/Invalid login|auth/i);
  });

  it('with TLS required (any host but this machine), a server that cannot upgrade gets no password and no mail', async () => {
    const before = smtp.received.length;
    const transport = smtpTransport({ url: new URL(smtp.url), from: 'no-reply@keydesk.test', requireTls: true });
    await expect(transport.deliver({ destination: 'alice@example.com', body: '123456 is your code' })).rejects.toThrow(/STARTTLS|TLS/i);
    expect(smtp.received).toHaveLength(before);
  });
});

describe('SMS gateway transport', () => {
  it('POSTs {to, body} as JSON with the bearer token', async () => {
    gateway.mode = 'ok';
    const transport = smsGatewayTransport({ url: new URL(gateway.url), token: 'gw-token' });
    await transport.deliver({ destination: '+15551234567', body: '654321 is your code' });
    expect(gateway.requests.at(-1)).toEqual({
      method: 'POST',
      authorization: 'Bearer gw-token',
      contentType: 'application/json',
      json: { to: '+15551234567', body: '654321 is your code' },
    });
  });

  it('sends no Authorization header without a token', async () => {
    await smsGatewayTransport({ url: new URL(gateway.url) }).deliver({ destination: '+15551234567', body: 'hi' });
    expect(gateway.requests.at(-1)?.authorization).toBeUndefined();
  });

  it('treats a non-2xx answer as a failure', async () => {
    gateway.mode = 'fail';
    await expect(smsGatewayTransport({ url: new URL(gateway.url) }).deliver({ destination: '+15551234567', body: 'hi' })).rejects.toThrow(
      'SMS gateway answered 500',
    );
  });

  it('gives up on a gateway that does not answer within the timeout', async () => {
    gateway.mode = 'hang';
    const started = Date.now();
    await expect(
      smsGatewayTransport({ url: new URL(gateway.url) }, 300).deliver({ destination: '+15551234567', body: 'hi' }),
    ).rejects.toThrow('SMS gateway did not answer within 300 ms');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('fails (it does not hang) when nothing listens', async () => {
    const closed = await startSmsGateway();
    await closed.close();
    const transport = smsGatewayTransport({ url: new URL(closed.url) }, 2_000);
    await expect(transport.deliver({ destination: '+15551234567', body: 'hi' })).rejects.toThrow(/SMS gateway unreachable: .*ECONNREFUSED/);
  });
});
