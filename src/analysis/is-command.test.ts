/** Next steps that are commands paste into a shell as they are: remarks become `#` comments. */
import { describe, expect, it } from 'vitest';
import { explainCause } from './explain-cause.js';
import { asShellLine, isCommand } from './is-command.js';

describe('asShellLine', () => {
  it.each([
    [
      'kubectl get pods -n shop -o wide (are they Ready?)',
      'kubectl get pods -n shop -o wide  # are they Ready?',
    ],
    [
      "kubectl get cm istio -o jsonpath='{.data.mesh}' (outboundTrafficPolicy)",
      "kubectl get cm istio -o jsonpath='{.data.mesh}'  # outboundTrafficPolicy",
    ],
    ['kubectl get svc x -n shop', 'kubectl get svc x -n shop'],
    [
      'Add a ServiceEntry for the host (or fix the host)',
      'Add a ServiceEntry for the host (or fix the host)',
    ],
  ])('%s', (step, expected) => {
    expect(asShellLine(step)).toBe(expected);
  });

  it.each([
    ['UH', 503, 'no_healthy_upstream'],
    ['UF', 503, 'upstream_reset_before_response_started{connection_failure}'],
    ['NR', 404, 'route_not_found'],
    ['UT', 504, 'response_timeout'],
    ['UC', 503, 'upstream_reset_before_response_started{connection_termination}'],
    ['UO', 503, 'upstream_reset_before_response_started{overflow}'],
    ['URX', 503, 'via_upstream'],
    ['', 500, 'via_upstream'],
  ])('explained %s %s: no command step ends in a parenthesised remark', (flags, code, details) => {
    const explanation = explainCause({
      flags: flags === '' ? [] : [flags],
      response_code: code,
      response_code_details: details,
      upstream_transport_failure_reason: null,
      direction: 'outbound',
      upstream_cluster: 'outbound|9080||reviews.shop.svc.cluster.local',
      authority: 'reviews.shop:9080',
    });
    const commands = explanation.next_steps.filter(isCommand);
    expect(commands.length).toBeGreaterThan(0);
    for (const step of commands) expect(step).not.toMatch(/\)$/);
  });
});
