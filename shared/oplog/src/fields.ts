/**
 * The field names the core materializes into columns (SPEC.md SCHEMA-3).
 * Any other field is stored and shown in NodeView.fields, never dropped.
 */

export const TASK_FIELDS = {
  title: 'title',
  state: 'state',
  doDate: 'doDate',
  lateOn: 'lateOn',
  attention: 'attention',
  project: 'project',
  recurrence: 'recurrence',
  closedAt: 'closedAt',
  /** IANA zone the recurrence is computed in; 'UTC' when unset. */
  timezone: 'timezone',
} as const;

export const TASK_STATES = ['outstanding', 'done', 'dropped'] as const;
export const ATTENTION_TIERS = ['red', 'orange', 'white', 'blue'] as const;
