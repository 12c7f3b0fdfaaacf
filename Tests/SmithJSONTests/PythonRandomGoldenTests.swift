import SmithJSON
import Testing

/// `random.Random` sequences for several seeds, compared with what CPython drew.
@Suite struct PythonRandomGoldenTests {
    static let seeds = Golden.section("random")

    private func generator(_ golden: JSONValue) -> PythonRandom {
        var seed = golden["seed"]!.string
        if seed.hasPrefix("-") { seed.removeFirst() }
        return PythonRandom(seed: UInt64(seed)!)
    }

    @Test func allSeedsArePresent() {
        #expect(
            Self.seeds.map { $0["seed"]!.string } == ["0", "1", "24", "42", "4294967301", "12345678901234567890", "-7"])
    }

    @Test func intSeedMatchesWideSeed() {
        var a = PythonRandom(seed: -7)
        var b = PythonRandom(seed: UInt64(7))
        var c = PythonRandom(key: [7])
        for _ in 0..<5 {
            let x = a.nextUInt32()
            #expect(x == b.nextUInt32())
            #expect(x == c.nextUInt32())
        }
    }

    @Test(arguments: 0..<7)
    func getrandbits(seedIndex: Int) {
        let golden = Self.seeds[seedIndex]
        var random = generator(golden)
        let first = (0..<20).map { _ in Int(random.getrandbits(32)) }
        #expect(first == golden["getrandbits32"]!.arrayValue!.map(\.int))
        random = generator(golden)
        for pair in golden["getrandbits"]!.arrayValue! {
            let k = pair[0].int
            let expected = pair[1].string
            let actual = k <= 64 ? String(random.getrandbits(k)) : decimalString(words: random.getrandbitsWords(k))
            #expect(actual == expected, "getrandbits(\(k))")
        }
    }

    @Test(arguments: 0..<7)
    func randomFloats(seedIndex: Int) {
        let golden = Self.seeds[seedIndex]
        var random = generator(golden)
        let actual = (0..<50).map { _ in PythonFloat.repr(random.random()) }
        #expect(actual == golden["random"]!.arrayValue!.map(\.string))
    }

    @Test(arguments: 0..<7)
    func integers(seedIndex: Int) {
        let golden = Self.seeds[seedIndex]
        for entry in golden["randbelow"]!.arrayValue! {
            var random = generator(golden)
            let n = Int(entry[0].string)!
            let actual = (0..<10).map { _ in String(random.randbelow(n)) }
            #expect(actual == entry[1].arrayValue!.map(\.string), "randbelow(\(n))")
        }
        var random = generator(golden)
        for entry in golden["randrange"]!.arrayValue! {
            #expect(random.randrange(entry[0].int, entry[1].int) == entry[2].int)
        }
        random = generator(golden)
        for entry in golden["randint"]!.arrayValue! {
            #expect(random.randint(entry[0].int, entry[1].int) == entry[2].int)
        }
        random = generator(golden)
        let choices = [1, 2, 7, 100, 1000].map { random.choice(Array(0..<$0)) }
        #expect(choices == golden["choice"]!.arrayValue!.map(\.int))
    }

    @Test(arguments: 0..<7)
    func sampleAndShuffle(seedIndex: Int) {
        let golden = Self.seeds[seedIndex]
        for entry in golden["sample"]!.arrayValue! {
            var random = generator(golden)
            let (n, k) = (entry[0].int, entry[1].int)
            #expect(random.sample(Array(0..<n), k: k) == entry[2].arrayValue!.map(\.int), "sample(range(\(n)), \(k))")
        }
        for entry in golden["shuffle"]!.arrayValue! {
            var random = generator(golden)
            var elements = Array(0..<entry[0].int)
            random.shuffle(&elements)
            #expect(elements == entry[1].arrayValue!.map(\.int), "shuffle(\(entry[0].int))")
        }
    }
}
