/// The general case of ``PayloadWriter``: nested containers, written into both buffers at once with each
/// object's members put in key order once they are all written. Still only for strings without escapes.
extension PayloadWriter {
    /// False as soon as a string needs escaping (the buffers then hold a partial value).
    static func writePlain(_ value: JSONValue, _ compact: inout [UInt8], _ canonical: inout [UInt8]) -> Bool {
        switch value {
        case .null: return appendBoth("null", &compact, &canonical)
        case .bool(let b): return appendBoth(b ? "true" : "false", &compact, &canonical)
        case .number(let text): return appendBoth(text, &compact, &canonical)
        case .string(let s): return appendString(s, &compact, &canonical)
        case .array(let elements):
            compact.append(UInt8(ascii: "["))
            canonical.append(UInt8(ascii: "["))
            for i in elements.indices {
                if i > 0 {
                    compact.append(UInt8(ascii: ","))
                    canonical.append(UInt8(ascii: ","))
                }
                guard writePlain(elements[i], &compact, &canonical) else { return false }
            }
            compact.append(UInt8(ascii: "]"))
            canonical.append(UInt8(ascii: "]"))
            return true
        case .object(let pairs):
            compact.append(UInt8(ascii: "{"))
            canonical.append(UInt8(ascii: "{"))
            guard !pairs.isEmpty else {
                compact.append(UInt8(ascii: "}"))
                canonical.append(UInt8(ascii: "}"))
                return true
            }
            let written = withUnsafeTemporaryAllocation(of: Int.self, capacity: pairs.count + 1) { starts in
                for i in pairs.indices {
                    if i > 0 {
                        compact.append(UInt8(ascii: ","))
                        canonical.append(UInt8(ascii: ","))
                    }
                    starts[i] = canonical.count
                    guard appendString(pairs[i].0, &compact, &canonical) else { return false }
                    compact.append(UInt8(ascii: ":"))
                    canonical.append(UInt8(ascii: ":"))
                    guard writePlain(pairs[i].1, &compact, &canonical) else { return false }
                }
                // As if a comma followed the last member: member i is starts[i] ..< starts[i + 1] - 1.
                starts[pairs.count] = canonical.count + 1
                sortMembers(starts, in: &canonical)
                return true
            }
            guard written else { return false }
            compact.append(UInt8(ascii: "}"))
            canonical.append(UInt8(ascii: "}"))
            return true
        }
    }

    /// Puts the members written at `starts` (each `"key":value`) in stable order of their keys' bytes.
    private static func sortMembers(_ starts: UnsafeMutableBufferPointer<Int>, in out: inout [UInt8]) {
        let count = starts.count - 1
        guard count > 1 else { return }
        out.withUnsafeMutableBytes { bytes in
            // A key's bytes: after the member's opening quote, up to the quote before the colon. A plain
            // key has no quote inside, so the first quote after the opening one ends it.
            func key(_ i: Int) -> UnsafeRawBufferPointer {
                let from = starts[i] + 1
                var to = from
                while bytes[to] != UInt8(ascii: "\"") { to += 1 }
                return UnsafeRawBufferPointer(rebasing: bytes[from..<to])
            }
            withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { order in
                var sorted = true
                for i in 0..<count {
                    order[i] = i
                    if i > 0 && sorted && precedes(key(i), key(i - 1)) { sorted = false }
                }
                guard !sorted else { return }
                // Insertion sort: stable, and quick for the handful of keys a payload has.
                for i in 1..<count {
                    let moving = order[i]
                    var j = i
                    while j > 0 && precedes(key(moving), key(order[j - 1])) {
                        order[j] = order[j - 1]
                        j -= 1
                    }
                    order[j] = moving
                }
                let regionStart = starts[0]
                let regionCount = bytes.count - regionStart
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: regionCount) { region in
                    let copy = UnsafeMutableRawBufferPointer(region)
                    copy.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[regionStart...]))
                    var at = regionStart
                    for n in 0..<count {
                        let i = order[n]
                        if n > 0 {
                            bytes[at] = UInt8(ascii: ",")
                            at += 1
                        }
                        let member = UnsafeRawBufferPointer(
                            rebasing: copy[(starts[i] - regionStart)..<(starts[i + 1] - 1 - regionStart)])
                        UnsafeMutableRawBufferPointer(rebasing: bytes[at..<at + member.count]).copyMemory(from: member)
                        at += member.count
                    }
                }
            }
        }
    }

    /// A quoted string, when none of its bytes needs an escape.
    @inline(__always)
    private static func appendString(_ s: String, _ compact: inout [UInt8], _ canonical: inout [UInt8]) -> Bool {
        let plain: Bool? = s.utf8.withContiguousStorageIfAvailable { utf8 in
            guard isPlain(utf8) else { return false }
            compact.append(UInt8(ascii: "\""))
            compact.append(contentsOf: utf8)
            compact.append(UInt8(ascii: "\""))
            canonical.append(UInt8(ascii: "\""))
            canonical.append(contentsOf: utf8)
            canonical.append(UInt8(ascii: "\""))
            return true
        }
        return plain ?? false
    }

    @inline(__always)
    private static func appendBoth(_ text: String, _ compact: inout [UInt8], _ canonical: inout [UInt8]) -> Bool {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { utf8 in
            compact.append(contentsOf: utf8)
            canonical.append(contentsOf: utf8)
        }
        if done == nil {
            compact.append(contentsOf: text.utf8)
            canonical.append(contentsOf: text.utf8)
        }
        return true
    }
}
