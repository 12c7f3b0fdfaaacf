import SmithDomain
import SmithProjections

/// Finds the named things pages show, by `NAME` (latest version) or `NAME@N`.
enum RunLookup {
    struct Run {
        var name: String
        var version: Int64
        var label: String { "\(name)@\(version)" }
    }

    /// The row of `table` for `text` (`NAME` or `NAME@N`): its name and version, nil when not recorded.
    static func find(_ table: StaticString, _ text: String, _ store: WebStore) throws -> Run? {
        let wanted = VersionedName(parsing: text)
        let sql =
            "SELECT name, version FROM \(table) WHERE name = ?1 AND (version = ?2 OR (?2 IS NULL AND latest = 1)) "
            + "LIMIT 1"
        guard let row = try store.query(sql, [.text(wanted.name), SQLValue(wanted.version)]).first,
            let name = row[0].stringValue, let version = row[1].int64Value
        else { return nil }
        return Run(name: name, version: version)
    }

    /// The latest standing evaluation of a trajectory run's version, nil when none is recorded.
    static func evaluation(of run: Run, _ store: WebStore) throws -> Run? {
        let row = try store.query(
            """
            SELECT name, version FROM eval_runs
            WHERE (of_run = ?1 OR of_run = ?1 || '@' || ?2) AND of_run_version = ?2 AND retracted IS NULL
            ORDER BY seq DESC LIMIT 1
            """, [.text(run.name), .integer(run.version)]
        ).first
        guard let name = row?[0].stringValue, let version = row?[1].int64Value else { return nil }
        return Run(name: name, version: version)
    }

    /// The verdict word of a verdict row's (resolved, patch_applied, timed_out); "missing" without a verdict.
    static let verdictSQL = """
        CASE WHEN v.resolved IS NULL THEN 'missing' WHEN v.resolved = 1 THEN 'resolved'
             WHEN v.timed_out = 1 OR v.patch_applied = 0 THEN 'error' ELSE 'unresolved' END
        """
}
