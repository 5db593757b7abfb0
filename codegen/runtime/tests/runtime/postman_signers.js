// Random requests signed by postman-runtime's own authorizers (oauth1, hawk, edgegrid), for
// `sign_vs_postman.rs` to sign the same requests with the runtime and compare.
//
// Usage: node postman_signers.js NODE_MODULES_DIR CASES_PER_KIND SEED
// Prints a JSON array of cases: the request as the runtime has it when it signs (method, URL,
// headers, buffered body), the auth parameters, and what Postman made of it.
'use strict';

const fs = require('fs');
const path = require('path');

const [nodeModules, perKind, seedArg] = process.argv.slice(2);
const KEYS = ['test_rsa_pkcs8.pem', 'test_rsa_pkcs1.pem'].map((f) => fs.readFileSync(path.join(__dirname, 'keys', f), 'utf8'));
const NM = path.resolve(nodeModules) + '/';
const sdk = require(NM + 'postman-collection');
const urlEncoder = require(NM + 'postman-url-encoder');
const authorizers = {
  oauth1: require(NM + 'postman-runtime/lib/authorizer/oauth1.js'),
  hawk: require(NM + 'postman-runtime/lib/authorizer/hawk.js'),
  edgegrid: require(NM + 'postman-runtime/lib/authorizer/edgegrid.js'),
};

// A seeded linear congruential generator: the same cases on every run.
let seed = Number(seedArg);
const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const pick = (items) => items[Math.floor(random() * items.length)];
const coin = () => random() < 0.5;
const PIECES = ['a', 'Z', '0', '9', '-', '_', '.', '~', ' ', '+', '!', '*', "'", '(', ')', ':', '/', '?', '@',
  '$', ',', ';', 'ü', '😀', '%26', '%3D', '%25', '%2B', '%20', 'x y'];
const text = (max) => { let s = ''; for (let n = Math.floor(random() * max); n > 0; n--) s += pick(PIECES); return s; };
const word = () => { let s = ''; for (let n = 1 + Math.floor(random() * 6); n > 0; n--) s += pick('abcdefXYZ0189-_'.split('')); return s; };

// The runtime's form encoding (`form_text`, as reqwest's `.form()`): a space is `+`.
function formText(pairs) {
  const encode = (t) => Array.from(Buffer.from(t, 'utf8')).map((b) => {
    const c = String.fromCharCode(b);
    if (b === 32) { return '+'; }
    return /[A-Za-z0-9*\-._]/.test(c) ? c : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }).join('');
  return pairs.map(([k, v]) => encode(k) + '=' + encode(v == null ? '' : String(v))).join('&');
}

function params(kind) {
  if (kind === 'oauth1') {
    const method = pick(['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'PLAINTEXT', '', 'RSA-SHA1', 'RSA-SHA256', 'RSA-SHA512']);
    return {
      consumerKey: word() + pick(['', ' ', 'ü']), consumerSecret: text(6) || 's', token: pick(['', ' ', word()]),
      tokenSecret: text(4), signatureMethod: method, privateKey: method.startsWith('RSA') ? pick(KEYS) : '',
      timestamp: '1700000000', nonce: word(), version: pick(['1.0', '']), realm: pick(['', ' ', 'r ' + word()]),
      callback: pick(['', 'oob', 'https://cb.example/x?y=1']), verifier: pick(['', word()]),
      includeBodyHash: coin(), addParamsToHeader: coin(), addEmptyParamsToSign: coin(),
      disableHeaderEncoding: random() < 0.2,
    };
  }
  if (kind === 'hawk') {
    return {
      authId: word(), authKey: text(8) || 'k', algorithm: pick(['sha1', 'sha256']), nonce: word(),
      timestamp: '1700000000', extraData: pick(['', text(6), 'a\\b"c']), app: pick(['', word()]),
      delegation: pick(['', word()]), includePayloadHash: coin(),
    };
  }
  return {
    accessToken: word(), clientToken: word(), clientSecret: text(8) || 's', nonce: word(),
    timestamp: '20140321T19:34:21+0000', baseURL: pick(['', 'https://akaa-x.luna.akamaiapis.net/']),
    headersToSign: pick(['', 'X-Test1', 'x-test1, content-type']), maxBodySize: pick(['', '4', '2048']),
  };
}

async function makeCase(kind, name) {
  const method = pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);
  const origin = pick(['https://example.com', 'http://example.com', 'http://127.0.0.1:8080', 'https://Api.Example.com:8443']);
  const query = [];
  for (let n = Math.floor(random() * 4); n > 0; n--) { query.push(word() + (random() < 0.2 ? '' : '=' + text(5))); }
  const url = origin + '/' + word() + (coin() ? '/' + word() : '') + (query.length ? '?' + query.join('&') : '');
  const definition = { method, url, header: [] };
  let body = null;
  const mode = method === 'GET' ? 'none' : pick(['none', 'raw', 'urlencoded']);
  if (mode === 'raw') {
    definition.header.push({ key: 'Content-Type', value: pick(['text/plain', 'application/json; charset=utf-8']) });
    definition.body = { mode: 'raw', raw: text(8) };
    body = definition.body.raw;
  } else if (mode === 'urlencoded') {
    const fields = [];
    for (let n = 1 + Math.floor(random() * 3); n > 0; n--) { fields.push({ key: word(), value: text(5) }); }
    definition.header.push({ key: 'Content-Type', value: 'application/x-www-form-urlencoded' });
    definition.body = { mode: 'urlencoded', urlencoded: fields };
    body = formText(fields.map((f) => [f.key, f.value]));
  }
  if (kind === 'edgegrid' && coin()) { definition.header.push({ key: 'X-Test1', value: text(4) || 'v' }); }
  const values = params(kind);
  const request = new sdk.Request(definition);
  const wireUrl = urlEncoder.toNodeUrl(request.url).href;
  const auth = {
    get: (keys) => Object.fromEntries(keys.map((k) => [k, values[k]])),
    _protocolProfileBehavior: {},
  };
  await new Promise((resolve, reject) => authorizers[kind].sign(auth, request, (e) => (e ? reject(e) : resolve())));
  const form = request.body && request.body.mode === 'urlencoded';
  return {
    kind, name, method, url: wireUrl, body,
    headers: definition.header.map((h) => [h.key, h.value]),
    params: Object.entries(values).map(([k, v]) => [k, String(v)]),
    expect: {
      url: urlEncoder.toNodeUrl(request.url).href,
      authorization: request.headers.get('Authorization') || '',
      body: form ? formText(request.body.urlencoded.all().filter((p) => !p.disabled).map((p) => [p.key, p.value])) : body,
    },
  };
}

(async () => {
  const cases = [];
  for (const kind of Object.keys(authorizers)) {
    for (let i = 0; i < Number(perKind); i++) { cases.push(await makeCase(kind, `${kind}-${i}`)); }
  }
  process.stdout.write(JSON.stringify(cases));
})().catch((e) => { console.error(e); process.exit(1); });
