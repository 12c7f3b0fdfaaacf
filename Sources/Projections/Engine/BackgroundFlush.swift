import CSQLite
import Foundation

/// Writes a bulk catch-up's pages to disk on another thread while the catch-up goes on, so the synced
/// commit that ends it (`BulkLoad.end`) has little left to wait for: that one sync of a file written
/// without syncs was a tenth of a million-event rebuild.
///
/// It flushes the file system through a descriptor of the file's folder (`syncfs`), because opening the
/// database file itself and closing it would drop the POSIX locks SQLite holds on it. One flush at a time:
/// a request while one runs is dropped, the next committed batch asks again. Only an optimization; the
/// final synced commit is what makes the file safe.
final class BackgroundFlush: @unchecked Sendable {
    private let folder: String
    private let condition = NSCondition()
    private var running = false

    init(databasePath: String) {
        let folder = (databasePath as NSString).deletingLastPathComponent
        self.folder = folder.isEmpty ? "." : folder
    }

    /// Starts a flush unless one is running.
    func request() {
        condition.lock()
        defer { condition.unlock() }
        guard !running else { return }
        running = true
        let thread = Thread { [self] in
            let fd = open(folder, O_RDONLY | O_DIRECTORY)
            if fd >= 0 {
                _ = smith_syncfs(fd)
                close(fd)
            }
            condition.lock()
            running = false
            condition.broadcast()
            condition.unlock()
        }
        thread.start()
    }
}
