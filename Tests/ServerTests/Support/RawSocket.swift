import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A bare TCP connection to the test server, for what the one-request-at-a-time test client cannot
/// do: keep a streaming response open while the server shuts down.
final class RawSocket: Sendable {
    private let descriptor: Int32

    /// Connects to 127.0.0.1:`port`; reads give up after `timeout` seconds of silence.
    init(port: Int, timeout: Int = 10) throws {
        #if canImport(Glibc)
            descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw TestFailure("socket() failed") }
        var wait = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            throw TestFailure("connect() to port \(port) failed")
        }
    }

    deinit { close(descriptor) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count else { throw TestFailure("write() failed") }
    }

    /// Reads until `marker` has arrived; returns everything read.
    func read(until marker: String) throws -> String {
        var received = ""
        while !received.contains(marker) {
            guard let chunk = try readChunk() else { break }
            received += chunk
        }
        return received
    }

    /// Reads until the server closes the connection; nil if it stayed open past the timeout.
    func readToEnd() -> String? {
        var received = ""
        while true {
            do {
                guard let chunk = try readChunk() else { return received }
                received += chunk
            } catch {
                return nil
            }
        }
    }

    /// The next bytes as text, nil at end of stream; throws on timeout.
    private func readChunk() throws -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        if count < 0 { throw TestFailure("read() failed or timed out") }
        return count == 0 ? nil : String(decoding: buffer[..<count], as: UTF8.self)
    }
}
