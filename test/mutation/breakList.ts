/**
 * The README's promises, each with a break (one edit of one source file) and the test that must fail when the
 * break is applied. test/mutation/breaks.ts applies them; test/unit/breakList.test.ts checks that each edit still
 * applies to today's code, so the list cannot rot silently.
 *
 * Issue 15 lists breaks that once went unnoticed; this keeps them (and one break per promise besides) applied on
 * demand, so "a test catches it" stays a fact that anyone can check again:
 *
 *     npm run test:breaks                  # every break
 *     npm run test:breaks -- no-depends-on # only the ones named
 *
 * For each break the runner edits one source file in the copy (the edit must apply exactly once, or the break is
 * stale and the run fails), runs the named test files, and requires the test it names among the failures. The same
 * test files must pass on the unbroken copy first, so a failure means the break was seen, not that the test was
 * already red. Exit status 1 when any break goes unnoticed.
 */
export interface Break {
    /** A short id, to run one break alone. */
    readonly id: string;
    /** The promise the break violates, in the README's words where it has them. */
    readonly promise: string;
    readonly file: string;
    readonly from: string;
    readonly to: string;
    /** The test files to run (the unit and component projects). */
    readonly tests: readonly string[];
    /** A failing test's full name (describe … it) must contain this. */
    readonly caughtBy: string;
}

const OPTIONS = "test/components/options.test.ts";

export const BREAKS: readonly Break[] = [
    // Issue 15's list: breaks that once went unnoticed.
    {
        id: "no-depends-on",
        promise: "tier order: every edge of the step graph reaches the real resources as a dependency",
        file: "components/registry.ts",
        from: "return s.after.flatMap((a) => this.resources(a));",
        to: "return [];",
        tests: [OPTIONS],
        caughtBy: "turns every edge of the plan's step graph into a dependency of the real resources",
    },
    {
        id: "volumes-not-retained",
        promise: "protected volumes are kept on destroy",
        file: "components/container.ts",
        from: "retainOnDelete: v.stateful && opts.retainVolumes",
        to: "retainOnDelete: false",
        tests: [OPTIONS],
        caughtBy: "keeps every stateful volume on destroy",
    },
    {
        id: "one-volume-kind-not-retained",
        promise: "protected volumes are kept on destroy: every one, not a sample",
        file: "components/container.ts",
        from: "retainOnDelete: v.stateful && opts.retainVolumes",
        to: 'retainOnDelete: v.stateful && opts.retainVolumes && !v.volume.endsWith("-datalog")',
        tests: [OPTIONS],
        caughtBy: "keeps every stateful volume on destroy",
    },
    {
        id: "crypto-stdout-in-state",
        promise: "secrets are secret in the state: the crypto step's output",
        file: "components/material.ts",
        from: '{ parent: this, additionalSecretOutputs: ["stdout"] },\n        );\n        this.archive',
        to: "{ parent: this },\n        );\n        this.archive",
        tests: [OPTIONS],
        caughtBy: "keeps the crypto output secret in the state and out of the logs",
    },
    {
        id: "crypto-archive-plain",
        promise: "secrets are secret in the state: the crypto archive handed to other resources",
        file: "components/material.ts",
        from: "this.archive = pulumi.secret(this.command.stdout);",
        to: "this.archive = this.command.stdout;",
        tests: [OPTIONS],
        caughtBy: "keeps the crypto output secret in the state and out of the logs",
    },
    {
        id: "zookeeper-quorum-port-unchecked",
        promise: "unique ports: a ZooKeeper quorum port is checked for collisions",
        file: "config/validate/kafka.ts",
        from: 'ctx.ports.claim(z.host, spec.quorumPort, [...path, "quorumPort"], `${spec.name} quorum port`);',
        to: "",
        tests: ["test/unit/config.test.ts"],
        caughtBy: "ZooKeeper quorum port equal to its client port",
    },
    {
        id: "zookeeper-election-port-unchecked",
        promise: "unique ports: a ZooKeeper election port is checked for collisions",
        file: "config/validate/kafka.ts",
        from: 'ctx.ports.claim(z.host, spec.electionPort, [...path, "electionPort"], `${spec.name} election port`);',
        to: "",
        tests: ["test/unit/config.test.ts"],
        caughtBy: "ZooKeeper election port equal to its quorum port",
    },
    {
        id: "replica-fetch-above-message-size",
        promise: "validation: replica.fetch.max.bytes may not exceed message.max.bytes",
        file: "config/validate/kafka.ts",
        from: "if (replicaFetchMaxBytes > messageMaxBytes) {",
        to: "if (false) {",
        tests: ["test/unit/config.test.ts"],
        caughtBy: "replica fetch size above the message size",
    },
    {
        id: "two-lifecycles-on-a-channel",
        promise: "validation: one chaincode lifecycle per channel",
        file: "config/validate/chaincodes.ts",
        from: "if (set.size > 1)",
        to: "if (set.size > 2)",
        tests: ["test/unit/config.test.ts"],
        caughtBy: "two lifecycles on one channel",
    },
    {
        id: "admin-keys-through-ca-loop",
        promise: "least privilege: another org's admin key never reaches a host, whatever the copy is flagged",
        file: "plan/files.ts",
        from: "out.push({ from: GENERATED.orgTlsCa(other), to: `${cli}/tlsca/${other.domain}.pem` });",
        to: "out.push({ from: GENERATED.orgAdmin(other), to: `${cli}/tlsca/${other.domain}.pem` });",
        tests: ["test/unit/properties.test.ts"],
        caughtBy: "least privilege: every host receives exactly the keys it may hold",
    },
    // One break per remaining promise of the README.
    {
        id: "kafka-before-zookeeper",
        promise: "tier order: a broker starts only after every ZooKeeper node is ready",
        file: "plan/ordering/kafka.ts",
        from: "after: [...zk, stepId.deliver(b.host)] },",
        to: "after: [stepId.deliver(b.host)] },",
        tests: [OPTIONS],
        caughtBy: "starts each ordering tier after the whole previous tier",
    },
    {
        id: "orderers-after-one-broker",
        promise: "tier order: an orderer waits for the whole Kafka tier, not one broker",
        file: "plan/ordering/kafka.ts",
        from: "ordererAfter: k.kafka.brokers.map((b) => stepId.kafka(b.name)),",
        to: "ordererAfter: k.kafka.brokers.slice(0, 1).map((b) => stepId.kafka(b.name)),",
        tests: [OPTIONS],
        caughtBy: "starts each ordering tier after the whole previous tier",
    },
    {
        id: "started-not-ready",
        promise: "readiness: the next tier waits for a node to be ready, not merely started",
        file: "components/ordering.ts",
        from: "args.steps.record(c.step, node.ready);",
        to: "args.steps.record(c.step, node.container);",
        tests: [OPTIONS],
        caughtBy: "makes `up` wait for readiness of every node another resource waits for",
    },
    {
        id: "key-bundles-logged",
        promise: "secrets stay out of the logs: the host steps that carry keys",
        file: "components/host.ts",
        from: '...(args.sensitive ? { logging: "stderr" as const } : {}),',
        to: "",
        tests: [OPTIONS],
        caughtBy: "keeps every step whose output holds keys secret and unlogged",
    },
    {
        id: "crypto-regenerated",
        promise: "crypto material is extended, never regenerated",
        file: "components/material.ts",
        from: "update: script,",
        to: "update: script,\n                triggers: [this.configHash],",
        tests: [OPTIONS],
        caughtBy: "extends the crypto material in place, never replaces it",
    },
    {
        id: "replace-create-first",
        promise: "containers are replaced delete-first (fixed names and host ports)",
        file: "components/container.ts",
        from: "deleteBeforeReplace: true,",
        to: "deleteBeforeReplace: false,",
        tests: [OPTIONS],
        caughtBy: "replaces containers delete-first",
    },
    {
        id: "host-ports-unchecked",
        promise: "unique ports on each host",
        file: "config/validate/collector.ts",
        from: "const owner = this.owners.get(key);\n        if (owner) {",
        to: "const owner = this.owners.get(key);\n        if (owner && false) {",
        tests: ["test/unit/properties.test.ts"],
        caughtBy: "ports: a config whose ports collide on a host or inside a container is rejected",
    },
    {
        id: "container-ports-unchecked",
        promise: "unique ports inside each container",
        file: "config/validate/collector.ts",
        from: "if (owner && path) {",
        to: "if (owner && path && false) {",
        tests: ["test/unit/properties.test.ts"],
        caughtBy: "ports: a config whose ports collide on a host or inside a container is rejected",
    },
    {
        // The join step is guarded twice (before fetching the block, and inside each retried attempt), so removing
        // one of its guards changes nothing a test could see; the install step has one guard.
        id: "install-not-idempotent",
        promise: "idempotent steps: a second run changes nothing",
        file: "plan/scripts.ts",
        from: "`if peer lifecycle chaincode queryinstalled 2>/dev/null | grep -qF -- ${shq(`Package ID: ${id},`)}; then`,",
        to: "`if false; then`,",
        tests: ["test/unit/stepScripts.test.ts"],
        caughtBy: "acts once per step, and a second run of each step changes nothing",
    },
    {
        id: "legacy-instantiate-before-servers",
        promise: "legacy lifecycle: instantiate only once every member peer's chaincode server runs",
        file: "plan/steps.ts",
        from: "...members.map((p) => stepId.ccServer(cc.name, p.fqdn)),\n                ...ch.organizations",
        to: "...ch.organizations",
        tests: ["test/unit/legacy.test.ts"],
        caughtBy: "installs, starts the servers, then instantiates",
    },
    {
        id: "orderer-logs-its-key",
        promise: "secrets out of logs: no private key reaches a container's log (the orderer's settings dump)",
        file: "plan/orderer.ts",
        from: "FABRIC_LOGGING_SPEC: `${spec.logging}:${ORDERER_LOGGING}`,",
        to: "FABRIC_LOGGING_SPEC: spec.logging,",
        tests: ["test/unit/backendTls.test.ts"],
        caughtBy: "never logs its settings' dump",
    },
    {
        id: "orderer-ready-before-serving",
        promise: "readiness: an orderer is ready only once it serves, after its chains started",
        file: "plan/readiness.ts",
        from: "        serving(ctr, port),\n",
        to: "",
        tests: ["test/unit/readiness.test.ts"],
        caughtBy: "accepts but does not serve",
    },
    {
        id: "validation-message-changed",
        promise: "validation messages: each one is pinned, word for word, by a bad-config case",
        file: "config/validate/kafka.ts",
        from: "must not exceed messageMaxBytes",
        to: "must be at most messageMaxBytes",
        tests: ["test/unit/config.test.ts"],
        caughtBy: "replica fetch size above the message size",
    },
    {
        id: "warning-dropped",
        promise: "warnings: each one is pinned by a warning case",
        file: "config/validate/kafka.ts",
        from: "if (brokers.length > 0 && brokers.length < DEFAULTS.kafka.recommendedBrokers) {",
        to: "if (false) {",
        tests: ["test/unit/config.test.ts"],
        caughtBy: "warns: fewer than 4 brokers",
    },
];

/** The source with the break applied; throws when its edit does not apply exactly once (the break is stale). */
export function applyBreak(b: Break, source: string): string {
    const count = source.split(b.from).length - 1;
    if (count !== 1) throw new Error(`break ${b.id}: the text to replace occurs ${count} times in ${b.file}, not once`);
    return source.replace(b.from, () => b.to);
}
