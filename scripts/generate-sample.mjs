// Writes examples/bookinfo.log: a deterministic sample of a Bookinfo namespace's istio-proxy logs, as
// `kubectl logs --prefix -l app -c istio-proxy` would show them, with pilot-agent lines mixed in.
// Run after `npm run build`: node scripts/generate-sample.mjs
import { writeFileSync } from 'node:fs';
import { generateMeshLogs } from '../dist/demo/synthetic-mesh.js';

const lines = [
  '[pod/productpage-v1-7d6cfb7dfd-5m8xq/istio-proxy] 2026-11-21T08:59:58.120311Z\tinfo\tEnvoy proxy is ready',
  '[pod/reviews-v3-5d8c5c9b8-hn2lz/istio-proxy] 2026-11-21T08:59:58.901022Z\tinfo\tsds\tresource:default new connection',
];
for (const { text } of generateMeshLogs({ requests: 400, seed: 7, prefix: true })) lines.push(text);
lines.push(
  '[pod/ratings-v1-85c74b6cb4-vxqvh/istio-proxy] 2026-11-21T09:01:30.000000Z\twarning\tenvoy config\tStreamAggregatedResources gRPC config stream closed: 14, no healthy upstream',
);
writeFileSync(new URL('../examples/bookinfo.log', import.meta.url), `${lines.join('\n')}\n`);
console.log(`wrote examples/bookinfo.log (${lines.length} lines)`);
