/**
 * The custom server (server.ts) writes the caller's address into this header, overwriting
 * whatever the client sent, so pages and actions can trust it (see lib/platform/client-ip.ts).
 */
export const CLIENT_IP_HEADER = 'x-keydesk-client-ip';
