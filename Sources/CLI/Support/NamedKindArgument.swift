import ArgumentParser
import SmithDomain

/// The checks `retract` and `release-name` share: KIND names a kind of named thing, and `--reason` says something.
///
/// A mistyped kind is a usage error (exit 64) that lists the kinds.
func validateKind(_ kind: String, reason: String) throws {
    guard NamedKind(rawValue: kind) != nil else {
        throw ValidationError(
            "'\(kind)' is not a kind: expected one of \(NamedKind.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    guard !reason.allSatisfy(\.isWhitespace) else { throw ValidationError("--reason must not be empty") }
}
