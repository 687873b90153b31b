/**
 * Fabric's signature-policy language, parsed the way Fabric's policydsl reads it: AND(...), OR(...),
 * OutOf(n, ...) (also in lower or upper case) over principals '<MSP id>.<role>'. Nothing else is accepted, so
 * a policy that validates is also a policy without shell metacharacters beyond its quotes.
 */

export const POLICY_ROLES = ["member", "peer", "admin", "client", "orderer"] as const;

export interface Principal {
    readonly msp: string;
    readonly role: string;
}

export type PolicyResult = { readonly principals: Principal[] } | { readonly error: string };

const GATES = new Map<string, "and" | "or" | "outof">([
    ["AND", "and"],
    ["And", "and"],
    ["and", "and"],
    ["OR", "or"],
    ["Or", "or"],
    ["or", "or"],
    ["OutOf", "outof"],
    ["OUTOF", "outof"],
    ["outof", "outof"],
]);

export function parsePolicy(text: string): PolicyResult {
    let i = 0;
    const principals: Principal[] = [];
    const ws = () => {
        while (i < text.length && /\s/.test(text[i]!)) i++;
    };
    const fail = (what: string): never => {
        throw new Error(`${what} at character ${i + 1}`);
    };
    const expect = (ch: string) => {
        ws();
        if (text[i] !== ch) fail(`expected '${ch}'${i < text.length ? `, found '${text[i]}'` : ", found the end"}`);
        i++;
    };
    const principal = (): void => {
        const quote = text[i]!;
        const end = text.indexOf(quote, i + 1);
        if (end < 0) fail("unterminated principal");
        const body = text.slice(i + 1, end);
        const m = /^([A-Za-z0-9][A-Za-z0-9.-]*)\.([a-z]+)$/.exec(body);
        if (!m) fail(`principal ${JSON.stringify(body)} is not '<MSP id>.<role>'`);
        principals.push({ msp: m![1]!, role: m![2]! });
        i = end + 1;
    };
    const arg = (): void => {
        ws();
        if (text[i] === "'" || text[i] === '"') principal();
        else gate();
    };
    const gate = (): void => {
        ws();
        const m = /^[A-Za-z]+/.exec(text.slice(i));
        const kind = m ? GATES.get(m[0]) : undefined;
        if (!kind) fail("expected AND(, OR(, OutOf( or a quoted principal");
        i += m![0].length;
        expect("(");
        let args = 0;
        let n = 0;
        if (kind === "outof") {
            ws();
            const num = /^\d+/.exec(text.slice(i));
            if (!num) fail("OutOf needs a count first");
            n = Number(num![0]);
            i += num![0].length;
            expect(",");
        }
        for (;;) {
            arg();
            args++;
            ws();
            if (text[i] === ",") {
                i++;
                continue;
            }
            break;
        }
        expect(")");
        if (kind === "outof" && (n < 1 || n > args)) fail(`OutOf(${n}, ...) of ${args} can never be satisfied`);
    };
    try {
        gate();
        ws();
        if (i < text.length) fail("unexpected text after the policy");
    } catch (e) {
        return { error: (e as Error).message };
    }
    return { principals };
}
