import Foundation

/// Where the server keeps its data, where it listens, and the limits it enforces on clients.
public struct ServerConfig: Sendable {
    /// Holds `livetrain.sqlite` and `images/<project>/`.
    public var dataDirectory: URL
    /// Loopback by default: exposing the server is a decision, not an accident.
    public var host: String
    /// 0 picks a free port.
    public var port: Int
    public var limits: Limits
    /// The folder tree that imports from the server's own disk may read; nil turns those imports off.
    public var importRoot: URL?
    /// How long an image handed out by `next` or `review/next` (or leased while open) stays its holder's
    /// without a renewal; the UI renews every third of it while the image is open.
    public var leaseDuration: TimeInterval
    /// How long a sign-in lasts; the browser then has to sign in again.
    public var sessionLifetime: TimeInterval = 7 * 24 * 3600

    /// What one client may send.
    public struct Limits: Sendable {
        /// Largest image upload (request body), bytes.
        public var maxUploadBytes: Int
        /// Largest JSON request body, bytes.
        public var maxJSONBytes: Int
        /// Largest image, width x height; checked from the header before pixels are allocated. 40 MP
        /// takes any camera photo short of medium format, and decodes to at most 120 MB of RGB.
        public var maxImagePixels: Int
        /// Requests per minute per API token or session (bursts up to a minute's worth); nil for no limit.
        public var requestsPerMinute: Int?
        /// Sign-in attempts per minute per account name and per client address: bounds password guessing
        /// and the memory-hard hashing a flood of attempts would cost; nil for no limit.
        public var signInsPerMinute: Int?

        public init(
            maxUploadBytes: Int = 50 * 1024 * 1024, maxJSONBytes: Int = 5 * 1024 * 1024,
            maxImagePixels: Int = 40_000_000, requestsPerMinute: Int? = 1200, signInsPerMinute: Int? = 10
        ) {
            self.signInsPerMinute = signInsPerMinute
            self.maxUploadBytes = maxUploadBytes
            self.maxJSONBytes = maxJSONBytes
            self.maxImagePixels = maxImagePixels
            self.requestsPerMinute = requestsPerMinute
        }
    }

    public init(
        dataDirectory: URL, host: String = "127.0.0.1", port: Int = 8080, limits: Limits = Limits(), importRoot: URL? = nil,
        leaseDuration: TimeInterval = 600
    ) {
        precondition(leaseDuration > 0, "a lease must last some time")
        self.leaseDuration = leaseDuration
        self.dataDirectory = dataDirectory
        self.host = host
        self.port = port
        self.limits = limits
        self.importRoot = importRoot
    }

    /// The SQLite file.
    public var databaseURL: URL { dataDirectory.appendingPathComponent("livetrain.sqlite") }
    /// The root of the image folders, one per project.
    public var imagesDirectory: URL { dataDirectory.appendingPathComponent("images", isDirectory: true) }
    /// Where export ZIPs are built before they are streamed (and then deleted): on the data folder's
    /// disk, which holds the images they pack.
    public var exportsDirectory: URL { dataDirectory.appendingPathComponent("exports-tmp", isDirectory: true) }
    /// Where the first admin token is written (mode 0600) at first start.
    public var adminTokenURL: URL { dataDirectory.appendingPathComponent("admin-token") }
    /// Where the admin account's first password is written (mode 0600) at first start.
    public var adminPasswordURL: URL { dataDirectory.appendingPathComponent("admin-password") }
}
