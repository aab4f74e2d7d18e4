/** Times in the admin views: UTC, to the minute in lists and to the second in the audit log. */
export const minute = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
/** In table cells whose header already says UTC. */
export const shortMinute = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');
export const second = (d: Date) => `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
