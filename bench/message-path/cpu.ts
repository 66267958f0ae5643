import { readFileSync, readdirSync } from 'node:fs';

/**
 * CPU time (seconds, user + system) of processes, read from /proc (Linux): to see where a
 * step's time went (server, database, load client). NaN where /proc is not available.
 */
const TICKS_PER_SECOND = 100;

export function processCpuSeconds(pid: number): number {
  try {
    return ticksOf(readFileSync(`/proc/${pid}/stat`, 'utf8')) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

const backendTicks = new Map<string, Map<string, number>>();

/**
 * Total CPU of the local PostgreSQL backends serving `database` (their process title names it):
 * other databases' work on a shared machine does not count, nor do the shared background workers.
 * Cumulative: a backend that has exited (pool connections come and go) keeps its last reading.
 */
export function postgresCpuSeconds(database: string): number {
  const seen = backendTicks.get(database) ?? new Map<string, number>();
  backendTicks.set(database, seen);
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return Number.NaN;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${database} `)) continue;
      // Keyed by pid and start time, so a reused pid is a new backend.
      seen.set(`${pid}:${startOf(stat)}`, ticksOf(stat));
    } catch {
      // the process ended
    }
  }
  if (seen.size === 0) return Number.NaN;
  let ticks = 0;
  for (const t of seen.values()) ticks += t;
  return ticks / TICKS_PER_SECOND;
}

/** This process's own CPU time. */
export function selfCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

function startOf(stat: string): string {
  // Field 22 (starttime), the 20th after "(comm)".
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}

function ticksOf(stat: string): number {
  // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}
