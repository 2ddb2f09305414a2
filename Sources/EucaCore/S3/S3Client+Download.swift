import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension S3Client {
    /// The largest piece of an object held in memory while downloading it to a file.
    public static let defaultDownloadChunkSize = 16 * 1024 * 1024

    /// GET object into a file, in pieces of at most `chunkSize` bytes (ranged GETs after a HEAD,
    /// so memory stays bounded and a failed piece is retried alone). The bytes go to a
    /// temporary file beside `destination`, which replaces `destination` only when every byte
    /// arrived: the size is what HEAD said, each piece is as long as its `Content-Length`, the
    /// ETag never changed (else the object was replaced mid-download), and, when the ETag is a
    /// plain MD5, the MD5 matches. A failed download leaves nothing behind.
    ///
    /// - Parameters:
    ///   - expected: the object's info if the caller has it (from a listing); saves the HEAD.
    ///   - progress: called with the bytes written so far, after each piece.
    @discardableResult
    public func getObject(_ bucket: String, _ key: String, to destination: URL,
                          expected: S3ObjectInfo? = nil,
                          chunkSize: Int = S3Client.defaultDownloadChunkSize,
                          progress: (@Sendable (Int64) -> Void)? = nil) async throws -> S3ObjectInfo {
        let info: S3ObjectInfo
        if let expected { info = expected } else { info = try await headObject(bucket, key) }
        let chunkSize = Int64(max(chunkSize, 1))
        let file = try S3TemporaryFile(beside: destination)
        do {
            // A listing cannot tell a KMS-encrypted object's ETag from an MD5; the GET's headers
            // can, so every piece's response has a say in whether the MD5 is checked.
            var checkMD5 = info.etagIsContentMD5
            let digest = Digest(.md5)
            var offset: Int64 = 0
            while offset < info.size {
                try Task.checkCancellation()
                let length = min(chunkSize, info.size - offset)
                let piece = try await getPiece(bucket, key, info: info, offset: offset, length: length)
                try file.write(piece.data)
                checkMD5 = checkMD5 && piece.etagIsContentMD5
                if checkMD5 { digest.update(piece.data) }
                offset += Int64(piece.data.count)
                progress?(offset)
            }
            // A single-piece download was checked inside getPiece, where a mismatch is retried.
            if checkMD5, info.size > chunkSize {
                let md5 = digest.finalize().hexString
                guard md5 == info.etag else {
                    throw S3Error("the MD5 of the \(info.size) bytes downloaded from \(bucket)/\(key) is \(md5), not its ETag \(info.etag); nothing was written")
                }
            }
            try file.commit(to: destination)
            return info
        } catch {
            file.discard()
            throw error
        }
    }

    /// One piece of a download, and whether the response says the ETag is the content's MD5.
    /// The whole object is fetched without a Range header when it fits in one piece (servers
    /// answer a Range on an empty object with 416), and then checked against the MD5 here, so
    /// that a damaged body is retried; larger objects are fetched as bytes
    /// `offset..<offset+length`.
    func getPiece(_ bucket: String, _ key: String, info: S3ObjectInfo, offset: Int64,
                  length: Int64) async throws -> (data: Data, etagIsContentMD5: Bool) {
        var headers = HTTPHeaders()
        let ranged = !(offset == 0 && length == info.size)
        if ranged { headers["Range"] = "bytes=\(offset)-\(offset + length - 1)" }
        let (etag, piece) = try await perform("GET", bucket: bucket, key: key, headers: headers) {
            response, request throws(ResponseFormatError) -> (String, (data: Data, etagIsContentMD5: Bool)) in
            let host = request.http.hostHeader
            if let announced = response.headers["Content-Length"].flatMap({ Int64($0.trimmingCharacters(in: .whitespaces)) }),
               announced != Int64(response.body.count) {
                throw ResponseFormatError(host: host, problem: "got \(response.body.count) bytes of \(request.resourceName), Content-Length said \(announced)")
            }
            var body = response.body
            if ranged && response.status == 200 {
                // A server that ignores Range sends the whole object; keep the piece asked for.
                guard Int64(body.count) == info.size else {
                    throw ResponseFormatError(host: host, problem: "got \(body.count) bytes of \(request.resourceName) for a Range request, expected the piece or all \(info.size)")
                }
                let start = body.startIndex + Int(offset)
                body = body.subdata(in: start..<start + Int(length))
            } else if ranged {
                guard let range = response.headers["Content-Range"].flatMap(S3ContentRange.init),
                      range.first == offset, range.total == info.size
                else {
                    throw ResponseFormatError(host: host, problem: "Content-Range \(response.headers["Content-Range"] ?? "missing") does not answer bytes \(offset)-\(offset + length - 1) of \(info.size)")
                }
            }
            let etag = S3ETag.normalize(response.headers["ETag"] ?? "")
            let isMD5 = S3ETag.isContentMD5(etag, headers: response.headers)
            try S3Client.checkBody(body, expectedLength: length,
                                   md5Of: !ranged && isMD5 ? etag : nil, request: request)
            return (etag, (body, isMD5))
        }
        if !etag.isEmpty, !info.etag.isEmpty, etag != info.etag {
            throw S3Error("\(bucket)/\(key) changed while it was being downloaded (ETag \(info.etag), now \(etag)); nothing was written")
        }
        return piece
    }
}

/// A file written beside its destination and renamed over it when complete, so that readers
/// never see a partial file and a failure leaves only what was there before.
final class S3TemporaryFile {
    let url: URL
    private let handle: FileHandle

    init(beside destination: URL) throws {
        let directory = destination.deletingLastPathComponent()
        let name = ".\(destination.lastPathComponent).euca-partial-\(UInt32.random(in: 0...UInt32.max))"
        url = directory.appendingPathComponent(name)
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw S3Error("cannot create \(url.path): \(String(cString: strerror(errno)))")
        }
        handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    func write(_ data: Data) throws {
        do {
            try handle.write(contentsOf: data)
        } catch {
            throw S3Error("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    func commit(to destination: URL) throws {
        try? handle.close()
        guard rename(url.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            discard()
            throw S3Error("cannot rename \(url.path) to \(destination.path): \(reason)")
        }
    }

    func discard() {
        try? handle.close()
        unlink(url.path)
    }
}
