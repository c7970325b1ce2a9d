#!/usr/bin/env node
// `npm run test:stress [-- jest args]`: the README's test command with every core kept busy by a
// CPU hog (one busy-loop process per core, at the tests' own priority), so a test that depends on
// timing fails here first instead of on a loaded CI machine or a newcomer's laptop.
// HANGAR_STRESS_HOGS overrides the number of hog processes (default: one per core).
'use strict';
const { spawn } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const requested = process.env.HANGAR_STRESS_HOGS;
const hogs = requested === undefined ? os.availableParallelism() : Number(requested);
if (!Number.isInteger(hogs) || hogs < 0 || hogs > 64) {
  console.error(`test:stress: HANGAR_STRESS_HOGS must be a whole number from 0 to 64; got "${requested}"`);
  process.exit(2);
}

const children = [];
for (let i = 0; i < hogs; i += 1) {
  children.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}
console.error(`test:stress: ${hogs} CPU hog process(es) running while the tests run`);

const stopHogs = () => {
  for (const child of children) child.kill('SIGKILL');
};
process.on('exit', stopHogs);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopHogs();
    process.exit(130);
  });
}

const test = spawn('npm', ['test', '--', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
test.on('exit', (code, signal) => {
  stopHogs();
  process.exit(code ?? (signal ? 1 : 0));
});
