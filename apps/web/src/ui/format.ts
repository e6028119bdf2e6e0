/** Dates and times as the owner reads them, in the device's own zone and language. */

export const DAY_MS = 86_400_000;

export function deviceTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export function startOfLocalDay(instant: number): number {
  const date = new Date(instant);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

export function endOfLocalDay(instant: number): number {
  const date = new Date(instant);
  date.setHours(23, 59, 59, 999);
  return date.getTime();
}

/** True when the instant has a time of day other than midnight. */
function hasTime(instant: number): boolean {
  const date = new Date(instant);
  return date.getHours() !== 0 || date.getMinutes() !== 0;
}

export function formatDay(instant: number, now: number): string {
  const days = Math.round((startOfLocalDay(instant) - startOfLocalDay(now)) / DAY_MS);
  if (days === 0) return 'Today';
  if (days === 1) return 'Tomorrow';
  if (days === -1) return 'Yesterday';
  const sameYear = new Date(instant).getFullYear() === new Date(now).getFullYear();
  return new Date(instant).toLocaleDateString([], {
    weekday: Math.abs(days) < 7 ? 'long' : 'short',
    month: 'short',
    day: 'numeric',
    year: sameYear ? undefined : 'numeric',
  });
}

export function formatTime(instant: number): string {
  return new Date(instant).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
}

/** "Tomorrow 09:00", "Mon, Dec 7"; the time only when one was given. */
export function formatWhen(instant: number, now: number): string {
  const day = formatDay(instant, now);
  return hasTime(instant) ? `${day} ${formatTime(instant)}` : day;
}

/** A full date and time, for logs and history. */
export function formatStamp(instant: number): string {
  return new Date(instant).toLocaleString([], {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** The physical time an op clock carries: its first 12 hex digits are epoch ms. */
export function clockTime(clock: string): number {
  return Number.parseInt(clock.slice(0, 12), 16);
}

/** Value for an `<input type="datetime-local">`, in the device's zone. */
export function toLocalInput(instant: number | null): string {
  if (instant === null) return '';
  const date = new Date(instant);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(
    date.getHours(),
  )}:${pad(date.getMinutes())}`;
}

export function fromLocalInput(value: string): number | null {
  if (value === '') return null;
  const instant = new Date(value).getTime();
  return Number.isFinite(instant) ? instant : null;
}
