import { integer } from 'drizzle-orm/sqlite-core';

/** Instants are stored as integer milliseconds since the epoch, read from the emulator clock. */
export const instant = (name: string) => integer(name, { mode: 'number' });

export const timestamps = {
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
};
