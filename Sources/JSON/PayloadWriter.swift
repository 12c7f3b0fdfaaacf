/// Writes a payload's compact form (stored in the record) and canonical form (hashed into the event id)
/// in one pass, for payloads whose strings need no escaping: nearly all of them. Any other payload goes
/// through ``PythonJSON/writeCompact(_:into:canonical:)``, which this matches byte for byte.
///
/// Appending half a million events a second leaves about a microsecond of CPU per event for everything;
/// the general writer spent two of them here (escaping each string through `String` views and sorting
/// keys by comparing `String`s). With no escapes, a string's UTF-8 is its JSON text, so keys sort by the
/// bytes already written and members move as byte ranges.
enum PayloadWriter {
    /// Appends `value`'s compact bytes to `compact` and, unless they are also its canonical bytes (an
    /// object with scalar members in key order, or a scalar), its canonical bytes to `canonical`.
    ///
    /// Returns whether `canonical` was written.
    static func write(_ value: JSONValue, compact: inout [UInt8], canonical: inout [UInt8]) -> Bool {
        let compactStart = compact.count
        if case .object(let pairs) = value, let sorted = writeFlat(pairs, &compact, &canonical) {
            return !sorted
        }
        compact.removeSubrange(compactStart...)
        if writePlain(value, &compact, &canonical) { return true }
        compact.removeSubrange(compactStart...)
        canonical.removeAll(keepingCapacity: true)
        PythonJSON.writeCompact(value, into: &compact, canonical: &canonical)
        return true
    }

    /// An object whose members are all scalars, written once: its canonical form is the same members
    /// in key order, copied from the compact bytes when the keys are out of order.
    ///
    /// Sized first and then written through a pointer: byte-at-a-time appends to an array, each checking
    /// uniqueness and capacity, cost more than the bytes themselves.
    /// Returns whether the keys were already in order (`canonical` untouched); nil when the object is not
    /// flat, is too big for one go, or a string needs escaping.
    private static func writeFlat(
        _ pairs: [(String, JSONValue)], _ compact: inout [UInt8], _ canonical: inout [UInt8]
    ) -> Bool? {
        let count = pairs.count
        var size = count == 0 ? 2 : 1 + count  // braces and commas
        for (key, value) in pairs {
            size += key.utf8.count + 3
            switch value {
            case .null: size += 4
            case .bool(let b): size += b ? 4 : 5
            case .number(let text): size += text.utf8.count
            case .string(let s): size += s.utf8.count + 2
            case .array, .object: return nil
            }
        }
        guard size <= zeros.count else { return nil }
        let start = compact.count
        zeros.withUnsafeBufferPointer { compact.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<size])) }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * count + 1) { spans -> Bool? in
            // Member i: starts at spans[2i] (its opening quote), key ends at spans[2i + 1] (closing quote).
            let written = compact.withUnsafeMutableBytes { out -> Bool in
                var at = start
                out[at] = UInt8(ascii: "{")
                at += 1
                for i in 0..<count {
                    if i > 0 {
                        out[at] = UInt8(ascii: ",")
                        at += 1
                    }
                    spans[2 * i] = at
                    guard put(pairs[i].0, quoted: true, out, &at) else { return false }
                    spans[2 * i + 1] = at - 1
                    out[at] = UInt8(ascii: ":")
                    at += 1
                    switch pairs[i].1 {
                    case .null: _ = put("null", quoted: false, out, &at)
                    case .bool(let b): _ = put(b ? "true" : "false", quoted: false, out, &at)
                    case .number(let text): _ = put(text, quoted: false, out, &at)
                    case .string(let s): guard put(s, quoted: true, out, &at) else { return false }
                    case .array, .object: return false
                    }
                }
                // As if a comma followed the last member.
                spans[2 * count] = at + 1
                out[at] = UInt8(ascii: "}")
                return at + 1 == start + size
            }
            guard written else { return nil }
            return compact.withUnsafeBufferPointer { bytes -> Bool in
                func key(_ i: Int) -> UnsafeBufferPointer<UInt8> {
                    UnsafeBufferPointer(rebasing: bytes[(spans[2 * i] + 1)..<spans[2 * i + 1]])
                }
                var sorted = true
                for i in 1..<max(1, count) where precedes(key(i), key(i - 1)) {
                    sorted = false
                    break
                }
                guard !sorted else { return true }
                withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { order in
                    // Insertion sort: stable, and quick for the handful of keys a payload has.
                    for i in 0..<count {
                        order[i] = i
                        var j = i
                        while j > 0 && precedes(key(i), key(order[j - 1])) {
                            order[j] = order[j - 1]
                            j -= 1
                        }
                        order[j] = i
                    }
                    canonical.removeAll(keepingCapacity: true)
                    canonical.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<start + size]))
                    canonical.withUnsafeMutableBufferPointer { out in
                        var at = 1
                        for n in 0..<count {
                            if n > 0 {
                                out[at] = UInt8(ascii: ",")
                                at += 1
                            }
                            let i = order[n]
                            let member = UnsafeBufferPointer(rebasing: bytes[spans[2 * i]..<(spans[2 * i + 2] - 1)])
                            UnsafeMutableRawPointer(out.baseAddress! + at)
                                .copyMemory(from: member.baseAddress!, byteCount: member.count)
                            at += member.count
                        }
                    }
                }
                return false
            }
        }
    }

    /// Zeros to grow a buffer by in one append; payloads bigger than this take the general path.
    private static let zeros = [UInt8](repeating: 0, count: 4096)

    /// Writes `text` (quoted when asked) at `at`, which must have room; false when it needs escaping.
    @inline(__always)
    private static func put(_ text: String, quoted: Bool, _ out: UnsafeMutableRawBufferPointer, _ at: inout Int) -> Bool
    {
        let done: Bool? = text.utf8.withContiguousStorageIfAvailable { utf8 in
            if quoted {
                guard isPlain(utf8) else { return false }
                out[at] = UInt8(ascii: "\"")
                at += 1
            }
            if let base = utf8.baseAddress {
                (out.baseAddress! + at).copyMemory(from: base, byteCount: utf8.count)
            }
            at += utf8.count
            if quoted {
                out[at] = UInt8(ascii: "\"")
                at += 1
            }
            return true
        }
        return done ?? false
    }

    /// Strictly before in byte order (a prefix sorts first).
    @inline(__always)
    static func precedes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        precedes(a.assumingMemoryBound(to: UInt8.self), b.assumingMemoryBound(to: UInt8.self))
    }

    @inline(__always)
    static func precedes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = min(a.count, b.count)
        for i in 0..<n where a[i] != b[i] { return a[i] < b[i] }
        return a.count < b.count
    }

    /// No byte below 0x20, no quote and no backslash: checked eight bytes at a time.
    @inline(__always)
    static func isPlain(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = utf8.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var i = 0
        while i + 8 <= utf8.count {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let control = (w &- 0x20 &* ones) & ~w & highs
            let q = w ^ (0x22 &* ones)
            let b = w ^ (0x5C &* ones)
            if control | ((q &- ones) & ~q & highs) | ((b &- ones) & ~b & highs) != 0 { return false }
            i += 8
        }
        while i < utf8.count {
            let c = utf8[i]
            if c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") { return false }
            i += 1
        }
        return true
    }
}
