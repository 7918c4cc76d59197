/** Public surface of the fake Kubernetes API server used by meshbot's integration tests. */
export type { DenyRule } from './authorization.js';
export type { LogLines, SeededWorkload, SeedOptions } from './cluster-state.js';
export { loadCrd, validateAgainstCrd } from './crd-schema.js';
export {
  FakeApiServer,
  type FakeApiServerOptions,
  type RecordedRequest,
  startFakeApiServer,
} from './fake-api-server.js';
export type { FaultHandle, FaultRule } from './faults.js';
export { ISTIO_CRD_DIR, type IstioGroupVersions, istioGroupVersions } from './istio-crds.js';
export type { JsonObject, JsonValue } from './json.js';
export { type LogLine, type LogQuery, rfc3339NanoFixed } from './pod-logs.js';
export type { ContainerSeed, ContainerState, PodSeed } from './pod-seed.js';
export type { EndpointSeed, EndpointSliceSeed, ServicePortSeed, ServiceSeed } from './service-seed.js';
export {
  generateServingCertificate,
  type ServingCertificate,
  type ServingCertificateOptions,
} from './serving-certificate.js';
export type { WorkloadSeed } from './workload-seed.js';
