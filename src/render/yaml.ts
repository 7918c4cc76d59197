/**
 * @module render/yaml
 * YAML output (`-o yaml`, a dry run's objects), with the `yaml` package loaded the first time it is needed:
 * most commands never print YAML, and loading it costs every run ~40 ms of start-up.
 */
import { createRequire } from 'node:module';

type YamlModule = typeof import('yaml');
let yaml: YamlModule | undefined;

/** `value` as a YAML document, lines never folded. */
export function toYaml(value: unknown): string {
  yaml ??= createRequire(import.meta.url)('yaml') as YamlModule;
  return yaml.stringify(value, { lineWidth: 0 });
}
