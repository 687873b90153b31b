/** Stand-in for the `random` provider plugin (npm @pulumi/random 4.21.1): random:index/randomPassword:RandomPassword. */
import { randomInt } from "node:crypto";
import { CheckFailure, Provider, ResourceType, diffInputs, outputs, serve } from "./server";
import { Obj, Props, UNKNOWN, bool, num, str } from "./values";

const KEYS = [
    "length",
    "special",
    "upper",
    "lower",
    "numeric",
    "number",
    "minLower",
    "minUpper",
    "minNumeric",
    "minSpecial",
    "overrideSpecial",
    "keepers",
];
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const NUMERIC = "0123456789";
const SPECIAL = "!@#$%&*()-_=+[]{}<>:?";

/** A password per the inputs: each class's minimum first, the rest from all enabled classes, then shuffled. */
export function generate(i: Obj): string {
    const length = num(i, "length");
    if (length === undefined || !Number.isInteger(length) || length < 1)
        throw new Error("length must be a positive integer");
    const classes: { chars: string; min: number }[] = [];
    const add = (enabled: boolean | undefined, chars: string, min: number | undefined) => {
        if (enabled !== false && chars.length) classes.push({ chars, min: min ?? 0 });
    };
    add(bool(i, "lower"), LOWER, num(i, "minLower"));
    add(bool(i, "upper"), UPPER, num(i, "minUpper"));
    add(bool(i, "numeric") ?? bool(i, "number"), NUMERIC, num(i, "minNumeric"));
    add(bool(i, "special"), str(i, "overrideSpecial") ?? SPECIAL, num(i, "minSpecial"));
    if (!classes.length) throw new Error("at least one character class must be enabled");
    const out: string[] = [];
    for (const c of classes) for (let n = 0; n < c.min; n++) out.push(c.chars[randomInt(c.chars.length)]!);
    if (out.length > length)
        throw new Error(`length ${length} is less than the sum of the minimum counts (${out.length})`);
    const all = classes.map((c) => c.chars).join("");
    while (out.length < length) out.push(all[randomInt(all.length)]!);
    for (let k = out.length - 1; k > 0; k--) {
        const j = randomInt(k + 1);
        [out[k], out[j]] = [out[j]!, out[k]!];
    }
    return out.join("");
}

function check(news: Props): CheckFailure[] {
    const f: CheckFailure[] = Object.keys(news.v)
        .filter((k) => !KEYS.includes(k))
        .map((k) => ({ property: k, reason: `RandomPassword.${k} is not supported by this stand-in random provider` }));
    const length = news.v["length"];
    if (length === undefined) f.push({ property: "length", reason: "missing required property length" });
    else if (length !== UNKNOWN && (typeof length !== "number" || !Number.isInteger(length) || length < 1)) {
        f.push({ property: "length", reason: "length must be a positive integer" });
    }
    return f;
}

const randomPassword: ResourceType = {
    check,
    // Every input (keepers included) shapes the password: any change makes a new one.
    diff: (olds, news, _oldState, ignore) => diffInputs(olds, news, ignore, () => true),
    create(_ctx, inputs, preview) {
        if (preview) return Promise.resolve({ id: "", outs: outputs(inputs, { result: UNKNOWN }, ["result"]) });
        return Promise.resolve({ id: "none", outs: outputs(inputs, { result: generate(inputs.v) }, ["result"]) });
    },
    read: (_ctx, _id, state, inputs) => Promise.resolve({ state, inputs }),
    update(_ctx, _id, oldState, _oldInputs, news) {
        return Promise.resolve(outputs(news, { result: oldState.v["result"] ?? null }, ["result"]));
    },
    delete: () => Promise.resolve(),
};

export const randomProvider: Provider = {
    name: "random",
    version: "4.21.1",
    configure: () => undefined,
    resources: { "random:index/randomPassword:RandomPassword": randomPassword },
};

if (require.main === module) serve(randomProvider);
