/**
 * Stand-in for `next/navigation`: like Next's own, redirect() and notFound() end the action by
 * throwing, here with errors a test can recognise and assert on.
 */

export class RedirectSignal extends Error {
  constructor(readonly redirectTo: string) {
    super(`redirect to ${redirectTo}`);
    this.name = 'RedirectSignal';
  }
}

export class NotFoundSignal extends Error {
  readonly notFound = true;
  constructor() {
    super('notFound()');
    this.name = 'NotFoundSignal';
  }
}

export function redirect(url: string): never {
  throw new RedirectSignal(url);
}

export function permanentRedirect(url: string): never {
  throw new RedirectSignal(url);
}

export function notFound(): never {
  throw new NotFoundSignal();
}
