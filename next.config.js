/** @type {import('next').NextConfig} */
const nextConfig = {
  // Keeps PGlite's WASM and data files out of .next/static, where they would be served publicly.
  serverExternalPackages: ['@electric-sql/pglite'],
  poweredByHeader: false,
  // server.ts compresses Next's responses itself, in one piece where it can (lib/platform/compression.ts).
  compress: false,
  // `npm test` type-checks the whole tree (`tsc --noEmit`) before it builds for the browser suite:
  // the build's own check would only repeat it (20 s of CI). Every other build checks types.
  typescript: { ignoreBuildErrors: process.env.KEYDESK_TYPES_CHECKED === '1' },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
        ],
      },
    ];
  },
};

export default nextConfig;
