// FileAccess straight on the local disk, for clients that offer no file system of their own.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileAccess } from './types';

export const diskFileAccess: FileAccess = {
  readText: (absPath) => readFile(absPath, 'utf8'),
  async writeText(absPath, content) {
    await mkdir(dirname(absPath), { recursive: true });
    await writeFile(absPath, content, 'utf8');
  },
};
