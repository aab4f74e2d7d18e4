import { describe, expect, it } from 'vitest';
import { escapeHtml, renderEmail, type EmailContent } from './email-template';

const content = (over: Partial<EmailContent> = {}): EmailContent => ({
  subject: 'API key changed: “Bot”',
  heading: 'An API key was changed',
  blocks: [
    { kind: 'paragraph', text: 'The settings of the API key “Bot” were changed.' },
    {
      kind: 'facts',
      rows: [
        ['API key name', 'Bot'],
        ['When', '2026-05-04 14:05:09 UTC'],
      ],
    },
    { kind: 'list', title: 'What changed', items: ['Permissions added: Trade'] },
    { kind: 'warning', title: 'If this was not you', text: 'Sign in at once.' },
    { kind: 'link', text: 'Open Keydesk', href: 'https://keydesk.example/settings/api-keys' },
  ],
  footer: 'Keydesk sends this security email to owner@example.com.',
  ...over,
});

describe('renderEmail', () => {
  it('has a subject, a plain-text part and an HTML part that say the same things', () => {
    const email = renderEmail(content());
    expect(email.subject).toBe('API key changed: “Bot”');
    expect(email.text).toBe(
      [
        'An API key was changed',
        '======================',
        '',
        'The settings of the API key “Bot” were changed.',
        '',
        'API key name: Bot',
        'When:         2026-05-04 14:05:09 UTC',
        '',
        'What changed',
        '- Permissions added: Trade',
        '',
        'IF THIS WAS NOT YOU',
        'Sign in at once.',
        '',
        'Open Keydesk: https://keydesk.example/settings/api-keys',
        '',
        '--',
        'Keydesk sends this security email to owner@example.com.',
      ].join('\n'),
    );
    for (const words of ['The settings of the API key “Bot” were changed.', 'Permissions added: Trade', 'Sign in at once.']) {
      expect(email.html).toContain(words);
    }
  });

  it('is accessible HTML: language, title, one heading, layout tables marked presentational, facts with row headers', () => {
    const { html } = renderEmail(content());
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<html lang="en" dir="ltr">');
    expect(html).toContain('<title>API key changed: “Bot”</title>');
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html.match(/<table role="presentation"/g)).toHaveLength(2);
    expect(html).toContain('<th scope="row"');
    expect(html).toContain('<a href="https://keydesk.example/settings/api-keys"');
  });

  it('has no images, nothing remote but the link to the app, no scripts, no styles sheets, no forms', () => {
    const { html } = renderEmail(content());
    expect(html).not.toMatch(/<(img|script|style|link|form|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\bsrc=|url\(|@import/i);
    expect(html.match(/https?:\/\//g)).toEqual(['https://']);
  });

  it('escapes every value: a key named <script> is text, not markup', () => {
    const evil = '<script>alert("x")</script>&<img src=x onerror=alert(1)>';
    const email = renderEmail(
      content({
        subject: `API key created: ${evil}`,
        heading: evil,
        blocks: [
          { kind: 'paragraph', text: evil },
          { kind: 'facts', rows: [[evil, evil]] },
          { kind: 'list', title: evil, items: [evil] },
          { kind: 'code', label: evil, code: evil },
          { kind: 'warning', title: evil, text: evil },
          { kind: 'link', text: evil, href: `https://x.example/"><script>` },
        ],
        footer: evil,
      }),
    );
    expect(email.html).not.toMatch(/<script|<img|onerror=alert\(1\)>/i);
    expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&lt;img src=x onerror=alert(1)&gt;');
    expect(email.html).toContain('href="https://x.example/&quot;&gt;&lt;script&gt;"');
    // The text part is text: it keeps the name as typed.
    expect(email.text).toContain(evil);
  });

  it('keeps a link only to http(s): a javascript: URL is dropped to its words', () => {
    const email = renderEmail(content({ blocks: [{ kind: 'link', text: 'Open', href: 'javascript:alert(1)' }] }));
    expect(email.html).not.toContain('javascript:');
    expect(email.text).not.toContain('javascript:');
  });

  it('puts a name with a newline on one line: it cannot forge a header or a line of the text part', () => {
    const email = renderEmail(
      content({ subject: 'Key “a\r\nBcc: x@evil.example”', blocks: [{ kind: 'facts', rows: [['Name', 'a\nWhen: never']] }] }),
    );
    expect(email.subject).toBe('Key “a Bcc: x@evil.example”');
    expect(email.text).toContain('Name: a When: never');
  });

  it('escapeHtml covers the five characters that matter', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
