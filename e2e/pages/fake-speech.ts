/**
 * Scripted stand-ins for the Web Speech API, installed with addInitScript
 * before the app loads. Each replaces both SpeechRecognition and Chromium's
 * webkitSpeechRecognition, so the app sees only the script.
 */
import type { BrowserContext } from '@playwright/test';

/** Hears `transcript` right after start, as a real recognizer would report it. */
export async function hearing(context: BrowserContext, transcript: string): Promise<void> {
  await context.addInitScript((text) => {
    class ScriptedRecognition {
      onstart: (() => void) | null = null;
      onresult: ((event: unknown) => void) | null = null;
      onend: (() => void) | null = null;
      start() {
        queueMicrotask(() => {
          this.onstart?.();
          const result = Object.assign([{ transcript: text }], { isFinal: true });
          this.onresult?.({ resultIndex: 0, results: [result] });
          this.onend?.();
        });
      }
      stop() {}
      abort() {}
    }
    Object.assign(window, {
      SpeechRecognition: ScriptedRecognition,
      webkitSpeechRecognition: ScriptedRecognition,
    });
  }, transcript);
}

/** No speech API at all (Firefox, some WebViews). */
export async function withoutSpeech(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    for (const name of ['SpeechRecognition', 'webkitSpeechRecognition']) {
      Object.defineProperty(window, name, { value: undefined, configurable: true });
    }
  });
}

/** A constructor that accepts start() and never starts, as in iOS home-screen apps. */
export async function neverStarting(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    class InertRecognition {
      start() {}
      stop() {}
      abort() {}
    }
    Object.assign(window, {
      SpeechRecognition: InertRecognition,
      webkitSpeechRecognition: InertRecognition,
    });
  });
}

/** Fails with the error code in `window.__speechError` each time it is started. */
export async function failing(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    class FailingRecognition {
      onerror: ((event: { error: string }) => void) | null = null;
      onend: (() => void) | null = null;
      start() {
        queueMicrotask(() => {
          const error = (window as unknown as { __speechError: string }).__speechError;
          this.onerror?.({ error });
          this.onend?.();
        });
      }
      stop() {}
      abort() {}
    }
    Object.assign(window, {
      SpeechRecognition: FailingRecognition,
      webkitSpeechRecognition: FailingRecognition,
    });
  });
}
