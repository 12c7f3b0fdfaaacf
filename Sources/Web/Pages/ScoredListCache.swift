import Foundation

/// The parsed id lists of benchmark results, by the SHA-256 of their blob, kept between requests.
///
/// A leaderboard page needs every result's lists for its ties with the top row; reading and parsing each blob on
/// every request cost most of the page at a team's size. A blob's content never changes under its digest, so an
/// entry is never stale; the cache forgets everything once it holds `capacity` results, which bounds its memory.
final class ScoredListCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: LeaderboardPage.Scored?] = [:]
    let capacity: Int

    init(capacity: Int = 2048) {
        self.capacity = capacity
    }

    /// The lists of the blob `hex`, from `load` the first time (nil: no readable lists, remembered as such).
    func lists(_ hex: String, load: () -> LeaderboardPage.Scored?) -> LeaderboardPage.Scored? {
        if let known = lock.withLock({ entries[hex] }) { return known }
        let loaded = load()
        lock.withLock {
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[hex] = loaded
        }
        return loaded
    }
}
