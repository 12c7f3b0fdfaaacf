import SmithDomain
import SmithJSON
import SmithTestSupport
import Testing

/// A sample event as a test argument, named by its type and whether its optional fields are set.
struct Sample: Sendable, CustomTestStringConvertible {
    var event: any PipelineEvent
    var optionals: Bool

    var testDescription: String {
        "\(type(of: event).eventType.rawValue) (\(optionals ? "all optionals set" : "no optionals"))"
    }

    /// Every type in `EventCatalog.all`, once with every optional set and once with none.
    static let all: [Sample] =
        SampleEvents.allTypes.map { Sample(event: $0, optionals: true) }
        + SampleEvents.allTypesWithoutOptionals.map { Sample(event: $0, optionals: false) }
}

/// The keys of a payload object, in order.
func keys(_ payload: JSONValue) -> [String] {
    payload.objectValue?.map(\.0) ?? []
}
