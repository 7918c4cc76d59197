/**
 * @module accesslog/kernel
 * The WebAssembly module of the parsing hot paths (kernel.wat): `layoutText` for the TEXT tokenizer
 * (text-layout), `readLean` for the summary's lean TEXT reader (lean-record) and `scanJson` for the JSON
 * scanner (scan-json), over the bytes of an ASCII line written into its memory. Null where the runtime
 * has no WebAssembly (`node --jitless`): the JavaScript versions then do the same work (lean records take
 * the full parser); the answers are the same (tested).
 */
import { KERNEL_WASM } from './kernel-wasm.js';

export interface Kernel {
  /** `layoutText` of text-layout over the line written by `writeLine`; see the memory map in the .wat. */
  layoutText(length: number): number;
  /** 1 when the line is a plain record, with what it read in LEAN and LEAN_F; else 0. */
  readLean(length: number): number;
  /** `readLean` of the line at `at` in the chunk written by `writeChunk`. */
  readLeanAt(at: number, length: number): number;
  /** `readLean` for a JSON record (after `scanJson`); the same LEAN slots. */
  readLeanJson(length: number): number;
  readLeanJsonAt(at: number, length: number): number;
  /** `scanJson` of scan-json over the line: 1 scanned, 2 scanned but the key order changed, 0 not taken. */
  scanJson(length: number): number;
  setJsonShapeKey(position: number, start: number, end: number, id: number): void;
  clearJsonShape(): void;
}

/** Where the module keeps the line and the chunk (see the memory map in kernel.wat). */
const LINE_OFFSET = 1024;
const LINE_CAPACITY = 1 << 20;
const CHUNK_OFFSET = 0x110000;

function load(): { kernel: Kernel; memory: ArrayBuffer } | null {
  try {
    const bytes = Uint8Array.from(atob(KERNEL_WASM), (c) => c.charCodeAt(0));
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    return {
      kernel: exports as unknown as Kernel,
      memory: (exports.memory as WebAssembly.Memory).buffer,
    };
  } catch {
    return null;
  }
}

const loaded = load();
export const kernel: Kernel | null = loaded?.kernel ?? null;
/** The module's memory (it never grows, so views stay valid); a plain buffer without a module. */
export const kernelMemory: ArrayBuffer = loaded?.memory ?? new ArrayBuffer(LINE_OFFSET);

const lineBytes = new Uint8Array(kernelMemory, LINE_OFFSET, kernel === null ? 0 : LINE_CAPACITY);
const chunkBytes = new Uint8Array(
  kernelMemory,
  kernel === null ? 0 : CHUNK_OFFSET,
  kernel === null ? 0 : LINE_CAPACITY,
);
const encoder = new TextEncoder();

/**
 * Writes `text` into the module's memory for `layoutText` / `readLean` and returns its length, or -1
 * when the module cannot take it: no module, a line past 1 MiB, or a character outside ASCII (whose
 * UTF-8 bytes would not line up with the string's offsets).
 */
export function writeLine(text: string): number {
  if (text.length > lineBytes.length) return -1;
  const { read, written } = encoder.encodeInto(text, lineBytes);
  return read === text.length && written === read ? written : -1;
}

/**
 * Writes a chunk of lines into the module's memory once, so that `readLeanAt` reads its lines without
 * writing each one (an `encodeInto` call per line cost ~10% of the summary's time). False, with nothing
 * written, for a chunk the module cannot take (as for `writeLine`).
 */
export function writeChunk(chunk: string): boolean {
  if (chunk.length > chunkBytes.length) return false;
  const { read, written } = encoder.encodeInto(chunk, chunkBytes);
  return read === chunk.length && written === read;
}
