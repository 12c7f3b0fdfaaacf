import CSQLite
import SmithStore

/// `instance_rows`: the `instances` table plus `row_json`, each row's exact JSON read from its blob on demand.
///
/// The rows are not copied into the projections file: a SWE-smith dataset's rows are hundreds of MB of JSON
/// that the log already keeps (compressed about 20x), and the file would outweigh the log several times.
/// The view exists on query connections opened by smithlog (a TEMP view over a function that reads the
/// log), so `json_extract(row_json, '$.FAIL_TO_PASS')` works in `smithlog sql` and `subset create --where`;
/// other SQLite clients see the plain `instances` table.
enum InstanceRowsView {
    static let name = "instance_rows"

    /// Registers `smithlog_row(row_sha256)` and creates the TEMP view; call before the connection is
    /// restricted to reading.
    static func install(on database: SQLiteDatabase, log: EventLog) throws(ProjectionError) {
        let source = Unmanaged.passRetained(RowSource(log: log)).toOpaque()
        try database.connection.check(
            sqlite3_create_function_v2(
                database.connection.handle, "smithlog_row", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, source,
                rowFunction, nil, nil, { Unmanaged<RowSource>.fromOpaque($0!).release() }),
            "cannot register smithlog_row")
        try database.exec(
            "CREATE TEMP VIEW \(name) AS SELECT instances.*, smithlog_row(row_sha256) AS row_json FROM instances")
    }
}

/// The log a connection's `smithlog_row` reads from.
private final class RowSource {
    let log: EventLog
    init(log: EventLog) { self.log = log }
}

/// `smithlog_row(hex)`: the blob's bytes as TEXT, or an SQL error naming the blob.
private func rowFunction(
    _ context: OpaquePointer?, _ count: Int32, _ arguments: UnsafeMutablePointer<OpaquePointer?>?
) {
    guard let context else { return }
    let source = Unmanaged<RowSource>.fromOpaque(sqlite3_user_data(context)).takeUnretainedValue()
    guard count == 1, let argument = arguments?[0], let text = sqlite3_value_text(argument),
        let digest = Digest(hex: String(cString: text))
    else {
        sqlite3_result_error(context, "smithlog_row: expected a row_sha256 (64 hex digits)", -1)
        return
    }
    do {
        let bytes = try source.log.blob(digest)
        bytes.withUnsafeBytes { raw in
            sqlite3_result_text(
                context, raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(raw.count),
                smith_sqlite_transient())
        }
    } catch {
        sqlite3_result_error(context, "smithlog_row: \(error)", -1)
    }
}
