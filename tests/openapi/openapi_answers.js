#!/usr/bin/env node
// tests/openapi/openapi_answers.js — every answer the gateway gave and
// every webhook it sent, as paygw.fcgi and paygw-webhooks logged them to
// PAYGW_ANSWER_LOG (cgi/gateway/answer_log.c), checked against
// docs/openapi.yaml with ajv (JSON Schema 2020-12, OpenAPI 3.1's dialect).
//
//   node openapi_answers.js BUNDLE.json LOG...
//
// BUNDLE.json is the document as `redocly bundle --ext json` writes it
// (its $refs kept, resolved here by ajv within the document).  Each answer
// is found its operation by method and route pattern, its response by
// status (or `default`), its content by media type, and its body validated
// against that schema; each mailbox message (the signed JSON text in
// GET /v1/mailbox's messages) against the schema its `contentSchema` names;
// each webhook body against the request body of the webhook whose `type`
// enum has its type.  An answer before or without a route (404 not_found,
// 405 method_not_allowed) is held to the Problem schema and that code.
//
// Output: TAP-style lines, one `ok`/`not ok` per group (method, route and
// status; webhook type; mailbox message kind) with its count, and one
// `not ok` per answer that does not match (its first error and a redacted
// excerpt; at most MAX_SHOWN a group, then one line for the rest).  Exit
// status 1 when any line is `not ok`; no line logged at all is one.
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

// ajv comes with the tests' npm tooling (tests/browser/package.json)
const npm = createRequire(path.join(__dirname, '..', 'browser', 'package.json'));
const Ajv2020 = npm('ajv/dist/2020').default;
const addFormats = npm('ajv-formats').default;

const MAX_SHOWN = 10;
const DOC_ID = 'openapi.json';

// The tests that put messages into a mailbox by hand which the gateway
// would never make (malformed, unsigned, of an unknown kind), to see the
// handset refuse them: each says so on a line `# check: forges mailbox
// messages`, and openapi_answers.t names them here.  scripts/check writes
// {"kind":"test","name"} into each stack's log before each test, so each
// answer is known by the test it came in; a mailbox answer or message of
// such a test that does not match is counted apart, not as a failure.
const FORGING = new Set((process.env.PAYGW_FORGING_TESTS || '').split(/\s+/).filter(Boolean));

const [bundleFile, ...logFiles] = process.argv.slice(2);
if (!bundleFile || logFiles.length === 0) {
  console.error('usage: openapi_answers.js BUNDLE.json LOG...');
  process.exit(2);
}
const doc = JSON.parse(fs.readFileSync(bundleFile, 'utf8'));

// strict off: the document is an OpenAPI object, not a schema, at its root,
// and OpenAPI's own keywords (discriminator, example) are annotations here
const ajv = new Ajv2020({ strict: false, allErrors: false, validateSchema: false });
addFormats(ajv);
ajv.addSchema(doc, DOC_ID);

// A schema of the document, compiled with its "#/..." references made
// references into the document (it may be inline in an operation).
const compiled = new Map();
function rebase(node) {
  if (Array.isArray(node)) return node.map(rebase);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#') ? DOC_ID + v : rebase(v);
  }
  return out;
}
function validatorFor(key, schema) {
  if (!compiled.has(key)) compiled.set(key, ajv.compile(rebase(schema)));
  return compiled.get(key);
}

// "#/components/responses/X" → that object (a response may be a reference)
function deref(obj) {
  let seen = 0;
  while (obj && typeof obj.$ref === 'string' && obj.$ref.startsWith('#/') && seen++ < 10) {
    obj = obj.$ref
      .slice(2)
      .split('/')
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((o, p) => (o ? o[p] : undefined), doc);
  }
  return obj;
}

// --- the results, by group ---------------------------------------------------
const groups = new Map(); // name → { n, bad: [text], forged: { test: count } }
let lines = 0;
let currentTest = null; // the test of the log's last {"kind":"test"} line
function record(group, error) {
  if (!groups.has(group)) groups.set(group, { n: 0, bad: [], forged: {} });
  const g = groups.get(group);
  g.n++;
  if (!error) return;
  if (FORGING.has(currentTest) && /^(GET \/v1\/mailbox |mailbox message)/.test(group)) {
    g.forged[currentTest] = (g.forged[currentTest] || 0) + 1;
    return;
  }
  g.bad.push(currentTest ? `${error} (during ${currentTest})` : error);
}

// What an excerpt never shows: secrets by their member's name, and any run
// of 12 or more digits (a card number would be one).
const SECRET_MEMBER = /session|signature|secret|password|credential|challenge|key|auth_result|token_value/i;
function redact(value) {
  return JSON.stringify(value, (k, v) => (k && SECRET_MEMBER.test(k) && typeof v === 'string' ? '<redacted>' : v))
    .replace(/\d{12,}/g, '<digits>');
}
function excerpt(value, max = 200) {
  const text = redact(value) ?? 'undefined';
  return text.length > max ? text.slice(0, max) + '…' : text;
}
// the value at an instance path ("/refunds/0/status"), and its parent
function at(data, pointer) {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let parent = data;
  let value = data;
  for (const p of parts) {
    parent = value;
    value = value == null ? undefined : value[p];
  }
  return { value, parent };
}
function firstError(validate, data) {
  const e = validate.errors[0];
  const params = e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : '';
  // the member's object when the error is about a scalar, else the value itself
  const where = at(data, e.instancePath);
  const shown = where.value !== null && typeof where.value === 'object' ? where.value : where.parent;
  return `${e.instancePath || '(the body)'} ${e.message}${params} [schema ${e.schemaPath}] in ${excerpt(shown)}`;
}

// --- one logged line ---------------------------------------------------------
function mediaType(ct) {
  return (ct || '').split(';')[0].trim().toLowerCase();
}

// an answer no route had (or not for its method): the router's 404/405
function checkUnrouted(a, route) {
  const want = route ? { status: 405, code: 'method_not_allowed' } : { status: 404, code: 'not_found' };
  const group = `any path, no ${route ? 'such method' : 'such route'}: ${a.status}`;
  if (a.status !== want.status) {
    return record(group, `${a.method} ${route || '(no route)'} answered ${a.status}, want ${want.status}: ${excerpt(a.body)}`);
  }
  const v = validatorFor('Problem', { $ref: '#/components/schemas/Problem' });
  if (!v(a.body)) return record(group, firstError(v, a.body));
  if (a.body.code !== want.code) return record(group, `code ${a.body.code}, want ${want.code}`);
  record(group);
}

function checkMailboxMessages(body, messageSchema) {
  for (const m of Array.isArray(body.messages) ? body.messages : []) {
    let message;
    try {
      message = JSON.parse(m.message);
    } catch (err) {
      record('mailbox message (not JSON)', `${err.message}: ${excerpt(m.message)}`);
      continue;
    }
    const v = validatorFor('mailbox message', messageSchema);
    record(`mailbox message ${message.kind}`, v(message) ? null : firstError(v, message));
  }
}

// the schema a string member's content must match, where the document
// gives one (contentMediaType application/json + contentSchema)
const signedMessage = doc.components.schemas.SignedMessage;
const mailboxMessageSchema = signedMessage && signedMessage.properties.message.contentSchema;

function checkAnswer(a) {
  const route = a.route;
  const op = route && doc.paths[route] && doc.paths[route][String(a.method).toLowerCase()];
  if (!op) return checkUnrouted(a, route);
  const group = `${a.method} ${route} ${a.status}`;
  const responses = op.responses || {};
  const response = deref(responses[String(a.status)] || responses[`${String(a.status)[0]}XX`] || responses.default);
  if (!response) return record(group, `status ${a.status} is not in the document for ${a.method} ${route}: ${excerpt(a.body)}`);
  const content = response.content || {};
  const type = mediaType(a.content_type);
  const media = content[type];
  if (!media) {
    return record(group, `content type ${a.content_type} is not one of ${Object.keys(content).join(', ') || '(none)'}`);
  }
  const v = validatorFor(`${group} ${type}`, media.schema || {});
  if (!v(a.body)) return record(group, firstError(v, a.body));
  record(group);
  if (route === '/v1/mailbox' && a.status === 200 && mailboxMessageSchema) checkMailboxMessages(a.body, mailboxMessageSchema);
}

// the webhook whose request body's `type` enum has this type
function webhookSchemaFor(type) {
  for (const [name, item] of Object.entries(doc.webhooks || {})) {
    const schema = deref(item.post.requestBody.content['application/json'].schema);
    const types = (deref(schema.properties && schema.properties.type) || {}).enum || [];
    if (types.includes(type)) return { name, schema: item.post.requestBody.content['application/json'].schema };
  }
  return null;
}

function checkWebhook(w) {
  const group = `webhook ${w.type}`;
  const found = webhookSchemaFor(w.type);
  if (!found) return record(group, `no webhook of the document has type ${w.type}`);
  const v = validatorFor(`webhook ${found.name}`, found.schema);
  record(group, v(w.body) ? null : firstError(v, w.body));
}

for (const file of logFiles) {
  if (!fs.existsSync(file)) continue; // a lane that logged nothing: the count below says so
  currentTest = null;
  for (const text of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!text) continue;
    if (text.startsWith('{"kind":"test",')) {
      currentTest = JSON.parse(text).name;
      continue;
    }
    lines++;
    let line;
    try {
      line = JSON.parse(text);
    } catch (err) {
      record('(the log)', `${path.basename(file)}: a line that is not JSON (${err.message})`);
      continue;
    }
    if (line.kind === 'webhook') checkWebhook(line);
    else checkAnswer(line);
  }
}

// --- TAP ---------------------------------------------------------------------
let failed = 0;
const say = (good, text) => {
  if (!good) failed++;
  console.log(`${good ? 'ok' : 'not ok'} - ${text}`);
};
say(lines > 0, `the answer logs hold lines to check: ${lines} in ${logFiles.length} file(s)`);
for (const [name, g] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
  const what = name.startsWith('webhook') ? 'bodies' : name.startsWith('mailbox') ? 'messages' : 'answers';
  const forged = Object.entries(g.forged).map(([t, k]) => `${k} forged by ${t}`);
  const n = g.n - forged.reduce((sum, f) => sum + parseInt(f, 10), 0);
  const apart = forged.length ? ` (not counted: ${forged.join(', ')})` : '';
  say(g.bad.length === 0, `${name}: ${n - g.bad.length} of ${n} ${what} match docs/openapi.yaml${apart}`);
  g.bad.slice(0, MAX_SHOWN).forEach((e) => say(false, `${name}: ${e}`));
  if (g.bad.length > MAX_SHOWN) say(false, `${name}: ${g.bad.length - MAX_SHOWN} more that do not match`);
}
process.exit(failed ? 1 : 0);
