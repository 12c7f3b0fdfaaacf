import SmithStore

/// Times as tables show them.
public enum TableTime {
    /// ISO 8601 in UTC to the second (`2025-08-01T10:00:00Z`): `--json` and the projections' `*_iso` columns
    /// keep the milliseconds.
    public static func iso(milliseconds ms: Int64) -> String {
        let full = Timestamp.iso8601(milliseconds: ms)
        guard let dot = full.lastIndex(of: "."), full.hasSuffix("Z") else { return full }
        return String(full[..<dot]) + "Z"
    }
}
