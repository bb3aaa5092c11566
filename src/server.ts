#!/usr/bin/env node
import { loadConfig } from './config.js';
import { reportStartFailure, serve } from './serve.js';

/** `npm start` and the container's CMD: serve with the configuration of the environment (SPEC §2). */
Promise.resolve()
  .then(() => serve(loadConfig()))
  .catch((e: unknown) => {
    reportStartFailure(e);
    process.exit(1);
  });
