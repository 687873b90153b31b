/**
 * A resource provider plugin: the gRPC `pulumirpc.ResourceProvider` service the Pulumi engine talks to, on
 * top of the stubs generated into @pulumi/pulumi/proto. Each plugin (command, random) describes its
 * resources with the `Provider` interface below and calls `serve()`.
 *
 * Protocol, as the engine uses it: it starts the plugin with its own address as the last argument and reads
 * the port the plugin listens on from the first line of its stdout. Nothing else may be written to stdout.
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as enginepb from "@pulumi/pulumi/proto/engine_pb";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as pluginpb from "@pulumi/pulumi/proto/plugin_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provpb from "@pulumi/pulumi/proto/provider_pb";
import { Obj, Props, UNKNOWN, Value, containsUnknown, decode, deepEqual, emptyProps, encode } from "./values";
import { cancelAll } from "./exec";

/** What an operation can use besides its inputs. */
export interface OpContext {
    readonly urn: string;
    /** Seconds, from the resource's customTimeouts (0: none given). */
    readonly timeout: number;
    info(msg: string): void;
    warn(msg: string): void;
    /** A transient status line shown next to the resource while it is being worked on. */
    status(msg: string): void;
}

export interface DiffResult {
    /** Changed top-level input keys. */
    readonly changed: string[];
    /** The subset of `changed` that forces a replacement. */
    readonly replaces: string[];
    readonly deleteBeforeReplace?: boolean;
}

export interface CheckFailure {
    readonly property: string;
    readonly reason: string;
}

export interface Created {
    readonly id: string;
    readonly outs: Props;
}

export interface ResourceType {
    /** Input validation; inputs are passed back unchanged. Unknown values may appear (preview). */
    check?(news: Props): CheckFailure[];
    diff(olds: Props, news: Props, oldState: Props, ignore: ReadonlySet<string>): DiffResult;
    /** With preview=true: no side effects, computed outputs UNKNOWN. */
    create(ctx: OpContext, inputs: Props, preview: boolean): Promise<Created>;
    /** Returns the current state, or undefined when the resource is gone. */
    read(ctx: OpContext, id: string, state: Props, inputs: Props): Promise<{ state: Props; inputs: Props } | undefined>;
    update(
        ctx: OpContext,
        id: string,
        oldState: Props,
        oldInputs: Props,
        news: Props,
        preview: boolean,
    ): Promise<Props>;
    delete(ctx: OpContext, id: string, state: Props, oldInputs: Props): Promise<void>;
}

export type InvokeFn = (ctx: OpContext, args: Props) => Promise<Props>;

export interface Provider {
    readonly name: string;
    readonly version: string;
    /** Provider configuration (top-level config keys, secrets unwrapped; values may be JSON-encoded strings). */
    configure(config: Obj): void;
    readonly resources: Record<string, ResourceType>;
    readonly invokes?: Record<string, InvokeFn>;
}

// ---------------------------------------------------------------------------------------------------------------
// Diff helper shared by the resource types.

/**
 * Compares the old inputs with the new ones, key by key. A key whose new value is (or contains) an unknown
 * counts as changed. `replaceIf(key)` says which changed keys force a replacement.
 */
export function diffInputs(
    olds: Props,
    news: Props,
    ignore: ReadonlySet<string>,
    replaceIf: (key: string) => boolean,
): DiffResult {
    const keys = new Set([...Object.keys(olds.v), ...Object.keys(news.v)]);
    const changed: string[] = [];
    for (const k of [...keys].sort()) {
        if (ignore.has(k)) continue;
        const n = news.v[k];
        if (containsUnknown(n) || !deepEqual(olds.v[k], n)) changed.push(k);
    }
    return { changed, replaces: changed.filter(replaceIf) };
}

// ---------------------------------------------------------------------------------------------------------------
// Engine log client.

class EngineLog {
    private client?: enginerpc.EngineClient;
    private addr?: string;

    setAddress(addr: string | undefined): void {
        if (!addr || addr === this.addr) return;
        this.addr = addr;
        this.client?.close();
        this.client = new enginerpc.EngineClient(addr, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": 400 * 1024 * 1024,
            "grpc.max_send_message_length": 400 * 1024 * 1024,
        });
    }

    send(severity: enginepb.LogSeverity, msg: string, urn: string, ephemeral: boolean): void {
        if (!this.client) {
            process.stderr.write(`${msg}\n`);
            return;
        }
        const req = new enginepb.LogRequest();
        req.setSeverity(severity);
        req.setMessage(msg);
        req.setUrn(urn);
        req.setEphemeral(ephemeral);
        this.client.log(req, (err) => {
            if (err) process.stderr.write(`${msg}\n`);
        });
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The service.

type Unary<Req, Res> = grpc.handleUnaryCall<Req, Res>;

function errorMessage(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}

/** A gRPC error carrying the message. */
function toGrpcError(e: unknown): grpc.ServiceError {
    const message = errorMessage(e);
    return Object.assign(new Error(message), {
        code: grpc.status.UNKNOWN,
        details: message,
        metadata: new grpc.Metadata(),
    });
}

/** Runs an async handler and reports its result or error through the gRPC callback. */
function handle<Req, Res>(fn: (req: Req) => Promise<Res> | Res): Unary<Req, Res> {
    return (call, callback) => {
        Promise.resolve()
            .then(() => fn(call.request))
            .then(
                (res) => callback(null, res),
                (e: unknown) => callback(toGrpcError(e), null),
            );
    };
}

export function serve(provider: Provider): void {
    // The launcher put the repository's node_modules on NODE_PATH for this process only: the commands this
    // plugin runs get the caller's NODE_PATH back.
    if (process.env["STANDIN_NODE_PATH"] !== undefined) {
        const orig = process.env["STANDIN_NODE_PATH"];
        if (orig) process.env["NODE_PATH"] = orig;
        else delete process.env["NODE_PATH"];
        delete process.env["STANDIN_NODE_PATH"];
    }
    const log = new EngineLog();
    // The engine address is the last argument that is not a flag (the engine may pass flags before it).
    const positional = process.argv.slice(2).filter((a) => !a.startsWith("-"));
    log.setAddress(positional[positional.length - 1]);

    const ctxFor = (urn: string, timeout = 0): OpContext => ({
        urn,
        timeout,
        info: (m) => log.send(enginepb.LogSeverity.INFO, m, urn, false),
        warn: (m) => log.send(enginepb.LogSeverity.WARNING, m, urn, false),
        status: (m) => log.send(enginepb.LogSeverity.INFO, m, urn, true),
    });

    const typeOf = (urn: string, type: string): [string, ResourceType] => {
        // urn:pulumi:stack::project::parent$type::name; the request's own type field is preferred.
        const tok = type || (urn.split("::")[2] ?? "").split("$").pop() || "";
        const rt = provider.resources[tok];
        if (!rt) throw new Error(`${provider.name} provider: unknown resource type ${tok}`);
        return [tok, rt];
    };

    const service: grpc.UntypedServiceImplementation = {
        getPluginInfo: handle<Empty, pluginpb.PluginInfo>(() => {
            const info = new pluginpb.PluginInfo();
            info.setVersion(provider.version);
            return info;
        }),

        handshake: handle<provpb.ProviderHandshakeRequest, provpb.ProviderHandshakeResponse>((req) => {
            log.setAddress(req.getEngineAddress());
            const res = new provpb.ProviderHandshakeResponse();
            res.setAcceptSecrets(true);
            res.setAcceptResources(true);
            res.setAcceptOutputs(false);
            res.setSupportsAutonamingConfiguration(false);
            return res;
        }),

        attach: handle<pluginpb.PluginAttach, Empty>((req) => {
            log.setAddress(req.getAddress());
            return new Empty();
        }),

        getSchema: handle<provpb.GetSchemaRequest, provpb.GetSchemaResponse>(() => {
            const res = new provpb.GetSchemaResponse();
            res.setSchema("{}");
            return res;
        }),

        checkConfig: handle<provpb.CheckRequest, provpb.CheckResponse>((req) => {
            const res = new provpb.CheckResponse();
            res.setInputs(req.getNews() ?? new Struct());
            return res;
        }),

        // Changing the provider configuration never replaces the provider (that would replace all its resources).
        diffConfig: handle<provpb.DiffRequest, provpb.DiffResponse>((req) => {
            const olds = decode(req.getOldInputs() ?? req.getOlds());
            const news = decode(req.getNews());
            const d = diffInputs(olds, news, new Set(req.getIgnorechangesList()), () => false);
            const res = new provpb.DiffResponse();
            res.setChanges(
                d.changed.length
                    ? provpb.DiffResponse.DiffChanges.DIFF_SOME
                    : provpb.DiffResponse.DiffChanges.DIFF_NONE,
            );
            res.setDiffsList(d.changed);
            return res;
        }),

        configure: handle<provpb.ConfigureRequest, provpb.ConfigureResponse>((req) => {
            let config: Obj;
            if (req.hasArgs()) {
                config = decode(req.getArgs()).v;
            } else {
                // Deprecated form: "<pkg>:config:<key>" => string.
                config = {};
                for (const [k, v] of req.getVariablesMap().entries()) {
                    config[k.replace(/^[^:]+:config:/, "")] = v;
                }
            }
            delete config["version"];
            provider.configure(config);
            const res = new provpb.ConfigureResponse();
            res.setAcceptsecrets(true);
            res.setAcceptresources(true);
            res.setSupportspreview(true);
            res.setAcceptoutputs(false);
            return res;
        }),

        check: handle<provpb.CheckRequest, provpb.CheckResponse>((req) => {
            const [, rt] = typeOf(req.getUrn(), req.getType());
            const news = req.getNews() ?? new Struct();
            const res = new provpb.CheckResponse();
            res.setInputs(news);
            const failures = rt.check ? rt.check(decode(news)) : [];
            res.setFailuresList(
                failures.map((f) => {
                    const cf = new provpb.CheckFailure();
                    cf.setProperty(f.property);
                    cf.setReason(f.reason);
                    return cf;
                }),
            );
            return res;
        }),

        diff: handle<provpb.DiffRequest, provpb.DiffResponse>((req) => {
            const [, rt] = typeOf(req.getUrn(), req.getType());
            const oldState = decode(req.getOlds());
            const olds = req.hasOldInputs() ? decode(req.getOldInputs()) : oldState;
            const news = decode(req.getNews());
            const d = rt.diff(olds, news, oldState, new Set(req.getIgnorechangesList()));
            const res = new provpb.DiffResponse();
            const K = provpb.DiffResponse.DiffChanges;
            res.setChanges(d.changed.length ? K.DIFF_SOME : K.DIFF_NONE);
            res.setDiffsList(d.changed);
            res.setReplacesList(d.replaces);
            res.setDeletebeforereplace(d.replaces.length > 0 && d.deleteBeforeReplace === true);
            res.setHasdetaileddiff(true);
            const detailed = res.getDetaileddiffMap();
            for (const k of d.changed) {
                const pd = new provpb.PropertyDiff();
                const replace = d.replaces.includes(k);
                const had = olds.v[k] !== undefined;
                const has = news.v[k] !== undefined;
                const PK = provpb.PropertyDiff.Kind;
                pd.setKind(
                    !had
                        ? replace
                            ? PK.ADD_REPLACE
                            : PK.ADD
                        : !has
                          ? replace
                              ? PK.DELETE_REPLACE
                              : PK.DELETE
                          : replace
                            ? PK.UPDATE_REPLACE
                            : PK.UPDATE,
                );
                pd.setInputdiff(true);
                detailed.set(k, pd);
            }
            return res;
        }),

        create: handle<provpb.CreateRequest, provpb.CreateResponse>(async (req) => {
            const [, rt] = typeOf(req.getUrn(), req.getType());
            const created = await rt.create(
                ctxFor(req.getUrn(), req.getTimeout()),
                decode(req.getProperties()),
                req.getPreview(),
            );
            const res = new provpb.CreateResponse();
            res.setId(created.id);
            res.setProperties(encode(created.outs));
            return res;
        }),

        read: handle<provpb.ReadRequest, provpb.ReadResponse>(async (req) => {
            const [, rt] = typeOf(req.getUrn(), req.getType());
            const state = decode(req.getProperties());
            const inputs = decode(req.getInputs());
            const got = await rt.read(ctxFor(req.getUrn(), req.getTimeout()), req.getId(), state, inputs);
            const res = new provpb.ReadResponse();
            if (!got) {
                res.setId("");
                return res;
            }
            res.setId(req.getId());
            res.setProperties(encode(got.state));
            res.setInputs(encode(got.inputs));
            return res;
        }),

        update: handle<provpb.UpdateRequest, provpb.UpdateResponse>(async (req) => {
            const [, rt] = typeOf(req.getUrn(), req.getType());
            const oldState = decode(req.getOlds());
            const oldInputs = req.hasOldInputs() ? decode(req.getOldInputs()) : oldState;
            const outs = await rt.update(
                ctxFor(req.getUrn(), req.getTimeout()),
                req.getId(),
                oldState,
                oldInputs,
                decode(req.getNews()),
                req.getPreview(),
            );
            const res = new provpb.UpdateResponse();
            res.setProperties(encode(outs));
            return res;
        }),

        delete: handle<provpb.DeleteRequest, Empty>(async (req) => {
            const [, rt] = typeOf(req.getUrn(), req.getType());
            const state = decode(req.getProperties());
            const oldInputs = req.hasOldInputs() ? decode(req.getOldInputs()) : state;
            await rt.delete(ctxFor(req.getUrn(), req.getTimeout()), req.getId(), state, oldInputs);
            return new Empty();
        }),

        invoke: handle<provpb.InvokeRequest, provpb.InvokeResponse>(async (req) => {
            const fn = provider.invokes?.[req.getTok()];
            if (!fn) throw new Error(`${provider.name} provider: unknown function ${req.getTok()}`);
            const out = await fn(ctxFor(""), decode(req.getArgs()));
            const res = new provpb.InvokeResponse();
            res.setReturn(encode(out));
            return res;
        }),

        cancel: handle<Empty, Empty>(() => {
            cancelAll();
            return new Empty();
        }),
    };

    const server = new grpc.Server({
        "grpc.max_receive_message_length": 400 * 1024 * 1024,
        "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
    server.addService(provrpc.ResourceProviderService, service);
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
        if (err) {
            process.stderr.write(`${provider.name} provider: cannot listen: ${err.message}\n`);
            process.exit(1);
        }
        process.stdout.write(`${port}\n`);
    });
    process.on("SIGTERM", () => {
        cancelAll();
        server.forceShutdown();
        process.exit(0);
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Output helpers.

/** Outputs that echo the inputs (keeping their secretness) plus computed values. */
export function outputs(inputs: Props, computed: Obj, secretComputed: Iterable<string> = []): Props {
    const out = emptyProps();
    for (const [k, v] of Object.entries(inputs.v)) out.v[k] = v;
    for (const k of inputs.secret) out.secret.add(k);
    for (const [k, v] of Object.entries(computed)) {
        if (v === null || v === undefined) continue;
        out.v[k] = v;
    }
    for (const k of secretComputed) out.secret.add(k);
    return out;
}

/** Input props restricted to keys (e.g. to recover the inputs from a state for `read`). */
export { UNKNOWN, type Value };
