import { afterEach, describe, expect, it } from 'vitest';
import { maskDestination, messageSender, outboxEnabled, outboxSender, queueSender } from './outbox';

const VARIABLES = ['KEYDESK_SMTP_URL', 'KEYDESK_MAIL_FROM', 'KEYDESK_SMS_GATEWAY_URL', 'KEYDESK_SMS_GATEWAY_TOKEN'];
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));

afterEach(() => {
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

function configure(env: Record<string, string | undefined>) {
  for (const name of VARIABLES) {
    if (env[name] === undefined) delete process.env[name];
    else process.env[name] = env[name];
  }
}

describe('the outbox', () => {
  it('is on, and is the sender, while no transport is configured', () => {
    configure({});
    expect(outboxEnabled()).toBe(true);
    expect(messageSender()).toBe(outboxSender);
  });

  it.each([
    { KEYDESK_SMTP_URL: 'smtp://mail.example.com:587', KEYDESK_MAIL_FROM: 'no-reply@example.com' },
    { KEYDESK_SMS_GATEWAY_URL: 'https://sms.example.com/send' },
  ])('turns off once a real transport is configured (%j): real people get real messages', (env) => {
    configure(env);
    expect(outboxEnabled()).toBe(false);
    expect(messageSender()).toBe(queueSender);
  });
});

describe('maskDestination', () => {
  it('keeps enough to recognise, not to reach', () => {
    expect(maskDestination('alice@example.com')).toBe('a***@example.com');
    expect(maskDestination('+15551234567')).toBe('+15***67');
  });
});
