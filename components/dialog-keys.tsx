'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';

/** Keyboard behaviour of a modal: Escape closes it, Tab cycles within it. */
export function DialogKeys({ closeHref }: { closeHref: string }) {
  const router = useRouter();
  const marker = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const dialog = marker.current?.closest('[role="dialog"]');
    if (!(dialog instanceof HTMLElement)) return;
    if (!dialog.contains(document.activeElement)) {
      const first = dialog.querySelector<HTMLElement>(
        '[autofocus], input:not([type=hidden]):not([disabled]), textarea, button:not([disabled]), a[href]',
      );
      first?.focus();
    }
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        router.push(closeHref);
        return;
      }
      if (event.key !== 'Tab') return;
      const focusable = [
        ...dialog.querySelectorAll<HTMLElement>(
          'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), textarea, select',
        ),
      ];
      if (!focusable.length) return;
      const [first, last] = [focusable[0], focusable[focusable.length - 1]];
      if (event.shiftKey && document.activeElement === first) {
        last.focus();
        event.preventDefault();
      } else if (!event.shiftKey && document.activeElement === last) {
        first.focus();
        event.preventDefault();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [closeHref, router]);
  return <span ref={marker} hidden />;
}
