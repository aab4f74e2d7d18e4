import { describe, expect, it } from 'vitest';
import { configuredChannels, readTransportConfig, TransportConfigError } from './channels';

const SMTP = 'smtp://user:s3cret-pass@mail.example.com:587';

describe('readTransportConfig', () => {
  it('is empty when nothing is configured: the outbox alone', () => {
    expect(readTransportConfig({})).toEqual({});
    expect(configuredChannels({})).toEqual([]);
  });

  it('reads SMTP with a sender, and an SMS gateway with an optional token', () => {
    const config = readTransportConfig({
      KEYDESK_SMTP_URL: SMTP,
      KEYDESK_MAIL_FROM: 'Keydesk <no-reply@example.com>',
      KEYDESK_SMS_GATEWAY_URL: 'https://sms.example.com/send',
      KEYDESK_SMS_GATEWAY_TOKEN: 'tok',
    });
    expect(config.email?.url.host).toBe('mail.example.com:587');
    expect(config.email?.from).toBe('Keydesk <no-reply@example.com>');
    expect(config.sms?.url.toString()).toBe('https://sms.example.com/send');
    expect(config.sms?.token).toBe('tok');
    expect(
      readTransportConfig({ KEYDESK_SMTP_URL: 'smtps://mail.example.com', KEYDESK_MAIL_FROM: 'a@b.example' }).email?.url.protocol,
    ).toBe('smtps:');
    expect(readTransportConfig({ KEYDESK_SMS_GATEWAY_URL: 'http://127.0.0.1:9000/sms' }).sms?.token).toBeUndefined();
  });

  it.each([
    [{ KEYDESK_SMTP_URL: SMTP }, /KEYDESK_SMTP_URL is set but KEYDESK_MAIL_FROM is not/],
    [{ KEYDESK_SMTP_URL: SMTP, KEYDESK_MAIL_FROM: 'keydesk' }, /KEYDESK_MAIL_FROM is not an email address/],
    [{ KEYDESK_MAIL_FROM: 'a@b.example' }, /KEYDESK_MAIL_FROM is set but KEYDESK_SMTP_URL is not/],
    [
      { KEYDESK_SMTP_URL: 'mail.example.com:587', KEYDESK_MAIL_FROM: 'a@b.example' },
      /KEYDESK_SMTP_URL must start with smtp:\/\/ or smtps:\/\//,
    ],
    [{ KEYDESK_SMTP_URL: 'not a url', KEYDESK_MAIL_FROM: 'a@b.example' }, /KEYDESK_SMTP_URL is not a valid URL/],
    [{ KEYDESK_SMS_GATEWAY_URL: 'ftp://sms.example.com' }, /KEYDESK_SMS_GATEWAY_URL must start with https:\/\/ or http:\/\//],
    [{ KEYDESK_SMS_GATEWAY_TOKEN: 'tok' }, /KEYDESK_SMS_GATEWAY_TOKEN is set but KEYDESK_SMS_GATEWAY_URL is not/],
    [{ KEYDESK_SMS_GATEWAY_URL: 'http://sms.example.com/send' }, /KEYDESK_SMS_GATEWAY_URL must use https:\/\//],
  ])('refuses %j with a clear message', (env, message) => {
    expect(() => readTransportConfig(env)).toThrow(TransportConfigError);
    expect(() => readTransportConfig(env)).toThrow(message);
  });

  it('keeps codes and credentials off the network in clear: TLS to any host but this machine', () => {
    const smtp = (url: string) => readTransportConfig({ KEYDESK_SMTP_URL: url, KEYDESK_MAIL_FROM: 'a@b.example' }).email?.requireTls;
    expect(smtp('smtp://user:pass@mail.example.com:587')).toBe(true);
    expect(smtp('smtps://user:pass@mail.example.com:465')).toBe(false); // TLS from the first byte
    expect(smtp('smtp://127.0.0.1:2525')).toBe(false);
    expect(smtp('smtp://localhost:2525')).toBe(false);
    expect(readTransportConfig({ KEYDESK_SMS_GATEWAY_URL: 'http://localhost:9000/sms' }).sms?.url.hostname).toBe('localhost');
    expect(readTransportConfig({ KEYDESK_SMS_GATEWAY_URL: 'http://[::1]:9000/sms' }).sms?.url.hostname).toBe('[::1]');
  });

  it('never quotes the URL back: it carries the SMTP password', () => {
    const error = (() => {
      try {
        readTransportConfig({ KEYDESK_SMTP_URL: 'http://user:s3cret-pass@mail.example.com', KEYDESK_MAIL_FROM: 'a@b.example' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/KEYDESK_SMTP_URL/);
    expect(error?.message).not.toContain('s3cret-pass');
  });

  it('counts a channel as configured from its URL alone', () => {
    expect(configuredChannels({ KEYDESK_SMTP_URL: SMTP })).toEqual(['email']);
    expect(configuredChannels({ KEYDESK_SMS_GATEWAY_URL: 'https://sms.example.com' })).toEqual(['sms']);
    expect(configuredChannels({ KEYDESK_SMTP_URL: '  ', KEYDESK_SMS_GATEWAY_URL: '' })).toEqual([]);
  });
});
