// Run the capsim CLI as a user does: a whole process, its output and its exit code.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../../..');

export function capsim(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/capsim.js'), ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
