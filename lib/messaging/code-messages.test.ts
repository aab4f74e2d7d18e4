import { describe, expect, it } from 'vitest';
import { codeEmail, codeSms } from './code-messages';

describe('code messages', () => {
  // The moment and the request a code was asked in.
  const context = {
    at: new Date('2026-05-04T14:05:09.123Z'),
    request: { ip: '192.0.2.44', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0.0.0 Safari/537.36' },
  };

  it('an SMS code names its purpose and the key, and warns that staff never ask for it, in one short message', () => {
    const sms = codeSms('123456', 'key_creation', { name: 'A very long key name that goes on and on' });
    expect(sms).toBe(
      '123456 is the code to confirm your new Keydesk API key "A very long key name ...". Expires in 5 min. Keydesk staff will never ask you for it.',
    );
    expect(sms.length).toBeLessThanOrEqual(160);
    expect(codeSms('123456', 'sign_in', null)).toBe(
      '123456 is your Keydesk sign-in code. Expires in 5 min. Keydesk staff will never ask you for it.',
    );
  });

  it('the activation email names the key and says what the code confirms and that staff never ask for it', () => {
    const email = codeEmail(
      '654321',
      'key_activation',
      { name: 'Bot', publicKey: 'kd_AbCdEfGhI0123' },
      {
        recipientEmail: 'owner@example.com',
        sentAt: context.at,
        expiresAt: new Date(context.at.getTime() + 300_000),
        request: context.request,
      },
    );
    expect(email.subject).toBe('Your code to activate an API key: “Bot”');
    expect(email.text).toContain('654321 is the code to activate your Keydesk API key "Bot".');
    expect(email.text).toContain('API key:      kd_AbCdEfGhI…');
    expect(email.text).toContain('Expires:      2026-05-04 14:10:09 UTC (in 5 minutes)');
    expect(email.text).toContain('Keydesk staff will never ask you for it.');
    expect(email.text).toMatch(/^From address: +192\.0\.2\.44$/m);
    expect(email.text).toMatch(/^Browser: +Chrome 126 on Windows$/m);
    expect(email.html).toContain('654321');
    expect(email.subject).not.toContain('654321');
  });
});
