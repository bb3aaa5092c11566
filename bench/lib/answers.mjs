// Reading the servers' answers for messages.

export function parseError(body) {
  try {
    return JSON.parse(body) ?? {};
  } catch {
    return {};
  }
}

/** A short account of an unexpected answer: the OAuth error and its hint, or the start of the body. */
export function describeAnswer(status, body) {
  const { error, hint } = parseError(body);
  return error ? `${status} ${error}${hint ? ` (${hint.slice(0, 160)})` : ''}` : `${status} ${body.slice(0, 120)}`;
}
