#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exact emulation of CPython 3.11's `random.Random` (Mersenne Twister MT19937) for integer seeds, so
/// that sampling and shuffling pick what the Python pipeline picks for the same seed.
///
/// Only what the pipeline uses is provided: seeding from an integer, `random()`, `getrandbits()`,
/// `_randbelow()`, `randrange()`, `randint()`, `choice()`, `uniform()`, `sample()` and `shuffle()`.
/// String, bytes and `None` seeds are not supported.
public struct PythonRandom: Sendable {
    private static let n = 624
    private static let m = 397

    private var state: [UInt32]
    private var index: Int

    /// `random.Random(seed)` for an integer seed.
    public init(seed: Int) {
        self.init(key: Self.keyWords(seed.magnitude))
    }

    /// `random.Random(seed)` for an integer seed of any width (e.g. `UInt64` for seeds above `Int.max`).
    public init(seed: some BinaryInteger) {
        self.init(key: Self.keyWords(seed.magnitude))
    }

    /// Seeds with `init_by_array(key)`, as CPython does with the 32-bit words of `abs(seed)`, least
    /// significant first (`[0]` for seed 0).
    public init(key: [UInt32]) {
        state = Array(repeating: 0, count: Self.n)
        index = Self.n
        seedByArray(key.isEmpty ? [0] : key)
    }

    /// The 32-bit words of `magnitude`, least significant first, without high zero words (`[0]` for 0).
    static func keyWords(_ magnitude: some BinaryInteger) -> [UInt32] {
        var words: [UInt32] = []
        var rest = magnitude
        while rest != 0 {
            words.append(UInt32(truncatingIfNeeded: rest))
            rest >>= 32
        }
        return words.isEmpty ? [0] : words
    }

    private mutating func seedByArray(_ key: [UInt32]) {
        let n = Self.n
        state[0] = 19_650_218
        for i in 1..<n {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
        var i = 1
        var j = 0
        for _ in 0..<max(n, key.count) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(j)
            i += 1
            j += 1
            if i >= n {
                state[0] = state[n - 1]
                i = 1
            }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<(n - 1) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= n {
                state[0] = state[n - 1]
                i = 1
            }
        }
        state[0] = 0x8000_0000
        index = n
    }

    /// The next 32 random bits (`genrand_uint32`).
    public mutating func nextUInt32() -> UInt32 {
        if index >= Self.n { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    private mutating func twist() {
        let (n, m) = (Self.n, Self.m)
        state.withUnsafeMutableBufferPointer { mt in
            @inline(__always) func mix(_ upper: UInt32, _ lower: UInt32, _ far: UInt32) -> UInt32 {
                let y = (upper & 0x8000_0000) | (lower & 0x7FFF_FFFF)
                return far ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_B0DF)
            }
            for k in 0..<(n - m) { mt[k] = mix(mt[k], mt[k + 1], mt[k + m]) }
            for k in (n - m)..<(n - 1) { mt[k] = mix(mt[k], mt[k + 1], mt[k + m - n]) }
            mt[n - 1] = mix(mt[n - 1], mt[0], mt[m - 1])
        }
        index = 0
    }

    /// `random()`: a float in [0, 1) with 53 random bits.
    public mutating func random() -> Double {
        let a = Double(nextUInt32() >> 5)
        let b = Double(nextUInt32() >> 6)
        return (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `getrandbits(k)` for `0 <= k <= 64`.
    public mutating func getrandbits(_ k: Int) -> UInt64 {
        precondition(k >= 0 && k <= 64, "getrandbits(_:) takes 0...64 bits; use getrandbitsWords(_:)")
        var value: UInt64 = 0
        for (i, word) in getrandbitsWords(k).enumerated() { value |= UInt64(word) << (32 * i) }
        return value
    }

    /// `getrandbits(k)` for any `k >= 0`, as 32-bit words, least significant first (empty for 0 bits).
    ///
    /// Like CPython, each word takes one 32-bit draw, the last one shifted right to keep only its top
    /// `k % 32` bits.
    public mutating func getrandbitsWords(_ k: Int) -> [UInt32] {
        precondition(k >= 0, "number of bits must be non-negative")
        if k == 0 { return [] }
        if k <= 32 { return [nextUInt32() >> (32 - k)] }
        var words: [UInt32] = []
        words.reserveCapacity((k - 1) / 32 + 1)
        var remaining = k
        while remaining > 0 {
            var r = nextUInt32()
            if remaining < 32 { r >>= UInt32(32 - remaining) }
            words.append(r)
            remaining -= 32
        }
        return words
    }

    /// `_randbelow(n)` (`_randbelow_with_getrandbits`): a uniform integer in `0..<n`, for `n > 0`.
    public mutating func randbelow(_ n: Int) -> Int {
        precondition(n > 0, "randbelow(_:) needs a positive bound")
        let k = Int.bitWidth - n.leadingZeroBitCount
        var r = getrandbits(k)
        while r >= UInt64(n) { r = getrandbits(k) }
        return Int(r)
    }

    /// `randrange(start, stop)` (step 1): a uniform integer in `start..<stop`.
    public mutating func randrange(_ start: Int, _ stop: Int) -> Int {
        precondition(stop > start, "empty range for randrange()")
        return start + randbelow(stop - start)
    }

    /// `randint(a, b)`: a uniform integer in `a...b`.
    public mutating func randint(_ a: Int, _ b: Int) -> Int {
        randrange(a, b + 1)
    }

    /// `uniform(a, b)`: `a + (b - a) * random()`.
    public mutating func uniform(_ a: Double, _ b: Double) -> Double {
        a + (b - a) * random()
    }

    /// `choice(seq)` for a non-empty array.
    public mutating func choice<T>(_ elements: [T]) -> T {
        precondition(!elements.isEmpty, "cannot choose from an empty sequence")
        return elements[randbelow(elements.count)]
    }

    /// `shuffle(x)`: for `i` from `n - 1` down to 1, swap `x[i]` with `x[randbelow(i + 1)]`.
    public mutating func shuffle<T>(_ elements: inout [T]) {
        guard elements.count > 1 else { return }
        for i in stride(from: elements.count - 1, through: 1, by: -1) {
            let j = randbelow(i + 1)
            elements.swapAt(i, j)
        }
    }

    /// `sample(population, k)` with CPython 3.11's algorithm: a shrinking pool when the population is
    /// small next to `k`, otherwise redraws against a set of chosen indices.
    public mutating func sample<T>(_ population: [T], k: Int) -> [T] {
        let n = population.count
        precondition(k >= 0 && k <= n, "Sample larger than population or is negative")
        var result: [T] = []
        result.reserveCapacity(k)
        if n <= Self.sampleSetSize(k) {
            var pool = population
            for i in 0..<k {
                let j = randbelow(n - i)
                result.append(pool[j])
                pool[j] = pool[n - i - 1]
            }
        } else {
            var selected = Set<Int>()
            for _ in 0..<k {
                var j = randbelow(n)
                while selected.contains(j) { j = randbelow(n) }
                selected.insert(j)
                result.append(population[j])
            }
        }
        return result
    }

    /// `setsize` in `sample`: `21`, plus `4 ** ceil(log(k * 3, 4))` when `k > 5`.
    static func sampleSetSize(_ k: Int) -> Int {
        var setSize = 21
        if k > 5 {
            let exponent = Int((log(Double(k * 3)) / log(4.0)).rounded(.up))
            var power = 1
            for _ in 0..<exponent { power *= 4 }
            setSize += power
        }
        return setSize
    }
}
