#include "widgets/PayloadFormatter.h"

#include "util/JsonText.h"

#include <QPromise>
#include <QThreadPool>

#include <memory>

namespace rpcbench {

PayloadFormatter::PayloadFormatter(QObject* parent) : QObject(parent) {}

PayloadFormatter::~PayloadFormatter()
{
    cancel(); // a job not started yet is skipped; a running one finishes and is dropped
}

QString PayloadFormatter::breakLongLines(const QString& text, qsizetype maxLine, bool* broken)
{
    *broken = false;
    // The common case (no long line) costs one scan and no copy.
    qsizetype lineStart = 0;
    bool any = false;
    for (qsizetype i = 0, n = text.size(); i <= n; ++i) {
        if (i == n || text.at(i) == QLatin1Char('\n')) {
            if (i - lineStart > maxLine) {
                any = true;
                break;
            }
            lineStart = i + 1;
        }
    }
    if (!any)
        return text;
    *broken = true;
    QString out;
    out.reserve(text.size() + text.size() / maxLine + 1);
    qsizetype column = 0;
    for (const QChar c : text) {
        if (c == QLatin1Char('\n')) {
            column = 0;
        } else if (column == maxLine) {
            out.append(QLatin1Char('\n'));
            column = 0;
        }
        out.append(c);
        if (c != QLatin1Char('\n'))
            ++column;
    }
    return out;
}

FormattedPayload PayloadFormatter::format(const QByteArray& bytes, Mode mode, qsizetype limit)
{
    FormattedPayload out;
    QString text;
    switch (mode) {
    case Mode::Pretty:
        text = JsonText::pretty(bytes, limit, &out.truncated);
        break;
    case Mode::Raw:
        text = JsonText::rawText(bytes, limit, &out.truncated);
        break;
    case Mode::Hex:
        text = JsonText::hexDump(bytes, limit, &out.truncated);
        break;
    }
    out.text = breakLongLines(text, MaxLineChars, &out.linesBroken);
    return out;
}

void PayloadFormatter::request(const QByteArray& bytes, Mode mode, qsizetype limit)
{
    cancel();
    // QThreadPool::start takes a copyable callable; the promise is shared with it.
    auto promise = std::make_shared<QPromise<FormattedPayload>>();
    m_current = promise->future();
    const quint64 generation = ++m_generation;
    m_busy = true;
    m_current.then(this, [this, generation](const FormattedPayload& result) {
        if (generation != m_generation)
            return; // superseded while its result was on its way
        m_busy = false;
        emit ready(result);
    });
    QThreadPool::globalInstance()->start([promise, bytes, mode, limit] {
        promise->start();
        if (!promise->isCanceled())
            promise->addResult(format(bytes, mode, limit));
        promise->finish();
    });
}

void PayloadFormatter::cancel()
{
    ++m_generation;
    m_current.cancel();
    m_current = {};
    m_busy = false;
}

} // namespace rpcbench
