public import SmithJSON

extension RecordedEvent {
    /// The event as JSON, the form `smithlog show` and `smithlog log --json` print.
    ///
    /// Keys: seq, id, type, schema_version, recorded_at (ISO 8601 UTC, milliseconds), stream, actor,
    /// blobs, previous_hash, payload; after actor, `origin` (`store`: its id in hex, `seq`: the event's seq there)
    /// for an event pulled from another store. A damaged payload is shown as a string rather than hidden.
    public var jsonValue: JSONValue {
        let payload = (try? self.payload()) ?? .string(String(decoding: payloadBytes, as: UTF8.self))
        var pairs: [(String, JSONValue)] = [
            ("seq", .int(seq)),
            ("id", .string(id.hex)),
            ("type", .string(type)),
            ("schema_version", .int(schemaVersion)),
            ("recorded_at", .string(Timestamp.iso8601(milliseconds: recordedAt))),
            ("stream", .string(stream)),
            ("actor", .string(actor)),
        ]
        if let origin {
            pairs.append(("origin", .object([("store", .string(origin.store.hex)), ("seq", .int(origin.seq))])))
        }
        pairs += [
            ("blobs", .array(blobs.map { .string($0.hex) })),
            ("previous_hash", .string(previousHash.hex)),
            ("payload", payload),
        ]
        return .object(pairs)
    }
}

/// UTC timestamps without Foundation's formatters (which are slow and locale-sensitive).
public enum Timestamp {
    /// `2026-11-25T03:57:36.123Z` for milliseconds since the Unix epoch.
    public static func iso8601(milliseconds ms: Int64) -> String {
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = Int(ms - seconds * 1000)
        var days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secOfDay = Int(seconds - days * 86400)
        // Civil-from-days (Howard Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        var year = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        if month <= 2 { year += 1 }
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(pad(Int(year), 4))-\(pad(Int(month), 2))-\(pad(Int(day), 2))T\(pad(secOfDay / 3600, 2)):"
            + "\(pad(secOfDay / 60 % 60, 2)):\(pad(secOfDay % 60, 2)).\(pad(millis, 3))Z"
    }
}
