#pragma once
// Turns payload bytes into display text (pretty JSON, raw text or a hex dump) on a pool
// thread, so formatting a multi-megabyte reply never blocks the GUI thread. One formatter
// serves one view: a newer request supersedes an older one (whose result is dropped, and
// which is skipped if it has not started yet).

#include <QByteArray>
#include <QFuture>
#include <QObject>
#include <QString>

namespace rpcbench {

struct FormattedPayload
{
    QString text;
    bool truncated = false;   // only the first `limit` bytes were formatted
    bool linesBroken = false; // lines beyond MaxLineChars were broken for display
};

class PayloadFormatter : public QObject
{
    Q_OBJECT
public:
    enum class Mode { Pretty, Raw, Hex };
    // A QPlainTextEdit cannot lay out (nor scroll across) a line of millions of characters: its
    // width overflows the text engine's fixed-point range. Longer lines are broken for display.
    static constexpr qsizetype MaxLineChars = 10'000;

    explicit PayloadFormatter(QObject* parent = nullptr);
    ~PayloadFormatter() override;

    // The formatting itself; thread-safe (pure). limit < 0: everything.
    static FormattedPayload format(const QByteArray& bytes, Mode mode, qsizetype limit);
    static QString breakLongLines(const QString& text, qsizetype maxLine, bool* broken);

    // Starts formatting on a pool thread; `ready` follows (queued) unless superseded first.
    void request(const QByteArray& bytes, Mode mode, qsizetype limit);
    void cancel();
    bool isBusy() const { return m_busy; }

signals:
    void ready(const rpcbench::FormattedPayload& result);

private:
    QFuture<FormattedPayload> m_current;
    quint64 m_generation = 0;
    bool m_busy = false;
};

} // namespace rpcbench
