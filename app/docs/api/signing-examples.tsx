import { CodeBlock } from './code-block';
import { shellQuote } from './web-signing';

/** The examples sign a real action from the registry, so they can be pasted and run as they are. */
export interface ExampleCall {
  action: string;
  body: string;
}

export const curlExample = (baseUrl: string, { action, body }: ExampleCall) => `API_KEY='your API key'
API_SECRET='your API secret'
ACTION=${shellQuote(action)}
BODY=${shellQuote(body)}
TS=$(date +%s)
# base64(HMAC-SHA256(secret, action + timestamp + body)); printf '%s' adds no newline.
SIG=$(printf '%s' "$ACTION$TS$BODY" | openssl dgst -sha256 -hmac "$API_SECRET" -binary | openssl base64 -A)

curl -X POST "${baseUrl}/api/rest/$ACTION" \\
  -H 'Content-Type: application/json' \\
  -H "X-AGGR-KEY: $API_KEY" \\
  -H "X-AGGR-TIMESTAMP: $TS" \\
  -H "X-AGGR-SIGNATURE: $SIG" \\
  --data-raw "$BODY"`;

export const nodeExample = (baseUrl: string, { action, body }: ExampleCall) => `// Node 20+ (ES module): node call.mjs
import { createHmac } from 'node:crypto';

const BASE_URL = '${baseUrl}';
const API_KEY = process.env.API_KEY;
const API_SECRET = process.env.API_SECRET;

async function call(action, params = {}) {
  // Sign exactly the string that is sent.
  const body = JSON.stringify(params);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', API_SECRET).update(action + timestamp + body).digest('base64');
  const res = await fetch(\`\${BASE_URL}/api/rest/\${action}\`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-AGGR-KEY': API_KEY,
      'X-AGGR-TIMESTAMP': timestamp,
      'X-AGGR-SIGNATURE': signature,
    },
    body,
  });
  const reply = await res.json();
  if (!res.ok) throw new Error(\`\${res.status}: \${reply.error}\`);
  return reply.data;
}

console.log(await call('${action}', ${body}));`;

const wsExample = (wsUrl: string, { action, body }: ExampleCall) => `// Node 20+ (ES module), with the ws package: npm install ws
import { createHmac } from 'node:crypto';
import WebSocket from 'ws';

const API_KEY = process.env.API_KEY;
const API_SECRET = process.env.API_SECRET;

const ws = new WebSocket('${wsUrl}');
const send = (message) => ws.send(JSON.stringify(message));

ws.on('message', (raw) => {
  const message = JSON.parse(raw.toString());
  if (message.e === 'connected') {
    const timestamp = Math.floor(Date.now() / 1000);
    // lowercase hex(HMAC-SHA256(secret, String(timestamp) + key))
    const signature = createHmac('sha256', API_SECRET).update(String(timestamp) + API_KEY).digest('hex');
    send({ e: 'auth', auth: { key: API_KEY, signature, timestamp }, oid: 'auth' });
  } else if (message.e === 'auth') {
    if (message.ok !== 'ok') throw new Error(message.data.error);
    send({ e: '${action}', oid: '1', data: ${body} });
    // Idle connections close after 60 s: keep this one open.
    setInterval(() => send({ e: 'ping' }), 30_000);
  } else if (message.e === 'disconnected') {
    ws.close();
  } else {
    // Replies carry your oid; account_update and executionReport are pushed; pong answers ping.
    console.log(message);
  }
});`;

export function SigningExamples({ baseUrl, wsUrl, example }: { baseUrl: string; wsUrl: string; example: ExampleCall }) {
  return (
    <div className="space-y-4">
      <CodeBlock label="curl, signing with openssl" language="sh" code={curlExample(baseUrl, example)} />
      <CodeBlock label="Node (node:crypto and fetch)" language="js" code={nodeExample(baseUrl, example)} />
      <CodeBlock label="WebSocket from Node (ws package)" language="js" code={wsExample(wsUrl, example)} />
    </div>
  );
}
