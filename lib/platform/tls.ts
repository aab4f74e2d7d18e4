import fs from 'node:fs';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';
import { dataDir, tlsFiles, tlsSelfSigned } from './config';

export interface ServerTls {
  cert: string;
  key: string;
  /** Where the certificate came from, for the start-up line. */
  source: string;
}

const SELF_SIGNED_DAYS = 365;

/**
 * The certificate the server speaks https and wss with, or null for plain HTTP (TLS terminated by
 * a reverse proxy, or none). Given files win; else, with KEYDESK_TLS_SELF_SIGNED=1, a certificate
 * for localhost, 127.0.0.1 and ::1 is generated into the data folder once and reused until it
 * nears expiry — trust that file in the client (or turn verification off) to try a bot locally.
 */
export async function serverTls(now = new Date()): Promise<ServerTls | null> {
  const files = tlsFiles();
  if (files.cert || files.key) {
    if (!files.cert || !files.key) throw new Error('Set both KEYDESK_TLS_CERT and KEYDESK_TLS_KEY (PEM file paths), or neither.');
    return { cert: readPem(files.cert, 'KEYDESK_TLS_CERT'), key: readPem(files.key, 'KEYDESK_TLS_KEY'), source: files.cert };
  }
  if (!tlsSelfSigned()) return null;
  return selfSigned(path.join(/* turbopackIgnore: true */ dataDir(), 'tls'), now);
}

function readPem(file: string, name: string): string {
  try {
    return fs.readFileSync(/* turbopackIgnore: true */ file, 'utf8');
  } catch (error) {
    throw new Error(`${name}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** A certificate for localhost, 127.0.0.1 and ::1 in `dir` (cert.pem, key.pem), made once and reused until it nears expiry. */
export async function selfSigned(dir: string, now = new Date()): Promise<ServerTls> {
  const certFile = path.join(/* turbopackIgnore: true */ dir, 'cert.pem');
  const keyFile = path.join(/* turbopackIgnore: true */ dir, 'key.pem');
  if (fs.existsSync(/* turbopackIgnore: true */ certFile) && fs.existsSync(/* turbopackIgnore: true */ keyFile)) {
    const cert = fs.readFileSync(/* turbopackIgnore: true */ certFile, 'utf8');
    // Renewed a week before it expires, so a long-running test machine never meets an expired one.
    if (new Date(new X509Certificate(cert).validTo).getTime() - now.getTime() > 7 * 86_400_000) {
      return { cert, key: fs.readFileSync(/* turbopackIgnore: true */ keyFile, 'utf8'), source: `${certFile} (self-signed)` };
    }
  }
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: now,
    notAfterDate: new Date(now.getTime() + SELF_SIGNED_DAYS * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  fs.mkdirSync(/* turbopackIgnore: true */ dir, { recursive: true });
  fs.writeFileSync(/* turbopackIgnore: true */ keyFile, pems.private, { mode: 0o600 });
  fs.writeFileSync(/* turbopackIgnore: true */ certFile, pems.cert);
  return { cert: pems.cert, key: pems.private, source: `${certFile} (self-signed, generated now)` };
}
