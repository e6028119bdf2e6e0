/**
 * The glue between commander and a session: `run` turns a command handler
 * into a commander action that first opens the session from the global
 * options, so each handler only says what it sends and what it prints.
 */
import type { Command } from 'commander';
import { type GlobalOptions, type Io, openSession, type Session } from '../session.ts';

export interface CommandKit {
  io: Io;
  run<A extends unknown[]>(
    handler: (session: Session, ...args: A) => Promise<void>,
  ): (...args: [...A, Command]) => Promise<void>;
  print(text: string): void;
  json(value: unknown): void;
}

export function createKit(io: Io): CommandKit {
  return {
    io,
    run<A extends unknown[]>(handler: (session: Session, ...args: A) => Promise<void>) {
      return async (...args: [...A, Command]) => {
        const command = args[args.length - 1] as Command;
        const session = await openSession(io, command.optsWithGlobals<GlobalOptions>());
        await handler(session, ...(args.slice(0, -1) as A));
      };
    },
    print(text) {
      io.stdout(`${text}\n`);
    },
    json(value) {
      io.stdout(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
}
