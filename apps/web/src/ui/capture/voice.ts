/**
 * Voice capture over the Web Speech API, with the fallbacks a phone needs.
 *
 * The API may be missing (Firefox), or present but inert: iOS home-screen
 * apps have a constructor whose start() never starts. Checking the
 * constructor cannot tell those apart from a working one, so capture waits
 * for the recognizer's start event and falls back when it has not come
 * within START_TIMEOUT_MS. The fallback is a large text field, focused, so
 * the keyboard's own dictation key does the listening.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export const START_TIMEOUT_MS = 3_000;

export type VoicePhase = 'idle' | 'starting' | 'listening' | 'fallback';

export interface VoiceState {
  phase: VoicePhase;
  /** What to tell the owner: why the fallback, or what went wrong. */
  message: string | null;
}

interface RecognitionResultList {
  length: number;
  [index: number]: { isFinal: boolean; 0: { transcript: string } };
}

interface Recognition {
  lang: string;
  interimResults: boolean;
  continuous: boolean;
  maxAlternatives: number;
  onstart: (() => void) | null;
  onaudiostart: (() => void) | null;
  onresult: ((event: { resultIndex: number; results: RecognitionResultList }) => void) | null;
  onerror: ((event: { error: string }) => void) | null;
  onend: (() => void) | null;
  start(): void;
  stop(): void;
  abort(): void;
}

type RecognitionConstructor = new () => Recognition;

export const MESSAGES = {
  unsupported:
    'Voice capture is not available in this browser. Use the microphone on your keyboard to dictate, then save.',
  neverStarted:
    'Voice capture did not start on this device. Use the microphone on your keyboard to dictate, then save.',
  denied:
    'Microphone permission was denied. Allow the microphone for heph in the browser’s site settings, or type instead.',
  noSpeech: 'No speech was heard. Tap the microphone and try again, a little closer.',
  network:
    'Voice recognition needs a network connection here. Use the microphone on your keyboard instead, or type.',
  noMicrophone: 'No microphone was found. Use the keyboard instead.',
  failed: 'Voice capture stopped. Try again, or type instead.',
} as const;

function recognitionConstructor(): RecognitionConstructor | null {
  const scope = window as unknown as Record<string, RecognitionConstructor | undefined>;
  return scope.SpeechRecognition ?? scope.webkitSpeechRecognition ?? null;
}

export function errorMessage(code: string): string {
  if (code === 'not-allowed') return MESSAGES.denied;
  if (code === 'no-speech') return MESSAGES.noSpeech;
  if (code === 'network') return MESSAGES.network;
  if (code === 'audio-capture') return MESSAGES.noMicrophone;
  return MESSAGES.failed;
}

/** Starts and stops recognition; `onTranscript` gets the text heard so far. */
export function useVoiceCapture(onTranscript: (text: string) => void) {
  const [state, setState] = useState<VoiceState>({ phase: 'idle', message: null });
  const recognition = useRef<Recognition | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const heard = useRef(onTranscript);
  heard.current = onTranscript;

  const clearTimer = useCallback(() => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
  }, []);

  const fallBack = useCallback(
    (message: string) => {
      clearTimer();
      recognition.current = null;
      setState({ phase: 'fallback', message });
    },
    [clearTimer],
  );

  const start = useCallback(() => {
    const Constructor = recognitionConstructor();
    if (!Constructor) return fallBack(MESSAGES.unsupported);

    let started = false;
    let rec: Recognition;
    try {
      rec = new Constructor();
    } catch {
      return fallBack(MESSAGES.unsupported);
    }
    recognition.current = rec;
    rec.lang = navigator.language;
    rec.interimResults = true;
    rec.continuous = false;
    rec.maxAlternatives = 1;

    const onStarted = () => {
      if (started || recognition.current !== rec) return;
      started = true;
      clearTimer();
      setState({ phase: 'listening', message: null });
    };
    rec.onstart = onStarted;
    rec.onaudiostart = onStarted;
    rec.onresult = (event) => {
      onStarted();
      let text = '';
      for (let index = 0; index < event.results.length; index++) {
        text += event.results[index]?.[0].transcript ?? '';
      }
      heard.current(text.trim());
    };
    rec.onerror = (event) => {
      if (recognition.current !== rec) return;
      clearTimer();
      recognition.current = null;
      if (event.error === 'aborted') return setState({ phase: 'idle', message: null });
      if (event.error === 'service-not-allowed') return fallBack(MESSAGES.unsupported);
      setState({ phase: 'idle', message: errorMessage(event.error) });
    };
    rec.onend = () => {
      if (recognition.current !== rec || !started) return;
      recognition.current = null;
      setState((old) => (old.phase === 'listening' ? { phase: 'idle', message: null } : old));
    };

    setState({ phase: 'starting', message: null });
    timer.current = setTimeout(() => {
      if (started) return;
      try {
        rec.abort();
      } catch {
        // An inert recognizer may throw here too; the fallback is what matters.
      }
      fallBack(MESSAGES.neverStarted);
    }, START_TIMEOUT_MS);
    try {
      rec.start();
    } catch {
      fallBack(MESSAGES.neverStarted);
    }
  }, [clearTimer, fallBack]);

  const stop = useCallback(() => {
    recognition.current?.stop();
  }, []);

  const reset = useCallback(() => {
    clearTimer();
    recognition.current?.abort();
    recognition.current = null;
    setState({ phase: 'idle', message: null });
  }, [clearTimer]);

  useEffect(() => clearTimer, [clearTimer]);

  return { state, start, stop, reset };
}
