/// Why a projection cannot apply one event; the engine adds which event it was.
struct ApplyFailure: Error, CustomStringConvertible {
    var reason: String

    init(_ reason: String) { self.reason = reason }

    var description: String { reason }
}
