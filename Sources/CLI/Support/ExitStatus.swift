import ArgumentParser
import SmithDomain
import SmithIngest
import SmithProjections
import SmithStore
import SmithSync

/// The one mapping from errors to exit statuses: 0 success, 1 failure, 3 not found, 4 damaged store, 64 usage.
///
/// Commands throw typed errors and never pick a status themselves; `Smithlog.main` prints the error's line
/// and exits with `of(_:)`.
enum ExitStatus {
    static let failure: Int32 = 1
    static let notFound: Int32 = 3
    static let damagedStore: Int32 = 4
    static let usage: Int32 = 64

    static func of(_ error: any Error) -> Int32 {
        switch error {
        case let e as NameError:
            return e.code == .notFound ? notFound : failure
        case let e as IngestError:
            return e.code == .notFound ? notFound : failure
        case let e as SyncError:
            return e.code == .notFound ? notFound : failure
        case let e as LogError:
            switch e.code {
            case .notFound: return notFound
            case .corrupt: return damagedStore
            default: return failure
            }
        case is ValidationError:
            return usage
        default:
            return failure
        }
    }

    /// Whether `error` is ArgumentParser's own (help, version, usage) and is printed by it, in full.
    ///
    /// Its error types are internal to it; only ``ValidationError``, which commands throw themselves, is
    /// printed here as one line.
    static func isArgumentParserRequest(_ error: any Error) -> Bool {
        !(error is ValidationError) && String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }

    /// The line printed for `error` (after `smithlog: `).
    static func message(_ error: any Error) -> String {
        let text = (error as? ValidationError)?.message ?? String(describing: error)
        // Keep it one line even if a message from a dependency carried newlines.
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
