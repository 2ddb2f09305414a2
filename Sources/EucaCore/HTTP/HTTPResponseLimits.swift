/// Bounds on what a server may send, so a hostile or broken one cannot make us buffer without
/// end: the head (status line and headers), one header or chunk-size line, and the body.
public struct HTTPResponseLimits: Sendable {
    public var maxHeadBytes = 64 * 1024
    public var maxHeaderCount = 256
    public var maxLineBytes = 16 * 1024
    /// S3's largest single object; bodies are held in memory, and nothing we ask for comes
    /// near this (bundle parts are 10 MiB).
    public var maxBodyBytes = 5 * 1024 * 1024 * 1024
    public var maxInterimResponses = 16

    public init() {}
}
