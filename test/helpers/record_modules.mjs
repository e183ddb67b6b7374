// Preloaded with `node --import` (plain JavaScript: the process under test runs
// without tsx). At exit it writes, to the file named by JWT_DOCTOR_MODULE_LOG,
// which CommonJS files (from the module cache: yaml, ajv, prom-client and
// commander are CommonJS, whether imported or required), npm packages and
// Node built-ins (process.moduleLoadList) the process loaded.
import Module from 'node:module';
import { writeFileSync } from 'node:fs';

const out = process.env.JWT_DOCTOR_MODULE_LOG;
if (out) {
  process.on('exit', () => {
    const files = Object.keys(Module._cache);
    const packages = [...new Set(files.map((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1]).filter(Boolean))];
    const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
    writeFileSync(out, JSON.stringify({ files, packages, builtins }));
  });
}
