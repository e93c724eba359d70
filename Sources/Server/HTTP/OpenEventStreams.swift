/// The server-sent event streams currently open, so that shutdown can end them.
///
/// A graceful shutdown waits for responses in flight, and an event stream never finishes on its
/// own; without this, one open browser tab would hold the server up for as long as it stays open.
actor OpenEventStreams {
    private var streams: [Int: AsyncStream<String>.Continuation] = [:]
    private var nextID = 0
    private var closed = false

    /// Registers a stream's output; returns its id, or nil (and finishes it) when shutting down.
    func add(_ output: AsyncStream<String>.Continuation) -> Int? {
        if closed {
            output.finish()
            return nil
        }
        nextID += 1
        streams[nextID] = output
        return nextID
    }

    func remove(_ id: Int) {
        streams[id] = nil
    }

    /// Ends every open stream and every stream opened from now on.
    func finishAll() {
        closed = true
        for output in streams.values { output.finish() }
        streams = [:]
    }

    var count: Int { streams.count }
}
