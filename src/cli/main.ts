#!/usr/bin/env node
/** The `xray-gpu` executable. The exit status is set, not forced, so pending output is flushed. */
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv);
