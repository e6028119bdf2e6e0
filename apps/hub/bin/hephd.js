#!/usr/bin/env node
// hephd runs its TypeScript source directly: tsx is registered first, then
// the entry module is imported (the workspace packages ship .ts, not .js).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
