/**
 * Reads the hub's command line out of the service definitions in deploy/:
 * the systemd unit's ExecStart= and the launchd plist's ProgramArguments.
 * Tests then start hephd with exactly those arguments, changing only the
 * values that name this machine (home directory, issuer, listen address).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.ts';

export const systemdUnit = join(repoRoot, 'deploy/systemd/hephd.service');
export const launchdPlist = join(repoRoot, 'deploy/launchd/org.heph.hephd.plist');

/** ExecStart= split into words; the unit uses no quotes and no line continuations. */
export function systemdCommand(text = readFileSync(systemdUnit, 'utf8')): string[] {
  const lines = text.split('\n').filter((line) => line.startsWith('ExecStart='));
  if (lines.length !== 1) throw new Error(`expected one ExecStart=, found ${lines.length}`);
  const command = (lines[0] as string).slice('ExecStart='.length);
  if (/["'\\]/.test(command)) throw new Error('ExecStart= quoting is not understood here');
  return command.trim().split(/\s+/);
}

/** The <string>s of the ProgramArguments array, XML entities decoded. */
export function launchdCommand(text = readFileSync(launchdPlist, 'utf8')): string[] {
  const body = text.replace(/<!--[\s\S]*?-->/g, '');
  const array = /<key>ProgramArguments<\/key>\s*<array>([\s\S]*?)<\/array>/.exec(body);
  if (!array) throw new Error('no ProgramArguments array');
  return [...(array[1] as string).matchAll(/<string>([^<]*)<\/string>/g)].map((match) =>
    decodeXml(match[1] as string),
  );
}

function decodeXml(text: string): string {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&');
}

/** The flags in order (every word that starts with --), for comparing files. */
export function flagsOf(command: string[]): string[] {
  return command.filter((word) => word.startsWith('--'));
}

/** The value that follows a flag (the first occurrence). */
export function flagValue(command: string[], flag: string): string | undefined {
  const index = command.indexOf(flag);
  return index < 0 ? undefined : command[index + 1];
}

/** The command with one flag's value replaced; the flags themselves stay as written. */
export function withValue(command: string[], flag: string, value: string): string[] {
  const index = command.indexOf(flag);
  if (index < 0) throw new Error(`${flag} is not in the command`);
  return command.map((word, i) => (i === index + 1 ? value : word));
}
