import Foundation

/// The width tables are fitted to.
enum Terminal {
    /// `$COLUMNS` when set to a positive number, else the terminal's width (stdout's), else 80 when stdout is
    /// a terminal; nil when stdout is not a terminal and `COLUMNS` is unset: then tables print whole values.
    static func width(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int? {
        if let text = environment["COLUMNS"], let columns = Int(text.trimmingCharacters(in: .whitespaces)),
            columns > 0
        {
            return columns
        }
        guard Console.stdoutIsTerminal else { return nil }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}
