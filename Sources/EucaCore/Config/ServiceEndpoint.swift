import Foundation

/// Where a service is reached and which region its requests are signed for.
public struct ServiceEndpoint: Sendable, Equatable {
    public var url: Sourced<URL>
    public var signingRegion: Sourced<String>
    /// True when nothing configured the endpoint and the AWS one for the region applies.
    public var isDefault = false
}

/// An endpoint as the user wrote it, before it is checked: the text, and for one found in the
/// euca2ools configuration the region its section stands for.
struct ConfiguredEndpoint {
    var text: Sourced<String>
    var sectionRegion: String?

    init(_ text: Sourced<String>, sectionRegion: String? = nil) {
        self.text = text
        self.sectionRegion = sectionRegion
    }

    struct Parsed {
        var url: Sourced<URL>
        /// The signing region the endpoint itself names, if it does.
        var namedRegion: Sourced<String>?
    }

    /// Checks the URL and splits off a `REGION::` prefix, which euca2ools accepts wherever
    /// an endpoint is given to name its signing region (`-U lab::https://cloud:8773/`). Only a
    /// prefix without `/` or `[` counts, so `http://[::1]:8773/` stays an address.
    func parsed() throws(ConfigError) -> Parsed {
        var urlText = text.value
        var named = sectionRegion.map { Sourced($0, text.source) }
        if let separator = text.value.range(of: "::") {
            let prefix = text.value[..<separator.lowerBound]
            if !prefix.isEmpty, !prefix.contains("/"), !prefix.contains("[") {
                named = Sourced(RegionName.signingName(String(prefix)), text.source)
                urlText = String(text.value[separator.upperBound...])
            }
        }
        guard let url = URL(string: urlText), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", url.host?.isEmpty == false
        else {
            throw ConfigError("\(text.source): expected an http:// or https:// URL (optionally REGION::URL), got \(quoted(text.value))")
        }
        return Parsed(url: Sourced(url, text.source), namedRegion: named)
    }
}
