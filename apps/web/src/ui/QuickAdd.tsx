/**
 * One line to capture a task. The shared parser (parseQuickAdd) reads dates,
 * #project, @tags, !attention and "every ..." from it while the owner types,
 * and the tokens it found are highlighted in place and listed below. Enter
 * saves at once: the write is local, so it never waits for the network.
 *
 * The microphone fills the same line from speech (capture/voice.ts); where
 * speech recognition is missing or never starts, a large field takes over,
 * focused, for the keyboard's own dictation.
 */
import { parseQuickAdd, type QuickAddToken, type TokenKind } from '@heph/oplog';
import {
  type FormEvent,
  forwardRef,
  type KeyboardEvent,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useHephClient } from '../client/react.ts';
import { useVoiceCapture } from './capture/voice.ts';
import { deviceTimeZone, formatWhen } from './format.ts';

export interface QuickAddHandle {
  focus(): void;
  startVoice(): void;
}

interface QuickAddProps {
  autoFocus?: boolean;
  /** Starts voice capture as soon as the bar is shown (the "Voice capture" shortcut). */
  startVoice?: boolean;
}

const KIND_LABEL: Record<TokenKind, string> = {
  date: 'Do',
  late: 'Late on',
  project: 'Project',
  tag: 'Tag',
  attention: 'Attention',
  recurrence: 'Repeats',
};

function safeParse(text: string) {
  try {
    return parseQuickAdd(text, { now: Date.now(), timeZone: deviceTimeZone() });
  } catch {
    return null;
  }
}

export const QuickAdd = forwardRef<QuickAddHandle, QuickAddProps>(function QuickAdd(
  { autoFocus = false, startVoice = false },
  ref,
) {
  const client = useHephClient();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<{ title: string; doDate: number | null } | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const mirror = useRef<HTMLDivElement>(null);
  const dictation = useRef<HTMLTextAreaElement>(null);
  const voice = useVoiceCapture(setText);
  const parsed = useMemo(() => (text.trim() === '' ? null : safeParse(text)), [text]);

  useImperativeHandle(ref, () => ({
    focus: () => (voice.state.phase === 'fallback' ? dictation : input).current?.focus(),
    startVoice: voice.start,
  }));

  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the shortcut opened the app
  useEffect(() => {
    if (startVoice) voice.start();
  }, []);
  useEffect(() => {
    if (voice.state.phase === 'fallback') dictation.current?.focus();
  }, [voice.state.phase]);

  async function save(event?: FormEvent) {
    event?.preventDefault();
    const value = text.trim();
    if (!value) return;
    setError(null);
    try {
      await client.call('task.create', { text: value });
      // Cleared once the local write is committed (a few ms), so a page closed
      // right after the bar empties has kept the task; typing meanwhile stays.
      setText((current) => (current.trim() === value ? '' : current));
      setSaved({ title: parsed?.title || value, doDate: parsed?.doDate ?? null });
      if (voice.state.phase === 'fallback') voice.reset();
      input.current?.focus();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  function syncScroll() {
    if (mirror.current && input.current) mirror.current.scrollLeft = input.current.scrollLeft;
  }

  function onDictationKey(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey) void save(event);
  }

  const listening = voice.state.phase === 'listening' || voice.state.phase === 'starting';
  return (
    <form className="quick-add" onSubmit={save} aria-label="Quick add">
      <div className="qa-row">
        <div className="qa-field">
          <div className="qa-mirror" ref={mirror} aria-hidden="true">
            <Highlighted text={text} tokens={parsed?.tokens ?? []} />
          </div>
          <input
            ref={input}
            aria-label="New task"
            aria-describedby="qa-tokens"
            placeholder="Add a task: “Call Ann tomorrow 9am #home”"
            value={text}
            autoComplete="off"
            enterKeyHint="done"
            // biome-ignore lint/a11y/noAutofocus: the capture shortcut opens straight into typing
            autoFocus={autoFocus}
            onChange={(event) => {
              setText(event.target.value);
              setSaved(null);
            }}
            onScroll={syncScroll}
            onKeyUp={syncScroll}
            onSelect={syncScroll}
          />
        </div>
        <button
          type="button"
          className={`qa-mic${listening ? ' qa-mic-on' : ''}`}
          aria-label={listening ? 'Stop listening' : 'Voice capture'}
          aria-pressed={listening}
          onClick={() => (listening ? voice.stop() : voice.start())}
        >
          <MicIcon />
        </button>
        <button type="submit" className="primary">
          Add
        </button>
      </div>
      <div id="qa-tokens" className="qa-tokens" data-testid="qa-tokens" aria-live="polite">
        {parsed?.tokens.map((token) => (
          <TokenChip key={`${token.kind}-${token.start}`} token={token} parsed={parsed} />
        ))}
      </div>
      {voice.state.phase === 'listening' && (
        <p className="qa-voice" role="status" data-testid="voice-status">
          Listening… speak your task.
        </p>
      )}
      {voice.state.phase === 'starting' && (
        <p className="qa-voice" role="status" data-testid="voice-status">
          Starting the microphone…
        </p>
      )}
      {voice.state.message && (
        <p className="qa-voice-message" role="alert" data-testid="voice-message">
          {voice.state.message}
        </p>
      )}
      {voice.state.phase === 'fallback' && (
        <div className="qa-dictation">
          <textarea
            ref={dictation}
            aria-label="Dictate a task"
            rows={4}
            value={text}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={onDictationKey}
          />
          <div className="row-buttons">
            <button type="submit" className="primary">
              Save task
            </button>
            <button type="button" onClick={voice.reset}>
              Close
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="quick-add-error" role="alert">
          {error}
        </p>
      )}
      {saved && !error && (
        <p className="qa-saved" role="status" data-testid="qa-saved">
          Saved “{saved.title}”
          {/* Next leaves out tasks whose do date is still ahead; say where this one went. */}
          {saved.doDate !== null && saved.doDate > Date.now() && (
            <> · in Upcoming, {formatWhen(saved.doDate, Date.now())}</>
          )}
        </p>
      )}
    </form>
  );
});

/** The input's text again, with the token ranges marked; drawn behind the input. */
function Highlighted({ text, tokens }: { text: string; tokens: QuickAddToken[] }) {
  const parts: Array<{ text: string; kind?: TokenKind }> = [];
  let cursor = 0;
  for (const token of tokens) {
    if (token.start < cursor) continue;
    parts.push({ text: text.slice(cursor, token.start) });
    parts.push({ text: text.slice(token.start, token.end), kind: token.kind });
    cursor = token.end;
  }
  parts.push({ text: text.slice(cursor) });
  return (
    <>
      {parts.map((part, index) =>
        part.kind ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts are positional
          <mark key={index} className={`qa-token qa-token-${part.kind}`}>
            {part.text}
          </mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts are positional
          <span key={index}>{part.text}</span>
        ),
      )}
    </>
  );
}

function TokenChip({
  token,
  parsed,
}: {
  token: QuickAddToken;
  parsed: NonNullable<ReturnType<typeof safeParse>>;
}) {
  const now = Date.now();
  let value = token.text;
  if (token.kind === 'date' && parsed.doDate !== undefined) value = formatWhen(parsed.doDate, now);
  if (token.kind === 'late' && parsed.lateOn !== undefined) value = formatWhen(parsed.lateOn, now);
  if (token.kind === 'project') value = token.text.slice(1);
  if (token.kind === 'tag') value = token.text.slice(1);
  if (token.kind === 'attention') value = parsed.attention ?? token.text;
  return (
    <span className={`qa-chip qa-token-${token.kind}`} data-testid={`qa-token-${token.kind}`}>
      <span className="qa-chip-kind">{KIND_LABEL[token.kind]}</span> {value}
    </span>
  );
}

function MicIcon() {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3Zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.92V21h2v-3.08A7 7 0 0 0 19 11h-2Z"
      />
    </svg>
  );
}
