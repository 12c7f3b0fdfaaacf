/// The known values nearest a mistyped one, by edit distance, for "did you mean" lines.
public enum Closest {
    /// The Levenshtein distance between `a` and `b` (insertions, deletions and substitutions of characters).
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// Up to `limit` values of `candidates` close enough to `value` to be what was meant, nearest first.
    ///
    /// Close enough: the same ignoring case, or at most a third of the value's length apart (at least 2 edits),
    /// compared without case so `trajectoryproduced` finds `TrajectoryProduced`.
    public static func matches(to value: String, in candidates: [String], limit: Int = 3) -> [String] {
        let wanted = value.lowercased()
        let allowed = max(2, wanted.count / 3)
        var scored: [(distance: Int, value: String)] = []
        for candidate in candidates {
            let lowered = candidate.lowercased()
            // Lengths alone bound the distance from below: skip the ones that cannot be close.
            guard abs(lowered.count - wanted.count) <= allowed else { continue }
            let d = distance(wanted, lowered)
            if d <= allowed { scored.append((d, candidate)) }
        }
        scored.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.value < $1.value }
        return scored.prefix(limit).map(\.value)
    }
}
