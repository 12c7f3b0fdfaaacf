/// TEMPORARY, for the query commands (Leaderboard, Lineage, Compare, History, SQL) until their rewrite lands:
/// errors now go to `Smithlog.main`'s one funnel (`ExitStatus`), so this only runs the body. Delete it once
/// no command calls it.
func reportingErrors<T>(_ body: () throws -> T) rethrows -> T {
    try body()
}
