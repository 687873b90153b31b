/**
 * The signature-policy parser (config/validate/policy.ts): what it accepts, what it returns, and where it says a
 * policy goes wrong. badConfigs.ts pins the messages the validation builds on it.
 */
import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../config/validate/policy";

const principals = (...ps: [string, string][]) => ({ principals: ps.map(([msp, role]) => ({ msp, role })) });
const list = (n: number) => Array.from({ length: n }, (_, i) => `'Org${i}MSP.member'`).join(",");

describe("parsePolicy", () => {
    it("reads nested gates in every spelling, with any spacing", () => {
        expect(parsePolicy("OR(AND('Org1MSP.peer', 'Org5MSP.admin'), 'Org7MSP.member')")).toEqual(
            principals(["Org1MSP", "peer"], ["Org5MSP", "admin"], ["Org7MSP", "member"]),
        );
        expect(parsePolicy(' and ( "A.client" ,or("B.orderer") ) ')).toEqual(
            principals(["A", "client"], ["B", "orderer"]),
        );
        expect(parsePolicy("OUTOF(1, 'A.member')")).toEqual(principals(["A", "member"]));
    });

    it("takes OutOf counts from 1 to the number of its arguments, of any length", () => {
        expect(parsePolicy("OutOf(1, 'A.member', 'B.member')")).toEqual(principals(["A", "member"], ["B", "member"]));
        expect(parsePolicy("OutOf(2, 'A.member', 'B.member')")).toEqual(principals(["A", "member"], ["B", "member"]));
        expect(parsePolicy(`OutOf(10, ${list(10)})`)).toHaveProperty("principals");
        expect(parsePolicy(`OutOf(11, ${list(10)})`)).toEqual({
            error: `OutOf(11, ...) of 10 can never be satisfied at character ${`OutOf(11, ${list(10)})`.length + 1}`,
        });
        expect(parsePolicy("OutOf(0, 'A.member')")).toEqual({
            error: "OutOf(0, ...) of 1 can never be satisfied at character 21",
        });
    });

    it("says what it expected and what it found, and where", () => {
        const cases: [string, string][] = [
            ["OR('A.member'", "expected ')', found the end at character 14"],
            ["OR('A.member';", "expected ')', found ';' at character 14"],
            ["OutOf(1 'A.member')", "expected ',', found ''' at character 9"],
            ["OutOf(x1, 'A.member')", "OutOf needs a count first at character 7"],
            ["OR 'A.member'", "expected '(', found ''' at character 4"],
            ["9OR('A.member')", "expected AND(, OR(, OutOf( or a quoted principal at character 1"],
            ["NOT('A.member')", "expected AND(, OR(, OutOf( or a quoted principal at character 1"],
            ["OR('A.member)", "unterminated principal at character 4"],
            ["OR('-A.member')", `principal "-A.member" is not '<MSP id>.<role>' at character 4`],
            ["OR('A.Member')", `principal "A.Member" is not '<MSP id>.<role>' at character 4`],
            ["OR('A.member') x", "unexpected text after the policy at character 16"],
            ["'A.member'", "expected AND(, OR(, OutOf( or a quoted principal at character 1"],
        ];
        for (const [text, error] of cases) expect(parsePolicy(text), text).toEqual({ error });
    });
});
