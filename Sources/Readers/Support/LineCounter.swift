#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Counts line breaks, to tell which line a row of a JSON array starts on without rescanning from the top.
enum LineCounter {
    /// Number of `\n` bytes in `range` of `bytes` (`memchr` skips the long lines of patches quickly).
    static func countNewlines(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var count = 0
        var i = range.lowerBound
        while i < range.upperBound, let hit = memchr(base + i, 0x0A, range.upperBound - i) {
            count += 1
            i = base.distance(to: UnsafeRawPointer(hit)) + 1
        }
        return count
    }
}
