import ArgumentParser
import Foundation
import SmithStore

/// Runs a command body; any failure becomes one line on stderr and a non-zero exit status.
///
/// Exit statuses: 1 failure, 3 not found, 4 damaged store or failed verification; 64 (EX_USAGE) is
/// ArgumentParser's for bad usage.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as LogError {
        Console.error(error.description)
        switch error.code {
        case .notFound: throw ExitCode(3)
        case .corrupt: throw ExitCode(4)
        default: throw ExitCode(1)
        }
    } catch let error as CleanExit {
        throw error
    } catch {
        Console.error(String(describing: error))
        throw ExitCode(1)
    }
}
