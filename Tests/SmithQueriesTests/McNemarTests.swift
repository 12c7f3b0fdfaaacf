import Testing

@testable import SmithQueries

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

@Suite("Exact McNemar test: exactness")
struct McNemarExactnessTests {
    @Test(
        "equal or nearly equal discordant counts give exactly 1",
        arguments: [(5, 5), (0, 1), (5, 6), (700, 700), (30_000, 30_000)])
    func one(b: Int, c: Int) {
        #expect(McNemar.exactPValue(b: b, c: c) == 1)
        #expect(McNemar.format(McNemar.exactPValue(b: b, c: c)) == "1")
    }

    @Test("dyadic values come out exact: 2 · Σ C(n, i) / 2^n")
    func dyadic() {
        #expect(McNemar.exactPValue(b: 4, c: 6) == 386.0 / 512)
        #expect(McNemar.exactPValue(b: 1, c: 7) == 18.0 / 256)
        #expect(McNemar.exactPValue(b: 0, c: 3) == 0.25)
        #expect(McNemar.exactPValue(b: 0, c: 100) == 0x1p-99)
    }

    @Test("never above 1, symmetric, and falling as the counts part", arguments: [10, 101, 1000])
    func bounded(n: Int) {
        var previous = 1.0
        for b in stride(from: n / 2, through: 0, by: -1) {
            let p = McNemar.exactPValue(b: b, c: n - b)
            #expect(p <= 1 && p > 0)
            #expect(p <= previous)
            #expect(McNemar.exactPValue(b: n - b, c: b) == p)
            previous = p
        }
    }

    @Test("the exact and log-space sums agree where both apply")
    func logSpaceAgrees() {
        for (b, c) in [(40, 57), (300, 420), (1000, 1100)] {
            let exact = McNemar.exactPValue(b: b, c: c)
            let approx = McNemar.logSpacePValue(n: b + c, k: min(b, c))
            #expect(abs(exact - approx) <= 1e-9 * exact, "\(b), \(c)")
        }
    }

    @Test("printed with 4 significant digits, 1 as 1")
    func format() {
        #expect(McNemar.format(1) == "1")
        #expect(McNemar.format(0.10376938287271786) == "0.1038")
        #expect(McNemar.format(2.970770255782769e-12) == "2.971e-12")
    }
}
