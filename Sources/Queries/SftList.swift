public import SmithProjections

/// `smithlog sft list`: the SFT dataset versions recorded, retracted ones left out unless asked for.
public enum SftList {
    /// One row per version (name, then version), as columns and rows for `QueryOutput`; with
    /// `includeRetracted`, retracted versions too, their `retracted` column giving the reason.
    public static func rows(
        includeRetracted: Bool = false, projections: ProjectionEngine
    ) throws -> (
        columns: [String], rows: [[SQLValue]]
    ) {
        try projections.query(
            sql: """
                SELECT name, version, latest, style, transform, lines, traj_run, eval_run, file_name,
                    substr(export_sha256, 1, 12) AS export_sha256\(includeRetracted ? ", retracted" : "")
                FROM sft_datasets\(includeRetracted ? "" : " WHERE retracted IS NULL") ORDER BY name, version
                """)
    }
}
