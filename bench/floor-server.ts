/**
 * The floor of `npm run bench -- api`: a bare node:http server doing what any signed call must —
 * read the body, compute the HMAC of action + timestamp + body, compare it in constant time — and
 * answering JSON of the size of get_my_account_status_v3. Nothing Keydesk adds is here: no key
 * lookup, no state, permission, whitelist or rate-limit check, no database.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

export const FLOOR_SECRET = 'floor-secret-floor-secret-floor-secret';

const answer = JSON.stringify({
  ok: 'ok',
  data: {
    convertedCurrency: 'USD',
    balancesPerAccounts: { '': { USD: { balance: '250000.00', balanceOnHold: '0.00', balanceInConvertedCurrency: '250000.00' } } },
    creditLine: null,
  },
});

if (process.argv[1]?.endsWith('floor-server.ts')) {
  const port = Number(process.argv[2]);
  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const action = (req.url ?? '').slice('/api/rest/'.length);
      const expected = createHmac('sha256', FLOOR_SECRET)
        .update(`${action}${String(req.headers['x-aggr-timestamp'])}${Buffer.concat(chunks).toString()}`)
        .digest();
      const given = Buffer.from(String(req.headers['x-aggr-signature'] ?? ''), 'base64');
      const ok = given.length === expected.length && timingSafeEqual(given, expected);
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(ok ? answer : '{"error":"Authorization Failed"}');
    });
  }).listen(port, '127.0.0.1');
}
