/// The values of the digests used most recently, at most `capacity` of them: a hit moves its entry to the front,
/// and a put past the capacity evicts the entry used least recently.
///
/// A value type with no lock of its own: its owner keeps it behind one (``PackCache``, ``DecodedBlobs``).
struct RecentlyUsed<Value> {
    let capacity: Int
    /// Most recently used first.
    private var entries: [(digest: Digest, value: Value)] = []

    init(capacity: Int) { self.capacity = capacity }

    /// The value of `digest`, made the most recently used; nil when it is not kept.
    mutating func get(_ digest: Digest) -> Value? {
        guard let i = entries.firstIndex(where: { $0.digest == digest }) else { return nil }
        let entry = entries.remove(at: i)
        entries.insert(entry, at: 0)
        return entry.value
    }

    /// Keeps `value` as the most recently used (replacing what `digest` had); returns the value evicted to make
    /// room, if any.
    @discardableResult
    mutating func put(_ digest: Digest, _ value: Value) -> Value? {
        entries.removeAll { $0.digest == digest }
        entries.insert((digest, value), at: 0)
        return entries.count > capacity ? entries.removeLast().value : nil
    }
}
