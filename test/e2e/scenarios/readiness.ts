/**
 * E2E phase: readiness that holds on the second try. A broker stopped behind the program's back during a cold
 * `up` makes that `up` fail naming the broker and its host, and nothing after the brokers starts; once the broker
 * runs again, the next `up` checks it again (its readiness step was never recorded, so it runs anew) and only
 * then creates the orderers. This is what the upstream docker provider's health wait does not do: its failed
 * container stays in the state and the next `up` accepts it unchecked (reference D5).
 *
 * The functions take the running stack's context, so the phase can be the cold `up` of any network the suite
 * brings up (test/e2e/readiness.test.ts runs it on the ordering tiers of the local topology on one simulated host).
 */
import { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { expect } from "vitest";

export interface ReadinessContext {
    readonly stack: Stack;
    /** Runs `docker <args>` against the engine of a host of the stack's config. */
    readonly docker: (host: string, args: string[]) => Promise<string>;
    /** The broker to break: its container name and its host's name in the config. */
    readonly broker: { readonly name: string; readonly host: string };
    /** The orderers: container resource name (`orderer0-container`), container name and host. */
    readonly orderers: ReadonlyArray<{ readonly resource: string; readonly name: string; readonly host: string }>;
    /** The stack's network.readyTimeoutSeconds. */
    readonly timeoutSeconds: number;
}

/** One engine event, with when this process received it. */
export interface Seen {
    readonly at: number;
    readonly event: EngineEvent;
}

const nameOf = (urn: string | undefined) => urn?.split("::").pop();

/** Events of one resource (by name) and kind. */
export function eventsOf(events: readonly Seen[], name: string, kind: keyof EngineEvent): Seen[] {
    return events.filter((s) => {
        const e = s.event as unknown as Record<string, { metadata?: { urn?: string }; urn?: string } | undefined>;
        const v = e[kind];
        return v !== undefined && nameOf(v.metadata?.urn ?? v.urn) === name;
    });
}

const first = (events: readonly Seen[], name: string, kind: keyof EngineEvent): Seen | undefined =>
    eventsOf(events, name, kind)[0];

/**
 * The cold `up`: as soon as the broker's container exists, it is stopped on its host without a grace period (the
 * restart policy keeps a stopped container stopped). Its readiness step then times out and `up` fails naming it; the other brokers
 * are ready, and no orderer is created.
 */
export async function coldUpFailsOnStoppedBroker(ctx: ReadinessContext): Promise<{ events: Seen[]; error: string }> {
    const events: Seen[] = [];
    let stopped: Promise<string> | undefined;
    const container = `${ctx.broker.name}-container`;
    const error = await ctx.stack
        .up({
            onOutput: (s) => process.stdout.write(s),
            onEvent: (event) => {
                events.push({ at: Date.now(), event });
                if (!stopped && nameOf(event.resOutputsEvent?.metadata.urn) === container) {
                    // -t 0: killed at once. With docker stop's 10 s grace the broker could finish starting first
                    // (it did in 8 s on an idle machine, and its readiness step then rightly passed).
                    stopped = ctx.docker(ctx.broker.host, ["stop", "-t", "0", ctx.broker.name]);
                }
            },
        })
        .then(
            () => "",
            (e: Error) => e.message,
        );
    expect(stopped, `the ${container} was never created`).toBeDefined();
    await stopped;
    expect(error, "the cold up must fail").not.toBe("");
    // Named: the node, its host, how long, and what the last check saw.
    expect(error).toContain(`${ctx.broker.name} on host ${ctx.broker.host} not ready after ${ctx.timeoutSeconds} s`);
    expect(error).toMatch(/last check: container is exited/);
    expect(first(events, `${ctx.broker.name}-ready`, "resOutputsEvent")).toBeUndefined();
    for (const o of ctx.orderers) expect(first(events, o.resource, "resourcePreEvent"), o.resource).toBeUndefined();
    return { events, error };
}

/**
 * The next `up` runs the broker's readiness step anew (a create: the failed one was not recorded); the broker is
 * repaired (started again) as that step begins, the step waits until the broker is ready, and the orderers are
 * created only after it succeeded. Returns the events and how long the step took.
 */
export async function nextUpRechecksBeforeOrderers(
    ctx: ReadinessContext,
): Promise<{ events: Seen[]; readySeconds: number }> {
    const events: Seen[] = [];
    const step = `${ctx.broker.name}-ready`;
    // The repair lands while the new up is already checking: the step must wait through the broker's start.
    let started: Promise<string> | undefined;
    const up = await ctx.stack.up({
        onOutput: (s) => process.stdout.write(s),
        onEvent: (event) => {
            events.push({ at: Date.now(), event });
            if (!started && nameOf(event.resourcePreEvent?.metadata.urn) === step) {
                started = ctx.docker(ctx.broker.host, ["start", ctx.broker.name]);
            }
        },
    });
    await started;
    expect(up.summary.result).toBe("succeeded");
    const pre = first(events, step, "resourcePreEvent");
    const done = first(events, step, "resOutputsEvent");
    expect(pre, `${step} ran again`).toBeDefined();
    expect(pre!.event.resourcePreEvent!.metadata.op).toBe("create");
    expect(done, `${step} succeeded`).toBeDefined();
    // It waited for the broker rather than accepting it: it said why it was not ready yet, then that it was (its
    // output, as recorded in the state; its streamed lines as well).
    const stdout = (done!.event.resOutputsEvent!.metadata.new?.outputs as { stdout?: unknown } | undefined)?.stdout;
    const said = [
        typeof stdout === "string" ? stdout : "",
        ...events
            .filter((s) => nameOf(s.event.diagnosticEvent?.urn) === step)
            .map((s) => s.event.diagnosticEvent!.message),
    ].join("\n");
    expect(said).toContain(`${ctx.broker.name}: not ready yet:`);
    expect(said).toContain(`${ctx.broker.name} on host ${ctx.broker.host} ready`);
    for (const o of ctx.orderers) {
        const created = first(events, o.resource, "resourcePreEvent");
        expect(created, `${o.resource} created`).toBeDefined();
        expect(created!.event.sequence, `${o.resource} starts after ${step} succeeded`).toBeGreaterThan(
            done!.event.sequence,
        );
    }
    // Checked from the outside too, on the engines' clocks: the broker logged that it started (in its current run)
    // before any orderer container was created.
    const log = await ctx.docker(ctx.broker.host, ["logs", "--timestamps", ctx.broker.name]);
    const startedAt = log
        .split("\n")
        .filter((l) => /\[KafkaServer id=\d+\] started/.test(l))
        .map((l) => Date.parse(l.split(" ")[0]!))
        .pop();
    expect(startedAt, "the broker logged that it started").toBeDefined();
    for (const o of ctx.orderers) {
        const created = Date.parse((await ctx.docker(o.host, ["inspect", "-f", "{{.Created}}", o.name])).trim());
        expect(created, `${o.name} created after ${ctx.broker.name} started`).toBeGreaterThan(startedAt!);
    }
    return { events, readySeconds: (done!.at - pre!.at) / 1000 };
}
