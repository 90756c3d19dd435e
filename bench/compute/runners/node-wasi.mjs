// node-wasi.mjs - run a wasm32-wasi command module under Node's node:wasi.
// Usage: node --single-threaded-gc node-wasi.mjs prog.wasm [args...]
// Exits with the program's own status.  No preopened directories: the
// compute kernels only use stdio, args and clocks.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import { argv, env, exit } from 'node:process';

const path = argv[2];
if (!path) {
  console.error('usage: node-wasi.mjs prog.wasm [args...]');
  exit(2);
}
const wasi = new WASI({
  version: 'preview1',
  args: [path, ...argv.slice(3)],
  env,
  returnOnExit: true,
});
const module = await WebAssembly.compile(await readFile(path));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
exit(wasi.start(instance));
