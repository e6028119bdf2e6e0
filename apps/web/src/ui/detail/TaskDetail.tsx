/**
 * A node's detail: every task field editable, each with its history, then
 * the context document, the log, and links both ways. Edits go through
 * task.edit one field at a time, so a field's history reads as what the
 * owner did.
 */
import {
  describeRecurrence,
  type FieldHistoryEntry,
  type FieldValue,
  type NodeView,
} from '@heph/oplog';
import { type ReactNode, useEffect, useState } from 'react';
import type { HephClient } from '../../client/heph-client.ts';
import { useHephClient, useLiveQuery } from '../../client/react.ts';
import { actOnTask, isRecurring, type TaskAction } from '../actions.ts';
import { useToast } from '../components/Toast.tsx';
import { useProjects } from '../components/useProjects.ts';
import { formatStamp, formatWhen, fromLocalInput, toLocalInput } from '../format.ts';
import { ContextSection } from './ContextSection.tsx';
import { FieldHistory } from './FieldHistory.tsx';
import { LinksSection } from './LinksSection.tsx';
import { LogSection } from './LogSection.tsx';

const HISTORY_FIELDS = ['title', 'attention', 'doDate', 'lateOn', 'recurrence', 'project'] as const;
type HistoryField = (typeof HISTORY_FIELDS)[number];

export function TaskDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const { data, error } = useLiveQuery(
    async (client) => {
      const node = await client.query('getNode', id);
      if (!node) return null;
      const histories = await Promise.all(
        HISTORY_FIELDS.map((field) => client.query('fieldHistory', node.id, field)),
      );
      return {
        node,
        histories: Object.fromEntries(HISTORY_FIELDS.map((f, i) => [f, histories[i]])),
      };
    },
    [id],
  );

  if (error && !data) return <p role="alert">{error.message}</p>;
  if (data === undefined) return <p className="loading">Loading…</p>;
  if (data === null) {
    return (
      <section className="detail" aria-label="Task">
        <p role="alert">This task does not exist here (yet).</p>
        <button type="button" onClick={onClose}>
          Back
        </button>
      </section>
    );
  }
  const { node, histories } = data as {
    node: NodeView;
    histories: Record<HistoryField, FieldHistoryEntry[]>;
  };
  return (
    <section className="detail" aria-label="Task" data-testid="task-detail" data-state={node.state}>
      <div className="detail-top">
        <button type="button" onClick={onClose}>
          ← Back
        </button>
        {node.kind === 'task' && <ActionBar task={node} />}
      </div>
      {node.kind === 'task' ? (
        <TaskFields task={node} histories={histories} />
      ) : (
        <h2 className="detail-title">{node.title}</h2>
      )}
      <ContextSection id={node.id} />
      <LogSection id={node.id} />
      <LinksSection id={node.id} />
      <p className="hint">
        Created {formatStamp(node.createdAt)} · changed {formatStamp(node.updatedAt)}
      </p>
    </section>
  );
}

function ActionBar({ task }: { task: NodeView }) {
  const client = useHephClient();
  const toast = useToast();
  const act = (action: TaskAction) =>
    actOnTask(client, task, action).then(toast, (error: Error) => toast({ text: error.message }));

  if (task.state !== 'outstanding') {
    return (
      <div className="action-bar">
        <span className="badge" data-testid="detail-state">
          {task.state === 'done' ? 'Done' : 'Dropped'}
        </span>
        <button type="button" onClick={() => void client.call('task.reopen', { id: task.id })}>
          Reopen
        </button>
      </div>
    );
  }
  return (
    <div className="action-bar">
      <button type="button" className="primary" onClick={() => void act('done')}>
        Done
      </button>
      {isRecurring(task) && (
        <button type="button" onClick={() => void act('skip')}>
          Skip
        </button>
      )}
      <button type="button" onClick={() => void act('drop')}>
        Drop
      </button>
    </div>
  );
}

interface TaskFieldsProps {
  task: NodeView;
  histories: Record<HistoryField, FieldHistoryEntry[]>;
}

function TaskFields({ task, histories }: TaskFieldsProps) {
  const client = useHephClient();
  const { projects, titles } = useProjects();
  const [problem, setProblem] = useState<string | null>(null);
  const edit = (fields: Omit<Parameters<HephClient['call']>[1], never>) =>
    client.call('task.edit', { id: task.id, ...(fields as object) }).then(
      () => setProblem(null),
      (error: Error) => setProblem(error.message),
    );
  const restore = (field: HistoryField) => (value: FieldValue) =>
    void edit({ [field]: value === null ? 'none' : value });
  const showDate = (value: FieldValue) =>
    typeof value === 'number' ? formatStamp(value) : '(none)';
  const showText = (value: FieldValue) =>
    value === null || value === '' ? '(none)' : String(value);
  const common = (field: HistoryField) => ({ entries: histories[field], restore: restore(field) });

  return (
    <div className="fields">
      {problem && (
        <p className="field-problem" role="alert">
          {problem}
        </p>
      )}
      <Field label="Title" {...common('title')} show={showText}>
        <TextField
          label="Title"
          value={task.title}
          onSave={(title) => title.trim() !== '' && void edit({ title })}
        />
      </Field>
      <Field label="Attention" {...common('attention')} show={showText}>
        <select
          aria-label="Attention"
          value={task.attention ?? 'none'}
          onChange={(event) => void edit({ attention: event.target.value })}
        >
          <option value="none">None</option>
          <option value="red">Red: now</option>
          <option value="orange">Orange: soon</option>
          <option value="white">White: normal</option>
          <option value="blue">Blue: someday</option>
        </select>
      </Field>
      <Field label="Do date" {...common('doDate')} show={showDate}>
        <DateField label="Do date" value={task.doDate} onSave={(doDate) => void edit({ doDate })} />
      </Field>
      <Field label="Late on" {...common('lateOn')} show={showDate}>
        <DateField label="Late on" value={task.lateOn} onSave={(lateOn) => void edit({ lateOn })} />
      </Field>
      <Field label="Repeats" {...common('recurrence')} show={showRule}>
        <TextField
          label="Repeats"
          placeholder="every 2 weeks on monday"
          value={task.recurrence ? safeDescribe(task.recurrence) : ''}
          onSave={(recurrence) => void edit({ recurrence: recurrence.trim() || 'none' })}
        />
        {task.recurrence && (
          <p className="field-summary" data-testid="recurrence-summary">
            Repeats {safeDescribe(task.recurrence)}
            {task.doDate !== null && `; next: ${formatWhen(task.doDate, Date.now())}`}
          </p>
        )}
      </Field>
      <Field
        label="Project"
        {...common('project')}
        show={(value) => (typeof value === 'string' ? (titles.get(value) ?? value) : '(none)')}
      >
        <TextField
          label="Project"
          list="project-titles"
          placeholder="No project (Inbox)"
          value={task.project ? (titles.get(task.project) ?? '') : ''}
          onSave={(project) => void edit({ project: project.trim() || 'none' })}
        />
        <datalist id="project-titles">
          {projects.map((project) => (
            <option key={project.id} value={project.title} />
          ))}
        </datalist>
      </Field>
      <Field label="Tags">
        <TextField
          label="Tags"
          placeholder="errands, phone"
          value={task.tags.join(', ')}
          onSave={(text) => void edit({ tags: text.split(/[\s,]+/).filter((tag) => tag !== '') })}
        />
      </Field>
    </div>
  );
}

function showRule(value: FieldValue): string {
  return typeof value === 'string' && value !== '' ? safeDescribe(value) : '(none)';
}

function safeDescribe(rule: string): string {
  try {
    return describeRecurrence(rule);
  } catch {
    return rule;
  }
}

interface FieldProps {
  label: string;
  children: ReactNode;
  entries?: FieldHistoryEntry[];
  show?: (value: FieldValue) => string;
  restore?: (value: FieldValue) => void;
}

function Field({ label, children, entries, show, restore }: FieldProps) {
  const [open, setOpen] = useState(false);
  const concurrent = entries?.some((entry) => entry.concurrent) ?? false;
  return (
    <div className="field" data-testid={`field-${label}`}>
      <div className="field-head">
        <span className="field-label">{label}</span>
        {concurrent && (
          <span
            className="badge badge-concurrent"
            title="Two devices changed this while apart; see its history"
          >
            Edited on two devices
          </span>
        )}
        {entries && entries.length > 0 && (
          <button
            type="button"
            className="link-button"
            aria-expanded={open}
            aria-label={`History of ${label}`}
            onClick={() => setOpen(!open)}
          >
            History ({entries.length})
          </button>
        )}
      </div>
      {children}
      {open && entries && show && (
        <FieldHistory label={label} entries={entries} show={show} restore={restore} />
      )}
    </div>
  );
}

interface TextFieldProps {
  label: string;
  value: string;
  onSave: (value: string) => void;
  placeholder?: string;
  list?: string;
}

/** A text input that saves on Enter or when focus leaves, and only when changed. */
function TextField({ label, value, onSave, placeholder, list }: TextFieldProps) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const save = () => draft !== value && onSave(draft);
  return (
    <input
      aria-label={label}
      value={draft}
      placeholder={placeholder}
      list={list}
      onChange={(event) => setDraft(event.target.value)}
      onBlur={save}
      onKeyDown={(event) => {
        if (event.key === 'Enter') save();
        if (event.key === 'Escape') setDraft(value);
      }}
    />
  );
}

interface DateFieldProps {
  label: string;
  value: number | null;
  onSave: (value: number | 'none') => void;
}

function DateField({ label, value, onSave }: DateFieldProps) {
  const [draft, setDraft] = useState(toLocalInput(value));
  useEffect(() => setDraft(toLocalInput(value)), [value]);
  const save = () => {
    if (draft === toLocalInput(value)) return;
    onSave(fromLocalInput(draft) ?? 'none');
  };
  return (
    <div className="date-field">
      <input
        type="datetime-local"
        aria-label={label}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={save}
        onKeyDown={(event) => event.key === 'Enter' && save()}
      />
      {value !== null && (
        <button type="button" aria-label={`Clear ${label}`} onClick={() => onSave('none')}>
          ×
        </button>
      )}
    </div>
  );
}
