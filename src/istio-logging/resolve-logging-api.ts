/**
 * @module commands/resolve-logging-api
 * Which API to switch logging with, from discovery: Telemetry v1, else v1alpha1, else EnvoyFilter;
 * none of them → `istio_not_installed`.
 */
import { MeshbotError } from '../core/errors.js';
import type { IstioApis, LoggingApi } from './logging-port.js';

export function resolveLoggingApi(apis: IstioApis): LoggingApi {
  if (apis.telemetry !== null) return { kind: 'Telemetry', version: apis.telemetry };
  if (apis.envoyFilter) return { kind: 'EnvoyFilter', version: 'v1alpha3' };
  throw istioNotInstalled();
}

/** Every served API meshbot may have written with (disable and reconcile look at all of them). */
export function servedLoggingApis(apis: IstioApis): LoggingApi[] {
  const out: LoggingApi[] = [];
  if (apis.telemetry !== null) out.push({ kind: 'Telemetry', version: apis.telemetry });
  if (apis.envoyFilter) out.push({ kind: 'EnvoyFilter', version: 'v1alpha3' });
  if (out.length === 0) throw istioNotInstalled();
  return out;
}

export function apiVersionOf(api: LoggingApi): string {
  return api.kind === 'Telemetry'
    ? `telemetry.istio.io/${api.version}`
    : `networking.istio.io/${api.version}`;
}

function istioNotInstalled(): MeshbotError {
  return new MeshbotError(
    'istio_not_installed',
    'Istio is not installed in this cluster: the API serves neither telemetry.istio.io (Telemetry) nor networking.istio.io (EnvoyFilter)',
  );
}
