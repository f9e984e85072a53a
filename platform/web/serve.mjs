// A small static server for the web app: node serve.mjs SITE_DIR [PORT]. Only files inside
// SITE_DIR, with the content types browsers need (application/wasm for streaming compilation,
// application/manifest+json), and no caching of its own: the service worker decides.
import {createServer} from 'node:http';
import {readFile, realpath} from 'node:fs/promises';
import {extname, join, sep} from 'node:path';

const [site, port = '8080'] = process.argv.slice(2);
if (!site) {
  console.error('usage: node serve.mjs SITE_DIR [PORT]');
  process.exit(2);
}
const root = await realpath(site);
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.data': 'application/octet-stream',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
};

const server = createServer(async (request, response) => {
  try {
    const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    const file = await realpath(join(root, path.endsWith('/') ? path + 'index.html' : path));
    if (file !== root && !file.startsWith(root + sep)) throw new Error('outside the site');
    const body = await readFile(file);
    response.writeHead(200, {
      'Content-Type': types[extname(file)] || 'application/octet-stream',
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  } catch {
    response.writeHead(404, {'Content-Type': 'text/plain; charset=utf-8'});
    response.end('not found\n');
  }
});
server.listen(Number(port), '127.0.0.1', () => {
  console.log(`aftercare: http://localhost:${server.address().port}/`);
});
