/// Finds the first byte that is not valid UTF-8, so a reader can reject a file the way Python's decoder would,
/// even in the parts it skips without decoding.
enum UTF8Check {
    /// The offset of the first invalid byte, or `nil` when the whole buffer is valid UTF-8.
    static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return nil }
        var i = 0
        while i < count {
            // Fast path: eight ASCII bytes at a time (the bulk of every artifact is ASCII text).
            if i + 8 <= count {
                let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    continue
                }
            }
            let b0 = base.load(fromByteOffset: i, as: UInt8.self)
            if b0 < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F  // no UTF-16 surrogates
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return i
            }
            guard i + length <= count else { return i }
            let b1 = base.load(fromByteOffset: i + 1, as: UInt8.self)
            guard b1 >= lower && b1 <= upper else { return i }
            for k in 2..<length {
                let b = base.load(fromByteOffset: i + k, as: UInt8.self)
                guard b >= 0x80 && b <= 0xBF else { return i }
            }
            i += length
        }
        return nil
    }

    /// 1-based line and column (in bytes) of `offset`, for error messages.
    static func lineAndColumn(of offset: Int, in bytes: UnsafeRawBufferPointer) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        return (line, offset - lineStart + 1)
    }

    /// Throws the reader's standard error for a file that is not UTF-8.
    static func require(_ bytes: UnsafeRawBufferPointer, file: String) throws(ReadError) {
        guard let bad = firstInvalidOffset(bytes) else { return }
        let (line, column) = lineAndColumn(of: bad, in: bytes)
        let byte = bytes[bad]
        let hex = String(byte, radix: 16, uppercase: true)
        throw ReadError(
            path: file,
            message: "expected UTF-8 text, found the byte 0x\(hex.count == 1 ? "0" + hex : hex) at line \(line), "
                + "column \(column) (offset \(bad))")
    }
}
