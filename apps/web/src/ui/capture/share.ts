/**
 * The Android share target (manifest `share_target`, GET): shared text or a
 * link arrives as `?share-title=&share-text=&share-url=` and becomes a task
 * whose context document holds the link. Apps often put the link inside the
 * text rather than in `url`, so the first URL in the text counts too.
 */
import type { HephClient } from '../../client/heph-client.ts';

export const SHARE_PARAMS = { title: 'share-title', text: 'share-text', url: 'share-url' } as const;

export interface SharedItem {
  title: string;
  text: string;
  url: string | null;
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"]+/i;
const MAX_TITLE = 200;

export function readShare(search: string): SharedItem | null {
  const params = new URLSearchParams(search);
  const title = params.get(SHARE_PARAMS.title)?.trim() ?? '';
  const text = params.get(SHARE_PARAMS.text)?.trim() ?? '';
  const url = params.get(SHARE_PARAMS.url)?.trim() || text.match(URL_IN_TEXT)?.[0] || null;
  if (title === '' && text === '' && url === null) return null;
  return { title, text, url };
}

export function sharedTitle(item: SharedItem): string {
  const textWithoutUrl = item.url ? item.text.replace(item.url, '').trim() : item.text;
  const title = item.title || textWithoutUrl || hostOf(item.url) || 'Shared item';
  const firstLine = title.split('\n')[0] as string;
  return firstLine.length > MAX_TITLE ? `${firstLine.slice(0, MAX_TITLE - 1)}…` : firstLine;
}

export function sharedContext(item: SharedItem): string {
  const lines: string[] = [];
  if (item.url) lines.push(`<${item.url}>`);
  const rest = item.url ? item.text.replace(item.url, '').trim() : item.text;
  if (rest !== '' && rest !== sharedTitle(item)) lines.push('', rest);
  return lines.join('\n');
}

/** Creates the task (the title is taken as it is, not read as quick-add). */
export async function shareToTask(client: HephClient, item: SharedItem): Promise<string> {
  const { node_id } = await client.call('task.create', { title: sharedTitle(item) });
  const context = sharedContext(item);
  if (context !== '') await client.call('context.set', { id: node_id, text: context });
  return node_id;
}

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}
