/** "Did you mean" for misspelt keys and names: the closest allowed word by edit distance, if close enough. */

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of two neighbours. */
export function editDistance(a: string, b: string): number {
    const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
        Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
    );
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
        }
    }
    return d[a.length]![b.length]!;
}

/**
 * The candidate closest to `word`, when it is close enough to be a likely typo: a difference of case only, or
 * an edit distance of at most a third of the word (at least 1, at most 3). Ties go to the first candidate.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
    let best: string | undefined;
    let bestScore = Infinity;
    for (const c of candidates) {
        if (c === word) continue;
        const score = c.toLowerCase() === word.toLowerCase() ? 0.5 : editDistance(word.toLowerCase(), c.toLowerCase());
        if (score < bestScore) {
            best = c;
            bestScore = score;
        }
    }
    const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
    return bestScore <= limit ? best : undefined;
}

/** ` did you mean "x"?` (with a leading space), or nothing. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
    const c = closest(word, candidates);
    return c === undefined ? "" : ` did you mean ${JSON.stringify(c)}?`;
}
