/**
 * Stand-in for `next/headers` (installed with vi.mock in each test file): a cookie jar and request
 * headers per simulated browser, so `startSession()` really sets the cookie that
 * `requireOwner()` later reads, and `requestContext()` sees the caller's address.
 */

export interface StoredCookie {
  value: string;
  options: Record<string, unknown>;
}

export const TEST_CLIENT_IP = '203.0.113.10';
export const TEST_USER_AGENT = 'keydesk-integration-tests';

export class Browser {
  readonly jar = new Map<string, StoredCookie>();
  readonly requestHeaders = new Map<string, string>([
    ['x-keydesk-client-ip', TEST_CLIENT_IP],
    ['user-agent', TEST_USER_AGENT],
  ]);

  cookie(name: string): string | undefined {
    return this.jar.get(name)?.value;
  }
}

let current = new Browser();

/** Every following action call runs "in" this browser (its cookies, its headers). */
export function useBrowser(browser: Browser): Browser {
  current = browser;
  return browser;
}

export function currentBrowser(): Browser {
  return current;
}

type CookieInit = { name: string; value: string } & Record<string, unknown>;

function cookieStore(browser: Browser) {
  const { jar } = browser;
  return {
    get(name: string | { name: string }) {
      const key = typeof name === 'string' ? name : name.name;
      const found = jar.get(key);
      return found ? { name: key, value: found.value } : undefined;
    },
    getAll() {
      return [...jar].map(([name, c]) => ({ name, value: c.value }));
    },
    has(name: string) {
      return jar.has(name);
    },
    set(nameOrInit: string | CookieInit, value?: string, options: Record<string, unknown> = {}) {
      if (typeof nameOrInit === 'string') {
        jar.set(nameOrInit, { value: value ?? '', options });
      } else {
        const { name, value: v, ...rest } = nameOrInit;
        jar.set(name, { value: v, options: rest });
      }
      return this;
    },
    delete(name: string | { name: string }) {
      jar.delete(typeof name === 'string' ? name : name.name);
      return this;
    },
  };
}

export async function cookies() {
  return cookieStore(current);
}

export async function headers(): Promise<Headers> {
  return new Headers([...current.requestHeaders]);
}
