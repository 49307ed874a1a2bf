import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { consoleAssets } from '../console/bundle.js';
import type { ApiDeps } from './deps.js';

// The bundle only talks to this origin; Pico's icons are data: SVGs in its stylesheet.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const escapeAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The single page every console URL answers with; the browser's router picks the page from the path. */
function shell(version: string, settings: ApiDeps['console']): string {
  const asset = (name: string) => `/console/assets/${version}/${name}`;
  const meta = (name: string, value: string | undefined) =>
    value === undefined ? '' : `\n    <meta name="o2c-${name}" content="${escapeAttribute(value)}">`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Order-to-Cash console</title>${meta('temporal-ui', settings.temporalUiUrl)}${meta('temporal-namespace', settings.temporalNamespace)}
    <link rel="stylesheet" href="${asset('main.css')}">
    <script type="module" src="${asset('main.js')}"></script>
  </head>
  <body>
    <div id="root"></div>
    <noscript>The console needs JavaScript.</noscript>
  </body>
</html>
`;
}

const secured = (reply: FastifyReply) =>
  reply
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin');

/**
 * The finance console at /console: a public page and its assets (nothing in them is secret); every figure and
 * action behind it goes through the API with the signed-in person's session.
 */
export const consoleRoutes =
  (deps: ApiDeps): FastifyPluginAsync =>
  async (app) => {
    const { version, files } = await consoleAssets();
    const page = shell(version, deps.console);
    const sendShell = (_: unknown, reply: FastifyReply) =>
      secured(reply).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(page);
    app.get('/console', { config: { public: true } }, sendShell);
    app.get<{ Params: { version: string; name: string } }>(
      '/console/assets/:version/:name',
      { config: { public: true } },
      async (request, reply) => {
        const file = request.params.version === version ? files.get(request.params.name) : undefined;
        if (!file) {
          return reply.code(404).send({ error: { code: 'NOT_FOUND', message: `No console asset ${request.url}` } });
        }
        return secured(reply)
          .header('cache-control', 'public, max-age=31536000, immutable')
          .type(file.contentType)
          .send(file.body);
      },
    );
    app.get('/console/*', { config: { public: true } }, sendShell);
  };
