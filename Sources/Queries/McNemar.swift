import Foundation

/// The exact McNemar test: a two-sided binomial test on the discordant pairs.
public enum McNemar {
    /// Up to this many discordant pairs the tail is summed in exact integers (a few milliseconds at the limit);
    /// beyond it, in log space, where the rounding no longer shows in the digits printed.
    static let exactLimit = 20_000

    /// p = min(1, 2 · P(X ≤ min(b, c))) for X ~ Binomial(b + c, 1/2); 1 when there are no discordant pairs.
    ///
    /// Never above 1, and exactly 1 when |b − c| ≤ 1 (the smaller side's tail then holds at least half the mass).
    /// Computed exactly, as the integer sum of C(n, i) over 2^(n−1), rounded once to the nearest `Double`; past
    /// ``exactLimit`` pairs, in log space.
    public static func exactPValue(b: Int, c: Int) -> Double {
        let n = b + c
        let k = min(b, c)
        // 2 · P(X ≤ k) ≥ 1 when k ≥ (n − 1) / 2: the two tails overlap or meet in the middle.
        guard n > 0, 2 * k + 1 < n else { return 1 }
        guard n <= exactLimit else { return logSpacePValue(n: n, k: k) }
        // Σ_{i ≤ k} C(n, i), exactly, then divided by 2^(n−1).
        var term = BigUInt(1)
        var sum = BigUInt(1)
        for i in 0..<k {
            term.multiply(by: UInt32(n - i))
            term.divide(by: UInt32(i + 1))
            sum.add(term)
        }
        return min(1, sum.scaledDouble(exponent: -(n - 1)))
    }

    /// The same p in log space (lgamma), for many pairs; clamped to 1.
    static func logSpacePValue(n: Int, k: Int) -> Double {
        let logHalfN = Double(n) * log(0.5)
        var terms: [Double] = []
        for i in 0...k { terms.append(logChoose(n, i) + logHalfN) }
        let m = terms.max()!
        let tail = exp(m) * terms.reduce(0) { $0 + exp($1 - m) }
        return min(1, 2 * tail)
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }

    /// A p-value for people: `1` when it is exactly 1, else 4 significant digits (`0.1038`, `2.971e-12`).
    public static func format(_ p: Double) -> String {
        p == 1 ? "1" : String(format: "%.4g", p)
    }
}

/// Just enough of an unsigned big integer for binomial sums: little-endian 32-bit limbs.
struct BigUInt {
    var limbs: [UInt32]

    init(_ value: UInt32) { limbs = [value] }

    mutating func multiply(by m: UInt32) {
        var carry: UInt64 = 0
        for i in limbs.indices {
            let v = UInt64(limbs[i]) * UInt64(m) + carry
            limbs[i] = UInt32(truncatingIfNeeded: v)
            carry = v >> 32
        }
        if carry > 0 { limbs.append(UInt32(carry)) }
    }

    /// Divides by `d`; callers divide only where the quotient is exact (C(n, i) · (n − i) / (i + 1)).
    mutating func divide(by d: UInt32) {
        var remainder: UInt64 = 0
        for i in limbs.indices.reversed() {
            let v = (remainder << 32) | UInt64(limbs[i])
            limbs[i] = UInt32(v / UInt64(d))
            remainder = v % UInt64(d)
        }
        while limbs.count > 1 && limbs.last == 0 { limbs.removeLast() }
    }

    mutating func add(_ other: BigUInt) {
        if other.limbs.count > limbs.count { limbs += Array(repeating: 0, count: other.limbs.count - limbs.count) }
        var carry: UInt64 = 0
        for i in limbs.indices {
            let v = UInt64(limbs[i]) + (i < other.limbs.count ? UInt64(other.limbs[i]) : 0) + carry
            limbs[i] = UInt32(truncatingIfNeeded: v)
            carry = v >> 32
        }
        if carry > 0 { limbs.append(UInt32(carry)) }
    }

    /// self · 2^exponent, rounded once to the nearest `Double` (the top 64 bits, with a sticky bit for the rest,
    /// round correctly; only a result below `Double`'s normal range rounds twice).
    func scaledDouble(exponent: Int) -> Double {
        guard let top = limbs.lastIndex(where: { $0 != 0 }) else { return 0 }
        let bits = top * 32 + (32 - limbs[top].leadingZeroBitCount)
        guard bits > 64 else {
            var v: UInt64 = 0
            for i in stride(from: top, through: 0, by: -1) { v = v << 32 | UInt64(limbs[i]) }
            return scalbn(Double(v), exponent)
        }
        // The 64 bits from bit `bits - 1` down, and whether anything below them is set.
        let shift = bits - 64
        var v: UInt64 = 0
        for bit in stride(from: bits - 1, through: shift, by: -1) {
            v = v << 1 | UInt64(limbs[bit / 32] >> UInt32(bit % 32) & 1)
        }
        var sticky = false
        for i in 0..<(shift / 32) where limbs[i] != 0 { sticky = true }
        if shift % 32 > 0, limbs[shift / 32] & ((1 << UInt32(shift % 32)) - 1) != 0 { sticky = true }
        if sticky { v |= 1 }
        return scalbn(Double(v), exponent + shift)
    }
}
