import type { Socket } from 'node:net';
import { invalidRequest } from '../oauth/errors.js';

function hintFor(code: string | undefined): { status: number; reason: string; hint: string } {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, reason: 'Request Header Fields Too Large', hint: 'The request line and headers are larger than the emulator accepts (16 KiB); send fewer or shorter headers' };
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, reason: 'Request Timeout', hint: 'The request was not received in full in time; send its headers and body without pausing' };
  }
  return {
    status: 400,
    reason: 'Bad Request',
    hint: `The request is not valid HTTP/1.1 (${code ?? 'unparsable'}); check the request line, the headers, Content-Length and Transfer-Encoding`,
  };
}

/**
 * SPEC §5 for requests Node's HTTP parser refuses before Fastify sees them (bad framing, headers
 * too large): the same JSON error as every endpoint, then the connection is closed, as Node does.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const { status, reason, hint } = hintFor(error.code);
    const body = JSON.stringify(invalidRequest(hint, { status }).toJSON());
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
