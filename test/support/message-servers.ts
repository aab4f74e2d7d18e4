import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** Real servers on 127.0.0.1 for the transports to talk to: nothing of the transports is mocked. */

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

export const SMTP_USER = 'keydesk';
export const SMTP_PASSWORD = 'mail-secret';

/** An SMTP server that accepts mail only from SMTP_USER / SMTP_PASSWORD (plain, no TLS: it is local). */
export async function startSmtpServer(): Promise<{ url: string; received: ReceivedMail[]; close(): Promise<void> }> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const envelope = session.envelope;
        received.push({
          from: envelope.mailFrom ? envelope.mailFrom.address : '',
          to: envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface GatewayRequest {
  method: string;
  authorization: string | undefined;
  contentType: string | undefined;
  json: unknown;
}

export type GatewayMode = 'ok' | 'fail' | 'hang';

/** An SMS gateway: answers 202, or 500 ('fail'), or never ('hang'), after `delayMs`; both can change at any time. */
export async function startSmsGateway(): Promise<{
  url: string;
  requests: GatewayRequest[];
  mode: GatewayMode;
  delayMs: number;
  close(): Promise<void>;
}> {
  const requests: GatewayRequest[] = [];
  const gateway = { url: '', requests, mode: 'ok' as GatewayMode, delayMs: 0, close: async () => {} };
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      requests.push({ method: req.method ?? '', authorization: req.headers.authorization, contentType: req.headers['content-type'], json });
      const mode = gateway.mode;
      if (mode === 'hang') return;
      setTimeout(() => {
        res.writeHead(mode === 'ok' ? 202 : 500, { 'content-type': 'application/json' });
        res.end(mode === 'ok' ? '{"queued":true}' : '{"error":"upstream down"}');
      }, gateway.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  gateway.url = `http://127.0.0.1:${port}/v1/messages`;
  gateway.close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return gateway;
}
