/// Bounded Damerau–Levenshtein distance (optimal string alignment: insertions, deletions,
/// substitutions and transpositions of adjacent characters), over Unicode characters.
enum EditDistance {
    /// Whether `a` and `b` are at most `limit` edits apart. O(len × (2·limit + 1)).
    static func within(_ a: String, _ b: String, _ limit: Int) -> Bool {
        let x = Array(a), y = Array(b)
        guard abs(x.count - y.count) <= limit else { return false }
        if x.isEmpty || y.isEmpty { return max(x.count, y.count) <= limit }
        let big = limit + 1
        var previous2 = [Int](repeating: big, count: y.count + 1)
        var previous = (0...y.count).map { min($0, big) }
        var current = [Int](repeating: big, count: y.count + 1)
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
