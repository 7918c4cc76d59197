/**
 * @module core/errors
 * Coded errors. Every failure a user can cause or meet is one of these codes; `toUserMessage` (in
 * `core/user-message.ts`) is the one place that turns them into words. Unknown throws become `internal`.
 */

export type ErrorCode =
  | 'usage'
  | 'file_not_found'
  | 'file_unreadable'
  | 'file_not_text'
  | 'invalid_duration'
  | 'invalid_format_string'
  | 'invalid_request_id'
  | 'invalid_argument'
  | 'k8s_unreachable'
  | 'k8s_unauthorized'
  | 'k8s_forbidden'
  | 'k8s_not_found'
  | 'k8s_conflict'
  | 'k8s_invalid'
  | 'k8s_error'
  | 'kubeconfig_invalid'
  | 'target_not_found'
  | 'target_ambiguous'
  | 'no_sidecar'
  | 'istio_not_installed'
  | 'not_owned'
  | 'config_invalid'
  | 'forbidden'
  | 'internal';

export class MeshbotError extends Error {
  readonly code: ErrorCode;
  /** Structured facts the message is built from (names, verbs, candidates…). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: ErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'MeshbotError';
    this.code = code;
    this.details = details;
  }
}

export function isMeshbotError(e: unknown): e is MeshbotError {
  return e instanceof MeshbotError;
}

/** Normalises anything thrown into a MeshbotError; unknown throws become `internal` with the cause kept. */
export function asMeshbotError(e: unknown): MeshbotError {
  if (isMeshbotError(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new MeshbotError('internal', `unexpected error: ${message.split('\n')[0]}`, {}, { cause: e });
}
