/// How this process may open a store, decided from the permissions of its files before LMDB opens them.
///
/// A user who may read a store but not write it (another user's private store, a shared store read by
/// someone outside its group) cannot take LMDB's reader lock, which is a write to `log/lock.mdb`: such a
/// read-only open goes without the lock file. The reader is then invisible to writers, which may reuse pages
/// of a transaction older than the last two while it reads; a reader that runs alongside a long ingest can
/// therefore fail on a page that changed under it, and is right again when run again. Opening for writing
/// without write permission fails at once with one line naming the file and the permission it lacks.
enum StoreAccess: Equatable {
    case withLockFile
    case withoutLockFile

    init(location: StoreLocation, readOnly: Bool) throws(LogError) {
        let log = location.logPath
        let lock = log + "/lock.mdb"
        let lockExists = fileExists(lock)
        if readOnly {
            let canLock = lockExists ? isWritable(lock) : isWritable(log)
            self = canLock ? .withLockFile : .withoutLockFile
            return
        }
        for path in [log, log + "/data.mdb", lock] where fileExists(path) && !isWritable(path) {
            throw LogError(
                .badStore,
                "no write permission: this user may read the store but not record into it (a store that"
                    + " several users write is made with `smithlog init --shared` and shared through its group)",
                path: path)
        }
        self = .withLockFile
    }
}
