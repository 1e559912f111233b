/// Bounded Damerau–Levenshtein distance (optimal string alignment: insertions, deletions,
/// substitutions and transpositions of adjacent characters), over Unicode scalars (as `search.js`
/// compares code points).
enum EditDistance {
    /// Whether `x` and `y` are at most `limit` edits apart. O(len × (2·limit + 1)).
    static func within(_ x: [Unicode.Scalar], _ y: [Unicode.Scalar], _ limit: Int) -> Bool {
        guard abs(x.count - y.count) <= limit else { return false }
        if x.isEmpty || y.isEmpty { return max(x.count, y.count) <= limit }
        let big = limit + 1, width = y.count + 1
        // Three rows (two back, for transpositions), rotated, in one allocation on the stack.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * width) { rows in
            var previous2 = rows.baseAddress!, previous = previous2 + width, current = previous + width
            for j in 0..<width {
                previous2[j] = big
                previous[j] = min(j, big)
                current[j] = big
            }
            for i in 1...x.count {
                current[0] = min(i, big)
                var rowMinimum = current[0]
                let low = max(1, i - limit), high = min(y.count, i + limit)
                if low > 1 { current[low - 1] = big }
                for j in low...max(low, high) where j <= y.count {
                    let cost = x[i - 1] == y[j - 1] ? 0 : 1
                    var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                    if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { value = min(value, previous2[j - 2] + 1) }
                    current[j] = min(value, big)
                    rowMinimum = min(rowMinimum, current[j])
                }
                if high < y.count { current[high + 1] = big }
                if rowMinimum > limit { return false }
                (previous2, previous, current) = (previous, current, previous2)
            }
            return previous[y.count] <= limit
        }
    }
}
