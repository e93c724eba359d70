import Foundation
import Store
import Testing

@testable import Server

@Suite("formats and names")
struct FormatTests {
    @Test("display names keep only the last component, without control characters")
    func safeNames() {
        #expect(SafeNames.displayName("../../etc/passwd") == "passwd")
        #expect(SafeNames.displayName("C:\\photos\\tile 3.jpg") == "tile 3.jpg")
        #expect(SafeNames.displayName("..") == "image")
        #expect(SafeNames.displayName("") == "image")
        #expect(SafeNames.displayName("a\u{7}b\n.png") == "ab.png")
        #expect(SafeNames.displayName(String(repeating: "x", count: 500)).count == 200)
    }

    @Test("rate limiter allows a minute's burst, then refuses with the wait until the next request")
    func rateLimiter() async {
        let limiter = RateLimiter(requestsPerMinute: 2)
        #expect(await limiter.admit("1") == .allowed)
        #expect(await limiter.admit("1") == .allowed)
        guard case .limited(let wait) = await limiter.admit("1") else {
            Issue.record("third request was allowed")
            return
        }
        #expect(wait > 29 && wait <= 30)
        #expect(await limiter.admit("2") == .allowed)
        #expect(await RateLimiter(requestsPerMinute: nil).admit("1") == .allowed)
    }
}
