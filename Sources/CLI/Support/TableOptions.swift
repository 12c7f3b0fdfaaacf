import ArgumentParser
import SmithQueries

/// `--columns` and `--wide`, shared by every command that prints a table, and how its table is printed.
struct TableOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Show these columns, in this order (comma-separated).", valueName: "a,b,c"))
    var columns: String?

    @Flag(help: "Show every column; long cells wrap or are cut rather than columns left out.")
    var wide = false

    /// The layout asked for, fitted to the terminal (``Terminal/width(environment:)``).
    var layout: TableLayout {
        TableLayout(
            width: Terminal.width(),
            columns: columns.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) },
            wide: wide)
    }

    /// Prints the table `render` makes, noting on stderr the columns left out to fit; an unknown `--columns`
    /// name is a usage error.
    func print(_ render: (TableLayout) throws -> RenderedTable) throws {
        let layout = self.layout
        let table: RenderedTable
        do {
            table = try render(layout)
        } catch let error as TableError {
            throw ValidationError(error.message)
        }
        let out = OutputBuffer()
        out.write(table.text)
        out.flush()
        if !table.leftOut.isEmpty, let width = layout.width {
            Console.note(
                "note: left out to fit \(width) columns: \(table.leftOut.joined(separator: ", ")) "
                    + "(--columns or --wide shows them)")
        }
    }

    /// `text(layout)`, an unknown `--columns` name being a usage error.
    func text(_ text: (TableLayout) throws -> String) throws -> String {
        do {
            return try text(layout)
        } catch let error as TableError {
            throw ValidationError(error.message)
        }
    }
}
