#!/usr/bin/env node
// Compiles the whole monorepo with tsc, rewrites the @hangar/* path aliases to relative requires,
// copies the SQL files next to the code that reads them, and writes dist/apps/<name>/main.js so
// every service starts as `node dist/apps/<name>/main.js` (DESIGN §2).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

run(bin('tsc'), ['-p', 'tsconfig.json']);
run(bin('tsc-alias'), ['-p', 'tsconfig.json']);

function copyAssets(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) copyAssets(full);
    else if (entry.name.endsWith('.sql')) {
      const target = path.join(root, 'dist', path.relative(root, full));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(full, target);
    }
  }
}
copyAssets(path.join(root, 'libs'));
copyAssets(path.join(root, 'apps'));

for (const app of fs.readdirSync(path.join(root, 'apps'))) {
  const main = path.join(root, 'dist', 'apps', app, 'src', 'main.js');
  if (!fs.existsSync(main)) continue;
  fs.writeFileSync(path.join(root, 'dist', 'apps', app, 'main.js'), "require('./src/main.js');\n");
}
