/**
 * A cookie-keeping client for a real server over HTTP (fetch): follows redirects that stay on the
 * server and stops at the first one that leaves it, as a browser would hand over to the client app.
 */
export class HttpBrowser {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly origin: string) {}

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (value === '' || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<Response> {
    const headers: Record<string, string> = { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(new URL(url, this.origin), {
      method,
      headers,
      redirect: 'manual',
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    this.remember(res);
    return res;
  }

  /** Requests, then follows redirects on this origin (at most 10); returns the last response. */
  async go(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<Response> {
    let res = await this.request(method, url, form);
    for (let hops = 0; hops < 10 && res.status >= 300 && res.status < 400; hops += 1) {
      const next = new URL(res.headers.get('location') ?? '', this.origin);
      if (next.origin !== new URL(this.origin).origin) return res;
      await res.arrayBuffer();
      res = await this.request('GET', next.href);
    }
    return res;
  }
}
