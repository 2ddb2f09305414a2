import Foundation

extension S3Client {
    /// A listing that keeps returning pages is a server bug, not a reason to loop forever
    /// (a million pages is a billion keys).
    static let maximumListPages = 1_000_000

    /// One page of ListObjects (version 1; see `S3ListPage` for why). `maxKeys` nil lets the
    /// server choose (1000 on AWS).
    public func listObjectsPage(_ bucket: String, prefix: String? = nil, delimiter: String? = nil,
                                marker: String? = nil, maxKeys: Int? = nil) async throws -> S3ListPage {
        var query: [QueryItem] = []
        if let delimiter, !delimiter.isEmpty { query.append(QueryItem("delimiter", delimiter)) }
        if let marker, !marker.isEmpty { query.append(QueryItem("marker", marker)) }
        if let maxKeys { query.append(QueryItem("max-keys", String(maxKeys))) }
        if let prefix, !prefix.isEmpty { query.append(QueryItem("prefix", prefix)) }
        return try await perform("GET", bucket: bucket, query: query) { response, request throws(ResponseFormatError) in
            let document = try ServiceDocument.parse(response, root: "ListBucketResult", host: request.http.hostHeader)
            return try S3ListPage.parse(document, host: request.http.hostHeader)
        }
    }

    /// Every object (and common prefix, with a delimiter) under `prefix`, following markers
    /// until the last page. `pageSize` is sent as `max-keys`. With a delimiter, a common prefix
    /// appears once however many pages repeat it.
    public func listObjects(_ bucket: String, prefix: String? = nil, delimiter: String? = nil,
                            pageSize: Int? = nil) async throws -> S3Listing {
        var listing = S3Listing(objects: [], commonPrefixes: [], pages: 0)
        var marker: String?
        // Markers are compared for repeats only, not for order: moto answers a delimited
        // listing with an opaque NextMarker (a hash), not the key S3 documents.
        var seen: Set<String> = []
        var seenPrefixes: Set<String> = []
        repeat {
            let page = try await listObjectsPage(bucket, prefix: prefix, delimiter: delimiter,
                                                 marker: marker, maxKeys: pageSize)
            listing.objects += page.objects
            // moto repeats the common prefixes on every page; a prefix is listed once.
            for prefix in page.commonPrefixes where seenPrefixes.insert(prefix).inserted {
                listing.commonPrefixes.append(prefix)
            }
            listing.pages += 1
            if let next = page.nextMarker {
                guard seen.insert(next).inserted, listing.pages < S3Client.maximumListPages else {
                    throw ResponseFormatError(host: endpoint.host, problem: "listing \(bucket) keeps returning the marker \(quoted(next))")
                }
            }
            marker = page.nextMarker
        } while marker != nil
        return listing
    }
}
