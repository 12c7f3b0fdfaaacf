/// Finds `\uD800`-style escapes of unpaired UTF-16 surrogates in JSON text.
///
/// Python's `json.loads` keeps such a code point and `json.dumps` writes it back as the same
/// escape; a Swift `String` cannot hold it (SmithJSON decodes it as U+FFFD). An SFT line that
/// would carry one cannot be reproduced, so the transform looks for them to refuse instead of
/// writing U+FFFD silently.
enum LoneSurrogates {
    /// Whether the JSON text in `bytes` has an escape of an unpaired surrogate.
    static func present(in bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        var i = 0
        while i < count {
            // Eight bytes at a time to the next backslash; only the lowest flagged byte is exact.
            while i &+ 8 <= count {
                let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let hits = StructuralSkipper.matches(word, 0x5C)
                if hits != 0 {
                    i &+= hits.trailingZeroBitCount &>> 3
                    break
                }
                i &+= 8
            }
            guard i < count else { return false }
            guard bytes[i] == UInt8(ascii: "\\") else {
                i &+= 1
                continue
            }
            guard i &+ 1 < count, bytes[i &+ 1] == UInt8(ascii: "u") else {
                i &+= 2  // a two-byte escape; skipping it keeps `\\u` from looking like `\u`
                continue
            }
            guard let unit = hex4(bytes, i &+ 2) else { return false }  // not valid JSON; the parser says so
            i &+= 6
            if unit & 0xFC00 == 0xDC00 { return true }
            if unit & 0xFC00 == 0xD800 {
                guard i &+ 6 <= count, bytes[i] == UInt8(ascii: "\\"), bytes[i &+ 1] == UInt8(ascii: "u"),
                    let low = hex4(bytes, i &+ 2), low & 0xFC00 == 0xDC00
                else { return true }
                i &+= 6
            }
        }
        return false
    }

    static func present(in bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { present(in: $0) }
    }

    private static func hex4(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> UInt32? {
        guard at &+ 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for k in 0..<4 {
            let b = bytes[at &+ k]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b &- UInt8(ascii: "A") &+ 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
