// ioredis and node-redis with their default options against a KubeCache node or router.
// Usage: node check.mjs ioredis|node-redis HOST PORT. Prints one line per step and exits non-zero
// at the first failure. Every transaction uses one key, as a router requires of a transaction's keys.
// Hashes are written as ASP.NET Core's distributed cache writes them: fields and an expiry in one transaction.
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';

const require = createRequire(import.meta.url);
const [library, host, portText] = process.argv.slice(2);
const port = Number(portText);
const prefix = `${library}:${randomUUID()}`;

function check(step, condition, got) {
  if (!condition) {
    console.log(`FAIL ${step}: got ${JSON.stringify(got)}`);
    process.exit(1);
  }
  console.log(`ok ${step}`);
}

async function ioredis() {
  const Redis = require('ioredis');
  const client = new Redis({ host, port });
  const other = new Redis({ host, port });
  check('ping', (await client.ping()) === 'PONG');
  await client.set(`${prefix}:ex`, 'value', 'EX', 100);
  const ttl = await client.ttl(`${prefix}:ex`);
  check('set ex / get / ttl', (await client.get(`${prefix}:ex`)) === 'value' && ttl > 0 && ttl <= 100, ttl);

  const pipeline = client.pipeline();
  for (let i = 0; i < 20; i++) pipeline.set(`${prefix}:p${i}`, String(i)).get(`${prefix}:p${i}`);
  const replies = await pipeline.exec();
  check('pipeline', replies.filter((_, i) => i % 2 === 1).every(([error, value], i) => error === null && value === String(i)), replies);

  const counter = `${prefix}:counter`;
  const tx = await client.multi().incr(counter).expire(counter, 60).get(counter).exec();
  check('transaction', JSON.stringify(tx) === JSON.stringify([[null, 1], [null, 1], [null, '1']]), tx);

  await client.watch(counter);
  await other.set(counter, '100');
  const aborted = await client.multi().set(counter, '0').exec();
  check('watch, changed by another client', aborted === null && (await client.get(counter)) === '100', aborted);

  const keys = new Set();
  for await (const batch of client.scanStream({ match: `${prefix}:p*`, count: 7 })) batch.forEach((k) => keys.add(k));
  check('scan', keys.size === 20, [...keys]);

  const hash = `${prefix}:hash`;
  check('hset / hgetall', (await client.hset(hash, { a: '1', b: '2' })) === 2
    && JSON.stringify(await client.hgetall(hash)) === JSON.stringify({ a: '1', b: '2' }));
  const fields = await client.hmget(hash, 'a', 'missing');
  check('hmget / hincrby / hdel', JSON.stringify(fields) === JSON.stringify(['1', null])
    && (await client.hincrby(hash, 'a', 5)) === 6 && (await client.hdel(hash, 'b')) === 1, fields);
  const htx = await client.multi().hset(hash, 'c', '3').expire(hash, 60).hgetall(hash).exec();
  check('hash transaction', JSON.stringify(htx) === JSON.stringify([[null, 1], [null, 1], [null, { a: '6', c: '3' }]]), htx);
  const scanned = [];
  for await (const batch of client.hscanStream(hash, { count: 7 })) scanned.push(...batch);
  check('hscan', JSON.stringify(scanned) === JSON.stringify(['a', '6', 'c', '3']), scanned);
  const wrongType = await client.get(hash).catch((error) => error.message);
  check('get of a hash: WRONGTYPE', String(wrongType).startsWith('WRONGTYPE'), wrongType);
  client.disconnect();
  other.disconnect();
  console.log('PASS ioredis', require('ioredis/package.json').version);
}

async function nodeRedis() {
  const { createClient } = require('redis');
  const client = createClient({ socket: { host, port } });
  client.on('error', (error) => { console.log(`FAIL connection: ${error}`); process.exit(1); });
  await client.connect();
  check('connect (HELLO 3) and ping', (await client.ping()) === 'PONG');
  await client.set(`${prefix}:ex`, 'value', { EX: 100 });
  const ttl = await client.ttl(`${prefix}:ex`);
  check('set ex / get / ttl', (await client.get(`${prefix}:ex`)) === 'value' && ttl > 0 && ttl <= 100, ttl);
  check('get of a missing key', (await client.get(`${prefix}:missing`)) === null);

  const pipeline = client.multi();
  for (let i = 0; i < 20; i++) pipeline.set(`${prefix}:p${i}`, String(i)).get(`${prefix}:p${i}`);
  const replies = await pipeline.execAsPipeline();
  check('pipeline', replies.filter((_, i) => i % 2 === 1).every((value, i) => value === String(i)), replies);

  const counter = `${prefix}:counter`;
  const tx = await client.multi().incr(counter).expire(counter, 60).get(counter).exec();
  check('transaction', JSON.stringify(tx) === JSON.stringify([1, 1, '1']), tx);

  const watching = client.duplicate();
  await watching.connect();
  await watching.watch(counter);
  await client.set(counter, '100');
  let aborted = false;
  try {
    await watching.multi().set(counter, '0').exec();
  } catch (error) {
    aborted = error.constructor.name === 'WatchError';
  }
  check('watch, changed by another client', aborted && (await client.get(counter)) === '100', aborted);

  const keys = new Set();
  for await (const batch of client.scanIterator({ MATCH: `${prefix}:p*`, COUNT: 7 })) batch.forEach((k) => keys.add(k));
  check('scan', keys.size === 20, [...keys]);

  const hash = `${prefix}:hash`;
  check('hSet / hGetAll (a RESP3 map)', (await client.hSet(hash, { a: '1', b: '2' })) === 2
    && JSON.stringify({ ...(await client.hGetAll(hash)) }) === JSON.stringify({ a: '1', b: '2' }));
  const fields = await client.hmGet(hash, ['a', 'missing']);
  check('hmGet / hIncrBy / hDel', JSON.stringify(fields) === JSON.stringify(['1', null])
    && (await client.hIncrBy(hash, 'a', 5)) === 6 && (await client.hDel(hash, 'b')) === 1, fields);
  const htx = await client.multi().hSet(hash, 'c', '3').expire(hash, 60).hGetAll(hash).exec();
  check('hash transaction', JSON.stringify([htx[0], htx[1], { ...htx[2] }]) === JSON.stringify([1, 1, { a: '6', c: '3' }]), htx);
  const scanned = [];
  for await (const entries of client.hScanIterator(hash, { COUNT: 7 })) scanned.push(...entries.map((e) => `${e.field}=${e.value}`));
  check('hScan', JSON.stringify(scanned) === JSON.stringify(['a=6', 'c=3']), scanned);
  const wrongType = await client.get(hash).catch((error) => error.message);
  check('get of a hash: WRONGTYPE', String(wrongType).startsWith('WRONGTYPE'), wrongType);
  await watching.quit();
  await client.quit();
  console.log('PASS node-redis', require('redis/package.json').version);
}

try {
  await (library === 'ioredis' ? ioredis() : nodeRedis());
} catch (error) {
  console.log(`FAIL ${error?.stack ?? error}`);
  process.exit(1);
}
