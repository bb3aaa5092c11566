import type { SeedProblem } from '../seed/load-seed.js';

/** Messages to show next to a form's fields, by field name (`_form` for the form as a whole). */
export type FieldErrors = Record<string, string>;

/** An HTML form's fields as @fastify/formbody parses them: a repeated field is an array. */
export class FormValues {
  private constructor(private readonly raw: Record<string, unknown>) {}

  static from(body: unknown): FormValues {
    return new FormValues(body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {});
  }

  /** The field's value, trimmed; '' when absent (a repeated field gives its first value). */
  text(name: string, max = 2000): string {
    const value = this.raw[name];
    const first = Array.isArray(value) ? value[0] : value;
    return typeof first === 'string' ? first.trim().slice(0, max) : '';
  }

  /** Every value of a repeated field (checkboxes), without empty ones. */
  all(name: string): string[] {
    const value = this.raw[name];
    return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v !== '').map((v) => v.slice(0, 200));
  }

  has(name: string): boolean {
    return this.all(name).length > 0;
  }
}

/** Words split by white space (scopes), lines of a text area (redirect URIs). */
export const words = (text: string): string[] => text.split(/\s+/).filter(Boolean);
export const lines = (text: string): string[] => text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);

/**
 * Puts the seed rules' problems (src/seed/load-seed.ts) next to the form's fields:
 * `clients[0].redirectUris[1]` belongs to the `redirectUris` field. A field keeps its first message
 * (the console's own, clearer one when it has one); `friendly` rewords schema messages.
 */
export function addSeedProblems(errors: FieldErrors, problems: SeedProblem[], friendly: Record<string, string> = {}): void {
  const found: Record<string, string[]> = {};
  for (const { at, message } of problems) {
    const m = /^\w+\[0\]\.(\w+)(?:\[(\d+)\])?/.exec(at);
    const field = m?.[1] ?? '_form';
    const item = m?.[2] !== undefined ? `line ${Number(m[2]) + 1}: ` : '';
    const text = friendly[`${field} ${message}`] ?? `${item}${message}`;
    (found[field] ??= []).push(text);
  }
  for (const [field, messages] of Object.entries(found)) {
    if (errors[field] === undefined) errors[field] = [...new Set(messages)].map(sentence).join(' ');
  }
}

/** "line 2: x" → "Line 2: x." */
function sentence(text: string): string {
  const s = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

export const hasErrors = (errors: FieldErrors): boolean => Object.keys(errors).length > 0;
