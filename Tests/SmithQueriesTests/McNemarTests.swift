import SmithQueries
import Testing

@Suite("Exact McNemar test")
struct McNemarTests {
    /// Expected values computed independently with Python's exact integers:
    /// `min(1, float(2 * Fraction(sum(comb(b + c, i) for i in range(min(b, c) + 1)), 2 ** (b + c))))`.
    @Test(
        "p-values match an exact rational computation",
        arguments: [
            (18, 88, 2.970770255782769e-12), (5, 5, 1.0), (0, 3, 0.25), (40, 57, 0.10376938287271786), (0, 0, 1.0),
        ])
    func exact(b: Int, c: Int, expected: Double) {
        let p = McNemar.exactPValue(b: b, c: c)
        #expect(abs(p - expected) <= 1e-9 * expected)
        #expect(McNemar.exactPValue(b: c, c: b) == p)
    }

    @Test("thousands of discordant pairs stay finite and tiny")
    func large() {
        let p = McNemar.exactPValue(b: 1000, c: 2000)
        #expect(p > 0 && p < 1e-60)
    }
}
