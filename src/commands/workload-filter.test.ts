import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../test/support/make-entry.js';
import type { AccessLogEntry } from '../accesslog/entry.js';
import { looksLikeTarget, workloadFilter } from './workload-filter.js';

describe('looksLikeTarget', () => {
  it.each([
    ['productpage', true],
    ['deploy/productpage-v1', true],
    ['pod/productpage-v1-7d6cfb7dfd-5m8xq', true],
    ['svc/reviews', true],
    ['sts/db', true],
    ['all.log', false],
    ['./all', false],
    ['logs/a.log', false],
    ['-', false],
    ['/tmp/x', false],
    ['Productpage', false],
    ['nokind/x', false],
  ])('%s → %s', (text, expected) => {
    expect(looksLikeTarget(text)).toBe(expected);
  });
});

function entry(origin: string | null, fields: Partial<AccessLogEntry> = {}): AccessLogEntry {
  return makeEntry({ origin, ...fields });
}

const inboundTo = (authority: string) =>
  entry(null, { direction: 'inbound', authority, upstream_cluster: 'inbound|9080||' });

describe('workloadFilter', () => {
  it.each<[string, string, boolean]>([
    ['productpage', 'productpage-v1-7d6cfb7dfd-5m8xq', true],
    ['productpage', 'productpage', true],
    ['productpage', 'productpagex-v1-7d6cfb7dfd-5m8xq', false],
    ['reviews', 'reviews-v3-5d8c5c9b8-hn2lz', true],
    ['deploy/reviews-v3', 'reviews-v3-5d8c5c9b8-hn2lz', true],
    ['deploy/reviews', 'reviews-v3-5d8c5c9b8-hn2lz', false],
    ['pod/reviews-v3-5d8c5c9b8-hn2lz', 'reviews-v3-5d8c5c9b8-hn2lz', true],
    ['pod/reviews-v3-5d8c5c9b8-hn2lz', 'reviews-v3-5d8c5c9b8-aaaaa', false],
    ['sts/db', 'db-0', true],
    ['sts/db', 'db-x', false],
    ['ds/node-agent', 'node-agent-x7k2p', true],
    ['svc/details', 'details-v1-65b9467fd4-q9mhc', true],
  ])('%s keeps the entries of pod %s: %s', (target, pod, expected) => {
    expect(workloadFilter(target).keep(entry(pod))).toBe(expected);
  });

  it('keeps inbound lines without a prefix by their authority, for an app or service name only', () => {
    const app = workloadFilter('productpage');
    expect(app.keep(inboundTo('productpage:9080'))).toBe(true);
    expect(app.keep(inboundTo('productpage.bookinfo.svc.cluster.local:9080'))).toBe(true);
    expect(app.keep(inboundTo('reviews:9080'))).toBe(false);
    // Called through a gateway: the authority is the public host, the mTLS server name the service.
    const viaGateway = inboundTo('bookinfo.example.com');
    expect(app.keep(viaGateway)).toBe(false);
    viaGateway.requested_server_name = 'outbound_.9080_._.productpage.bookinfo.svc.cluster.local';
    expect(app.keep(viaGateway)).toBe(true);
    viaGateway.requested_server_name = 'outbound_.9080_.v1_.reviews.bookinfo.svc.cluster.local';
    expect(app.keep(viaGateway)).toBe(false);
    // An outbound line without a prefix may be anyone's call.
    expect(app.keep(entry(null, { direction: 'outbound', authority: 'productpage:9080' }))).toBe(false);
    expect(workloadFilter('deploy/productpage-v1').keep(inboundTo('productpage:9080'))).toBe(false);
  });

  it('says what it matched on and what it left out', () => {
    const filter = workloadFilter('productpage');
    for (let i = 0; i < 3; i++) filter.keep(entry('productpage-v1-7d6cfb7dfd-5m8xq'));
    filter.keep(entry('reviews-v3-5d8c5c9b8-hn2lz'));
    filter.keep(inboundTo('productpage:9080'));
    filter.keep(entry(null, { direction: 'outbound' }));
    expect(filter.note()).toBe(
      'productpage: 3 entries from pod productpage-v1-7d6cfb7dfd-5m8xq (matched by the [pod/…] line prefix; outbound rows are their calls); 1 inbound entry without a pod prefix, matched by the service they were called as (mTLS server name or authority productpage). Left out: 1 of other pods, 1 without a pod prefix that cannot be attributed (outbound, or another authority).',
    );
  });

  it('names the pods there are when nothing matched', () => {
    const filter = workloadFilter('nosuch');
    filter.keep(entry('reviews-v3-5d8c5c9b8-hn2lz'));
    expect(filter.note()).toBe(
      'No entries of nosuch (left out: 1 of other pods); the pods in the input are reviews-v3-5d8c5c9b8-hn2lz.',
    );
    const unprefixed = workloadFilter('nosuch');
    unprefixed.keep(entry(null, { direction: 'outbound' }));
    expect(unprefixed.note()).toContain(
      'the input has no [pod/…] line prefixes (save logs with kubectl logs --prefix)',
    );
  });
});
