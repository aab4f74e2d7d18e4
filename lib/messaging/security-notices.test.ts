import { describe, expect, it } from 'vitest';
import { securityEmail } from './security-notices';

describe('securityEmail', () => {
  const context = {
    recipientEmail: 'owner@example.com',
    accountName: 'Atlas Capital',
    at: new Date('2026-05-04T14:05:09.123Z'),
    request: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' },
    appUrl: 'https://keydesk.example/',
  };

  it('names the key by its name and first characters only, when, from where and what to do', () => {
    const email = securityEmail(
      { kind: 'key_deactivated', key: { name: '<b>Bot</b>', publicKey: 'kd_AbCdEfGhI0123456789abcdefghijk' } },
      context,
    );
    expect(email.subject).toBe('API key deactivated: “<b>Bot</b>”');
    expect(email.text).toContain('API key:      kd_AbCdEfGhI…');
    expect(email.text).not.toContain('kd_AbCdEfGhI0');
    expect(email.text).toContain('When:         2026-05-04 14:05:09 UTC');
    expect(email.text).toContain('From address: 203.0.113.7');
    expect(email.text).toContain('Browser:      Firefox 128 on Linux');
    expect(email.text).toContain('IF THIS WAS NOT YOU');
    expect(email.text).toContain('Open Keydesk: https://keydesk.example/settings/api-keys');
    expect(email.html).toContain('&lt;b&gt;Bot&lt;/b&gt;');
    expect(email.html).not.toContain('<b>Bot');
  });

  it('an administrator’s action gives the reason and says an administrator did it, not from where', () => {
    const email = securityEmail(
      { kind: 'key_suspended', key: { name: 'Bot', publicKey: 'kd_AbCdEfGhI0123' }, reason: 'Unusual withdrawals' },
      { ...context, byAdministrator: true },
    );
    expect(email.text).toContain('Reason:       Unusual withdrawals');
    expect(email.text).toContain('By:           A Keydesk administrator');
    expect(email.text).not.toContain('203.0.113.7');
  });
});
