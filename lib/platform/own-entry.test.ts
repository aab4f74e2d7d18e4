import { describe, expect, it } from 'vitest';
import { ownEntry } from './own-entry';

describe('ownEntry', () => {
  const NOTICES: Record<string, string> = { saved: 'Saved.' };

  it("finds the table's own entries", () => {
    expect(ownEntry(NOTICES, 'saved')).toBe('Saved.');
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'missing', '', null, undefined])(
    'finds nothing for %s, where a plain lookup finds Object.prototype’s members',
    (key) => {
      expect(ownEntry(NOTICES, key)).toBeUndefined();
    },
  );
});
