/**
 * The container's health probe (SPEC §12): GET /healthz with a deadline. `node` only, since the
 * slim image has no curl.
 */
export async function probeHealth(url: string, timeoutMs = 3000): Promise<{ healthy: boolean; detail: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    const body = (await res.json().catch(() => undefined)) as { status?: unknown } | undefined;
    const healthy = res.status === 200 && body?.status === 'ok';
    return { healthy, detail: `${url} answered ${res.status}${body ? ` ${JSON.stringify(body)}` : ''}` };
  } catch (e) {
    const reason = (e as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : ((e as Error).cause as Error | undefined)?.message ?? (e as Error).message;
    return { healthy: false, detail: `${url}: ${reason}` };
  }
}
