import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';

export type Form = Record<string, string | string[]>;

/**
 * A browser for /console through app.inject: keeps cookies, and sends each form with the CSRF
 * token of the last page it loaded (as a real form would).
 */
export class ConsoleBrowser {
  readonly cookies = new Map<string, string>();
  private csrf = '';

  constructor(
    private readonly app: FastifyInstance,
    private readonly options: { remoteAddress?: string; headers?: Record<string, string> } = {},
  ) {}

  private remember(res: LightMyRequestResponse): void {
    for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const expired = c.value === '' || c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() < Date.now());
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrf = token;
  }

  private async send(method: 'GET' | 'POST', url: string, form?: Form): Promise<LightMyRequestResponse> {
    const request: InjectOptions = {
      method,
      url,
      headers: {
        ...this.options.headers,
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { payload: encode(form) } : {}),
      ...(this.options.remoteAddress ? { remoteAddress: this.options.remoteAddress } : {}),
    };
    const res = await this.app.inject(request);
    this.remember(res);
    return res;
  }

  get(url: string): Promise<LightMyRequestResponse> {
    return this.send('GET', url);
  }

  /** Loads `page` (for its CSRF token), then posts `form` to `action` with that token. */
  async submit(page: string, action: string, form: Form = {}): Promise<LightMyRequestResponse> {
    await this.get(page);
    return this.post(action, form);
  }

  /** Posts with the CSRF token of the last page loaded (unless the form sets `_csrf` itself). */
  post(url: string, form: Form = {}): Promise<LightMyRequestResponse> {
    return this.send('POST', url, { _csrf: this.csrf, ...form });
  }
}

function encode(form: Form): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const value of Array.isArray(v) ? v : [v]) params.append(k, value);
  return params.toString();
}

/** The message shown next to a field (`<p class="field-error" id="name-error">`). */
export function fieldError(html: string, field: string): string | undefined {
  const m = new RegExp(`id="${field}-error">([^<]*)<`).exec(html);
  return m?.[1]?.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}
