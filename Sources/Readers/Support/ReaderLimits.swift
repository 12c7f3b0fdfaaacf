/// The limits every reader enforces before it builds a value from a file, shared by JSON and YAML documents.
///
/// They are stricter than what the event log's own reader accepts (`JSONReader.maximumDepth`, 1,000 levels, and
/// `EventValidation.maximumDepth` for payloads), so a document a reader accepts can be embedded in an event
/// payload (a run's or checkpoint's config sits two levels down) and still be read back by every later command.
/// A file over a limit is refused with one line naming the file (and, for depth, the JSON path or YAML line).
public enum ReaderLimits {
    /// Deepest nesting of arrays and objects (YAML sequences and mappings) accepted in a document.
    public static let maximumDepth = 512
    /// Largest YAML file read (configs and exit statuses are kilobytes; the YAML parser builds a tree of the
    /// whole file before a value is converted).
    public static let maximumYAMLBytes = 16 << 20
    /// Largest JSON or JSON Lines file read whole into memory (trajectories, reports, predictions, datasets
    /// read by `DatasetReader`); dataset imports map and stream their files instead.
    public static let maximumJSONBytes = 1 << 30
    /// Most values a YAML document may expand to; aliases can make a small file huge ("billion laughs").
    ///
    /// The largest real YAML files read are exit-status lists, one value per instance of a run (tens of
    /// thousands); a config holds hundreds. Expanding is what costs: a million values take about 0.7 s.
    public static let maximumYAMLValues = 1_000_000

    /// The line for a value nested deeper than `maximumDepth`.
    static let tooDeepMessage = "nested deeper than \(maximumDepth) levels"
}
