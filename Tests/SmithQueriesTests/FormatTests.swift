import SmithQueries
import Testing

@Suite("Query formatting")
struct FormatTests {
    @Test("fixed-point rendering rounds half away from zero and pads")
    func fixed() {
        #expect(Format.fixed(53.6, 1) == "53.6")
        #expect(Format.fixed(0.05, 1) == "0.1")
        #expect(Format.fixed(9, 2) == "9.00")
        #expect(Format.fixed(-1.25, 1) == "-1.3")
    }

    @Test("tables align columns")
    func table() {
        #expect(Format.table(["a", "bb"], [["xyz", "1"]]) == "a    bb\n---  --\nxyz  1\n")
    }
}
