import Foundation

/// Reads and parses an export on a second thread while the import writes: the reader fills
/// chunks of cells into a small bounded queue, the writer takes them in file order.
///
/// Everything else stays as it was without the thread: the writer sees the same cells in the
/// same order, a reader error (or `DateOrderEvidence`) is thrown at the same place in the cell
/// stream, and the writer's own diagnostics (`deferError`) take the place among the reader's
/// that they would have had, so the list of `file:line:col` errors does not change (`finish`).
/// The reader owns the `ResultsReadContext` until `finish` or `stop` has joined its thread.
final class CellPipeline: @unchecked Sendable {   // shared state only under `condition`
    private struct Chunk {
        var cells: [ResultCell] = []
        /// Per cell: the reader's error count once the cell was read (its place among them).
        var marks: [Int] = []
        var bytesRead = 0
    }

    private enum Item {
        case chunk(Chunk)
        case end
        case failure(any Error)
    }

    private let reader: any ResultsReading
    private let context: ResultsReadContext
    private let condition = NSCondition()
    private var items: [Item] = []
    private var stopped = false
    private var readerFinished = false
    private let capacity = 4
    private static let chunkSize = 1024   // ≈ 0.3 MB of cells per chunk: the queue stays small beside the page cache

    // The writer's side (one thread only).
    private var current = Chunk()
    private var index = 0
    private var lastMark = 0
    private var ended = false
    private var deferred: [(mark: Int, line: Int, column: Int?, message: String)] = []
    /// Bytes of the file read when the current chunk was complete (for a progress line).
    private(set) var bytesRead = 0

    init(reader: any ResultsReading, context: ResultsReadContext) {
        self.reader = reader
        self.context = context
        let thread = Thread { [self] in produce() }
        thread.name = "lims import reader"
        thread.stackSize = 8 << 20
        thread.start()
    }

    // MARK: Reader thread

    private func produce() {
        var chunk = Chunk()
        chunk.cells.reserveCapacity(Self.chunkSize)
        chunk.marks.reserveCapacity(Self.chunkSize)
        do {
            while let cell = try reader.next() {
                chunk.cells.append(cell)
                chunk.marks.append(context.diagnostics.count + context.uncountedErrors)
                if chunk.cells.count == Self.chunkSize {
                    chunk.bytesRead = context.csv.bytesRead
                    guard put(.chunk(chunk)) else { return finishReading() }
                    chunk = Chunk()
                    chunk.cells.reserveCapacity(Self.chunkSize)
                    chunk.marks.reserveCapacity(Self.chunkSize)
                }
            }
            chunk.bytesRead = context.csv.bytesRead
            if !chunk.cells.isEmpty { _ = put(.chunk(chunk)) }
            _ = put(.end)
        } catch {
            if !chunk.cells.isEmpty { _ = put(.chunk(chunk)) }
            _ = put(.failure(error))
        }
        finishReading()
    }

    /// Waits while the queue is full; false when the writer stopped.
    private func put(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !stopped { condition.wait() }
        guard !stopped else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    private func finishReading() {
        condition.lock()
        readerFinished = true
        condition.broadcast()
        condition.unlock()
    }

    // MARK: Writer thread

    /// The next cell in file order, nil at the end; rethrows what the reader threw, where it threw.
    func next() throws -> ResultCell? {
        while index >= current.cells.count {
            if ended { return nil }
            condition.lock()
            while items.isEmpty { condition.wait() }
            let item = items.removeFirst()
            condition.broadcast()
            condition.unlock()
            switch item {
            case .chunk(let chunk):
                current = chunk
                index = 0
                bytesRead = chunk.bytesRead
            case .end:
                ended = true
                return nil
            case .failure(let error):
                ended = true
                throw error
            }
        }
        defer { index += 1 }
        lastMark = current.marks[index]
        return current.cells[index]
    }

    /// A problem the writer found in the cell it took last: kept aside while the reader still
    /// adds its own, and put in its place among them by `finish`.
    func deferError(line: Int, column: Int?, _ message: String) {
        deferred.append((lastMark, line, column, message))
    }

    /// Stops the reader (when the writer leaves early) and waits for its thread to end.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while !readerFinished { condition.wait() }
        condition.unlock()
    }

    /// After the last cell: joins the reader, then merges the writer's problems into the
    /// context's diagnostics in stream order, with the same cap as `ResultsReadContext.error`.
    func finish() {
        stop()
        context.mergeErrors(deferred)
        deferred = []
    }
}
