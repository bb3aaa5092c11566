import { eq, getTableColumns, sql } from 'drizzle-orm';
import type { ConsoleRepositories } from '../../console/ports.js';
import type { Client, ClientRepository } from '../../oauth/ports.js';
import type { Db } from '../database.js';
import { prepareRawRead } from '../raw-read.js';
import { clients } from '../schema/index.js';
import type { ClientInput } from '../../console/ports.js';

type Row = typeof clients.$inferSelect;

function toClient(row: Row): Client {
  return {
    id: row.clientId,
    name: row.name,
    isPublic: row.secretHash === null,
    redirectUris: row.redirectUris,
    grantTypes: row.grantTypes,
    scopes: row.scopes,
  };
}

export type { ClientInput } from '../../console/ports.js';

export function createClientRepository(db: Db) {
  // read on every token, introspection and revocation request: raw, without Drizzle's row mapping (raw-read.ts)
  const selection = { client: getTableColumns(clients) };
  const byId = prepareRawRead(db, db.select(selection).from(clients).where(eq(clients.clientId, sql.placeholder('id'))), selection);
  return {
    find(clientId) {
      const row = byId(clientId)?.client;
      return row && toClient(row);
    },
    findWithSecretHash(clientId) {
      const row = byId(clientId)?.client;
      return row && { client: toClient(row), secretHash: row.secretHash };
    },
    list(): Client[] {
      return db.select().from(clients).orderBy(sql`rowid`).all().map(toClient);
    },
    upsert(input: ClientInput, now: number): void {
      db.insert(clients)
        .values({ ...input, createdAt: now, updatedAt: now })
        .onConflictDoUpdate({
          target: clients.clientId,
          set: {
            name: input.name,
            secretHash: input.secretHash,
            redirectUris: input.redirectUris,
            grantTypes: input.grantTypes,
            scopes: input.scopes,
            updatedAt: now,
          },
        })
        .run();
    },
    remove(clientId: string): boolean {
      return db.delete(clients).where(eq(clients.clientId, clientId)).run().changes > 0;
    },
  } satisfies ClientRepository & ConsoleRepositories['clients'];
}
