#!/usr/bin/env node
// heph's command line. The sources are TypeScript, run through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
