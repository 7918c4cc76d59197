// The WebAssembly globals text-layout.ts uses. TypeScript declares them only in its "dom" lib, which a
// Node program must not pull in; Node 20, 22 and 24 all provide them.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, unknown>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
  }
}
