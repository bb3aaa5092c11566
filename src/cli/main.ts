#!/usr/bin/env node
import { run } from './program.js';

// `serve` resolves once listening; the server then keeps the process alive
run(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
});
