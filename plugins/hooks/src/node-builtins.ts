// The Node built-ins of everything the mtx-hook wrapper loads, fetched with
// process.getBuiltinModule instead of `import`. An ESM import of a built-in builds a facade that
// reads every export, which runs the lazy getters: `node:http`'s WebSocket loads all of undici,
// `node:util` and `node:fs` another 34 modules. Measured on the bundle: 113 → 47 ms per hook
// (p10; bare `node -e 0` 30 ms). The wrapper starts once per MediaMTX hook, so this matters;
// the plugin's own modules import normally.
export const { randomUUID } = process.getBuiltinModule("node:crypto");
export const { isUtf8 } = process.getBuiltinModule("node:buffer");
export const { readFileSync } = process.getBuiltinModule("node:fs");
export const { mkdir, open, rename, rm } = process.getBuiltinModule("node:fs/promises");
export const { request } = process.getBuiltinModule("node:http");
export const { basename, dirname, join } = process.getBuiltinModule("node:path");
export const { parseArgs } = process.getBuiltinModule("node:util");
