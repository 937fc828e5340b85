#include "wire/TransportSniffer.h"

#include <array>

namespace rpcbench {

namespace {

constexpr std::array<QByteArrayView, 9> kHttpMethods = {"GET ",     "POST ",  "PUT ",   "DELETE ", "HEAD ",
                                                        "OPTIONS ", "PATCH ", "TRACE ", "CONNECT "};
constexpr std::array<QByteArrayView, 2> kLspHeaders = {"content-length:", "content-type:"};

enum class Match { No, Prefix, Full };

// Compares `data` with `token`; Prefix means data is shorter than token but agrees so far.
Match matchToken(QByteArrayView data, QByteArrayView token, bool caseInsensitive)
{
    const qsizetype n = std::min(data.size(), token.size());
    for (qsizetype i = 0; i < n; ++i) {
        char c = data[i];
        if (caseInsensitive && c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
        if (c != token[i])
            return Match::No;
    }
    return data.size() >= token.size() ? Match::Full : Match::Prefix;
}

} // namespace

std::optional<Transport> sniffTransport(QByteArrayView data)
{
    if (data.isEmpty())
        return std::nullopt;
    bool undecided = false;
    for (QByteArrayView method : kHttpMethods) {
        const Match m = matchToken(data, method, false);
        if (m == Match::Full)
            return Transport::Http;
        undecided |= m == Match::Prefix;
    }
    for (QByteArrayView header : kLspHeaders) {
        const Match m = matchToken(data, header, true);
        if (m == Match::Full)
            return Transport::Lsp;
        undecided |= m == Match::Prefix;
    }
    if (undecided)
        return std::nullopt;
    return Transport::JsonStream;
}

} // namespace rpcbench
