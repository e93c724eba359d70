/// Typed values read off the front of a fuzzer input, like LLVM's FuzzedDataProvider. Running out of
/// bytes gives zeros rather than stopping, so every input is a complete (if dull) test case and
/// libFuzzer's mutations of any byte still reach the code under test.
struct FuzzInput {
    private var bytes: ArraySlice<UInt8>

    init(_ data: UnsafePointer<UInt8>, _ size: Int) {
        bytes = ArraySlice(UnsafeBufferPointer(start: data, count: size))
    }

    var isEmpty: Bool { bytes.isEmpty }

    mutating func byte() -> UInt8 { bytes.popFirst() ?? 0 }

    /// Little-endian, from the next `MemoryLayout<T>.size` bytes.
    mutating func integer<T: FixedWidthInteger>(_: T.Type = T.self) -> T {
        var value: T = 0
        for shift in stride(from: 0, to: T.bitWidth, by: 8) { value |= T(truncatingIfNeeded: byte()) << shift }
        return value
    }

    /// A size that is usually small (so masks get built and compared) and sometimes any 64-bit
    /// value, negative and overflowing ones included: both are what JSON from outside can say.
    mutating func size() -> Int {
        let tag = byte()
        return tag < 0xF0 ? Int(tag % 64) : integer(Int.self)
    }

    /// Any bit pattern: NaN, infinities, subnormals and 1e308 come as easily as 3.5.
    mutating func rawDouble() -> Double { Double(bitPattern: integer(UInt64.self)) }

    /// What is left, all of it.
    mutating func rest() -> [UInt8] {
        defer { bytes = [] }
        return Array(bytes)
    }
}

/// An invariant of the code under test broke: abort so libFuzzer saves the input as a crash.
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("fuzz invariant: \(message())") }
}
