#!/usr/bin/env node
/**
 * Runs every test in the repository, one workspace after another, and ends
 * with one plain `N passed, N failed` line: CI reads that line, not the
 * runners' own summaries. Each runner writes a JSON report into .reports/,
 * and the counts come from those reports rather than from scraping output.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSystemTools } from './system-tools.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reports = join(root, '.reports');

// Order matters only for reading the output: the core first, browsers last.
const workspaces = [
  'shared/oplog',
  'shared/test-issuer',
  'apps/hub',
  'apps/cli',
  'apps/web',
  'e2e',
];

function run(command, args, env = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', ...env },
  });
  return result.status ?? 1;
}

function testScript(workspace) {
  const manifest = JSON.parse(readFileSync(join(root, workspace, 'package.json'), 'utf8'));
  return manifest.scripts?.test ?? null;
}

function runWorkspace(workspace) {
  const script = testScript(workspace);
  if (!script) return null;
  const report = join(reports, `${workspace.replaceAll('/', '-')}.json`);
  if (script.startsWith('playwright')) {
    run('npm', ['run', 'test', '-w', workspace, '--', '--reporter=list,json'], {
      PLAYWRIGHT_JSON_OUTPUT_NAME: report,
    });
  } else {
    run('npm', [
      'run',
      'test',
      '-w',
      workspace,
      '--',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
    ]);
  }
  return countReport(workspace, report);
}

function countReport(workspace, report) {
  if (!existsSync(report)) {
    console.error(`\n${workspace}: the test runner wrote no report; counted as one failure`);
    return { passed: 0, failed: 1 };
  }
  const data = JSON.parse(readFileSync(report, 'utf8'));
  if (data.stats) {
    // Playwright: a flaky test passed on retry; count it as passed and say so.
    const { expected, unexpected, flaky } = data.stats;
    if (flaky) console.error(`${workspace}: ${flaky} flaky test(s) passed on retry`);
    return { passed: expected + flaky, failed: unexpected };
  }
  const failedSuites = data.numFailedTestSuites ?? 0;
  return { passed: data.numPassedTests, failed: data.numFailedTests + failedSuites };
}

rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
ensureSystemTools();

let passed = 0;
let failed = 0;
// Whole-repo checks, each counted as one test: a build that fails, a type
// error or a formatting slip fails the run like a failing test would.
const checks = [
  ['build', ['turbo', 'run', 'build', '--log-prefix=none']],
  ['typecheck', ['turbo', 'run', 'typecheck', '--log-prefix=none', '--output-logs=errors-only']],
  ['format and lint', ['biome', 'ci', '.']],
];
for (const [name, args] of checks) {
  const ok = run('npx', args) === 0;
  console.log(`${name}: ${ok ? 'passed' : 'FAILED'}`);
  if (ok) passed += 1;
  else failed += 1;
}
for (const workspace of workspaces) {
  const counts = runWorkspace(workspace);
  if (!counts) continue;
  console.log(`${workspace}: ${counts.passed} passed, ${counts.failed} failed`);
  passed += counts.passed;
  failed += counts.failed;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
