/// What every instrument reader provides: the next value, streaming.
public protocol ResultsReading: AnyObject {
    /// The next value, or nil at the end. Problems in a row are added to the context's diagnostics
    /// (the row is skipped); only problems that make the rest unreadable are thrown.
    func next() throws -> ResultCell?
}
