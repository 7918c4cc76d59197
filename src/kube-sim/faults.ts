/** Fault injection: answer matching requests with an error status, late, or never. */

export interface FaultRule {
  /** HTTP method; omitted = any. */
  method?: string;
  /** Tested against the raw request URL (path and query string); omitted = any. */
  pathPattern?: RegExp | string;
  /** Answer with this status (a real-looking Status body). Omitted with `delayMs` = answer normally, late. */
  status?: number;
  /** Override the Status message. */
  message?: string;
  /** Never answer (the client sees its own timeout); the connection closes with `close()`. */
  timeout?: boolean;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Only fire this many times; omitted = always. */
  times?: number;
}

export interface FaultHandle {
  /** How many requests this rule has matched. */
  readonly hits: number;
  remove(): void;
}

interface ActiveRule {
  rule: FaultRule;
  hits: number;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): FaultHandle {
    const active: ActiveRule = { rule, hits: 0 };
    this.rules.push(active);
    const remove = (): void => {
      this.rules = this.rules.filter((r) => r !== active);
    };
    return {
      get hits() {
        return active.hits;
      },
      remove,
    };
  }

  clear(): void {
    this.rules = [];
  }

  /** The first rule matching the request, counting the hit. */
  match(method: string, url: string): FaultRule | undefined {
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.times !== undefined && active.hits >= rule.times) continue;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.pathPattern !== undefined) {
        const pattern = rule.pathPattern;
        if (typeof pattern !== 'string') pattern.lastIndex = 0;
        const hit = typeof pattern === 'string' ? url.includes(pattern) : pattern.test(url);
        if (!hit) continue;
      }
      active.hits++;
      return rule;
    }
    return undefined;
  }
}
