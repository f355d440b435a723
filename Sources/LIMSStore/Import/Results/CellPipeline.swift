import Foundation

/// The work done for each cell on the reading thread, after the reader: it owns the read
/// context there (its problems go in at once, in file order) and fills the chunks the
/// writing thread receives.
protocol CellStage: AnyObject {
    associatedtype Chunk
    func makeChunk() -> Chunk
    /// Takes one cell into `chunk`; true when the chunk is full.
    func take(_ cell: ResultCell, into chunk: inout Chunk) -> Bool
    /// Called once on a chunk before it is handed over (full, or the last one).
    func finishChunk(_ chunk: inout Chunk)
}

/// Reads and parses an export on a second thread while the import writes: the reader's cells
/// go through `stage` there, and whole chunks of its result wait in a small bounded queue for
/// the writer, who takes them in file order.
///
/// Everything else stays as it was without the thread: the stage sees the same cells in the
/// same order, and its problems land among the reader's where they would have without the
/// thread (both add them to the context, one after the other, on one thread). A reader error
/// (or `DateOrderEvidence`) is thrown to the writer after the chunks before it.
/// The reading thread owns the `ResultsReadContext` and the stage until `finish` or `stop` has
/// joined it.
final class CellPipeline<Stage: CellStage>: @unchecked Sendable {   // shared state only under `condition`
    private enum Item {
        case chunk(Stage.Chunk)
        case end
        case failure(any Error)
    }

    private let reader: any ResultsReading
    private let stage: Stage
    private let condition = NSCondition()
    private var items: [Item] = []
    private var stopped = false
    private var readerFinished = false
    /// Chunks waiting (each ≈ 1.7 MB of rows for an import): the reader is faster than the writer,
    /// so two keep the writer busy; more would only hold memory.
    private let capacity = 2

    // The writer's side (one thread only).
    private var ended = false

    init(reader: any ResultsReading, stage: Stage) {
        self.reader = reader
        self.stage = stage
        let thread = Thread { [self] in produce() }
        thread.name = "lims import reader"
        thread.stackSize = 8 << 20
        thread.start()
    }

    // MARK: Reader thread

    private func produce() {
        var chunk = stage.makeChunk()
        var filled = false
        do {
            while let cell = try reader.next() {
                filled = true
                if stage.take(cell, into: &chunk) {
                    stage.finishChunk(&chunk)
                    guard put(.chunk(chunk)) else { return finishReading() }
                    chunk = stage.makeChunk()
                    filled = false
                }
            }
            if filled {
                stage.finishChunk(&chunk)
                _ = put(.chunk(chunk))
            }
            _ = put(.end)
        } catch {
            if filled {
                stage.finishChunk(&chunk)
                _ = put(.chunk(chunk))
            }
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

    /// The next chunk in file order, nil at the end; rethrows what the reader threw, after the chunks before it.
    func next() throws -> Stage.Chunk? {
        if ended { return nil }
        condition.lock()
        while items.isEmpty { condition.wait() }
        let item = items.removeFirst()
        condition.broadcast()
        condition.unlock()
        switch item {
        case .chunk(let chunk):
            return chunk
        case .end:
            ended = true
            return nil
        case .failure(let error):
            ended = true
            throw error
        }
    }

    /// Stops the reader (when the writer leaves early) and waits for its thread to end.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while !readerFinished { condition.wait() }
        condition.unlock()
    }

    /// After the last chunk: joins the reading thread; the context and the stage are the caller's again.
    func finish() {
        stop()
    }
}
