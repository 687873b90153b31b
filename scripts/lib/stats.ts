/** Latency statistics for the benchmark: pure, so the figures it prints are tested. */

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
    if (samples.length === 0) return NaN;
    const sorted = [...samples].sort((a, b) => a - b);
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface LevelResult {
    readonly concurrency: number;
    readonly attempted: number;
    readonly succeeded: number;
    readonly failed: number;
    /** Wall time of the level, seconds. */
    readonly seconds: number;
    /** Committed transactions per second. */
    readonly tps: number;
    readonly p50: number;
    readonly p95: number;
    readonly p99: number;
    readonly max: number;
    /** Failure message (first line) → count. */
    readonly failures: Readonly<Record<string, number>>;
}

export function summarize(
    concurrency: number,
    latenciesMs: readonly number[],
    failures: readonly string[],
    seconds: number,
): LevelResult {
    const byMessage: Record<string, number> = {};
    for (const f of failures) byMessage[f] = (byMessage[f] ?? 0) + 1;
    return {
        concurrency,
        attempted: latenciesMs.length + failures.length,
        succeeded: latenciesMs.length,
        failed: failures.length,
        seconds,
        tps: seconds > 0 ? latenciesMs.length / seconds : 0,
        p50: percentile(latenciesMs, 50),
        p95: percentile(latenciesMs, 95),
        p99: percentile(latenciesMs, 99),
        max: latenciesMs.length ? Math.max(...latenciesMs) : NaN,
        failures: byMessage,
    };
}

const ms = (v: number) => (Number.isNaN(v) ? "-" : `${Math.round(v)}`);

export function resultTable(results: readonly LevelResult[]): string {
    const head = ["concurrency", "tx", "ok", "failed", "seconds", "tps", "p50 ms", "p95 ms", "p99 ms", "max ms"];
    const rows = results.map((r) => [
        String(r.concurrency),
        String(r.attempted),
        String(r.succeeded),
        String(r.failed),
        r.seconds.toFixed(1),
        r.tps.toFixed(1),
        ms(r.p50),
        ms(r.p95),
        ms(r.p99),
        ms(r.max),
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join("  ");
    return [line(head), ...rows.map(line)].join("\n");
}
