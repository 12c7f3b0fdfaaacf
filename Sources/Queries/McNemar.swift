import Foundation

/// The exact McNemar test: a two-sided binomial test on the discordant pairs.
public enum McNemar {
    /// p = min(1, 2 · P(X ≤ min(b, c))) for X ~ Binomial(b + c, 1/2); 1 when there are no discordant pairs.
    ///
    /// Summed in log space (lgamma), so it stays accurate for thousands of pairs.
    public static func exactPValue(b: Int, c: Int) -> Double {
        let n = b + c
        guard n > 0 else { return 1 }
        let k = min(b, c)
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
}
