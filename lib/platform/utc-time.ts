/**
 * Every time a person reads in Keydesk, owner and admin pages alike: ISO order, UTC, said so
 * ("2027-03-03 00:00 UTC"). One home, so a key's expiry reads like its last update.
 */
export const utcMinute = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
/** In table cells whose header already says UTC. */
export const shortMinute = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');
/** To the second, for the audit log. */
export const utcSecond = (d: Date) => `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
