import SmithJSON
import Testing

@testable import SmithQueries

@Suite("sft show statistics")
struct SftSummaryStatsTests {
    @Test("the median of an even count is the mean of the two middle values")
    func evenMedian() {
        #expect(SftSummary.Stats([45, 75]).median == .int(60))
        #expect(SftSummary.Stats([75, 45, 10, 100]).median == .int(60))
        #expect(SftSummary.Stats([1, 2]).median == .number("1.5"))
    }

    @Test("the median of an odd count is the middle value")
    func oddMedian() {
        #expect(SftSummary.Stats([45]).median == .int(45))
        #expect(SftSummary.Stats([75, 45, 60]).median == .int(60))
    }

    @Test("the JSON carries that median")
    func json() {
        #expect(SftSummary.Stats([45, 75]).json["median"] == .int(60))
        #expect(SftSummary.Stats([]).json == .object([]))
    }
}
