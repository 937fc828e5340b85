#pragma once
// Test helper for the bad-input battery (tst_badinput, tst_badpeers): runs `rpcbench serve` as
// a child process with short limits, checks after each case that it still answers a fresh call
// within a memory budget, and speaks the three framings as a raw peer.

#include "FrameCollector.h"
#include "ServeProcess.h"
#include "SocketProbe.h"
#include "wire/HttpResponseParser.h"
#include "wire/HttpWriter.h"
#include "wire/LspFramer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QTest>

#include <sys/resource.h>

namespace rpcbench::test {

constexpr int kIdleTimeoutMs = 1500;            // short, so trickling peers are cut off quickly
constexpr qint64 kMaxMessage = 4 * 1024 * 1024; // the server's --max-message-bytes
#if defined(__SANITIZE_ADDRESS__)               // GCC; clang below
constexpr bool kSanitized = true;               // then the server is built with ASan too
#elif defined(__has_feature) && __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
// Allowed growth over the start-up RSS. AddressSanitizer's shadow memory, redzones and
// allocator caches roughly double what the same buffers cost, hence the larger budget there.
constexpr qint64 kRssBudgetKiB = (kSanitized ? 128 : 48) * 1024;
constexpr qint64 kMiB = 1024 * 1024;

enum class Framing { Stream, Lsp, Http };

inline QByteArray call(const QByteArray& method, const QByteArray& params, int id)
{
    return R"({"jsonrpc":"2.0","method":")" + method + R"(","params":)" + params + R"(,"id":)" +
           QByteArray::number(id) + "}";
}

inline QByteArray httpPost(const QByteArray& body)
{
    return buildHttpPost("127.0.0.1", "/", body);
}

inline QByteArray framed(Framing framing, const QByteArray& payload)
{
    switch (framing) {
    case Framing::Stream:
        return payload + '\n';
    case Framing::Lsp:
        return LspFramer::frame(payload);
    case Framing::Http:
        return httpPost(payload);
    }
    return {};
}

inline QJsonObject parseObject(const QByteArray& json)
{
    return QJsonDocument::fromJson(json).object();
}

inline int errorCode(const QJsonObject& reply)
{
    return reply.value("error").toObject().value("code").toInt();
}

// Every reply the peer has received so far, whatever the framing (HTTP: the bodies).
inline QList<QByteArray> payloadsOf(Framing framing, const QByteArray& received,
                                    QList<int>* statuses = nullptr)
{
    QList<QByteArray> out;
    if (framing == Framing::Stream) {
        for (const QByteArray& line : received.split('\n'))
            if (!line.trimmed().isEmpty())
                out << line;
    } else if (framing == Framing::Lsp) {
        LspFramer framer;
        FrameCollector frames;
        framer.feed(received, frames);
        out = frames.payloads;
    } else {
        HttpResponseParser parser;
        FrameCollector frames;
        parser.feed(received, frames);
        for (const HttpResponse& r : std::as_const(frames.responses)) {
            out << r.body;
            if (statuses)
                *statuses << r.status;
        }
    }
    return out;
}

// Sends one message in `framing` and returns the reply to it: the next payload the peer gets
// (HTTP: the body). Empty when none arrives within the timeout.
inline QByteArray exchange(SocketProbe& peer, Framing framing, const QByteArray& payload,
                           int timeoutMs = 5000)
{
    const qsizetype before = payloadsOf(framing, peer.received()).size();
    peer.send(framed(framing, payload));
    // No verdict here: the caller checks the reply, and an empty one tells.
    static_cast<void>(
        peer.waitFor([&] { return payloadsOf(framing, peer.received()).size() > before; }, timeoutMs));
    return payloadsOf(framing, peer.received()).value(before);
}

// Writes `total` bytes (head, then `fill` bytes) as fast as the peer takes them, until done,
// the server answers or it closes. Returns how many bytes the kernel accepted by then. Like a
// real client, it stops sending once an answer arrives: QTcpSocket drops unread input when a
// later write fails on the closed connection.
inline qint64 pumpUntilAnswered(SocketProbe& peer, const QByteArray& head, qint64 total, char fill)
{
    QTcpSocket& s = peer.socket();
    const QByteArray block(256 * 1024, fill);
    qint64 queued = head.size();
    s.write(head);
    const auto answered = [&] { return peer.isClosed() || !peer.received().isEmpty(); };
    // No verdict here: the caller checks how the server ended the connection.
    static_cast<void>(QTest::qWaitFor(
        [&] {
            while (!answered() && queued < total && s.bytesToWrite() < block.size()) {
                const qint64 n = qMin<qint64>(block.size(), total - queued);
                s.write(block.constData(), n);
                queued += n;
            }
            return answered() || (queued == total && s.bytesToWrite() == 0);
        },
        30000));
    return queued - s.bytesToWrite();
}

// Raises the open-file limit, e.g. for 1,000 concurrent connections (a child server inherits it).
inline bool ensureFileLimit(rlim_t wanted)
{
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return false;
    if (rl.rlim_cur >= wanted)
        return true;
    if (rl.rlim_max < wanted)
        rl.rlim_max = wanted; // only works as root; then the soft raise below still applies
    rl.rlim_cur = wanted;
    if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
        return true;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    return setrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur >= wanted;
}

// The server under attack. Every case of a battery runs against the same instance.
class BatteryServer
{
public:
    // Starts `rpcbench serve` with the battery's limits and records its RSS after a warm-up.
    bool start(QByteArray* failure)
    {
        // Under AddressSanitizer freed memory sits in a quarantine (256 MiB by default) and
        // would count as RSS; keep it small in the child so the budget measures our buffers.
        const QByteArray asan = qgetenv("ASAN_OPTIONS");
        qputenv("ASAN_OPTIONS", asan + (asan.isEmpty() ? "" : ":") + "quarantine_size_mb=8");
        const bool started =
            m_process.start({"--log", "none", "--idle-timeout-ms", QString::number(kIdleTimeoutMs),
                             "--max-message-bytes", QString::number(kMaxMessage)});
        qputenv("ASAN_OPTIONS", asan);
        if (!started) {
            *failure = "rpcbench serve did not start";
            return false;
        }
        for (int i = 0; i < 20; ++i) { // warm up: first-use allocations are not growth
            if (!freshAddWorks(failure))
                return false;
        }
        m_baselineRssKiB = m_process.rssKiB();
        return m_baselineRssKiB > 0;
    }

    quint16 port() const { return m_process.port(); }
    qint64 rssKiB() const { return m_process.rssKiB(); }
    qint64 baselineRssKiB() const { return m_baselineRssKiB; }

    // A new connection, an `add` call, the right answer.
    bool freshAddWorks(QByteArray* failure)
    {
        SocketProbe peer;
        if (!peer.connectTo(m_process.port())) {
            *failure = "cannot connect to the server";
            return false;
        }
        const int id = ++m_nextId;
        peer.send(call("add", "[1,2]", id) + '\n');
        const QList<QJsonValue> replies = peer.waitForJsonLines(1, 10000);
        const QJsonObject expected{{"jsonrpc", "2.0"}, {"result", 13}, {"id", id}};
        if (replies.size() != 1 || replies.first().toObject() != expected) {
            *failure = "fresh add call not answered correctly: " + peer.received();
            return false;
        }
        return true;
    }

    // After each case: alive, answers a fresh call, RSS within the budget.
    bool healthy(QByteArray* failure)
    {
        if (m_process.process().state() != QProcess::Running) {
            *failure = "the server died: " + m_process.process().readAllStandardError().right(4000);
            return false;
        }
        if (!freshAddWorks(failure))
            return false;
        const qint64 rss = m_process.rssKiB();
        m_peakRssKiB = qMax(m_peakRssKiB, rss);
        if (rss - m_baselineRssKiB >= kRssBudgetKiB) {
            *failure = QStringLiteral("server RSS grew from %1 KiB to %2 KiB")
                           .arg(m_baselineRssKiB)
                           .arg(rss)
                           .toUtf8();
            return false;
        }
        return true;
    }

    // SIGTERM; true when it exits with status 0 (under ASan: no leak reported either).
    bool stop(QByteArray* failure)
    {
        qInfo("server RSS: %lld KiB after start-up, peak %lld KiB", m_baselineRssKiB, m_peakRssKiB);
        if (!m_process.terminate()) {
            *failure = "the server did not stop on SIGTERM";
            return false;
        }
        QProcess& p = m_process.process();
        *failure = p.readAllStandardError().right(4000);
        return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    }

private:
    ServeProcess m_process;
    qint64 m_baselineRssKiB = -1;
    qint64 m_peakRssKiB = -1;
    int m_nextId = 1000;
};

} // namespace rpcbench::test

Q_DECLARE_METATYPE(rpcbench::test::Framing)
