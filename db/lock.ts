import fs from 'node:fs';
import path from 'node:path';

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite does not refuse a second process on the same folder, and two writers corrupt it for
 * good. This lock file makes the second process fail loudly instead.
 */
export function lockDataFolder(dir: string): () => void {
  fs.mkdirSync(/* turbopackIgnore: true */ dir, { recursive: true });
  const file = path.join(dir, 'keydesk.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(/* turbopackIgnore: true */ file, String(process.pid), { flag: 'wx' });
      const release = () => {
        try {
          if (fs.readFileSync(/* turbopackIgnore: true */ file, 'utf8') === String(process.pid))
            fs.unlinkSync(/* turbopackIgnore: true */ file);
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(fs.readFileSync(/* turbopackIgnore: true */ file, 'utf8'), 10);
      if (holder === process.pid) return () => {};
      if (Number.isInteger(holder) && processIsAlive(holder)) {
        throw new Error(
          `The embedded database in ${dir} is in use by process ${holder}. Stop that process first (or set DATABASE_URL to use PostgreSQL).`,
        );
      }
      fs.unlinkSync(/* turbopackIgnore: true */ file); // left behind by a process that died
    }
  }
  throw new Error(`Could not lock ${dir}`);
}
