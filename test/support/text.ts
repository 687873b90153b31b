import { expect } from "vitest";

/** Each part occurs in `text`, and in this order (a missing part fails; it never counts as "before"). */
export function expectInOrder(text: string, ...parts: string[]): void {
    let from = 0;
    for (const part of parts) {
        const at = text.indexOf(part, from);
        expect(at, `${JSON.stringify(part)} after position ${from} in:\n${text}`).toBeGreaterThanOrEqual(0);
        from = at + part.length;
    }
}
