/// The members of a Python `dict` that `json.loads` builds from an object's pairs.
///
/// For a repeated key Python keeps the key's first position with the last value. Keys are compared by their
/// Unicode scalars (UTF-8 bytes), not by Swift's canonical equivalence, as Python compares them.
enum PythonDict {
    static func items(_ pairs: [(String, JSONValue)]) -> [(String, JSONValue)] {
        guard hasRepeatedKey(pairs) else { return pairs }
        var positions: [UTF8Key: Int] = [:]
        var result: [(String, JSONValue)] = []
        for (key, value) in pairs {
            if let position = positions[UTF8Key(key)] {
                result[position].1 = value
            } else {
                positions[UTF8Key(key)] = result.count
                result.append((key, value))
            }
        }
        return result
    }

    static func hasRepeatedKey(_ pairs: [(String, JSONValue)]) -> Bool {
        if pairs.count < 2 { return false }
        if pairs.count <= 16 {
            for i in 1..<pairs.count {
                for j in 0..<i where sameKey(pairs[i].0, pairs[j].0) { return true }
            }
            return false
        }
        var seen = Set<UTF8Key>(minimumCapacity: pairs.count)
        for (key, _) in pairs where !seen.insert(UTF8Key(key)).inserted { return true }
        return false
    }

    /// Byte equality; `==` first because it is fast and never false for equal bytes.
    @inline(__always)
    static func sameKey(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a == b && a.utf8.elementsEqual(b.utf8)
    }
}

/// A string compared and hashed by its UTF-8 bytes.
struct UTF8Key: Hashable {
    var string: String

    init(_ string: String) { self.string = string }

    static func == (a: UTF8Key, b: UTF8Key) -> Bool { PythonDict.sameKey(a.string, b.string) }

    func hash(into hasher: inout Hasher) {
        hasher.combine(string.utf8.count)
        for b in string.utf8 { hasher.combine(b) }
    }
}
