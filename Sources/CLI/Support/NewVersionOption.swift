import ArgumentParser

/// `--new-version`, shared by every command that records a named thing.
struct NewVersionOption: ParsableArguments {
    @Flag(
        name: .customLong("new-version"),
        help: "Record other content under a recorded name as its next version (NAME@N+1) instead of refusing it.")
    var newVersion = false
}
