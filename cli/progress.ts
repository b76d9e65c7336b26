/**
 * Progress for long commands: bars on a terminal (cli-progress); elsewhere (a log file, CI, a pipe)
 * a line every few seconds with done/total, rate and ETA, and a last line at the end, so a log
 * never sits silent for minutes. RADSTRUCT_PROGRESS_SECONDS sets the interval (10).
 */
import { MultiBar, Presets } from 'cli-progress'

export interface Progress {
  increment(n: number, info?: string): void
  update(done: number, info?: string): void
  setTotal(total: number): void
}

export interface ProgressGroup {
  create(label: string, total: number, unit?: string): Progress
  stop(): void
}

export function progressGroup(
  stream: NodeJS.WriteStream = process.stderr,
  tty = Boolean(stream.isTTY),
): ProgressGroup {
  if (tty) {
    const bars = new MultiBar(
      {
        format: '{label} [{bar}] {value}/{total} {unit} | {info}',
        stream,
        hideCursor: true,
        etaBuffer: 50,
      },
      Presets.shades_classic,
    )
    return {
      create(label, total, unit = 'reports') {
        const bar = bars.create(total, 0, { label: label.padEnd(7), unit, info: '' })
        return {
          increment: (n, info) => bar.increment(n, info === undefined ? {} : { info }),
          update: (d, info) => bar.update(d, info === undefined ? {} : { info }),
          setTotal: (t) => bar.setTotal(t),
        }
      },
      stop: () => bars.stop(),
    }
  }
  const every = 1000 * Number(process.env.RADSTRUCT_PROGRESS_SECONDS ?? 10)
  const lines: (() => void)[] = []
  const timer = setInterval(() => {
    for (const l of lines) l()
  }, every)
  timer.unref()
  return {
    create(label, total, unit = 'reports') {
      const start = performance.now()
      let done = 0
      let info = ''
      let last = -1
      const line = () => {
        if (done === last) return
        last = done
        const s = (performance.now() - start) / 1000
        const rate = s > 0 ? done / s : 0
        const eta = rate > 0 && total > done ? ` ETA ${Math.ceil((total - done) / rate)} s` : ''
        const pct = total ? ` (${Math.floor((100 * done) / total)} %)` : ''
        stream.write(
          `${label}: ${done}/${total} ${unit}${pct}, ${rate.toFixed(1)}/s${eta}${info ? ` | ${info}` : ''}\n`,
        )
      }
      lines.push(line)
      return {
        increment(n, i) {
          done += n
          if (i !== undefined) info = i
        },
        update(d, i) {
          done = d
          if (i !== undefined) info = i
        },
        setTotal(t) {
          total = t
        },
      }
    },
    stop() {
      clearInterval(timer)
      for (const l of lines) l()
    },
  }
}
