/**
 * @module demo/traffic/values
 * The small random values the traffic profiles are made of: ids of every kind that turns up in real paths
 * (numbers, UUIDs, hex digests, base64-like tokens, e-mail-like segments), pod names, addresses, user agents.
 * All drawn from the caller's seeded generator, so a seed always gives the same values.
 */
import { pick } from '../random.js';

export type Random = () => number;

/** An integer in [lo, hi]. */
export function int(random: Random, lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo + 1));
}

/** True with probability `p`. */
export function chance(random: Random, p: number): boolean {
  return random() < p;
}

/** One of `items`, each as likely as its weight. */
export function weighted<T>(random: Random, items: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, w] of items) total += w;
  let x = random() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  return (items[items.length - 1] as readonly [T, number])[0];
}

const HEX = '0123456789abcdef';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// Kubernetes' replica-set and pod suffixes avoid vowels and look-alike characters.
const KUBE = 'bcdfghjklmnpqrstvwxz2456789';

function chars(random: Random, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(random() * alphabet.length)];
  return s;
}

export function hex(random: Random, n: number): string {
  return chars(random, HEX, n);
}

/** A version-4 UUID, as Envoy writes x-request-id. */
export function uuid(random: Random): string {
  return `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-${pick(random, ['8', '9', 'a', 'b'])}${hex(random, 3)}-${hex(random, 12)}`;
}

/** The kinds of id the profiles put in paths; route patterns must collapse every one of them. */
export type IdKind = 'number' | 'uuid' | 'hex' | 'token' | 'email';
export const ID_KINDS: readonly IdKind[] = ['number', 'uuid', 'hex', 'token', 'email'];

const FIRST = ['anna', 'li', 'jose', 'maria', 'chen', 'olga', 'sam', 'noor', 'kofi', 'yuki', 'lars', 'ines'];
const LAST = ['smith', 'garcia', 'wang', 'mueller', 'okafor', 'tanaka', 'silva', 'novak', 'khan', 'berg'];
const DOMAINS = ['example.com', 'example.org', 'mail.example.net', 'corp.example'];

/** One path segment of an id of `kind`. Hex ids and tokens always mix letters and digits. */
export function idSegment(random: Random, kind: IdKind): string {
  switch (kind) {
    case 'number':
      return String(int(random, 1, 10 ** int(random, 1, 9)));
    case 'uuid':
      return uuid(random);
    case 'hex': {
      // Object ids (24) and SHA-1 digests (40).
      const n = chance(random, 0.5) ? 24 : 40;
      return `${hex(random, n - 2)}${pick(random, ['a', 'c', 'f'])}${int(random, 0, 9)}`;
    }
    case 'token': {
      const n = pick(random, [16, 22, 27, 32, 43]);
      return `${chars(random, B64, n - 3)}${chars(random, 'ABCDEFGHJKLMNPQRSTUVWXYZ', 1)}${chars(random, 'abcdefghijkmnpqrstuvwxyz', 1)}${int(random, 0, 9)}`;
    }
    case 'email':
      return `${pick(random, FIRST)}.${pick(random, LAST)}${chance(random, 0.5) ? int(random, 1, 99) : ''}@${pick(random, DOMAINS)}`;
  }
}

/** `NAME-HASH-SUFFIX`, as a Deployment's pods are named. */
export function podName(random: Random, workload: string): string {
  return `${workload}-${chars(random, KUBE, int(random, 9, 10))}-${chars(random, KUBE, 5)}`;
}

/** The n-th pod address of the cluster's pod network (10.64.0.0/10), all distinct. */
export function podIp(n: number): string {
  return `10.${64 + (Math.floor(n / 64516) % 63)}.${(Math.floor(n / 254) % 254) + 1}.${(n % 254) + 1}`;
}

/** The n-th Service ClusterIP (10.96.0.0/16). */
export function clusterIp(n: number): string {
  return `10.96.${Math.floor(n / 254) % 254}.${(n % 254) + 1}`;
}

/** A public-looking client address; `pool` bounds how many distinct ones there are. */
export function publicIp(random: Random, pool: number): string {
  const n = int(random, 0, pool - 1);
  const first = [23, 31, 45, 62, 81, 94, 103, 134, 151, 176, 185, 193, 203, 212][n % 14] ?? 45;
  return `${first}.${(n >> 4) & 255}.${(n >> 12) & 255}.${((n * 37) & 253) + 1}`;
}

export const BROWSER_AGENTS: readonly string[] = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.179 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80',
];

/** User agents with characters outside ASCII, as apps and phones send them. */
export const NON_ASCII_AGENTS: readonly string[] = [
  'Mozilla/5.0 (Linux; Android 13; 小米 13 Pro) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Mobile Safari/537.36',
  'Bäckerei-App/2.4.1 (iPhone; iOS 17.4; Größe M)',
  'ЯндексБраузер/24.4 (Windows NT 10.0)',
  'カメラアプリ/1.0 CFNetwork/1494.0.7 Darwin/23.4.0',
  'Señal/5.12 (Android 12; Moto G ☆)',
];

export const CLIENT_AGENTS: readonly string[] = [
  'okhttp/4.12.0',
  'Go-http-client/1.1',
  'grpc-java-netty/1.62.2',
  'python-requests/2.31.0',
  'axios/1.6.8',
  'Apache-HttpClient/5.3.1 (Java/21.0.3)',
  'curl/8.7.1',
  'envoy/1.30 (health check)',
];

/** A user agent of any kind: browsers, in-mesh clients, and now and then one with non-ASCII characters. */
export function userAgent(random: Random): string {
  const roll = random();
  if (roll < 0.45) return pick(random, BROWSER_AGENTS);
  if (roll < 0.55) return pick(random, NON_ASCII_AGENTS);
  if (roll < 0.58) return '-';
  return pick(random, CLIENT_AGENTS);
}
