import { defineConfig } from 'drizzle-kit';

// drizzle-kit and the app read the same schema; migrations are committed and applied at start.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/storage/schema/index.ts',
  out: './migrations',
});
