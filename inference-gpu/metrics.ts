/** Prometheus metrics of the worker (one registry; no report text in any label). */
import { Counter, Gauge, Histogram, Registry } from 'prom-client'

export function createMetrics() {
  const registry = new Registry()
  return {
    registry,
    reports: new Counter({
      name: 'radstruct_reports_total',
      help: 'Reports by outcome',
      labelNames: ['outcome', 'task'],
      registers: [registry],
    }),
    flagged: new Counter({
      name: 'radstruct_fields_flagged_total',
      help: 'Fields below the triage threshold',
      labelNames: ['task'],
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'radstruct_report_seconds',
      help: 'Time per report, model and scoring',
      labelNames: ['task'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
    modelLatency: new Histogram({
      name: 'radstruct_model_seconds',
      help: 'Time in the model per report',
      labelNames: ['task'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
    queueLag: new Histogram({
      name: 'radstruct_queue_lag_seconds',
      help: 'From enqueue to start of processing',
      buckets: [0.1, 1, 5, 15, 60, 300, 900, 3600],
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'radstruct_in_flight_reports',
      help: 'Reports being processed',
      registers: [registry],
    }),
  }
}
export type Metrics = ReturnType<typeof createMetrics>
