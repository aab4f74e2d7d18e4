import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CodeDelivery, codeExpiry, CodeSentNotice, type Delivery } from '@/components/code-delivery';
import { CodeForm } from '@/components/code-form';
import type { ActionState } from '@/lib/web/action-state';

/** The state the code form's last submit left, as useActionState hands it back. */
const formState = vi.hoisted(() => ({ current: { status: 'idle' } as ActionState }));
vi.mock('react', async (importOriginal) => {
  const react = await importOriginal<typeof import('react')>();
  return { ...react, useActionState: () => [formState.current, () => {}, false] };
});

/**
 * What a code step's page shows as the server renders it — which, without JavaScript, is all the
 * person ever sees until they reload.
 */

const NOW = new Date('2026-12-02T10:00:00Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

function delivery(fields: Partial<Delivery>): Delivery {
  return {
    codeHash: 'hash',
    sentAt: minutes(-1),
    expiresAt: minutes(4),
    failedAttempts: 0,
    consumedAt: null,
    sendHeldBack: null,
    sendBlockedUntil: null,
    ...fields,
  };
}

const resend = async () => {};
const confirm = async (): Promise<ActionState> => ({ status: 'idle' });
const page = (d: Delivery) =>
  renderToStaticMarkup(
    <>
      <CodeSentNotice delivery={d}>We sent a 6-digit code by SMS to +15***00.</CodeSentNotice>
      <CodeForm action={confirm} label="SMS code" expiry={codeExpiry(d)} cancelHref="/settings/api-keys" />
      <CodeDelivery delivery={d} resendAction={resend} />
    </>,
  );
const times = (html: string, text: string) => html.split(text).length - 1;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  formState.current = { status: 'idle' };
});
afterEach(() => vi.useRealTimers());

describe('Resend without JavaScript', () => {
  it('before two minutes: no button, the time it will be offered', () => {
    const html = page(delivery({ sentAt: minutes(-1) }));
    expect(html).not.toContain('Resend');
    expect(html).toContain('You can ask for a new code at 10:01:00 UTC');
  });

  it('once two minutes have passed, a reload shows a working Resend form', () => {
    const html = page(delivery({ sentAt: minutes(-3), expiresAt: minutes(2) }));
    expect(html).toMatch(/<form[^>]*>.*<button[^>]*type="submit"[^>]*>.*Resend.*<\/button>.*<\/form>/s);
    expect(html).not.toContain('You can ask for a new code');
  });

  it('an expired code says so on the server too, once, under the code field', () => {
    const html = page(delivery({ sentAt: minutes(-6), expiresAt: minutes(-1) }));
    expect(times(html, 'has expired')).toBe(1);
    expect(html).toMatch(/<p id="code-hint"[^>]*><span>The code has expired — request a new one.<\/span><\/p>/);
    expect(html).toMatch(/aria-describedby="code-hint"/);
  });

  it('a live code says when it expires, under the field', () => {
    expect(page(delivery({}))).toMatch(/<p id="code-hint"[^>]*><time[^>]*>The code expires at 10:04:00 UTC<\/time><\/p>/);
  });

  it("an expired code submitted anyway: the field's error says it, not the expiry line as well", () => {
    formState.current = { status: 'error', fieldErrors: { code: ['This code has expired — request a new one'] } };
    const html = page(delivery({ sentAt: minutes(-6), expiresAt: minutes(-1) }));
    expect(times(html, 'has expired')).toBe(1);
    expect(html).toContain('<p id="code-error" class="mt-1 text-sm text-red-700">This code has expired — request a new one</p>');
  });

  it('a wrong code while the code still runs: the error and the expiry time both stand', () => {
    formState.current = { status: 'error', fieldErrors: { code: ['Incorrect code, 4 attempts left'] } };
    const html = page(delivery({}));
    expect(html).toContain('Incorrect code, 4 attempts left');
    expect(html).toContain('The code expires at 10:04:00 UTC');
  });
});

describe('a code that was not sent says so plainly', () => {
  it('held back by the hourly cap: no "we sent", why, and when the next one can be', () => {
    const html = page(
      delivery({ codeHash: null, sentAt: null, expiresAt: null, sendHeldBack: 'hourly_cap', sendBlockedUntil: minutes(42) }),
    );
    expect(html).not.toContain('We sent');
    expect(html).toContain(
      'No new code was sent</strong>: you have reached the limit of codes we send in an hour. You can ask for a new one at 10:42 UTC.',
    );
    expect(html).toContain('You can ask for a new code at 10:42:00 UTC');
    expect(html).not.toContain('Resend');
  });

  it('a Resend held back keeps the earlier code usable, and says so', () => {
    const html = page(delivery({ sendHeldBack: 'hourly_cap', sendBlockedUntil: minutes(30) }));
    expect(html).toContain('The code we sent earlier still works until it expires.');
  });

  it('a locked second factor offers no Resend at all', () => {
    const html = page(delivery({ codeHash: null, sentAt: null, expiresAt: null, sendHeldBack: 'locked' }));
    expect(html).toContain('locked after too many incorrect codes. Contact support to unlock it.');
    expect(html).not.toContain('Resend');
    expect(html).not.toContain('ask for a new');
  });
});
